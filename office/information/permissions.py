"""Who may do what with government information. Every check goes through
``office.roles.is_business_user``: an administrator never sees an item or a result."""

from __future__ import annotations

from django.db.models import Q

from office import roles

# who works with information: secretaries write, the information section reviews, chiefs and
# directors follow their people, leaders read the results
INTERNAL_ROLES = (roles.SECRETARY, roles.SECTION_CHIEF, roles.OFFICE_DIRECTOR, roles.COUNTY_LEADER)


def section_id() -> int | None:
    from office.information.models import InformationSettings

    return InformationSettings.load().section_id


def takes_part(user) -> bool:
    return roles.is_business_user(user) and roles.has_role(user, *INTERNAL_ROLES)


def is_writer(user) -> bool:
    return roles.is_business_user(user) and roles.has_role(user, roles.SECRETARY)


def is_reviewer(user, section: int | None = ...) -> bool:
    """A member of the information section (信息科) or an office director."""
    if not roles.is_business_user(user):
        return False
    if roles.has_role(user, roles.OFFICE_DIRECTOR):
        return True
    section = section_id() if section is ... else section
    return section is not None and user.unit_id == section and roles.has_role(
        user, roles.SECRETARY, roles.SECTION_CHIEF)


def may_close_quarter(user) -> bool:
    """The office director, or the information section's chief."""
    if not roles.is_business_user(user):
        return False
    if roles.has_role(user, roles.OFFICE_DIRECTOR):
        return True
    section = section_id()
    return section is not None and user.unit_id == section and roles.has_role(user, roles.SECTION_CHIEF)


def visible_q(user) -> Q | None:
    """The items ``user`` may see: None for none at all."""
    if not takes_part(user):
        return None
    if is_reviewer(user):
        return Q()
    q = Q(author=user)
    if roles.has_role(user, roles.SECTION_CHIEF) and user.unit_id:
        q |= Q(author__unit_id=user.unit_id)
    if roles.has_role(user, roles.COUNTY_LEADER):
        q |= Q(status="sent")
    return q
