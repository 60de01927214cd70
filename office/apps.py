from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    default = True  # this module also holds AxesConfig
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

        _empty_choice_says_choose()
        _roles_by_their_names()
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


def _empty_choice_says_choose() -> None:
    """Every empty choice reads 请选择 (``office.forms.EMPTY_CHOICE``), not Django's "---------":
    the blank choice of model fields' choices (one shared list) and ModelChoiceField's default
    empty label, the admin's included."""
    from django import forms
    from django.db.models import fields

    from office.forms import EMPTY_CHOICE

    fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]
    forms.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = EMPTY_CHOICE


def _roles_by_their_names() -> None:
    """A role (a Django group named by its code, ``office.roles``) shows by its name in the
    reader's language everywhere a group is printed: the admin's role picker, filters, lists and
    change messages (县领导, not ``county_leader``)."""
    from django.contrib.auth.models import Group

    from office.roles import ROLE_LABELS

    def __str__(self):
        return str(ROLE_LABELS.get(self.name, self.name))

    Group.__str__ = __str__


class AxesConfig(AxesAppConfig):
    """django-axes under a name the security administrator reads (its admin section)."""

    default = False
    verbose_name = _("Login lockout")
