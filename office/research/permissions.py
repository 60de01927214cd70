"""Who works with research and the bulletin: the office's secretaries (who research and write),
section chiefs and directors (who plan tasks and edit the bulletin), county leaders (who read
it). Never an administrator."""

from __future__ import annotations

from django.db.models import Q

from office import roles

ROLES = (roles.SECRETARY, roles.SECTION_CHIEF, roles.OFFICE_DIRECTOR, roles.COUNTY_LEADER)


def takes_part(user) -> bool:
    return roles.is_business_user(user) and roles.has_role(user, *ROLES)


def is_editor(user) -> bool:
    """Plans research tasks and edits the bulletin: an office director or a section chief."""
    return roles.is_business_user(user) and roles.has_role(user, roles.OFFICE_DIRECTOR, roles.SECTION_CHIEF)


def is_reader(user) -> bool:
    """Receives each published issue: the county leaders and the office directors."""
    return roles.is_business_user(user) and roles.has_role(user, roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR)


def tasks_q(user) -> Q | None:
    if not takes_part(user):
        return None
    if is_editor(user):
        return Q()
    return Q(lead=user) | Q(team=user) | Q(leader=user)


def issues_q(user) -> Q | None:
    """Editors see drafts too; everyone else taking part sees published issues."""
    if not takes_part(user):
        return None
    return Q() if is_editor(user) else Q(published_at__isnull=False)
