from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "office.assessment"
    label = "assessment"
    verbose_name = _("Year-end assessment")

    def ready(self) -> None:
        from office import demo, desk, roles
        from office.assessment import demo as assessment_demo
        from office.study.permissions import STAFF_ROLES

        desk.register_nav(desk.NavItem("assessment", _("Assessment"), "assessment:mine",
                                       roles=frozenset(STAFF_ROLES), order=48))
        roles.register_business_namespace("assessment")
        roles.register_role_permissions(roles.SYSTEM_ADMIN, {
            *(f"assessment.{a}_{m}" for a in ("add", "change", "view", "delete") for m in ("scheme", "gradeband")),
        })
        demo.register_demo_loader(assessment_demo.load)
