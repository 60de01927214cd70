"""The desk's meetings panel: my meetings in the next two weeks (and whether I still owe an
answer), topics waiting for my screening, meetings waiting for my approval, summaries to review
or sign off, materials of my coming meetings I have not opened yet."""

from meetings import selectors
from office.roles import BUSINESS_ROLES, has_role


def load(user):
    if not has_role(user, *BUSINESS_ROLES):
        return None
    return selectors.desk(user)
