"""The desk is the day's work, per role: each queue lists what waits, most urgent first, with its
count on top; notifications that ask for an action resolve when anyone does it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from documents import workflow
from office import roles, selectors
from office.models import Notification, Unit
from tests.factories import UserFactory


def _now_doc(register_doc, **kw):
    kw.setdefault("received_at", timezone.now() - dt.timedelta(minutes=5))
    return register_doc(**kw)


def _queue(page: str, key: str) -> str:
    return page.split(f'data-testid="desk-queue-{key}"')[1].split("</section>")[0]


def _count(page: str, key: str) -> int:
    chip = page.split(f'data-testid="desk-count-{key}"')[1]
    return int(chip.split('zb-desk-count-n">')[1].split("<")[0])


def test_the_clerk_sees_the_intake_queue_most_urgent_first_with_a_register_button(client, dp, register_doc):
    _now_doc(register_doc, title="关于冬季供暖的通知")
    urgent = _now_doc(register_doc, title="关于森林防火的紧急通知", urgency="teji",
                      sender_number="某政办发〔2026〕59号")
    client.force_login(dp.clerk)
    page = client.get("/").content.decode()
    intake = _queue(page, "intake")
    assert intake.count('data-testid="desk-row"') == 2 == _count(page, "intake")
    assert intake.index("关于森林防火的紧急通知") < intake.index("关于冬季供暖的通知")
    assert "特急" in intake
    assert timezone.localtime(urgent.due_at).strftime("%H:%M") in intake
    assert f'href="{reverse("documents:new")}"' in page and "登记收文" in page


def test_a_reader_has_no_intake_queue_and_no_register_button(client, dp, register_doc):
    _now_doc(register_doc)
    client.force_login(dp.reader)
    page = client.get("/").content.decode()
    assert 'desk-queue-intake' not in page
    assert reverse("documents:new") not in page
    assert _count(page, "read") == 0
    assert "传阅给您的文件会出现在这里" in _queue(page, "read")


def test_the_directors_to_propose_notification_resolves_when_another_director_proposes(client, dp, register_doc):
    other = UserFactory(username="director2", full_name="李副主任", roles=[roles.OFFICE_DIRECTOR],
                        unit=dp.director.unit)
    doc = _now_doc(register_doc)
    workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    assert selectors.unread_count(other) == 1
    client.force_login(other)
    page = client.get("/").content.decode()
    assert _count(page, "propose") == 1 and doc.title in _queue(page, "propose")

    workflow.propose(document=doc, acting_user=dp.director, proposal="请王县长阅示。", leaders=[dp.leader])

    note = Notification.objects.get(recipient=other, task=f"doc:{doc.pk}:proposing")
    assert note.resolved_at is not None and note.resolved_by == dp.director and note.read_at is None
    assert selectors.unread_count(other) == 0
    page = client.get("/").content.decode()
    assert _count(page, "propose") == 0
    client.force_login(dp.leader)
    page = client.get("/").content.decode()
    assert _count(page, "instruct") == 1 and doc.title in _queue(page, "instruct")


def test_a_readers_badge_clears_when_she_has_read(client, dp, register_doc):
    doc = _now_doc(register_doc, handling="read")
    workflow.circulate(document=doc, acting_user=dp.clerk, readers=[dp.reader])
    assert selectors.unread_count(dp.reader) == 1
    client.force_login(dp.reader)
    assert _count(client.get("/").content.decode(), "read") == 1
    workflow.read_copy(document=doc, acting_user=dp.reader)
    assert selectors.unread_count(dp.reader) == 0
    assert _count(client.get("/").content.decode(), "read") == 0


def test_a_notification_title_is_shown_in_the_readers_language(dp, register_doc):
    doc = _now_doc(register_doc, handling="read", urgency="teji")
    workflow.circulate(document=doc, acting_user=dp.clerk, readers=[dp.reader])
    note = Notification.objects.get(recipient=dp.reader)
    assert note.title == f"待阅：{doc.title}" or note.title.endswith(doc.title)
    with translation.override("en"):
        assert note.display_title == f"To read: {doc.title}"
    with translation.override("zh-hans"):
        assert note.display_title == note.title


def test_the_liaison_secretary_sees_the_documents_of_her_units(client, dp, register_doc):
    Unit.objects.filter(pk=dp.szfb.pk).update(liaison_secretary=dp.reader)
    doc = _now_doc(register_doc)
    _now_doc(register_doc, sender=dp.czj, sender_number="某财发〔2026〕3号", title="财政局来文")
    client.force_login(dp.reader)
    page = client.get("/").content.decode()
    assert _count(page, "liaison_docs") == 1
    assert doc.title in _queue(page, "liaison_docs") and "财政局来文" not in page


@pytest.mark.parametrize("who", ["clerk", "chief", "director", "leader", "reader", "handler"])
def test_each_desk_runs_the_same_number_of_queries_at_two_data_sizes(client, dp, register_doc, who):
    user = getattr(dp, who)
    Unit.objects.filter(pk=dp.szfb.pk).update(liaison_secretary=dp.reader, liaison_director=dp.director)
    client.force_login(user)
    client.get("/")
    counts = []
    for size in (1, 12):
        for i in range(size):
            n = 100 + len(counts) * 50 + i
            if i % 3 == 2:
                d = _now_doc(register_doc, handling="read", sender_number=f"某政办发〔2026〕{n}号")
                workflow.circulate(document=d, acting_user=dp.clerk, readers=[dp.reader])
                continue
            d = _now_doc(register_doc, sender_number=f"某政办发〔2026〕{n}号")
            if i % 3 == 1:
                workflow.submit_for_proposal(document=d, acting_user=dp.clerk)
                if i % 2:
                    workflow.assign_handling(document=d, acting_user=dp.director, lead_unit=dp.czj,
                                             handler=dp.handler)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts == [DESK_QUERIES[who]] * 2


# The whole desk page, equal with 1 and 12 documents of each kind: the request (session, user,
# roles, badge, session save), the open notifications, then per queue one query (rows and count
# by a window function) plus what is loaded once (document settings, clearance, calendar, reminder
# rules, 归口 units, rules in force), and the meetings and outgoing panels.
# The director and a leader: + 1, the items with an extension request waiting for their decision,
# read first so that "my turn" is plain indexed predicates (supervision.timeliness.awaiting_decision).
DESK_QUERIES = {"clerk": 29, "chief": 32, "director": 39, "leader": 31, "reader": 29, "handler": 26}


def test_in_english_the_desk_shows_english_titles_and_urgency_badges(client, dp, register_doc):
    doc = _now_doc(register_doc, handling="read", urgency="teji", title="关于森林防火的紧急通知")
    workflow.circulate(document=doc, acting_user=dp.clerk, readers=[dp.reader])
    client.force_login(dp.reader)
    client.post("/language/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "To read (传阅)" in page and "Very urgent" in _queue(page, "read")
    assert f"To read: {doc.title}" in page  # the notification, rendered in English
    assert "待阅：" not in page and "特急" not in page


def test_a_leader_edits_the_phrases_offered_on_the_instruction_box(client, dp, register_doc):
    from tests.helpers import with_token

    doc = _now_doc(register_doc)
    workflow.submit_for_proposal(document=doc, acting_user=dp.clerk)
    workflow.propose(document=doc, acting_user=dp.director, proposal="请王县长阅示。", leaders=[dp.leader])
    client.force_login(dp.leader)
    page = client.get(doc.get_absolute_url()).content.decode()
    brief = page.split('data-testid="instruct-brief"')[1].split("</section>")[0]
    assert "请王县长阅示。" in brief and "附件：无" in brief and 'data-insert="同意。"' in brief
    response = client.post(reverse("documents:phrases"),
                           with_token({"phrases": "同意，请财政局牵头办理。\n\n已阅。\n已阅。"}, dp.leader))
    assert response.status_code == 302
    assert list(dp.leader.instruction_phrases.values_list("text", flat=True)) == ["同意，请财政局牵头办理。", "已阅。"]
    brief = client.get(doc.get_absolute_url()).content.decode().split('data-testid="instruct-brief"')[1]
    assert 'data-insert="同意，请财政局牵头办理。"' in brief and 'data-insert="同意。"' not in brief
    client.force_login(dp.reader)
    assert client.get(reverse("documents:phrases")).status_code == 403


def test_the_units_page_shows_whom_it_answers_to(client, dp):
    Unit.objects.filter(pk=dp.czj.pk).update(liaison_secretary=dp.reader, liaison_director=dp.director)
    client.force_login(dp.clerk)
    page = client.get(reverse("office:unit", args=[dp.czj.pk])).content.decode()
    assert "某县财政局" in page
    assert "何秘书" in page.split('data-testid="unit-liaison-secretary"')[1].split("</dd>")[0]
    assert "陈主任" in page.split('data-testid="unit-liaison-director"')[1].split("</dd>")[0]
