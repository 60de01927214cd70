from celery import shared_task


@shared_task
def weekly_summaries() -> int:
    """Daily: the weekly summary to each county leader who has not had this ISO week's
    (``office.dashboard.weekly``). Safe to run twice."""
    from office.dashboard.weekly import send_weekly_summaries

    return send_weekly_summaries()
