import datetime as dt
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from documents import reminders

logger = logging.getLogger(__name__)
# the worker's hard limit for one extraction; past it (plus a margin) a "running" extraction is
# taken to have died with its worker
EXTRACT_HARD_LIMIT = settings.EXTRACT_SECONDS + 60
EXTRACT_MAX_ATTEMPTS = 3


@shared_task
def intake_sweep() -> dict:
    """Periodic: remind about documents still at the intake desk. Safe to run twice."""
    r = reminders.sweep()
    return {"due_soon": r.due_soon, "at_cutoff": r.at_cutoff, "overdue": r.overdue, "held": r.held}


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=3)
def store_routing_slip(document_id: int) -> bool:
    """Render the 收文处理笺 of an archived document and keep it with the document. Does
    nothing when the document vanished or already carries its slip."""
    from documents.models import IncomingDocument
    from documents.printing import routing_slip_pdf

    doc = IncomingDocument.objects.filter(pk=document_id, status="archived").first()
    if doc is None or doc.routing_slip:
        return False
    doc.routing_slip.save(f"{doc.year}-{doc.serial}-收文处理笺.pdf",
                          ContentFile(routing_slip_pdf(doc)), save=False)
    IncomingDocument.objects.filter(pk=doc.pk, routing_slip="").update(routing_slip=doc.routing_slip.name)
    return True


SLIP_GRACE = dt.timedelta(minutes=2)  # the task queued by ``archive`` usually gets there first


@shared_task
def store_missing_routing_slips(limit: int = 50) -> int:
    """Periodic: render the slip of archived documents that have none (the broker was down when
    they were archived, or the task failed). Safe to run twice and beside the queued tasks."""
    from documents.models import IncomingDocument

    ids = list(IncomingDocument.objects.filter(status="archived", routing_slip="",
                                               archived_at__lt=timezone.now() - SLIP_GRACE)
               .order_by("archived_at").values_list("pk", flat=True)[:limit])
    stored = 0
    for pk in ids:
        try:
            stored += bool(store_routing_slip(pk))
        except Exception:  # one bad document must not keep the others waiting
            logger.exception("routing slip of document %s could not be rendered", pk)
    return stored
def _claimable(now: dt.datetime) -> Q:
    stale = now - dt.timedelta(seconds=EXTRACT_HARD_LIMIT)
    return Q(extraction="pending") | Q(extraction="running", extraction_started_at__lt=stale)


@shared_task(soft_time_limit=settings.EXTRACT_SECONDS + 30, time_limit=EXTRACT_HARD_LIMIT)
def extract_attachment_text(attachment_id: int) -> str:
    """Extract the text of a registered attachment within ``documents.extract.Limits``, store it
    with its status and note, and re-index the document for search. Returns the status.

    Safe to run twice: it claims the attachment with a conditional update (only a pending one,
    or one whose extraction died with its worker), so a finished or running extraction is left
    alone; after three attempts that died it is marked failed. Tolerates a vanished attachment."""
    from documents import extract, workflow
    from documents.models import DocumentAttachment, IncomingDocument

    E, Note = DocumentAttachment.Extraction, DocumentAttachment.Note
    now = timezone.now()
    rows = DocumentAttachment.objects.filter(_claimable(now), pk=attachment_id)
    if not rows.filter(extraction_attempts__lt=EXTRACT_MAX_ATTEMPTS).update(
            extraction=E.RUNNING, extraction_started_at=now,
            extraction_attempts=F("extraction_attempts") + 1):
        if rows.update(extraction=E.FAILED, extraction_note=Note.STOPPED):
            return E.FAILED
        return "skipped"
    att = DocumentAttachment.objects.get(pk=attachment_id)
    try:
        with att.file.open("rb") as fh:
            data = fh.read()  # at most the upload limit (documents.workflow.MAX_UPLOAD_BYTES)
        result = extract.extract(att.name, data, att.content_type, extract.Limits.from_settings())
    except SoftTimeLimitExceeded:
        result = extract.Result("", E.FAILED, Note.TIME)
    except OSError:  # the stored file is missing or unreadable
        result = extract.Result("", E.FAILED, Note.DAMAGED)
    with transaction.atomic():
        # the document row is locked so that two attachments finishing at once index both texts
        doc = IncomingDocument.objects.select_for_update().filter(pk=att.document_id).first()
        if doc is None:
            return "skipped"
        if DocumentAttachment.objects.filter(pk=att.pk, extraction=E.RUNNING,
                                             extraction_started_at=now).update(
                text=result.text, extraction=result.status, extraction_note=result.note):
            workflow.reindex(doc)
    return result.status


@shared_task
def extraction_sweep() -> int:
    """Periodic: queue again the extractions that never ran (the broker was down at
    registration) or died with their worker. Safe to run twice: the task claims its work."""
    from documents.models import DocumentAttachment

    ids = list(DocumentAttachment.objects.filter(_claimable(timezone.now()))
               .order_by("pk").values_list("pk", flat=True)[:500])
    for pk in ids:
        extract_attachment_text.delay(pk)
    return len(ids)
