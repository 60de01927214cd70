from celery import shared_task
from django.core.files.base import ContentFile

from documents import reminders


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
