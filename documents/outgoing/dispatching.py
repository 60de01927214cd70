"""核发 inside the county office: a document sent to the office's own units is received as a
registered incoming document in one step (its PDF attached, its 发文字号 as the sender's number,
signed for), instead of being typed in again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import DocumentType, Handling, IncomingDocument
from documents.outgoing.models import Distribution, OutgoingEvent
from office import audit
from office.workflow import WorkflowError


def register_as_incoming(*, distribution: Distribution, acting_user) -> IncomingDocument:
    """Register the copy sent to ``distribution.unit`` in the incoming register (收文), by the
    document office, once: a second call is refused with the first registration."""
    from django.core.files.base import ContentFile

    from documents import workflow as incoming

    with transaction.atomic():
        row = Distribution.objects.select_for_update().select_related("document", "document__authority",
                                                                      "document__doc_type", "unit").get(
            pk=distribution.pk)
        doc = row.document
        if not incoming.is_document_office(acting_user):
            audit.record("outgoing.register_incoming", actor=acting_user, obj=doc, result="failure",
                         detail={"reason": "forbidden"})
            raise WorkflowError(_("Only the document office registers incoming documents."), code="forbidden")
        if row.incoming_id:
            raise WorkflowError(_("Already registered as %(number)s.") % {"number": row.incoming.number},
                                code="duplicate", existing=row.incoming)
        if not row.unit.is_internal:
            raise WorkflowError(_("%(unit)s is outside the county office: it registers the document itself.")
                                % {"unit": row.unit}, code="external")
        sender = doc.authority.unit
        if sender is None:
            raise WorkflowError(_("The issuing authority has no unit to appear as the sender."), code="invalid")
        pdf = ContentFile(doc.pdf.open("rb").read(), name=f"{doc.number}.pdf") if doc.pdf else None
        registered = incoming.register(
            acting_user=acting_user, sender=sender, sender_number=doc.number, title=doc.title,
            doc_type=DocumentType.objects.get(pk=doc.doc_type_id), handling=Handling.READ,
            received_at=timezone.now(), signed_by=acting_user, urgency=doc.urgency,
            files=[pdf] if pdf else [])
        row.incoming = registered
        row.signed_for_at = row.signed_for_at or timezone.now()
        row.signed_for_by = row.signed_for_by or acting_user
        row.save(update_fields=["incoming", "signed_for_at", "signed_for_by"])
        OutgoingEvent.objects.create(document=doc, kind=OutgoingEvent.Kind.REGISTERED, actor=acting_user,
                                     to_status=doc.status, data={"incoming": registered.number,
                                                                 "unit": str(row.unit)})
        audit.record("outgoing.register_incoming", actor=acting_user, obj=doc,
                     detail={"incoming": registered.pk})
        return registered
