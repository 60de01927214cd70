"""The desk's document queues, per role (``office.desk.register_queues``): the document office's
intake desk and what waits for it after 批办 and 承办; a director's documents to propose on; a
leader's documents to instruct; a handler's documents; a reader's copies; the documents in
flight of the units a secretary or deputy director answers for (归口). Most urgent first: by the
same-day due time (``IncomingDocument.due_at``, from ``office.workdays``) or the handling
deadline. One query per queue (plus the document settings and the classified clearance, once)."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import IncomingDocument, Instruction, Status
from office import roles
from office.desk import DeskQueue, DeskRow, take

S = Status
OFFICE_AFTER_INSTRUCTION = (S.INSTRUCTED, S.RESULT, S.REPLIED, S.CLOSED)
NEXT_STEP = {  # the document office's next step in each status it holds the document in
    S.REGISTERED: gettext_lazy("Review (初审)"),
    S.INSTRUCTED: gettext_lazy("Assign handling"),
    S.RESULT: gettext_lazy("Record the reply"),
    S.REPLIED: gettext_lazy("Close"),
    S.CLOSED: gettext_lazy("Archive"),
}
IN_FLIGHT = (S.REGISTERED, S.CIRCULATING, S.PROPOSING, S.INSTRUCTING, S.INSTRUCTED, S.HANDLING,
             S.RESULT, S.REPLIED)


def _row(doc, action, *, due=None) -> DeskRow:
    return DeskRow(title=doc.public_title, url=doc.get_absolute_url(),
                   meta=f"{doc.number} · {doc.sender}", due=due if due is not None else doc.due_at,
                   urgency=doc.get_urgency_display() if doc.urgency else "", action=str(action))


def queues(ctx) -> list[DeskQueue]:
    from documents.models import DocumentSettings
    from documents.workflow import may_see_classified

    user, limit = ctx.user, ctx.LIMIT
    conf = DocumentSettings.load()
    base = IncomingDocument.objects.all() if may_see_classified(user) else IncomingDocument.objects.filter(secrecy="")
    base = base.select_related("sender")
    board, register = reverse("documents:board"), reverse("documents:register")
    found = []
    in_office = bool(conf.office_unit_id and user.unit_id == conf.office_unit_id)
    if in_office:
        rows, count = take(base.filter(status=S.REGISTERED).order_by("due_at", "pk"), limit)
        found.append(DeskQueue(
            "intake", _("At the intake desk"), [_row(d, NEXT_STEP[S.REGISTERED]) for d in rows], count,
            _("Documents registered and waiting for 初审 appear here, the most urgent first."),
            more_url=board, order=10, actions=[(_("Register incoming document"), reverse("documents:new"))]))
        rows, count = take(base.filter(status__in=OFFICE_AFTER_INSTRUCTION)
                           .order_by("handling_deadline", "due_at", "pk"), limit)
        found.append(DeskQueue(
            "office", _("Back with the document office"),
            [_row(d, NEXT_STEP[d.status], due=d.handling_deadline or d.due_at) for d in rows], count,
            _("Documents instructed and waiting for 承办, results to reply to, and documents to close "
              "or archive appear here."), more_url=register, order=15))
    if ctx.has(roles.OFFICE_DIRECTOR):
        rows, count = take(base.filter(status=S.PROPOSING).order_by("due_at", "pk"), limit)
        found.append(DeskQueue(
            "propose", _("To propose (拟办)"), [_row(d, _("Propose")) for d in rows], count,
            _("Documents that passed 初审 and wait for your 拟办 appear here."),
            more_url=f"{register}?status={S.PROPOSING}", order=20))
    if ctx.has(roles.COUNTY_LEADER, roles.OFFICE_DIRECTOR):
        my_turn = Instruction.objects.filter(document=OuterRef("pk"), leader=user,
                                             instructed_at__isnull=True).exclude(
            Exists(Instruction.objects.filter(document=OuterRef("document"), instructed_at__isnull=True,
                                              order__lt=OuterRef("order"))))
        rows, count = take(base.filter(status=S.INSTRUCTING).filter(Exists(my_turn))
                           .order_by("due_at", "pk"), limit)
        if count or ctx.has(roles.COUNTY_LEADER):
            found.append(DeskQueue(
                "instruct", _("To instruct (批示)"), [_row(d, _("Instruct")) for d in rows], count,
                _("Documents the office proposes for your instruction appear here."), order=22))
    rows, count = take(base.filter(handler=user, status=S.HANDLING).order_by("handling_deadline", "pk"), limit)
    if count or ctx.has(roles.UNIT_CONTACT, roles.SECRETARY):
        queue_rows = []
        for d in rows:
            row = _row(d, _("Record the result"), due=d.handling_deadline)
            row.provisional = d.handling_deadline_provisional
            queue_rows.append(row)
        found.append(DeskQueue(
            "handle", _("To handle (承办)"), queue_rows, count,
            _("Documents assigned to you to handle appear here, with their deadline."), order=30))
    rows, count = take(base.filter(circulations__reader=user, circulations__sent_at__isnull=False,
                                   circulations__read_at__isnull=True, circulations__recalled_at__isnull=True,
                                   circulations__lapsed_at__isnull=True)
                       .exclude(status=S.ARCHIVED).order_by("due_at", "pk"), limit)
    found.append(DeskQueue(
        "read", _("To read (传阅)"), [_row(d, _("Read it")) for d in rows], count,
        _("Copies sent to you to read appear here; they leave when you mark them read."), order=40))
    if ctx.liaison_unit_ids:
        units = ctx.liaison_unit_ids
        rows, count = take(base.filter(status__in=IN_FLIGHT)
                           .filter(Q(lead_unit_id__in=units) | Q(sender_id__in=units))
                           .order_by("due_at", "pk"), limit)
        found.append(DeskQueue(
            "liaison_docs", _("Documents of my units (归口)"),
            [_row(d, _("Open")) for d in rows], count,
            _("Documents in flight that your units sent or handle appear here."), order=60))
    return found
