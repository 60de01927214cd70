"""The same-day clock: due times, the board and the intake reminders."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from documents import reminders, selectors, workflow
from documents.models import IncomingDocument
from office.models import Notification

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.mark.parametrize(("received", "urgency", "due"), [
    (at(2026, 3, 2, 10), "", at(2026, 3, 2, 17, 30)),          # Monday morning: same day
    (at(2026, 3, 2, 16, 5), "", at(2026, 3, 3, 17, 30)),       # after the 16:00 cutoff
    (at(2026, 3, 6, 16, 30), "", at(2026, 3, 9, 17, 30)),      # Friday after cutoff → Monday
    (at(2026, 3, 7, 11), "", at(2026, 3, 9, 17, 30)),          # Saturday → Monday
    (at(2026, 9, 30, 15), "", at(2026, 9, 30, 17, 30)),        # before National Day
    (at(2026, 9, 30, 16, 30), "", at(2026, 10, 8, 17, 30)),    # after cutoff → after the holiday
    (at(2026, 10, 10, 9), "", at(2026, 10, 10, 17, 30)),       # Saturday make-up workday
    (at(2026, 3, 2, 10), "teti", at(2026, 3, 2, 10, 30)),      # 特提 30 minutes
    (at(2026, 3, 2, 17), "teji", at(2026, 3, 2, 18)),          # 特急 60 clock minutes (duty room)
    (at(2026, 3, 6, 17), "jiaji", at(2026, 3, 9, 10)),         # 加急 120 across the weekend
    (at(2026, 2, 13, 17), "pingji", at(2026, 2, 14, 12, 0)),   # 平急 240 onto the make-up Saturday
    (at(2026, 9, 30, 17, 40), "teji", at(2026, 9, 30, 18, 40)),  # 特急 on the eve of National Day
    (at(2026, 10, 1, 9), "teji", at(2026, 10, 1, 10)),         # 特急 on a holiday: round the clock
    (at(2026, 10, 1, 9), "jiaji", at(2026, 10, 8, 10, 30)),    # 加急 on a holiday: office time
])
def test_due_time(db, received, urgency, due):
    assert workflow.due_time(received, urgency) == due


def test_the_urgency_limits_are_admin_data(db):
    from documents.models import UrgencyRule

    UrgencyRule.objects.filter(urgency="teji").update(minutes=15)
    assert workflow.due_time(at(2026, 3, 2, 10), "teji") == at(2026, 3, 2, 10, 15)


def test_board_counts(dp, register_doc):
    now = at(2026, 11, 27, 15)
    on_time = register_doc(sender_number="A〔2026〕1号", received_at=at(2026, 11, 27, 9))
    late = register_doc(sender_number="A〔2026〕2号", received_at=at(2026, 11, 27, 9, 30), urgency="teji")
    pending = register_doc(sender_number="A〔2026〕3号", received_at=at(2026, 11, 27, 10))
    overdue = register_doc(sender_number="A〔2026〕4号", received_at=at(2026, 11, 27, 11), urgency="teti",
                           is_telegram=True)
    old = register_doc(sender_number="A〔2026〕5号", received_at=at(2026, 11, 20, 9))
    IncomingDocument.objects.filter(pk=on_time.pk).update(cleared_at=at(2026, 11, 27, 9, 20), status="circulating")
    IncomingDocument.objects.filter(pk=late.pk).update(cleared_at=at(2026, 11, 27, 14), status="proposing")
    IncomingDocument.objects.filter(pk=old.pk).update(cleared_at=at(2026, 11, 20, 10), status="circulating")
    board = selectors.board(dp.clerk, office=True, now=now)
    assert (board.received, board.cleared, board.cleared_on_time) == (4, 2, 1)
    assert [d.pk for d in board.pending] == [overdue.pk, pending.pk]
    assert board.overdue == 1 and board.pending[0].minutes_late == 210
    assert board.rate_today == 25.0
    assert (board.received_30, board.cleared_on_time_30, board.rate_30) == (5, 2, 40.0)


@pytest.mark.parametrize("extra", [0, 25])
def test_board_page_query_count_is_fixed(client, dp, register_doc, django_assert_num_queries, extra):
    for i in range(2 + extra):
        register_doc(sender_number=f"B〔2026〕{i + 1}号", received_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(dp.clerk)
    client.get("/documents/board/")
    # session, user, roles, document settings; visible (classified perm: 2); the aggregate, the
    # pending list; header roles/unread/unit; session save (3)
    with django_assert_num_queries(13):
        page = client.get("/documents/board/").content.decode()
    assert page.count('data-testid="pending-row"') == 2 + extra


@pytest.mark.parametrize("extra", [0, 25])
def test_register_page_query_count_is_fixed(client, dp, register_doc, django_assert_num_queries, extra):
    for i in range(2 + extra):
        register_doc(sender_number=f"C〔2026〕{i + 1}号")
    client.force_login(dp.clerk)
    client.get("/documents/")
    # session, user, roles, document settings, permissions (2), count (bounded), page, the
    # filter's types (its units are cached: office.selectors.unit_choices), header (roles cached)
    # unread and unit, session save (3)
    with django_assert_num_queries(14):
        page = client.get("/documents/").content.decode()
    assert page.count('data-testid="doc-row"') == 2 + extra


def test_intake_reminders_are_sent_once(dp, register_doc):
    urgent = register_doc(sender_number="D〔2026〕1号", urgency="teji", received_at=at(2026, 11, 27, 9))
    ordinary = register_doc(sender_number="D〔2026〕2号", received_at=at(2026, 11, 27, 9))
    # 09:50: the 特急 document is due at 10:00 — within 15 minutes
    r = reminders.sweep(now=at(2026, 11, 27, 9, 50))
    assert (r.due_soon, r.at_cutoff, r.overdue) == (1, 0, 0)
    assert reminders.sweep(now=at(2026, 11, 27, 9, 55)).due_soon == 1
    soon = Notification.objects.filter(kind="documents-due")
    assert sorted(soon.values_list("recipient__username", flat=True)) == ["chief", "clerk"]
    # 16:10: past the cutoff, the ordinary one is still at the desk; the urgent one is overdue
    r = reminders.sweep(now=at(2026, 11, 27, 16, 10))
    assert (r.at_cutoff, r.overdue) == (1, 1)
    reminders.sweep(now=at(2026, 11, 27, 16, 40))
    assert Notification.objects.filter(kind="documents-cutoff").count() == 2  # clerk + chief, once
    assert list(Notification.objects.filter(kind="documents-overdue")
                .values_list("recipient__username", flat=True)) == ["director"]
    # cleared documents are left alone
    workflow.return_to_sender(document=ordinary, acting_user=dp.clerk, reason="format")
    workflow.submit_for_proposal(document=urgent, acting_user=dp.clerk)
    assert reminders.sweep(now=at(2026, 11, 27, 17)).overdue == 0
