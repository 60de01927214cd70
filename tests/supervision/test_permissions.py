"""Who may see and do what, for every persona: refused requests change nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from supervision import workflow
from supervision.models import Event, Item, Status
from tests.helpers import with_token

PERSONAS = ["responsible", "co_member", "head", "officer", "leader", "director", "clerk"]


def snapshot(item):
    item = Item.objects.get(pk=item.pk)
    return (item.status, item.deadline, item.result, item.lead_unit_id, item.responsible_id,
            Event.objects.filter(item=item).count(), item.extensions.count())


@pytest.mark.parametrize(("persona", "detail", "listed_in_all"), [
    ("responsible", 200, True), ("co_member", 200, True), ("head", 200, True),
    ("officer", 200, True), ("leader", 200, True), ("director", 200, True), ("clerk", 404, False),
])
def test_who_sees_the_item(client, people, make_item, persona, detail, listed_in_all):
    item = make_item()
    client.force_login(getattr(people, persona))
    assert client.get(reverse("supervision:detail", args=[item.pk])).status_code == detail
    page = client.get(reverse("supervision:list") + "?scope=all").content.decode()
    assert (item.title in page) is listed_in_all


@pytest.mark.parametrize(("persona", "status"), [
    ("responsible", 403), ("co_member", 403), ("head", 403), ("officer", 200), ("leader", 403),
    ("director", 200), ("clerk", 403),
])
def test_who_opens_items(client, people, persona, status):
    client.force_login(getattr(people, persona))
    assert client.get(reverse("supervision:create")).status_code == status


@pytest.mark.parametrize(("persona", "status"), [
    ("responsible", 403), ("officer", 200), ("leader", 200), ("director", 200), ("clerk", 403),
])
def test_who_reads_the_report(client, people, persona, status):
    client.force_login(getattr(people, persona))
    assert client.get(reverse("supervision:report")).status_code == status


# step -> (the personas allowed, how to bring a fresh item to where the step is possible, POST data)
def _acknowledged(p, item):
    workflow.acknowledge(item=item, acting_user=p.responsible)


def _reported(p, item):
    _acknowledged(p, item)
    workflow.report_result(item=item, acting_user=p.responsible, result="已完成。")


def _disputed(p, item):
    workflow.dispute(item=item, acting_user=p.responsible, reason="非本单位职责")


# within the five-year bound (a module constant: the real date, Beijing time, at import)
IN_A_YEAR = (dt.datetime.now(tz=dt.timezone(dt.timedelta(hours=8))).date()
             + dt.timedelta(days=365)).isoformat()


def _extension_pending(p, item):
    workflow.request_extension(item=item, acting_user=p.responsible,
                               new_deadline=item.deadline + dt.timedelta(days=9), reason="需要时间")


STEPS = {
    "acknowledge": ({"responsible"}, None, {}),
    "dispute": ({"responsible", "head"}, None, {"dispute-text": "不属于本单位"}),
    "report_progress": ({"responsible", "head"}, _acknowledged, {"report_progress-text": "进展"}),
    "report_result": ({"responsible"}, _acknowledged, {"report_result-result": "结果"}),
    "accept": ({"officer", "director"}, _reported, {}),
    "return": ({"officer", "director"}, _reported, {"return-text": "请补充"}),
    "request_extension": ({"responsible"}, None, {"request_extension-new_deadline": IN_A_YEAR,
                                                  "request_extension-reason": "需要时间"}),
    "decide_extension": ({"leader", "director"}, _extension_pending, {"decide_extension-approve": "yes"}),
    "chase": ({"officer", "director"}, None, {"chase-text": "请抓紧"}),
    "comment": ({"leader", "officer", "director"}, None, {"comment-text": "意见"}),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("step", sorted(STEPS))
def test_step_permission_matrix(client, people, make_item, step, persona):
    allowed, prepare, data = STEPS[step]
    item = make_item()
    if prepare:
        prepare(people, item)
    before = snapshot(item)
    user = getattr(people, persona)
    client.force_login(user)
    response = client.post(reverse("supervision:step", args=[item.pk, step]), with_token(data, user))
    if persona in allowed:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert snapshot(item) != before
    else:
        assert response.status_code in (404, 409)
        assert response.status_code == (404 if persona == "clerk" else 409)
        assert snapshot(item) == before


def test_reassign_is_the_offices(client, people, make_item):
    item = make_item()
    _disputed(people, item)
    data = {"reassign-lead_unit": people.lead.pk, "reassign-responsible": people.head.pk}
    client.force_login(people.head)
    before = snapshot(item)
    assert client.post(reverse("supervision:step", args=[item.pk, "reassign"]),
                       with_token(data, people.head)).status_code == 409
    assert snapshot(item) == before
    client.force_login(people.officer)
    assert client.post(reverse("supervision:step", args=[item.pk, "reassign"]),
                       with_token(data, people.officer)).status_code == 302
    assert Item.objects.get(pk=item.pk).responsible == people.head


def test_the_page_offers_only_the_steps_the_user_may_take(client, people, make_item):
    item = make_item()
    client.force_login(people.responsible)
    page = client.get(reverse("supervision:detail", args=[item.pk])).content.decode()
    assert 'data-step="acknowledge"' in page and 'data-step="accept"' not in page
    client.force_login(people.clerk)
    assert client.get(reverse("supervision:detail", args=[item.pk])).status_code == 404


def test_a_refused_step_keeps_what_the_user_typed(client, people, make_item):
    item = make_item()
    client.force_login(people.responsible)
    # progress before acknowledging: refused with the reason, the text stays in the form
    response = client.post(reverse("supervision:step", args=[item.pk, "request_extension"]), with_token({
        "request_extension-new_deadline": item.deadline.isoformat(),
        "request_extension-reason": "因省里批复未到需要延期"}, people.responsible))
    page = response.content.decode()
    assert response.status_code == 409
    assert "因省里批复未到需要延期" in page
    assert Item.objects.get(pk=item.pk).extensions.count() == 0


def test_an_invalid_form_is_a_400_with_field_errors_not_a_500(client, people, make_item):
    item = make_item()
    client.force_login(people.responsible)
    response = client.post(reverse("supervision:step", args=[item.pk, "request_extension"]),
                           {"request_extension-new_deadline": "not a date",
                            "request_extension-reason": "理由在此"})
    assert response.status_code == 400
    assert "理由在此" in response.content.decode()
    assert Item.objects.get(pk=item.pk).status == Status.ASSIGNED


def test_an_unknown_step_is_a_404(client, people, make_item):
    item = make_item()
    client.force_login(people.officer)
    assert client.post(reverse("supervision:step", args=[item.pk, "explode"])).status_code == 404


@pytest.mark.parametrize(("persona", "status"), [
    ("responsible", 200), ("head", 200), ("officer", 200), ("leader", 200), ("clerk", 404),
])
def test_who_prints_the_chase_notice(client, people, make_item, persona, status):
    item = make_item()
    chase = workflow.chase(item=item, acting_user=people.officer, note="请抓紧办理")
    client.force_login(getattr(people, persona))
    response = client.get(reverse("supervision:chase_pdf", args=[chase.pk]))
    assert response.status_code == status
    if status == 200:
        assert response.content.startswith(b"%PDF")


def test_the_ledger_exports_only_what_the_user_may_see(client, people, make_item):
    import io

    import openpyxl

    make_item()
    client.force_login(people.clerk)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(  # streamed
        client.get(reverse("supervision:ledger") + "?scope=all").streaming_content))).active
    assert "落实学校安全隐患排查" not in [c for row in sheet.iter_rows(values_only=True) for c in row]


@pytest.mark.parametrize(("persona", "status"), [("officer", 200), ("co_member", 200), ("clerk", 404)])
def test_attachments_are_served_only_to_those_who_see_the_item(client, people, make_item, settings,
                                                                tmp_path, persona, status):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    item = make_item()
    workflow.acknowledge(item=item, acting_user=people.responsible)
    report = workflow.report_progress(item=item, acting_user=people.responsible, text="见附件",
                                      files=[SimpleUploadedFile("整改台账.pdf", b"%PDF-1.4 test")])
    att = report.attachments.get()
    client.force_login(getattr(people, persona))
    response = client.get(reverse("supervision:attachment", args=[att.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_an_upload_of_a_forbidden_type_is_refused_with_a_message(client, people, make_item, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    item = make_item()
    workflow.acknowledge(item=item, acting_user=people.responsible)
    client.force_login(people.responsible)
    response = client.post(reverse("supervision:step", args=[item.pk, "report_progress"]), {
        "report_progress-text": "见附件", "report_progress-files": SimpleUploadedFile("run.exe", b"MZ")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "run.exe" in page and "见附件" in page
    assert item.progress_reports.count() == 0
