from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "office.study"
    label = "study"
    verbose_name = _("Study day")

    def ready(self) -> None:
        from office import demo, desk, roles
        from office.study import demo as study_demo
        from office.study import permissions

        desk.register_nav(desk.NavItem("study", _("Study day"), "study:home",
                                       roles=frozenset(permissions.STAFF_ROLES), order=45))
        roles.register_business_namespace("study")
        demo.register_demo_loader(study_demo.load)
