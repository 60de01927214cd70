"""Who takes part in study day: the office's own staff (clerks, secretaries, section chiefs,
directors); never an administrator."""

from __future__ import annotations

from django.db.models import Q

from office import roles

STAFF_ROLES = (roles.CLERK, roles.SECRETARY, roles.SECTION_CHIEF, roles.OFFICE_DIRECTOR)


def takes_part(user) -> bool:
    return roles.is_business_user(user) and roles.has_role(user, *STAFF_ROLES)


def is_director(user) -> bool:
    return roles.is_business_user(user) and roles.has_role(user, roles.OFFICE_DIRECTOR)


def is_chief(user) -> bool:
    return roles.is_business_user(user) and roles.has_role(user, roles.SECTION_CHIEF) and bool(user.unit_id)


def may_organise(user, section_id: int | None) -> bool:
    """A director organises any session; a section chief the sessions of their own section."""
    if is_director(user):
        return True
    return is_chief(user) and section_id is not None and section_id == user.unit_id


def sessions_q(user) -> Q | None:
    if not takes_part(user):
        return None
    if is_director(user):
        return Q()
    return Q(section__isnull=True) | Q(section_id=user.unit_id) | Q(organiser=user) | Q(attendances__user=user)


def notes_q(user) -> Q | None:
    """Own notes, and the notes colleagues of the same section share; private stays private."""
    if not takes_part(user):
        return None
    q = Q(author=user)
    if user.unit_id:
        q |= Q(visibility="section", author__unit_id=user.unit_id)
    return q
