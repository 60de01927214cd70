from celery import shared_task

from meetings import reminders


@shared_task(soft_time_limit=240, time_limit=300)
def reminder_sweep() -> dict:
    """Periodic: plan and send the meeting reminders due now. Safe to run twice or concurrently."""
    result = reminders.sweep()
    return {"planned": result.planned, "sent": result.sent, "skipped": result.skipped}
