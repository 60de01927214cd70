"""The desk's documents panel: to read, to propose on, to instruct on, to handle."""

from documents import selectors
from office.roles import BUSINESS_ROLES, has_role


def load(user):
    if not has_role(user, *BUSINESS_ROLES):
        return None
    return {"docs": selectors.desk_documents(user)}
