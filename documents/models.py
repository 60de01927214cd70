"""Incoming documents (收文) and their handling: registration, initial review, circulation,
proposal, instructions, handling, reply, archive. The workflow is in ``documents.workflow``;
read queries in ``documents.selectors``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from office.dates import EARLIEST, EARLIEST_MOMENT, LATEST, LATEST_MOMENT
from office.docnumbers import number_key
from office.models import SingletonSettings, TimelineEvent, Unit


class DocumentType(models.Model):
    """文种: the 15 statutory types (党政机关公文处理工作条例 第八条) and other kinds as data."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    is_statutory = models.BooleanField(_("statutory type"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["-is_statutory", "order", "name"]

    def __str__(self) -> str:
        return self.name


class Urgency(models.TextChoices):
    # English msgids (with a context) so that English mode shows English badges; Chinese: 平急 ...
    NONE = "", _("Ordinary (平件)")
    PINGJI = "pingji", pgettext_lazy("urgency", "Routine urgent (telegram)")
    JIAJI = "jiaji", pgettext_lazy("urgency", "Urgent")
    TEJI = "teji", pgettext_lazy("urgency", "Very urgent")
    TETI = "teti", pgettext_lazy("urgency", "Flash (telegram)")


DOCUMENT_URGENCIES = {Urgency.NONE, Urgency.JIAJI, Urgency.TEJI}
# 电信公文随到随办: a telegram always carries one of the four telegram urgencies
TELEGRAM_URGENCIES = {Urgency.PINGJI, Urgency.JIAJI, Urgency.TEJI, Urgency.TETI}


class UrgencyRule(models.Model):
    """Minutes to clear an urgent document, by urgency (edited in admin): office minutes
    (working days, office hours), or clock minutes round the clock for the urgencies the duty
    room (值班室) handles on holidays and at night (特提 and 特急 by default)."""

    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, unique=True)
    minutes = models.PositiveIntegerField(_("working minutes to clear"))
    round_the_clock = models.BooleanField(
        _("round the clock"), default=False,
        help_text=_("Count clock minutes at any hour, on days off too (the duty room handles it); "
                    "otherwise only office hours on working days count."))

    class Meta:
        verbose_name = _("urgency time limit")
        verbose_name_plural = _("urgency time limits")
        ordering = ["minutes"]
        constraints = [models.CheckConstraint(condition=~Q(urgency=""), name="urgency_rule_not_ordinary")]

    def __str__(self) -> str:
        return f"{self.get_urgency_display()} {self.minutes}"


class Secrecy(models.TextChoices):
    NONE = "", _("Not classified")
    SECRET = "secret", _("秘密")
    CONFIDENTIAL = "confidential", _("机密")
    TOP_SECRET = "top_secret", _("绝密")


# 保守国家秘密法: default maximum periods in years
SECRECY_MAX_YEARS = {Secrecy.SECRET: 10, Secrecy.CONFIDENTIAL: 20, Secrecy.TOP_SECRET: 30}


class Handling(models.TextChoices):
    READ = "read", _("For reading (阅件)")
    ACTION = "action", _("For action (办件)")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered, at the intake desk")
    RETURNED = "returned", _("Returned to the sender")
    CIRCULATING = "circulating", _("Circulating")
    PROPOSING = "proposing", _("Awaiting proposal")
    INSTRUCTING = "instructing", _("Awaiting instruction")
    INSTRUCTED = "instructed", _("Instructed, awaiting handling")
    HANDLING = "handling", _("Being handled")
    RESULT = "result", _("Result recorded")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class ReturnReason(models.TextChoices):
    NOT_OURS = "not_ours", _("Not ours to handle")
    RULES = "rules", _("Breaks the rules of issuing")
    FORMAT = "format", _("Wrong type or format")
    COUNTERSIGN = "countersign", _("Not countersigned by the units concerned")
    NOT_FOR_LEADERS = "not_for_leaders", _("An upward department document leaders need not see")
    OTHER = "other", _("Other")


class DocumentSettings(SingletonSettings, models.Model):
    """Which unit is the document office (文电科). One row (pk=1)."""

    office_unit = models.ForeignKey(
        Unit, verbose_name=_("document office"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Its members register, route and archive documents and see "
                                      "every unclassified document."))
    reminder_minutes_before = models.PositiveIntegerField(
        _("remind this many minutes before an urgent document is due"), default=15)

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="document_settings_singleton")]

    def __str__(self) -> str:
        return str(_("Document settings"))



class IncomingDocument(models.Model):
    year = models.PositiveIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("register number"), max_length=30, unique=True)
    sender = models.ForeignKey(Unit, verbose_name=_("sending unit"), on_delete=models.PROTECT,
                               related_name="sent_documents")
    sender_number = models.CharField(_("sender's document number"), max_length=60, blank=True)
    # office.docnumbers.number_key(sender_number): every spelling of one number has one key
    sender_number_key = models.CharField(max_length=200, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    doc_type = models.ForeignKey(DocumentType, verbose_name=_("document type"),
                                 on_delete=models.PROTECT, related_name="+")
    is_telegram = models.BooleanField(_("telegram"), default=False)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, blank=True,
                               default=Urgency.NONE)
    secrecy = models.CharField(_("secrecy"), max_length=20, choices=Secrecy.choices, blank=True,
                               default=Secrecy.NONE)
    secrecy_years = models.PositiveIntegerField(_("secrecy period (years)"), null=True, blank=True)
    copies = models.PositiveIntegerField(_("copies"), default=1)
    pages = models.PositiveIntegerField(_("pages"), default=1)
    handling = models.CharField(_("handling"), max_length=10, choices=Handling.choices)
    received_at = models.DateTimeField(_("received at"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed for by"),
                                  on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"),
                                      on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    due_at = models.DateTimeField(_("due to be cleared"))
    due_provisional = models.BooleanField(
        _("due time provisional"), default=False,
        help_text=_("Computed across a year the working-day calendar does not cover yet; "
                    "recomputed when the year is loaded."))
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.REGISTERED)
    # 初审 return
    return_reason = models.CharField(_("return reason"), max_length=20, choices=ReturnReason.choices,
                                     blank=True)
    return_note = models.TextField(_("return note"), blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    # 拟办
    proposal = models.TextField(_("proposed handling"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"),
                                    null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    # 承办
    lead_unit = models.ForeignKey(Unit, verbose_name=_("lead unit"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="led_documents")
    co_units = models.ManyToManyField(Unit, verbose_name=_("co-units"), blank=True,
                                      related_name="co_documents")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="handled_documents")
    handling_deadline = models.DateField(_("handling deadline"), null=True, blank=True)
    handling_deadline_provisional = models.BooleanField(_("handling deadline provisional"),
                                                        default=False)
    result = models.TextField(_("result"), blank=True)
    reply = models.TextField(_("reply to the sender"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    routing_slip = models.FileField(_("routing slip"), upload_to="documents/slips/%Y/", blank=True)
    # the search tokens of the title, numbers, sender's names and attachment text (documents.search)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="incoming_unique_serial"),
            models.CheckConstraint(
                condition=Q(secrecy="") | Q(secrecy_years__isnull=False),
                name="incoming_classified_has_period"),
            models.CheckConstraint(
                condition=Q(is_telegram=True, urgency__in=sorted(TELEGRAM_URGENCIES))
                | Q(is_telegram=False, urgency__in=sorted(DOCUMENT_URGENCIES)),
                name="incoming_urgency_fits_kind"),
            models.CheckConstraint(
                condition=Q(received_at__gte=EARLIEST_MOMENT, received_at__lt=LATEST_MOMENT,
                            due_at__gte=EARLIEST_MOMENT, due_at__lt=LATEST_MOMENT),
                name="incoming_times_supported_range"),
            models.CheckConstraint(
                condition=Q(handling_deadline__isnull=True)
                | Q(handling_deadline__gte=EARLIEST, handling_deadline__lte=LATEST),
                name="incoming_handling_deadline_supported_range"),
        ]
        indexes = [
            # the register's order (-received_at, -pk) and its date ranges: read backwards, no sort
            models.Index(fields=["received_at", "id"], name="incoming_received_order"),
            models.Index(fields=["status", "due_at"], name="incoming_status_due"),
            models.Index(fields=["due_at"], condition=Q(cleared_at__isnull=True), name="incoming_pending"),
            models.Index(fields=["sender_number_key", "sender"], name="incoming_sender_number_key"),
            GinIndex(fields=["search_vector"], name="incoming_search_vector"),
        ]
        permissions = [("view_classified", _("Can see the metadata of classified documents"))]

    def __str__(self) -> str:
        return f"{self.number} {self.public_title}"

    def save(self, *args, **kwargs):
        self.sender_number_key = number_key(self.sender_number)[:200]
        if kwargs.get("update_fields") is not None and "sender_number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sender_number_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def audit_repr(self) -> str:
        """How the audit trail names the document: its register number, never its title (the
        audit administrator sees no business content)."""
        return self.number

    @property
    def public_title(self) -> str:
        """The title where people without clearance may read it (notifications, the audit
        trail, other apps): a classified document's title never leaves its own pages."""
        return str(_("(classified)")) if self.secrecy else self.title

    @property
    def is_classified(self) -> bool:
        return bool(self.secrecy)

    @property
    def is_urgent(self) -> bool:
        return bool(self.urgency)

    @property
    def is_archived(self) -> bool:
        return self.status == Status.ARCHIVED

    def secrecy_label(self) -> str:
        if not self.secrecy:
            return ""
        return f"{self.get_secrecy_display()}★{self.secrecy_years}年"


def attachment_path(instance, filename: str) -> str:
    return f"documents/{timezone.localdate():%Y/%m}/{instance.document_id}/{filename}"


class DocumentAttachment(models.Model):
    """A file registered with a document. ``content_type`` is the type its content was found to
    be at upload (``office.uploads``); downloads are served as that type, as an attachment. The
    text is extracted after registration by ``documents.tasks.extract_attachment_text``."""

    class Extraction(models.TextChoices):
        PENDING = "pending", _("Waiting for text extraction")
        RUNNING = "running", _("Extracting the text")
        DONE = "done", _("Text extracted")
        TRUNCATED = "truncated", _("Text extracted in part")
        FAILED = "failed", _("Text not extracted")
        NONE = "none", _("No text to extract")

    class Note(models.TextChoices):
        DAMAGED = "damaged", _("the file is damaged or cannot be read")
        ENCRYPTED = "encrypted", _("the file is protected by a password")
        TOO_LARGE = "too_large", _("its content unpacks to more data than allowed")
        TIME = "time", _("reading it took longer than allowed")
        PAGES = "pages", _("it has more pages than are read for search")
        CHARACTERS = "characters", _("its text is longer than is kept for search")
        STOPPED = "stopped", _("the extraction was interrupted several times")

    document = models.ForeignKey(IncomingDocument, verbose_name=_("document"),
                                 on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False,
                                    help_text=_("Detected from the content at upload."))
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    extraction = models.CharField(_("text extraction"), max_length=10, choices=Extraction.choices,
                                  default=Extraction.PENDING, editable=False)
    extraction_note = models.CharField(_("extraction note"), max_length=20, choices=Note.choices,
                                       blank=True, editable=False)
    extraction_started_at = models.DateTimeField(_("extraction started at"), null=True, blank=True,
                                                 editable=False)
    extraction_attempts = models.PositiveSmallIntegerField(_("extraction attempts"), default=0,
                                                           editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["extraction"], name="doc_att_extraction_open",
                                condition=Q(extraction__in=["pending", "running"]))]

    def __str__(self) -> str:
        return self.name

    def extraction_remark(self) -> str:
        """What the document page says about the text of this attachment ("" when all is well)."""
        E = self.Extraction
        if self.extraction in (E.PENDING, E.RUNNING):
            return _("The text of this attachment is being extracted; full-text search will find "
                     "it shortly.")
        note = self.get_extraction_note_display()
        if self.extraction == E.FAILED:
            return _("The text of this attachment could not be extracted: %(note)s.") % {
                "note": note or _("the file is damaged or cannot be read")}
        if self.extraction == E.TRUNCATED:
            return _("Only part of the text of this attachment was extracted: %(note)s.") % {"note": note}
        return ""


class Instruction(models.Model):
    """A leader's instruction (批示), in sequence: leaders instruct one after another."""

    document = models.ForeignKey(IncomingDocument, verbose_name=_("document"),
                                 on_delete=models.CASCADE, related_name="instructions")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader"),
                               on_delete=models.PROTECT, related_name="document_instructions")
    order = models.PositiveIntegerField(_("order"))
    text = models.TextField(_("instruction"), blank=True)
    instructed_at = models.DateTimeField(_("instructed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["document", "order"]
        constraints = [models.UniqueConstraint(fields=["document", "order"],
                                               name="instruction_unique_order")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.leader_id} {self.order}"


class Circulation(models.Model):
    """One reader's copy in circulation (传阅): not sent yet, sent, opened, read; recallable
    while unopened; closed unread (lapsed) when the document is archived before it was read."""

    document = models.ForeignKey(IncomingDocument, verbose_name=_("document"),
                                 on_delete=models.CASCADE, related_name="circulations")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reader"),
                               on_delete=models.PROTECT, related_name="circulations")
    order = models.PositiveIntegerField(_("order"))
    sequential = models.BooleanField(_("in order"), default=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    # archiving closes the circulation: a copy not read by then lapses (see workflow.archive)
    lapsed_at = models.DateTimeField(_("closed unread at"), null=True, blank=True)

    class Meta:
        verbose_name = _("circulation")
        verbose_name_plural = _("circulations")
        ordering = ["document", "order"]
        indexes = [models.Index(fields=["reader"], condition=Q(read_at__isnull=True,
                                recalled_at__isnull=True, sent_at__isnull=False),
                                name="circulation_to_read")]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.reader_id}"

    @property
    def state(self) -> str:
        if self.recalled_at:
            return "recalled"
        if self.read_at:
            return "read"
        if self.lapsed_at:
            return "lapsed"
        if self.opened_at:
            return "opened"
        if self.sent_at:
            return "not_opened"
        return "waiting"


class DocumentEvent(TimelineEvent):
    """The document's history: every step, in order. The routing slip is printed from it."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        RETURNED = "returned", _("Returned to the sender")
        CIRCULATED = "circulated", _("Circulated")
        OPENED = "opened", _("Opened")
        READ = "read", _("Read")
        RECALLED = "recalled", _("Copy recalled")
        SUBMITTED = "submitted", _("Submitted for proposal")
        PROPOSED = "proposed", _("Handling proposed")
        INSTRUCTED = "instructed", _("Instructed")
        ASSIGNED = "assigned", _("Handling assigned")
        RESULT = "result", _("Result recorded")
        REPLIED = "replied", _("Reply recorded")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")
        SUPERVISED = "supervised", _("Supervision item opened")
        REMINDER = "reminder", _("Reminder sent")
        RECALCULATED = "recalculated", _("Dates recalculated")

    document = models.ForeignKey(IncomingDocument, verbose_name=_("document"),
                                 on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("document event")
        verbose_name_plural = _("document events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["document", "created_at"], name="docevent_doc_time")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.kind}"


from documents.outgoing.models import *  # noqa: E402,F401,F403  (outgoing documents: models Django must find)

DEFAULT_INSTRUCTION_PHRASES = ("同意。", "请按拟办意见办理。", "请阅处。", "请抓紧落实，及时报告结果。", "已阅。")


class InstructionPhrase(models.Model):
    """常用批示语: one of a person's frequently used instruction phrases, offered as one-click
    insertions on the instruction box. Edited by the person on /documents/phrases/."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
                              related_name="instruction_phrases")
    text = models.CharField(_("phrase"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("instruction phrase")
        verbose_name_plural = _("instruction phrases")
        ordering = ["owner", "order", "pk"]

    def __str__(self) -> str:
        return self.text
