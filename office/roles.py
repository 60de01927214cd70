"""Roles are Django groups created from this table by ``sync_roles`` (run after every migrate
and by ``manage.py sync_roles``), never by hand.

Separation of the three admin roles (等保 三员分立): an account holds at most one admin role,
and an admin account holds no business role. ``validate_role_names`` enforces it for the
admin form and the ``m2m_changed`` guard in ``office.apps``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CLERK = "clerk"
SECRETARY = "secretary"
SECTION_CHIEF = "section_chief"
OFFICE_DIRECTOR = "office_director"
COUNTY_LEADER = "county_leader"
UNIT_CONTACT = "unit_contact"
SYSTEM_ADMIN = "system_admin"
SECURITY_ADMIN = "security_admin"
AUDIT_ADMIN = "audit_admin"

ROLE_LABELS = {
    CLERK: _("Clerk"),
    SECRETARY: _("Secretary"),
    SECTION_CHIEF: _("Section chief"),
    OFFICE_DIRECTOR: _("Office director"),
    COUNTY_LEADER: _("County leader"),
    UNIT_CONTACT: _("Unit contact"),
    SYSTEM_ADMIN: _("System administrator"),
    SECURITY_ADMIN: _("Security administrator"),
    AUDIT_ADMIN: _("Audit administrator"),
}

BUSINESS_ROLES = (CLERK, SECRETARY, SECTION_CHIEF, OFFICE_DIRECTOR, COUNTY_LEADER, UNIT_CONTACT)
ADMIN_ROLES = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)

# Model permissions per role, as "app_label.codename". Workflow apps add theirs through
# ``register_role_permissions`` in their AppConfig.ready().
ROLE_PERMISSIONS: dict[str, set[str]] = {
    CLERK: set(),
    SECRETARY: set(),
    SECTION_CHIEF: {"office.view_ruleacknowledgement"},
    OFFICE_DIRECTOR: {"office.view_ruleacknowledgement"},
    COUNTY_LEADER: set(),
    UNIT_CONTACT: set(),
    SYSTEM_ADMIN: {
        *(f"office.{a}_{m}" for a in ("add", "change", "view", "delete")
          for m in ("unit", "post", "calendarday", "calendaryear")),
        *(f"office.{a}_{m}" for a in ("add", "change", "view") for m in ("rule", "user")),
        "office.view_ruleversion",
        "office.change_officesettings", "office.view_officesettings",
        "office.view_ruleacknowledgement",
    },
    SECURITY_ADMIN: {
        "office.view_user", "office.change_user",
        "auth.view_group", "auth.view_permission",
        "axes.view_accessattempt", "axes.delete_accessattempt",
        "axes.view_accessfailurelog", "axes.view_accesslog",
    },
    AUDIT_ADMIN: {"office.view_auditevent", "office.export_auditevent"},
}


# Permissions the security administrator may grant to an individual account, beside its roles.
GRANTABLE_PERMISSIONS: set[str] = set()


def register_grantable_permission(perm: str) -> None:
    GRANTABLE_PERMISSIONS.add(perm)


def register_role_permissions(role: str, perms: Iterable[str]) -> None:
    ROLE_PERMISSIONS.setdefault(role, set()).update(perms)


def validate_role_names(names: Iterable[str]) -> None:
    """Refuse a set of roles that breaks the separation of admin duties."""
    names = set(names)
    admin = names & set(ADMIN_ROLES)
    if len(admin) > 1:
        raise ValidationError(
            _("An account may hold only one administrator role (system, security or audit)."),
            code="two_admin_roles",
        )
    if admin and names & set(BUSINESS_ROLES):
        raise ValidationError(
            _("An administrator account may not hold a business role."),
            code="admin_with_business_role",
        )


def validate_role_grant(user, current: Iterable[str], wanted: Iterable[str]) -> None:
    """``validate_role_names`` for the roles an account would hold (``wanted``, replacing
    ``current``), and: an administrator role
    goes only to an account whose owner has set their own password. An account whose password
    an administrator just set (a new account, a reset) cannot be made an administrator, so no
    administrator can reset an account, give it a second admin role and act through it."""
    current, wanted = set(current), set(wanted)
    validate_role_names(wanted)
    if (wanted - current) & set(ADMIN_ROLES) and getattr(user, "must_change_password", False):
        raise ValidationError(
            _("An administrator role goes only to an account whose owner has set their own "
              "password: this one still has a temporary password set by an administrator."),
            code="admin_role_to_temporary_password",
        )


def sync_roles(verbosity: int = 0) -> None:
    """Create every role group and give it exactly the permissions of the table. Idempotent."""
    from django.contrib.auth.models import Group, Permission

    for role in ROLE_LABELS:
        group, _created = Group.objects.get_or_create(name=role)
        wanted = ROLE_PERMISSIONS.get(role, set())
        perms = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label,
                                             codename=codename).first()
            if perm is None:
                if verbosity:
                    print(f"sync_roles: permission {dotted} does not exist yet")
                continue
            perms.append(perm)
        group.permissions.set(perms)


def role_label(name: str) -> str:
    return str(ROLE_LABELS.get(name, name))


def user_roles(user) -> set[str]:
    """The role names of a user, cached on the instance for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def load_roles(users) -> None:
    """Read the role names of many users in one query (a step checking 60 readers), cached on
    each instance as ``user_roles`` caches them."""
    from django.contrib.auth.models import Group

    users = [u for u in users if u is not None and getattr(u, "_role_names", None) is None]
    if not users:
        return
    names: dict[int, set[str]] = {u.pk: set() for u in users}
    for user_id, name in Group.objects.filter(user__in=list(names)).values_list("user", "name"):
        names[user_id].add(name)
    for user in users:
        user._role_names = names[user.pk]


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_admin_account(user) -> bool:
    """An administrator account: one of the three admin roles, or a superuser (the installer's
    break-glass account)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user_roles(user) & set(ADMIN_ROLES))


def is_business_user(user) -> bool:
    """The one rule of who takes part in the office's business (documents, supervision, every
    workflow app): a signed-in, active account that is not an administrator account. An
    administrator is never a member of any business office, however the settings name its unit
    (等保 三员分立: admins see no business content). Every membership test, visibility selector
    and business view goes through this function."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and not is_admin_account(user))


# URL namespaces of the business apps: an administrator account gets 403 on every one of them
# (``office.middleware.AdminSeparationMiddleware``). Workflow apps register theirs in ready().
BUSINESS_NAMESPACES: set[str] = set()


def register_business_namespace(namespace: str) -> None:
    BUSINESS_NAMESPACES.add(namespace)
