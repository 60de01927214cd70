"""The desk's documents panel: to read, to propose on, to instruct on, to handle."""

from documents import selectors
from office.roles import BUSINESS_ROLES, has_role, is_business_user


def load(user):
    if not is_business_user(user) or not has_role(user, *BUSINESS_ROLES):
        return None
    return {"docs": selectors.desk_documents(user)}
