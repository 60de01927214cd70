from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from office import calendar_years, demo, desk, roles
        from supervision import demo as supervision_demo
        from supervision import desk_panel, reports, workflow

        roles.register_business_namespace("supervision")
        desk.register_nav(desk.NavItem("supervision", _("Supervision"), "supervision:list",
                                       roles=frozenset(roles.BUSINESS_ROLES), order=40))
        desk.register_queues(desk.QueueSource("supervision", desk_panel.queues, order=40))
        for role in (roles.OFFICE_DIRECTOR,):
            roles.register_role_permissions(role, {"supervision.view_item"})
        roles.register_role_permissions(roles.SYSTEM_ADMIN, {
            "supervision.view_reminderrule", "supervision.add_reminderrule",
            "supervision.change_reminderrule", "supervision.view_supervisionsettings",
            "supervision.change_supervisionsettings",
        })
        calendar_years.on_year_changed(workflow.recalculate_for_year)
        demo.register_demo_loader(supervision_demo.load)
        reports.register_samples()

        from office import audit
        from supervision import steps as supervision_steps

        audit.register_action_labels("supervision", {s.name: s.label for s in supervision_steps.STEPS})
        audit.register_action_labels("supervision", {
            "create": _("Item created"), "view": _("Item opened"), "export_ledger": _("Ledger exported"),
            "export_report": _("Report exported"), "print_chase": _("Chase notice printed"),
            "download_attachment": _("Attachment downloaded"),
            "extension_lapsed": _("Extension request lapsed")})
