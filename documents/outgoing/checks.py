"""Rule checks of a draft (条例 第十三–十七条 行文规则, 第九条 format elements, GB/T 9704 7.3):
each finding is an error, which blocks the draft from going on, or a warning, which a reviewer
acknowledges with a reason. Run at drafting (shown), at submission and at review approval
(enforced) by ``documents.outgoing.workflow``.

``facts_of(document)`` takes what the checks need from a saved draft; the checks themselves are
pure functions of those facts, so the drafting form can show them before anything is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from office.gbt9704 import heading_level
from office.models import Unit

ERROR, WARNING = "error", "warning"

# 报告 must not ask for approval (第十五条(四): 不得在报告等非请示性公文中夹带请示事项)
APPROVAL_WORDING = re.compile(
    r"(妥否|当否|可否|是否同意|是否妥当)[，,、\s]*请(予)?(批示|审批|批复|审定|指示)"
    r"|请(予)?(批准|批示|审批|批复|核准)"
    r"|以上(报告|意见)?如(无|有)不妥.{0,6}(批转|批准)"
    r"|特此请示"
)
# one request per 请示 (一文一事): more than one asking sentence suggests several matters
REQUEST_WORDING = re.compile(r"(妥否|当否|可否)[，,、\s]*请(予)?(批示|审批|批复)|请(予)?(批准|批示|审批|核准)|特此请示")
PERSON_MARKERS = re.compile(r"(同志|先生|女士|县长|书记|主任|局长|镇长|乡长|部长|处长|科长|市长|省长)\s*[：:，,]?\s*$|"
                            r"(同志|先生|女士)")
END_PUNCTUATION = "。，、；：！？.,;:!?"
NEEDS_MAIN_RECIPIENT = {"通知", "通报", "报告", "请示", "批复", "意见", "函", "决定"}


@dataclass(frozen=True)
class Finding:
    code: str
    level: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


@dataclass
class DraftFacts:
    doc_type: str
    authority: object  # IssuingAuthority
    title: str = ""
    body: str = ""
    main_units: list = field(default_factory=list)
    main_text: str = ""
    copy_units: list = field(default_factory=list)
    co_issuers: list = field(default_factory=list)  # IssuingAuthority, in order
    attachment_titles: list = field(default_factory=list)
    drafting_unit: Unit | None = None
    superiors: set = field(default_factory=set)  # ids of the authority's direct superiors
    staff_names: set = field(default_factory=set)  # names of people, to refuse a person as 主送


def facts_of(doc, *, staff_names: set | None = None) -> DraftFacts:
    """The facts of a saved draft (a handful of queries)."""
    return DraftFacts(
        doc_type=doc.doc_type.name, authority=doc.authority, title=doc.title, body=doc.body,
        main_units=list(doc.main_recipients.all()), main_text=doc.main_recipients_text,
        copy_units=list(doc.copy_recipients.all()),
        co_issuers=[j.authority for j in doc.joint_issuers.select_related("authority").order_by("order")],
        attachment_titles=[t.strip() for t in doc.attachment_titles.splitlines() if t.strip()],
        drafting_unit=doc.drafting_unit,
        superiors=set(doc.authority.direct_superiors.values_list("pk", flat=True)),
        staff_names=staff_names if staff_names is not None else _staff_names(),
    )


def _staff_names() -> set:
    from office.models import User

    return {n for n in User.objects.filter(is_active=True).exclude(full_name="")
            .values_list("full_name", flat=True) if len(n) >= 2}


def derive_direction(doc_type: str, main_units) -> str:
    """上行/平行/下行 from the main recipients: a superior organ makes it upward; departments and
    townships downward; a 函 is always parallel (不相隶属机关之间)."""
    from documents.outgoing.models import Direction

    if doc_type == "函":
        return Direction.PARALLEL
    kinds = {u.kind for u in main_units}
    if Unit.Kind.SUPERIOR in kinds:
        return Direction.UP
    if kinds and kinds <= {Unit.Kind.DEPARTMENT, Unit.Kind.TOWNSHIP}:
        return Direction.DOWN
    if not kinds:
        return Direction.DOWN if doc_type not in ("请示", "报告") else Direction.UP
    return Direction.PARALLEL


def _recipient_count(f: DraftFacts) -> int:
    named = [p for p in re.split(r"[，,、；;]", f.main_text) if p.strip()]
    return len(f.main_units) + len(named)


def check(f: DraftFacts) -> list[Finding]:
    """Every rule finding of the draft, errors first."""
    out: list[Finding] = []
    t = f.doc_type
    title = (f.title or "").strip()
    body = f.body or ""

    if not title:
        out.append(Finding("title_missing", ERROR, _("The draft needs a title.")))
    else:
        type_name = "令" if t == "命令（令）" else t
        if not title.endswith(type_name):
            out.append(Finding("title_type", ERROR, _("A title ends with its document type: “%(title)s” is a "
                                                      "%(type)s.") % {"title": title, "type": t}))
        if title[-1] in END_PUNCTUATION:
            out.append(Finding("title_punctuation", ERROR, _("A title takes no closing punctuation.")))
    if not body.strip():
        out.append(Finding("body_missing", ERROR, _("The draft has no body text.")))

    direction = derive_direction(t, f.main_units)
    kinds = {u.kind for u in f.main_units}
    if Unit.Kind.SUPERIOR in kinds and kinds & {Unit.Kind.DEPARTMENT, Unit.Kind.TOWNSHIP}:
        out.append(Finding("mixed_direction", ERROR, _("A document to a superior organ cannot be addressed to "
                                                       "subordinate units as well.")))
    if t in NEEDS_MAIN_RECIPIENT and _recipient_count(f) == 0:
        out.append(Finding("no_main_recipient", ERROR, _("A %(type)s needs a main recipient (主送).")
                           % {"type": t}))

    # 第十五条(五): documents go to organs, never to a person
    person = _person_in(f.main_text, f.staff_names)
    if person:
        out.append(Finding("addressed_to_person", ERROR, _("“%(name)s” is a person: documents are addressed to "
                                                           "organs, not to people (条例 第十五条(五)).")
                           % {"name": person}))

    if t == "请示":
        if _recipient_count(f) > 1:
            out.append(Finding("request_one_recipient", ERROR, _("A 请示 has one main recipient (主送一个上级机关, "
                                                                 "第十五条(一)).")))
        if len(REQUEST_WORDING.findall(body)) > 1:
            out.append(Finding("request_one_matter", WARNING, _("This 请示 seems to ask more than once: one "
                                                                "matter per 请示 (一文一事, 第十五条(四)).")))
        if "联系人" not in body and "联系电话" not in body:
            out.append(Finding("request_contact", WARNING, _("A 请示 usually names its contact person and phone "
                                                             "in the note (附注).")))
    if t == "报告" and APPROVAL_WORDING.search(body):
        out.append(Finding("report_asks_approval", ERROR, _("A 报告 asks for no approval (“%(words)s”): make it a "
                                                            "请示, or drop the request (第十五条(四)).")
                           % {"words": APPROVAL_WORDING.search(body).group(0)}))

    if direction == "up":
        superiors_named = [u for u in f.main_units if u.kind == Unit.Kind.SUPERIOR]
        skipped = [u for u in superiors_named if f.superiors and u.pk not in f.superiors]
        if skipped and not any(u.pk in f.superiors for u in f.copy_units):
            out.append(Finding("skips_level", ERROR, _("Addressed to %(unit)s, this skips a level: copy the "
                                                       "direct superior you skip (越级行文, 第十四条).")
                               % {"unit": "、".join(str(u) for u in skipped)}))
        if any(u.kind in (Unit.Kind.DEPARTMENT, Unit.Kind.TOWNSHIP) for u in f.copy_units):
            out.append(Finding("upward_copies_down", WARNING, _("An upward document is not copied to subordinate "
                                                                "units (第十五条(一)).")))

    level = getattr(f.authority, "level", "")
    if f.co_issuers and any(getattr(a, "level", level) != level for a in f.co_issuers):
        out.append(Finding("joint_levels", ERROR, _("Joint issuers must be organs of the same level "
                                                    "(联合行文, 第十七条).")))
    if (f.drafting_unit is not None and f.drafting_unit.kind in (Unit.Kind.DEPARTMENT, Unit.Kind.TOWNSHIP)
            and level in ("government", "office")):
        out.append(Finding("raises_level", WARNING, _("A department's draft issued in the county government's "
                                                      "name: confirm it should not be the department's own "
                                                      "document (不升格、不包揽).")))
    if level == "department" and Unit.Kind.TOWNSHIP in kinds and t in ("通知", "决定", "命令（令）"):
        out.append(Finding("department_directs_township", WARNING, _("A department does not give directive "
                                                                     "documents to township governments "
                                                                     "(第十六条(二)).")))

    for n, name in enumerate(f.attachment_titles, 1):
        if name[-1] in END_PUNCTUATION:
            out.append(Finding(f"attachment_punctuation_{n}", ERROR, _("Attachment %(n)d: an attachment title "
                                                                       "takes no punctuation at its end "
                                                                       "(GB/T 9704 7.3.4).") % {"n": n}))

    last = 0
    for paragraph in body.splitlines():
        level_here = heading_level(paragraph)
        if level_here and level_here > last + 1:
            out.append(Finding("heading_order", WARNING, _("Heading “%(text)s” skips a level: the levels are "
                                                           "一、 （一） 1. （1） in that order.")
                               % {"text": paragraph.strip()[:20]}))
            break
        if level_here:
            last = level_here
    out.sort(key=lambda x: x.level != ERROR)
    return out


def _person_in(text: str, staff_names: set) -> str:
    for part in re.split(r"[，,、；;\s]+", text or ""):
        part = part.strip("：: ")
        if not part:
            continue
        if PERSON_MARKERS.search(part) or part in staff_names:
            return part
    return ""


def errors(findings) -> list[Finding]:
    return [f for f in findings if f.is_error]


def warnings(findings) -> list[Finding]:
    return [f for f in findings if not f.is_error]
