"""The desk's outgoing panel: drafts to review, countersign and sign; for the document office
those to re-check, number, seal, print and dispatch; my drafts."""

from documents.outgoing import selectors
from documents.workflow import is_document_office
from office.roles import BUSINESS_ROLES, has_role


def load(user):
    if not has_role(user, *BUSINESS_ROLES):
        return None
    queues = selectors.desk_queues(user, office=is_document_office(user))
    if not any(queues.values()):
        return {"queues": None}
    return {"queues": queues}
