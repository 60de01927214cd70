"""The demo office looks real: documents arrive on working days in office hours and are
numbered in the order received, timelines spread over days, no item is closed today thirty
days late, and Chinese rule texts use full-width punctuation."""

import re

from django.utils import timezone

from documents.models import DocumentEvent, IncomingDocument
from office.models import OfficeSettings, Post, RuleVersion
from office.workdays import WorkCalendar
from supervision import demo as supervision_demo
from supervision.models import Event, Item

HALF_WIDTH_BESIDE_CHINESE = re.compile(r"(?<=[\u3400-\u9fff])[,;:?!()]|[,;:?!()](?=[\u3400-\u9fff])")


def in_office_hours(moment, cal, hours) -> bool:
    local = timezone.localtime(moment)
    return cal.is_working_day(local.date()) and hours.work_starts <= local.time() <= hours.work_ends


def test_documents_arrive_in_office_hours_and_are_numbered_in_the_order_received(demo_office):
    cal, hours = WorkCalendar.load(), OfficeSettings.load()
    docs = list(IncomingDocument.objects.order_by("received_at"))

    assert len(docs) == 7
    assert [d.received_at for d in docs if not in_office_hours(d.received_at, cal, hours)] == []
    serials = [d.serial for d in docs]
    assert serials == sorted(serials)


def test_timelines_happen_in_office_hours_over_several_days(demo_office):
    cal, hours = WorkCalendar.load(), OfficeSettings.load()
    # the demo's own documents and items (meeting decisions become items on the meetings' days)
    item_events = Event.objects.filter(item__title__in=[row[0] for row in supervision_demo.DEMO])
    events = list(DocumentEvent.objects.all()) + list(item_events)

    assert [e.pk for e in events if not in_office_hours(e.created_at, cal, hours)] == []
    handled = IncomingDocument.objects.get(title="关于申请追加义务教育薄弱环节改善资金的请示")
    days = {timezone.localtime(e.created_at).date() for e in handled.events.all()}
    assert len(days) >= 2
    item_days = {timezone.localtime(e.created_at).date() for e in item_events}
    assert len(item_days) >= 10


def test_no_item_is_closed_today_and_the_late_one_was_late_by_days_not_a_month(demo_office):
    today = timezone.localdate()
    closed = list(Item.objects.filter(closed_at__isnull=False))
    late = Item.objects.get(title="清理拖欠中小企业账款")

    assert len(closed) == 2
    assert [i.title for i in closed if timezone.localtime(i.closed_at).date() == today] == []
    assert late.closing == "late"
    assert 1 <= WorkCalendar.load().working_days_between(late.deadline, timezone.localtime(late.closed_at).date()) <= 5


def test_chinese_rule_texts_use_full_width_punctuation(demo_office):
    texts = [(v.title, v.body) for v in RuleVersion.objects.all()] + [(p.name, p.duties) for p in Post.objects.all()]

    assert [(title, m.group(0)) for title, body in texts for m in HALF_WIDTH_BESIDE_CHINESE.finditer(body)] == []
