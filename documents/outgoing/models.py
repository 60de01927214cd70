"""Outgoing documents (发文): drafts, their versions, reviews with findings, countersignatures,
sign-offs, the 发文字号 register (voided numbers kept), seal uses and distribution.

The workflow is in ``documents.outgoing.workflow`` (条例 第十八–二十二条, 第二十五条); rule
checks (第十三–十七条) in ``documents.outgoing.checks``; read queries in
``documents.outgoing.selectors``. Imported by ``documents.models`` so Django finds them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.models import TimelineEvent, Unit

__all__ = ["AuthorityLevel", "IssuingAuthority", "DocumentCode", "Direction", "OutgoingStatus",
           "FindingCategory", "OutgoingDocument", "JointIssuer", "BodyVersion", "ReviewFinding",
           "CheckAcknowledgement", "SignOff", "IssuedNumber", "SealUse", "Distribution", "OutgoingEvent"]


class AuthorityLevel(models.TextChoices):
    GOVERNMENT = "government", _("County government")
    OFFICE = "office", _("County government office")
    DEPARTMENT = "department", _("County department")


class IssuingAuthority(models.Model):
    """A 发文机关 the office issues for: its names, masthead (发文机关标志), seal, who may sign
    for it and its direct superiors (to tell a 越级 document). Admin data; the seal image is
    the security administrator's to change."""

    name = models.CharField(_("full name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    masthead = models.CharField(_("masthead (发文机关标志)"), max_length=60,
                                help_text=_("e.g. 某县人民政府文件, or 某县人民政府 for letters."))
    level = models.CharField(_("level"), max_length=20, choices=AuthorityLevel.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", help_text=_("The unit documents from this authority come from."))
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("principal leader (主要负责人)"),
                                  null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("leaders who may sign"),
                                     blank=True, related_name="signing_authorities")
    direct_superiors = models.ManyToManyField(
        Unit, verbose_name=_("direct superiors"), blank=True, related_name="+",
        help_text=_("Upward documents to any other superior skip a level and must copy one of these."))
    seal = models.FileField(_("seal image"), upload_to="seals/", blank=True,
                            help_text=_("PNG with a transparent background, or SVG; printed 42 mm wide."))
    seal_diameter_mm = models.PositiveIntegerField(_("seal diameter (mm)"), default=42)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("issuing authority")
        verbose_name_plural = _("issuing authorities")
        ordering = ["order", "pk"]
        permissions = [("apply_seal", _("Can apply seals to outgoing documents")),
                       ("manage_seal", _("Can upload and change seal images"))]

    def __str__(self) -> str:
        return self.name


class DocumentCode(models.Model):
    """A 机关代字 (某政发, 某政办发, 某政函 …): numbers run per code and year."""

    authority = models.ForeignKey(IssuingAuthority, verbose_name=_("issuing authority"),
                                  on_delete=models.PROTECT, related_name="codes")
    code = models.CharField(_("code (机关代字)"), max_length=20, unique=True)
    note = models.CharField(_("used for"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("document code")
        verbose_name_plural = _("document codes")
        ordering = ["authority__order", "code"]

    def __str__(self) -> str:
        return self.code


class Direction(models.TextChoices):
    UP = "up", _("Upward (上行文)")
    PARALLEL = "parallel", _("Parallel (平行文)")
    DOWN = "down", _("Downward (下行文)")


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", _("Drafting")
    SECTION_REVIEW = "section_review", _("Section chief review (核稿)")
    OFFICE_REVIEW = "office_review", _("Office director review (核稿)")
    COUNTERSIGN = "countersign", _("Countersigning (会签)")
    SIGNING = "signing", _("Waiting for sign-off (签发)")
    RECHECK = "recheck", _("Re-check (复核)")
    NUMBERING = "numbering", _("Waiting for a number (编号)")
    SEALING = "sealing", _("Waiting for the seal (用印)")
    PRINTING = "printing", _("Waiting for printing (印制)")
    DISPATCHING = "dispatching", _("Waiting for dispatch (核发)")
    DISPATCHED = "dispatched", _("Dispatched")
    ARCHIVED = "archived", _("Archived")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FindingCategory(models.TextChoices):
    TYPO = "typo", _("Typo or wording")
    FORMAT = "format", _("Format")
    DOC_TYPE = "doc_type", _("Document type")
    ISSUING_RULE = "issuing_rule", _("Issuing rule")
    CONTENT = "content", _("Content")


class OutgoingDocument(models.Model):
    doc_type = models.ForeignKey("documents.DocumentType", verbose_name=_("document type"),
                                 on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"is_statutory": True})
    authority = models.ForeignKey(IssuingAuthority, verbose_name=_("issuing authority"),
                                  on_delete=models.PROTECT, related_name="documents")
    code = models.ForeignKey(DocumentCode, verbose_name=_("code (机关代字)"), on_delete=models.PROTECT,
                             related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    main_recipients = models.ManyToManyField(Unit, verbose_name=_("main recipients (主送)"), blank=True,
                                             related_name="outgoing_main")
    main_recipients_text = models.CharField(
        _("main recipients, collective names"), max_length=300, blank=True,
        help_text=_("e.g. 各乡（镇）人民政府，县政府各部门"))
    copy_recipients = models.ManyToManyField(Unit, verbose_name=_("copies (抄送)"), blank=True,
                                             related_name="outgoing_copies")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.DOWN)
    body = models.TextField(_("body"), blank=True)
    attachment_titles = models.TextField(_("attachments (附件说明)"), blank=True,
                                         help_text=_("One attachment title per line."))
    urgency = models.CharField(_("urgency"), max_length=10, blank=True, default="",
                               choices=[("", _("Ordinary (平件)")), ("jiaji", _("加急")), ("teji", _("特急"))])
    note = models.CharField(_("note (附注)"), max_length=200, blank=True)
    printing_unit = models.CharField(_("printing unit (印发机关)"), max_length=100, blank=True)
    copies = models.PositiveIntegerField(_("copies printed"), default=1)
    is_important = models.BooleanField(_("important (signed by the principal leader)"), default=False)
    drafting_unit = models.ForeignKey(Unit, verbose_name=_("drafting unit"), on_delete=models.PROTECT,
                                      related_name="drafted_documents")
    drafter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafter"),
                                on_delete=models.PROTECT, related_name="drafted_documents")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=OutgoingStatus.choices,
                              default=OutgoingStatus.DRAFT)
    necessity = models.TextField(_("why it must be issued (可发可不发的不发)"), blank=True)
    not_raised_confirmed = models.BooleanField(_("confirmed not the department's own (不升格、不包揽)"),
                                               default=False)
    signed_on = models.DateField(_("date (成文日期)"), null=True, blank=True)
    signed_version = models.PositiveIntegerField(_("version signed"), null=True, blank=True)
    # the 发文字号, given at 编号 (never at drafting)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("serial"), null=True, blank=True)
    number = models.CharField(_("document number (发文字号)"), max_length=40, blank=True)
    number_key = models.CharField(max_length=60, blank=True, editable=False, db_index=True)
    issued_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    pdf = models.FileField(_("issued PDF"), upload_to="outgoing/%Y/", blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)  # documents.search's tokens

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year", "serial"], condition=Q(serial__isnull=False),
                                    name="outgoing_unique_number"),
            models.CheckConstraint(condition=Q(serial__isnull=True) | Q(year__isnull=False),
                                   name="outgoing_number_has_year"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outgoing_status"),
            models.Index(fields=["year", "code", "serial"], name="outgoing_number_order"),
            GinIndex(fields=["search_vector"], name="outgoing_search_vector"),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('(not numbered)')} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("documents:outgoing_detail", args=[self.pk])

    @property
    def public_title(self) -> str:
        return self.title

    @property
    def is_numbered(self) -> bool:
        return self.serial is not None


class JointIssuer(models.Model):
    """A co-issuer of a joint document (联合行文), in the order printed; it countersigns."""

    document = models.ForeignKey(OutgoingDocument, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="joint_issuers")
    authority = models.ForeignKey(IssuingAuthority, verbose_name=_("co-issuer"), on_delete=models.PROTECT,
                                  related_name="+")
    order = models.PositiveIntegerField(_("order"))
    countersigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("countersigned by"),
                                         null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    countersigned_on = models.DateField(_("countersigned on"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)

    class Meta:
        verbose_name = _("co-issuer")
        verbose_name_plural = _("co-issuers")
        ordering = ["document", "order"]
        constraints = [models.UniqueConstraint(fields=["document", "authority"], name="joint_issuer_once")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.authority}"


class BodyVersion(models.Model):
    """Every version of the title and body. A save that changes only line endings or spaces
    is not a version (``office.text``'s rule)."""

    document = models.ForeignKey(OutgoingDocument, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("body version")
        verbose_name_plural = _("body versions")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="body_version_once")]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class ReviewFinding(models.Model):
    """A finding of a review (核稿) against the draft, in a category; counted against the drafter
    in the year-end assessment."""

    document = models.ForeignKey(OutgoingDocument, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="findings")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT,
                                 related_name="+")
    drafter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafter"), on_delete=models.PROTECT,
                                related_name="review_findings")
    stage = models.CharField(_("stage"), max_length=20, choices=OutgoingStatus.choices)
    category = models.CharField(_("category"), max_length=20, choices=FindingCategory.choices)
    text = models.TextField(_("finding"))
    version = models.PositiveIntegerField(_("version reviewed"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("review finding")
        verbose_name_plural = _("review findings")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["drafter", "created_at"], name="finding_drafter")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.category}"


class CheckAcknowledgement(models.Model):
    """A rule-check warning the reviewer acknowledged, with the reason."""

    document = models.ForeignKey(OutgoingDocument, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="acknowledged_checks")
    code = models.CharField(_("check"), max_length=40)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("acknowledged warning")
        verbose_name_plural = _("acknowledged warnings")
        constraints = [models.UniqueConstraint(fields=["document", "code"], name="check_ack_once")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.code}"


class SignOff(models.Model):
    """签发: the leader's opinion, name and full date (条例 第二十二条)."""

    document = models.ForeignKey(OutgoingDocument, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="signoffs")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT,
                               related_name="+")
    opinion = models.TextField(_("opinion"))
    signed_on = models.DateField(_("date"))
    signed_at = models.DateTimeField(_("time"), default=timezone.now)
    version = models.PositiveIntegerField(_("version signed"))

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.leader_id}"


class IssuedNumber(models.Model):
    """The 发文字号 register: every number given, never given again. A voided number keeps its
    record (who, when, why)."""

    code = models.ForeignKey(DocumentCode, verbose_name=_("code"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("document number"), max_length=40)
    number_key = models.CharField(max_length=60, unique=True, editable=False)
    document = models.ForeignKey(OutgoingDocument, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="issued_numbers")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("given by"), on_delete=models.PROTECT,
                                 related_name="+")
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("voided by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(_("why voided"), blank=True)

    class Meta:
        verbose_name = _("issued number")
        verbose_name_plural = _("issued numbers")
        ordering = ["year", "code", "serial"]
        constraints = [models.UniqueConstraint(fields=["code", "year", "serial"], name="issued_number_once")]
        # the register's order (selectors.number_register): a page is read off this index
        indexes = [models.Index(models.F("year").desc(), "code", models.F("serial").desc(),
                                name="issued_number_register")]

    def __str__(self) -> str:
        return self.number


class SealUse(models.Model):
    """用印登记: one row per use of a seal."""

    document = models.ForeignKey(OutgoingDocument, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="seal_uses")
    authority = models.ForeignKey(IssuingAuthority, verbose_name=_("seal of"), on_delete=models.PROTECT,
                                  related_name="seal_uses")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applied by"),
                                   on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    copies = models.PositiveIntegerField(_("copies"))

    class Meta:
        verbose_name = _("seal use")
        verbose_name_plural = _("seal register (用印登记)")
        ordering = ["-applied_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.authority} {self.applied_at:%Y-%m-%d}"


class Distribution(models.Model):
    """核发: one recipient unit's copy; signed for (签收) in the system; chased while unsigned."""

    class Role(models.TextChoices):
        MAIN = "main", _("Main recipient")
        COPY = "copy", _("Copy")

    document = models.ForeignKey(OutgoingDocument, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="distributions")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="received_outgoing")
    role = models.CharField(_("as"), max_length=10, choices=Role.choices)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    signed_for_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    signed_for_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed for by"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    chased_at = models.DateTimeField(_("last chased at"), null=True, blank=True)
    incoming = models.OneToOneField("documents.IncomingDocument", verbose_name=_("registered as"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="from_outgoing")

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["document", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["document", "unit"], name="distribution_once_per_unit")]
        indexes = [models.Index(fields=["unit"], condition=Q(signed_for_at__isnull=True, sent_at__isnull=False),
                                name="distribution_unsigned")]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.unit}"


class OutgoingEvent(TimelineEvent):
    class Kind(models.TextChoices):
        DRAFTED = "drafted", _("Drafted")
        EDITED = "edited", _("New version")
        SUBMITTED = "submitted", _("Submitted for review")
        REVIEWED = "reviewed", _("Review passed")
        RETURNED = "returned", _("Returned with findings")
        COUNTERSIGNED = "countersigned", _("Countersigned")
        SIGNED = "signed", _("Signed off")
        RECHECKED = "rechecked", _("Re-checked")
        RESIGN = "resign", _("Sent back to the signer")
        NUMBERED = "numbered", _("Numbered")
        VOIDED = "voided", _("Number voided")
        SEALED = "sealed", _("Sealed")
        PRINTED = "printed", _("Printed")
        DISPATCHED = "dispatched", _("Dispatched")
        SIGNED_FOR = "signed_for", _("Signed for")
        CHASED = "chased", _("Chased")
        REGISTERED = "registered", _("Registered as incoming")
        ARCHIVED = "archived", _("Archived")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    document = models.ForeignKey(OutgoingDocument, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("outgoing document event")
        verbose_name_plural = _("outgoing document events")
        indexes = [models.Index(fields=["document", "created_at"], name="outevent_doc_time")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.kind}"
