from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from meetings import demo as meetings_demo
        from meetings import desk_panel, printing
        from office import demo, desk, roles

        desk.register_nav(desk.NavItem("meetings", _("Meetings"), "meetings:list",
                                       roles=frozenset(roles.BUSINESS_ROLES), order=30))
        desk.register_panel(desk.DeskPanel("meetings", _("My meetings"), "meetings/_desk_panel.html",
                                           desk_panel.load, order=30))
        desk.register_queues(desk.QueueSource("meetings", desk_panel.queues, order=50))
        roles.register_role_permissions(roles.SYSTEM_ADMIN, {
            *(f"meetings.{a}_{m}" for a in ("add", "change", "view", "delete")
              for m in ("meetingtype", "room", "checklistitem")),
            "meetings.view_meetingsettings", "meetings.change_meetingsettings",
            "meetings.view_meeting", "meetings.view_roombooking",
        })
        demo.register_demo_loader(meetings_demo.load)
        printing.register_samples()

        from meetings import steps as meeting_steps
        from office import audit

        audit.register_action_labels("meetings", {
            s.name: s.label for s in [*meeting_steps.MEETING_STEPS, *meeting_steps.TOPIC_STEPS]})
        audit.register_action_labels("meetings", {
            "create": _("Meeting created"), "submit_topic": _("Topic submitted"),
            "screen_topic": _("Topic screened"), "sign_in": _("Signed in"),
            "open_material": _("Material opened"), "print_notice": _("Notice printed"),
            "print_summary": _("Minutes printed"), "export_discipline": _("Discipline report exported"),
            "feed_link": _("Calendar feed link created")})
