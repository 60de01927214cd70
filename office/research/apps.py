from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "office.research"
    label = "research"
    verbose_name = _("Research and the bulletin")

    def ready(self) -> None:
        from office import demo, desk, roles
        from office.research import demo as research_demo
        from office.research import permissions, printing

        desk.register_nav(
            desk.NavItem("research", _("Research"), "research:list", roles=frozenset(permissions.ROLES), order=42)
        )
        roles.register_business_namespace("research")
        demo.register_demo_loader(research_demo.load)
        printing.register_samples()
