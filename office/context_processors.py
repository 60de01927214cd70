from django.conf import settings

from office import desk, selectors
from office.roles import ADMIN_ROLES, role_label, user_roles


def office(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"office_name": "政办"}
    roles = user_roles(user)
    return {
        "nav_items": desk.nav_for(user),
        "unread_count": selectors.unread_count(user),
        "my_roles": [role_label(r) for r in sorted(roles)],
        "is_admin_account": bool(roles & set(ADMIN_ROLES)),
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
