"""Deactivate, never delete: units, staff accounts, posts and roles that have history.

Deleting a unit would silently drop it as co-unit from items and documents (many-to-many rows
go without a trace), deleting a post would make the rules it alone bound bind everyone, and
deleting a role would silently empty its members' rights. So an object that anything refers to
(any reverse relation, the audit trail's actor included) cannot be deleted: the admin offers no delete
for it, and a ``pre_delete`` guard refuses it on every other path with a clear message.
Deactivate it instead (units and accounts have *active*). An object nothing refers to (a unit
created by mistake a minute ago) can still be deleted. Roles are never deleted: the role table
(``office.roles``) recreates them after every migrate.
"""

from __future__ import annotations

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.utils.translation import gettext as _


def referring_relations(obj) -> list[str]:
    """Labels of the relations through which something refers to ``obj`` (empty: no history).
    Foreign keys without a reverse accessor count too (an account that acted is named by the
    audit trail); the audit trail's generic mentions do not (an admin change of the object is
    no use of it)."""
    found = []
    for rel in obj._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or not hasattr(rel, "field"):
            continue
        model = rel.related_model
        if model._meta.auto_created:  # a many-to-many table: its own relation is checked
            continue
        if model._base_manager.filter(**{rel.field.name: obj}).exists():
            found.append(f"{model._meta.label_lower}.{rel.field.name}")
    return found


def has_history(obj) -> bool:
    return bool(referring_relations(obj))


def _guard(sender, instance, **kwargs) -> None:
    from office import roles

    if sender._meta.label_lower == "auth.group":
        if instance.name in roles.ROLE_LABELS:
            raise ProtectedError(_("A role is never deleted: it comes from the role table."),
                                 {instance})
        return
    relations = referring_relations(instance)
    if relations:
        raise ProtectedError(
            _("“%(object)s” has history (%(relations)s) and cannot be deleted: deactivate it "
              "instead.") % {"object": instance, "relations": ", ".join(relations)}, {instance})


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from office.models import Post, Unit

    for model in (Unit, get_user_model(), Post, Group):
        pre_delete.connect(_guard, sender=model, dispatch_uid=f"office_history_{model._meta.label_lower}")
