from celery import shared_task

from office import notify


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    """Send one notification's e-mail. Safe to run twice: the row is claimed first."""
    return notify.deliver_email(notification_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Send a batch of notification e-mails; each is claimed first, so a retry sends none twice."""
    return sum(1 for pk in notification_ids if notify.deliver_email(pk))


@shared_task
def resend_pending_email() -> int:
    """Periodic: requeue e-mails a dead worker left unsent."""
    ids = notify.pending_email_ids()
    for pk in ids:
        send_notification_email.delay(pk)
    return len(ids)


@shared_task
def purge_form_tokens() -> int:
    """Daily: forget one-time form tokens that can no longer be presented (office.once)."""
    from office import once

    return once.purge()


@shared_task
def calendar_coverage_notice() -> int:
    """Daily: tell the system administrators about a year missing from the working-day
    calendar (from 1 November of the year before). Deduplicated: safe to run twice."""
    from office.calendar_years import notify_missing

    return notify_missing()
