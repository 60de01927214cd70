from celery import shared_task

from supervision import reminders


@shared_task(soft_time_limit=600, time_limit=900)
def reminder_sweep() -> dict:
    """Periodic: plan and send the reminders due today. Safe to run twice or concurrently."""
    result = reminders.sweep()
    return {"planned": result.planned, "sent": result.sent, "skipped": result.skipped}
