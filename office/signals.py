"""Receivers: role sync after migrate, the audit of logins and admin changes, and the guard
that keeps admin roles separate however group membership is changed."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save

from office import audit, roles


def sync_roles_after_migrate(sender, **kwargs) -> None:
    """Once per migrate, after the last app: by then every app's permissions exist."""
    from django.apps import apps

    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender.label == with_models[-1].label:
        roles.sync_roles(verbosity=0)


def _on_login(sender, request, user, **kwargs) -> None:
    audit.record("auth.login", actor=user, obj=user,
                 detail={"second_factor": getattr(user, "zb_factor", "")})


def _on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record("auth.logout", actor=user, obj=user)


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = (credentials or {}).get("username", "")
    ip = audit.client_ip(request) if request is not None else None
    action = "auth.mfa_failed" if (credentials or {}).get("factor") == "second" else "auth.login_failed"
    audit.record(action, actor_name=username, result="failure", ip=ip,
                 detail={"username": username})


def _on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit.record("auth.locked_out", actor_name=username or "", result="failure",
                 ip=ip_address, detail={"username": username})


_ADMIN_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


def _on_admin_log(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created:
        return
    audit.record(
        _ADMIN_ACTIONS.get(instance.action_flag, "admin.change"),
        actor=instance.user,
        content_type=instance.content_type,
        object_id=str(instance.object_id or ""),
        object_repr=instance.object_repr,
        detail={
            "model": f"{instance.content_type.app_label}.{instance.content_type.model}"
            if instance.content_type_id else "",
            "object_id": str(instance.object_id or ""),
            "object": instance.object_repr,
            "change": instance.get_change_message(),
        },
    )


def _guard_role_separation(sender, instance, action, pk_set, reverse, **kwargs) -> None:
    """Refuse any change of group membership that would break 三员分立."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:  # group.user_set.add(...)
        new_name = instance.name
        users = get_user_model().objects.filter(pk__in=pk_set).prefetch_related("groups")
        for user in users:
            held = {g.name for g in user.groups.all()}
            roles.validate_role_grant(user, held, held | {new_name})
    else:  # user.groups.add(...)
        current = set(instance.groups.values_list("name", flat=True))
        added = set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        roles.validate_role_grant(instance, current, current | added)


def _guard_individual_permissions(sender, instance, action, pk_set, reverse, **kwargs) -> None:
    """Administrator accounts hold no individual permissions (三员分立), however they are added."""
    if action != "pre_add" or not pk_set:
        return
    users = get_user_model().objects.filter(pk__in=pk_set) if reverse else [instance]
    for user in users:
        if set(user.groups.values_list("name", flat=True)) & set(roles.ADMIN_ROLES):
            from django.core.exceptions import ValidationError
            from django.utils.translation import gettext as _

            raise ValidationError(_("An administrator account may not hold individual permissions."))


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(_on_login, dispatch_uid="office_audit_login")
    user_logged_out.connect(_on_logout, dispatch_uid="office_audit_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="office_audit_login_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="office_audit_locked_out")
    post_save.connect(_on_admin_log, sender=LogEntry, dispatch_uid="office_audit_admin")
    m2m_changed.connect(_guard_role_separation, sender=get_user_model().groups.through,
                        dispatch_uid="office_role_separation")
    m2m_changed.connect(_guard_individual_permissions,
                        sender=get_user_model().user_permissions.through,
                        dispatch_uid="office_individual_permissions")
