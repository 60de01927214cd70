import datetime as dt
import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from documents import reminders

logger = logging.getLogger(__name__)


@shared_task
def intake_sweep() -> dict:
    """Periodic: remind about documents still at the intake desk. Safe to run twice."""
    r = reminders.sweep()
    return {"due_soon": r.due_soon, "at_cutoff": r.at_cutoff, "overdue": r.overdue}


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
