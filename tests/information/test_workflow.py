"""The item's steps: written, returned with a reason, edited, approved, sent, adopted, withdrawn;
who may take each step; refusals change nothing and are audited."""

import datetime as dt

import pytest
from django.utils import timezone

from office.information import workflow
from office.information.models import Adoption, Item
from office.models import AuditEvent, Notification
from office.workflow import WorkflowError


def test_an_item_goes_from_draft_to_adoption(ip, write):
    item = write()
    assert item.status == "draft"
    workflow.submit_item(item=item, acting_user=ip.a)
    workflow.return_item(item=item, acting_user=ip.reviewer, reason="请核实数据来源。")
    item.refresh_from_db()
    assert (item.status, item.return_reason) == ("returned", "请核实数据来源。")
    assert Notification.objects.filter(recipient=ip.a, title__contains="退回").count() + Notification.objects.filter(
        recipient=ip.a, title__contains="returned").count() == 1
    returned = Notification.objects.get(recipient=ip.a, task=f"info:{item.pk}:returned")
    assert returned.resolved_at is None and returned.message["msgid"] == "Information returned: %(title)s"
    workflow.edit_item(item=item, acting_user=ip.a, title="改后的标题", body="改后的正文", category=ip.category,
                       source="县统计局月报（核实）")
    workflow.submit_item(item=item, acting_user=ip.a)
    returned.refresh_from_db()
    assert returned.resolved_at is not None  # sent again: the return asks for nothing more
    workflow.edit_item(item=item, acting_user=ip.reviewer, title="信息科改定标题", body="改后的正文",
                       category=ip.category, source="县统计局月报（核实）")
    workflow.approve(item=item, acting_user=ip.reviewer)
    sent = workflow.send(item=item, acting_user=ip.reviewer, outlets=[ip.city, ip.province])
    assert [d.outlet for d in sent] == [ip.city, ip.province]
    adoption = workflow.record_adoption(item=item, acting_user=ip.reviewer, outlet=ip.city,
                                        adopted_on=timezone.localdate(), form="summary",
                                        leader_comment="请县发改局跟进。", comment_by="副市长")
    item.refresh_from_db()
    assert (item.status, item.title, adoption.level, adoption.form) == ("sent", "信息科改定标题", 2, "summary")
    assert list(item.events.values_list("action", flat=True)) == [
        "create", "submit", "return_item", "edit", "submit", "edit", "approve", "send", "record_adoption"]


def test_nobody_but_the_information_section_reviews(ip, write):
    item = write(submit=True)
    for user in (ip.a, ip.b, ip.msk_chief, ip.leader):
        with pytest.raises(WorkflowError) as exc:
            workflow.approve(item=item, acting_user=user)
        assert exc.value.code == "forbidden"
    item.refresh_from_db()
    assert item.status == "submitted"
    assert AuditEvent.objects.filter(action="information.approve", result="failure").count() == 4


def test_a_reviewer_cannot_approve_their_own_item(ip, write):
    item = write(ip.reviewer, submit=True)
    with pytest.raises(WorkflowError) as exc:
        workflow.approve(item=item, acting_user=ip.reviewer)
    assert exc.value.code == "duties"


def test_return_needs_a_reason_and_the_author_cannot_edit_while_under_review(ip, write):
    item = write(submit=True)
    with pytest.raises(WorkflowError):
        workflow.return_item(item=item, acting_user=ip.reviewer, reason="  ")
    with pytest.raises(WorkflowError) as exc:
        workflow.edit_item(item=item, acting_user=ip.a, title="x", body="y", category=ip.category, source="z")
    assert exc.value.code == "forbidden"
    item.refresh_from_db()
    assert (item.status, item.title) == ("submitted", "县域工业经济稳中有进")


def test_an_adoption_needs_a_sending_a_past_date_and_is_recorded_once(ip, write):
    item = write(submit=True)
    workflow.approve(item=item, acting_user=ip.reviewer)
    workflow.send(item=item, acting_user=ip.reviewer, outlets=[ip.city])
    today = timezone.localdate()
    for outlet, day, code in ((ip.province, today, "invalid"), (ip.city, today + dt.timedelta(days=1), "invalid"),
                              (ip.city, today - dt.timedelta(days=3), "invalid")):
        with pytest.raises(WorkflowError) as exc:
            workflow.record_adoption(item=item, acting_user=ip.reviewer, outlet=outlet, adopted_on=day, form="full")
        assert exc.value.code == code
    workflow.record_adoption(item=item, acting_user=ip.reviewer, outlet=ip.city, adopted_on=today, form="full")
    with pytest.raises(WorkflowError) as exc:
        workflow.record_adoption(item=item, acting_user=ip.reviewer, outlet=ip.city, adopted_on=today, form="full")
    assert exc.value.code == "duplicate"
    assert Adoption.objects.count() == 1


def test_a_withdrawal_needs_a_reason_and_then_the_outlet_may_adopt_again(ip, adopt):
    adoption = adopt(ip.a, ip.city, timezone.localdate())
    with pytest.raises(WorkflowError):
        workflow.withdraw_adoption(item=adoption.item, acting_user=ip.reviewer, adoption=adoption, reason="")
    workflow.withdraw_adoption(item=adoption.item, acting_user=ip.reviewer, adoption=adoption, reason="误录")
    with pytest.raises(WorkflowError):
        workflow.withdraw_adoption(item=adoption.item, acting_user=ip.reviewer, adoption=adoption, reason="again")
    workflow.record_adoption(item=adoption.item, acting_user=ip.reviewer, outlet=ip.city,
                             adopted_on=timezone.localdate(), form="full")
    assert list(Adoption.objects.order_by("pk").values_list("withdrawal_reason", flat=True)) == ["误录", ""]


def test_only_secretaries_write(ip):
    for user in (ip.director, ip.leader, ip.clerk, ip.msk_chief):
        with pytest.raises(WorkflowError):
            workflow.create_item(acting_user=user, title="t", body="b", category=ip.category, source="s")
    assert Item.objects.count() == 0
