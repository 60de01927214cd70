"""The desk's supervision panel: my open items with their overdue colour."""

from office.roles import BUSINESS_ROLES, has_role, is_business_user
from office.workdays import WorkCalendar
from supervision import selectors


def load(user):
    if not is_business_user(user) or not has_role(user, *BUSINESS_ROLES):
        return None
    items, total = selectors.desk_items(user, cal=WorkCalendar.load())
    shown = total if total < selectors.DESK_COUNT_LIMIT else f"{selectors.DESK_COUNT_LIMIT - 1}+"
    return {"items": items, "total": shown, "level_css": selectors.LEVEL_CSS}
