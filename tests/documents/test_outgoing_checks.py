"""Rule checks of a draft (条例 第十三–十七条, GB/T 9704 7.3): each with a failing and a passing
example; errors block submission and review, warnings need a reviewer's reason."""

import pytest

from documents.outgoing import checks, workflow
from documents.outgoing.checks import DraftFacts
from documents.outgoing.models import OutgoingStatus
from office.workflow import WorkflowError

pytestmark = pytest.mark.django_db


def facts(og, **kw) -> DraftFacts:
    base = dict(doc_type="通知", authority=og.office, title="某县人民政府办公室关于做好森林防火工作的通知",
                body="一、提高认识\n请认真贯彻执行。", main_units=[og.jyj], superiors={og.city.pk},
                drafting_unit=og.msk, staff_names={"王建国"})
    base.update(kw)
    return DraftFacts(**base)


def codes(findings, level=None):
    return sorted(f.code for f in findings if level is None or f.level == level)


def test_a_clean_notice_has_no_findings(og):
    assert checks.check(facts(og)) == []


@pytest.mark.parametrize(("title", "doc_type", "expected"), [
    ("关于做好森林防火工作的通", "通知", ["title_type"]),
    ("关于做好森林防火工作的通知。", "通知", ["title_punctuation", "title_type"]),
    ("关于某某事项的请示", "请示", []),
    ("某县人民政府令", "命令（令）", []),
    ("关于商请支持的函", "函", []),
])
def test_a_title_ends_with_its_type_and_no_punctuation(og, title, doc_type, expected):
    found = checks.check(facts(og, title=title, doc_type=doc_type, main_units=[og.city],
                               body="联系人：何秘书，电话 1234。妥否，请批示。"))
    assert [c for c in codes(found, "error") if c.startswith("title")] == expected


def test_a_request_has_one_main_recipient(og):
    two = facts(og, doc_type="请示", title="关于拨付经费的请示", main_units=[og.city, og.province],
                body="联系人：何秘书。妥否，请批示。", superiors={og.city.pk, og.province.pk})
    assert "request_one_recipient" in codes(checks.check(two), "error")
    by_name = facts(og, doc_type="请示", title="关于拨付经费的请示", main_units=[og.city], main_text="市财政局",
                    body="联系人：何秘书。妥否，请批示。")
    assert "request_one_recipient" in codes(checks.check(by_name), "error")
    one = facts(og, doc_type="请示", title="关于拨付经费的请示", main_units=[og.city],
                body="联系人：何秘书。妥否，请批示。")
    assert "request_one_recipient" not in codes(checks.check(one))


def test_a_request_asking_twice_is_warned_one_matter_per_request(og):
    twice = facts(og, doc_type="请示", title="关于两件事的请示", main_units=[og.city],
                  body="联系人：何秘书。\n一、请批准修建道路。\n二、请批准增加编制。")
    assert "request_one_matter" in codes(checks.check(twice), "warning")
    once = facts(og, doc_type="请示", title="关于修建道路的请示", main_units=[og.city],
                 body="联系人：何秘书。\n妥否，请批示。")
    assert "request_one_matter" not in codes(checks.check(once))


@pytest.mark.parametrize("wording", ["妥否，请批示。", "当否,请审批", "以上报告如无不妥，请批转各地执行。",
                                     "请予批准。", "特此请示"])
def test_a_report_asks_for_no_approval(og, wording):
    report = facts(og, doc_type="报告", title="关于森林防火工作情况的报告", main_units=[og.city],
                   body=f"今年以来全县未发生森林火灾。{wording}")
    assert "report_asks_approval" in codes(checks.check(report), "error")


def test_a_report_that_only_reports_passes(og):
    report = facts(og, doc_type="报告", title="关于森林防火工作情况的报告", main_units=[og.city],
                   body="今年以来全县未发生森林火灾。特此报告。")
    assert codes(checks.check(report)) == []


def test_skipping_a_level_needs_the_skipped_organ_in_copies(og):
    skipped = facts(og, doc_type="报告", title="关于森林防火工作情况的报告", main_units=[og.province],
                    body="特此报告。")
    assert "skips_level" in codes(checks.check(skipped), "error")
    copied = facts(og, doc_type="报告", title="关于森林防火工作情况的报告", main_units=[og.province],
                   copy_units=[og.city], body="特此报告。")
    assert "skips_level" not in codes(checks.check(copied))


@pytest.mark.parametrize("text", ["王建国", "王县长", "李明同志", "张局长：", "县教育局，赵主任"])
def test_a_document_addressed_to_a_person_is_refused(og, text):
    assert "addressed_to_person" in codes(checks.check(facts(og, main_text=text)), "error")


@pytest.mark.parametrize("text", ["各乡（镇）人民政府，县政府各部门", "县直各单位", "各有关单位"])
def test_collective_names_are_organs(og, text):
    assert "addressed_to_person" not in codes(checks.check(facts(og, main_text=text)))


def test_a_departments_draft_in_the_governments_name_asks_the_reviewer(og):
    found = checks.check(facts(og, drafting_unit=og.jyj))
    assert "raises_level" in codes(found, "warning")
    assert "raises_level" not in codes(checks.check(facts(og, drafting_unit=og.msk)))


def test_joint_issuers_are_of_one_level(og):
    from documents.outgoing.models import AuthorityLevel, IssuingAuthority

    dept = IssuingAuthority.objects.create(name="某县教育局", masthead="某县教育局文件",
                                           level=AuthorityLevel.DEPARTMENT)
    assert "joint_levels" in codes(checks.check(facts(og, co_issuers=[dept])), "error")
    peer = IssuingAuthority.objects.create(name="中共某县委办公室", masthead="中共某县委办公室文件",
                                           level=AuthorityLevel.OFFICE)
    assert "joint_levels" not in codes(checks.check(facts(og, co_issuers=[peer])))


def test_an_upward_document_is_not_copied_down_and_not_addressed_down(og):
    assert "upward_copies_down" in codes(checks.check(facts(
        og, doc_type="报告", title="关于工作的报告", main_units=[og.city], copy_units=[og.jyj], body="特此报告。")),
        "warning")
    assert "mixed_direction" in codes(checks.check(facts(og, main_units=[og.city, og.jyj])), "error")


def test_attachment_titles_take_no_final_punctuation(og):
    assert codes(checks.check(facts(og, attachment_titles=["森林防火责任表。", "联系人名单"])), "error") == [
        "attachment_punctuation_1"]


def test_headings_go_down_one_level_at_a_time(og):
    assert "heading_order" in codes(checks.check(facts(og, body="（一）先写了二级标题\n一、再写一级")), "warning")
    assert "heading_order" not in codes(checks.check(facts(og, body="一、总体要求\n（一）目标\n1.任务\n（1）细则")))


@pytest.mark.parametrize(("doc_type", "units", "direction"), [
    ("函", ["city"], "parallel"), ("请示", ["city"], "up"), ("通知", ["jyj", "town"], "down"),
    ("通知", ["msk"], "parallel"),
])
def test_the_direction_follows_the_main_recipients(og, doc_type, units, direction):
    assert checks.derive_direction(doc_type, [getattr(og, u) for u in units]) == direction


def test_an_error_blocks_submission_and_says_why(og, draft):
    doc = draft(title="某县人民政府办公室关于森林防火的报告", doc_type=og.baogao, main_recipients=[og.city],
                body="今年以来工作顺利。妥否，请批示。")
    with pytest.raises(WorkflowError) as refused:
        workflow.submit(document=doc, acting_user=og.secretary)
    assert "报告" in refused.value.message and refused.value.code == "rule_errors"
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.DRAFT


def test_a_warning_needs_a_reason_before_the_review_passes(og, draft):
    doc = draft(acting_user=og.contact, title="某县人民政府办公室关于做好冬季安全的通知")
    workflow.submit(document=doc, acting_user=og.contact)
    workflow.review(document=doc, acting_user=og.chief)
    with pytest.raises(WorkflowError) as refused:
        workflow.review(document=doc, acting_user=og.director, necessity="须发文")
    assert refused.value.code == "warnings"
    with pytest.raises(WorkflowError) as refused:
        workflow.review(document=doc, acting_user=og.director, necessity="须发文",
                        acknowledgements={"raises_level": "涉及全县各乡镇，须以政府办名义发"})
    assert refused.value.code == "not_raised"
    workflow.review(document=doc, acting_user=og.director, necessity="须发文",
                    acknowledgements={"raises_level": "涉及全县各乡镇，须以政府办名义发"}, confirm_not_raised=True)
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.SIGNING and doc.not_raised_confirmed
    assert list(doc.acknowledged_checks.values_list("code", "reason")) == [
        ("raises_level", "涉及全县各乡镇，须以政府办名义发")]


def test_the_director_records_why_the_document_is_necessary(og, draft):
    doc = draft()
    workflow.submit(document=doc, acting_user=og.secretary)
    workflow.review(document=doc, acting_user=og.chief)
    with pytest.raises(WorkflowError) as refused:
        workflow.review(document=doc, acting_user=og.director, necessity="  ")
    assert refused.value.code == "required"
