from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "office"
    verbose_name = _("Office")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from office import (  # noqa: F401 (checks registers)
            calendar_years,
            checks,
            desk,
            gbt9704_samples,
            history,
            roles,
            signals,
        )

        post_migrate.connect(signals.sync_roles_after_migrate, dispatch_uid="office_sync_roles")
        signals.connect()
        history.connect()
        gbt9704_samples.register_samples()

        desk.register_panel(desk.DeskPanel("calendar", _("Working-day calendar"),
                                           "office/_calendar_panel.html", calendar_years.desk_panel,
                                           order=0))
        desk.register_queues(desk.QueueSource("rules", desk.rule_queues, order=90))
        desk.register_nav(desk.NavItem("desk", _("My desk"), "office:desk", order=0))
        desk.register_nav(desk.NavItem("rules", _("Rules"), "office:rules", order=80))
        desk.register_nav(desk.NavItem(
            "acknowledgements", _("Acknowledgements"), "office:acknowledgements",
            roles=frozenset({roles.SECTION_CHIEF, roles.OFFICE_DIRECTOR}), order=85))
        desk.register_nav(desk.NavItem(
            "admin", _("Administration"), "admin:index", roles=frozenset(roles.ADMIN_ROLES),
            order=200))
