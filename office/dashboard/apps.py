from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "office.dashboard"
    label = "dashboard"
    verbose_name = _("Leaders' dashboard")

    def ready(self) -> None:
        from office import desk, roles
        from office.dashboard.selectors import DASHBOARD_ROLES

        roles.register_business_namespace("dashboard")
        desk.register_nav(desk.NavItem("dashboard", _("Dashboard"), "dashboard:home",
                                       roles=frozenset(DASHBOARD_ROLES), order=5))
