"""Kind 5: one click, one record. Every form that creates a record carries a one-time token
(``office.once``); the same token sent twice — a double click, the browser's resubmission, a
retry — acts once and answers with the first result; a refused step gives the token back."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentType, IncomingDocument
from office import once
from office.models import AuditEvent, Counter, Submission
from supervision import workflow as sv
from supervision.models import Chase, Event, Item, ProgressReport
from tests.helpers import with_token

pytestmark = pytest.mark.django_db


def _register_data(dp, **extra):
    data = {"sender_name": "市政府办", "sender_number": "", "title": "关于做好元旦春节期间安全工作的通知",
            "doc_type": DocumentType.objects.get(name="通知").pk, "handling": "read", "urgency": "",
            "secrecy": "", "copies": 1, "pages": 2, "received_at": "2026-11-27T10:00",
            "signed_by": dp.clerk.pk}
    data.update(extra)
    return data


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_the_registration_form_posted_twice_without_a_sender_number_registers_once(client, dp):
    client.force_login(dp.clerk)
    data = with_token(_register_data(dp), dp.clerk)
    first = client.post(reverse("documents:new"), data)
    second = client.post(reverse("documents:new"), data)
    doc = IncomingDocument.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == doc.get_absolute_url()
    assert Counter.objects.get(key="incoming", year=2026).value == 1  # no number consumed twice
    assert _messages(second)[-1] == (f"此操作已提交并完成，未重复办理：已登记，收文编号 {doc.number}，"
                                     f"处理时限 {timezone.localtime(doc.due_at):%m-%d %H:%M}。")


def test_two_forms_are_two_registrations(client, dp):
    client.force_login(dp.clerk)
    client.post(reverse("documents:new"), with_token(_register_data(dp), dp.clerk))
    client.post(reverse("documents:new"), with_token(_register_data(dp, title="另一份通知"), dp.clerk))
    assert sorted(IncomingDocument.objects.values_list("serial", flat=True)) == [1, 2]


def test_a_new_item_posted_twice_is_opened_once(client, people):
    client.force_login(people.officer)
    data = with_token({
        "title": "督办春运安全", "requirement": "制定方案并落实。", "source_kind": "other",
        "lead_unit": people.lead.pk, "responsible": people.responsible.pk,
        "supervisor": people.officer.pk,
        "deadline": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        "priority": "normal", "assign_now": "on"}, people.officer)
    responses = [client.post(reverse("supervision:create"), data) for _ in range(3)]
    item = Item.objects.get()
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert {r["Location"] for r in responses} == {item.get_absolute_url()}
    assert Counter.objects.get(key="supervision").value == 1


@pytest.mark.parametrize(("step", "data", "count"), [
    ("chase", {"chase-text": "请于本周五前报送进展"}, lambda item: Chase.objects.filter(item=item).count()),
    ("comment", {"comment-text": "抓紧办理"}, lambda item: item.events.filter(kind=Event.Kind.COMMENT).count()),
])
def test_a_creating_step_posted_twice_creates_one_record(client, people, make_item, step, data, count):
    item = make_item()
    client.force_login(people.officer)
    payload = with_token(data, people.officer)
    first = client.post(reverse("supervision:step", args=[item.pk, step]), payload)
    second = client.post(reverse("supervision:step", args=[item.pk, step]), payload)
    assert first.status_code == second.status_code == 302
    assert count(item) == 1
    assert _messages(second)[-1].startswith("此操作已提交并完成，未重复办理：")


def test_a_chase_posted_twice_consumes_one_chase_number(client, people, make_item):
    item = make_item()
    client.force_login(people.officer)
    payload = with_token({"chase-text": "请抓紧"}, people.officer)
    client.post(reverse("supervision:step", args=[item.pk, "chase"]), payload)
    client.post(reverse("supervision:step", args=[item.pk, "chase"]), payload)
    client.post(reverse("supervision:step", args=[item.pk, "chase"]), with_token({"chase-text": "再催"},
                                                                                 people.officer))
    year = timezone.localdate().year
    assert sorted(Chase.objects.values_list("number", flat=True)) == [f"督催〔{year}〕1号", f"督催〔{year}〕2号"]


def test_progress_with_an_attachment_posted_twice_is_one_report(client, people, make_item, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    item = make_item()
    sv.acknowledge(item=item, acting_user=people.responsible)
    client.force_login(people.responsible)
    token = once.new_token(people.responsible)
    for _ in range(2):
        client.post(reverse("supervision:step", args=[item.pk, "report_progress"]), {
            once.FIELD: token, "report_progress-text": "已排查 12 所学校",
            "report_progress-files": SimpleUploadedFile("进展.pdf", b"%PDF-1.4\n%%EOF\n")})
    assert ProgressReport.objects.filter(item=item).count() == 1


def test_a_document_circulated_twice_by_a_double_click_sends_one_copy_each(client, dp, register_doc):
    doc = register_doc(handling="read", sender_number="")
    client.force_login(dp.clerk)
    payload = with_token({"circulate-readers": [dp.reader.pk, dp.reader2.pk]}, dp.clerk)
    first = client.post(reverse("documents:step", args=[doc.pk, "circulate"]), payload)
    second = client.post(reverse("documents:step", args=[doc.pk, "circulate"]), payload)
    assert first.status_code == second.status_code == 302
    assert doc.circulations.count() == 2
    assert _messages(first) == [f"已送 何秘书、马秘书 传阅 {doc.number}。"]


def test_a_refused_step_gives_its_token_back(client, people, make_item):
    item = make_item()
    client.force_login(people.responsible)
    token = once.new_token(people.responsible)
    url = reverse("supervision:step", args=[item.pk, "request_extension"])
    refused = client.post(url, {once.FIELD: token, "request_extension-new_deadline": item.deadline.isoformat(),
                                "request_extension-reason": "省里批复未到"})
    assert refused.status_code == 409 and "省里批复未到" in refused.content.decode()
    assert not Submission.objects.exists()
    assert AuditEvent.objects.filter(action="supervision.request_extension", result="failure").count() == 1
    later = (item.deadline + dt.timedelta(days=7)).isoformat()
    accepted = client.post(url, {once.FIELD: token, "request_extension-new_deadline": later,
                                 "request_extension-reason": "省里批复未到"})
    assert accepted.status_code == 302
    assert item.extensions.count() == 1


def test_a_form_without_its_token_keeps_what_was_typed_and_does_nothing(client, dp):
    client.force_login(dp.clerk)
    response = client.post(reverse("documents:new"), _register_data(dp, title="没有令牌的登记"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "没有令牌的登记" in page and "无法核验此表单" in page
    assert 'name="_once"' in page  # a fresh token to send it again
    assert not IncomingDocument.objects.exists()


@pytest.mark.parametrize("token", ["", "garbage", "a" * 70])
def test_a_step_with_a_missing_or_forged_token_is_refused_with_the_text_kept(client, people, make_item, token):
    item = make_item()
    client.force_login(people.officer)
    response = client.post(reverse("supervision:step", args=[item.pk, "chase"]),
                           {once.FIELD: token, "chase-text": "催办内容保留"})
    assert response.status_code == 400
    assert "催办内容保留" in response.content.decode()
    assert not Chase.objects.exists()


def test_another_users_token_is_refused(client, people, make_item):
    item = make_item()
    client.force_login(people.officer)
    response = client.post(reverse("supervision:step", args=[item.pk, "chase"]),
                           with_token({"chase-text": "请抓紧"}, people.director))
    assert response.status_code == 400
    assert "其他用户" in response.content.decode()
    assert not Chase.objects.exists()


def test_an_expired_token_is_refused(client, people, make_item, monkeypatch):
    item = make_item()
    token = once.new_token(people.officer)
    monkeypatch.setattr(once, "MAX_AGE", -1)
    client.force_login(people.officer)
    response = client.post(reverse("supervision:step", args=[item.pk, "chase"]),
                           {once.FIELD: token, "chase-text": "请抓紧"})
    assert response.status_code == 400 and "已失效" in response.content.decode()


def _forms_without_token(page: str) -> list[str]:
    import re

    forms = re.findall(r"<form [^>]*method=\"post\".*?</form>", page, flags=re.S)
    return [f[:120] for f in forms if 'name="_once"' not in f
            and 'action="/accounts/logout/"' not in f and 'action="/language/"' not in f]


def test_every_creating_form_of_supervision_carries_a_token(client, people, make_item):
    item = make_item()
    client.force_login(people.officer)
    for url in (reverse("supervision:create"), item.get_absolute_url()):
        assert _forms_without_token(client.get(url).content.decode()) == [], url


def test_every_creating_form_of_documents_carries_a_token(client, dp, register_doc):
    doc = register_doc(handling="read")
    client.force_login(dp.clerk)
    for url in (reverse("documents:new"), doc.get_absolute_url()):
        assert _forms_without_token(client.get(url).content.decode()) == [], url


def test_purge_forgets_only_expired_claims(people):
    from office.tasks import purge_form_tokens

    Submission.objects.create(key="old", user=people.officer,
                              created_at=timezone.now() - dt.timedelta(days=3))
    Submission.objects.create(key="new", user=people.officer)
    assert purge_form_tokens.apply().get() == 1
    assert list(Submission.objects.values_list("key", flat=True)) == ["new"]


# serialized_rollback like the suite's other transactional tests: its teardown then leaves the
# tables empty for the next one to restore (a plain flush re-creates the roles, and the next
# serialized_rollback test could not restore its own copy of them)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_clicks_make_one_registration(dp):
    """Two requests with the same token at the same moment: the second waits for the first
    and finds its result (the unique token, not luck)."""
    from django.test import Client

    data = with_token(_register_data(dp), dp.clerk)
    barrier = threading.Barrier(2)
    statuses = []

    def click():
        client = Client()
        client.force_login(dp.clerk)
        barrier.wait()
        statuses.append(client.post(reverse("documents:new"), data).status_code)
        connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302]
    assert IncomingDocument.objects.count() == 1
    assert Counter.objects.get(key="incoming").value == 1
