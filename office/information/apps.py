from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    name = "office.information"
    label = "information"
    verbose_name = _("Government information")

    def ready(self) -> None:
        from office import demo, desk, roles
        from office.information import demo as information_demo
        from office.information import permissions

        desk.register_nav(desk.NavItem("information", _("Information"), "information:list",
                                       roles=frozenset(permissions.INTERNAL_ROLES), order=40))
        roles.register_business_namespace("information")
        roles.register_role_permissions(roles.SYSTEM_ADMIN, {
            *(f"information.{a}_{m}" for a in ("add", "change", "view", "delete")
              for m in ("outlet", "category", "scoringrule", "outletpoints", "quota")),
            "information.view_informationsettings", "information.change_informationsettings",
        })
        demo.register_demo_loader(information_demo.load)
