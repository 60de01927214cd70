"""印制: an outgoing document as the core's GB/T 9704 renderer prints it (``office.gbt9704``),
digitally signed with the office's certificate (``office.pdfsign``); the 发文登记簿 workbook."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from office import gbt9704, pdfsign
from office.exports import safe_row
from office.workflow import WorkflowError

FORMATS = {"函": "letter", "命令（令）": "order", "纪要": "minutes"}
URGENCY = {"teji": "特急", "jiaji": "加急"}


def _recipients(doc) -> str:
    names = [u.name for u in doc.main_recipients.all()]
    if doc.main_recipients_text:
        names.append(doc.main_recipients_text)
    return "，".join(names)


def official_document(doc, *, preview: bool = False) -> gbt9704.OfficialDocument:
    """The renderer's input for ``doc``: issuers (joint ones in order), seals once applied,
    签发人 on upward documents, 主送/抄送, 附件说明, 附注 and the 版记."""
    authorities = [doc.authority, *[j.authority for j in doc.joint_issuers.all()]]
    sealed = not preview and doc.seal_uses.exists()
    doc_format = FORMATS.get(doc.doc_type.name, "standard")
    issuers = [gbt9704.Issuer(name=a.name, masthead_name=a.short_name if doc_format == "letter" else a.name,
                              seal=a.seal.path if sealed and a.seal else None,
                              seal_diameter=float(a.seal_diameter_mm))
               for a in authorities]
    masthead = ""
    if len(authorities) == 1:
        masthead = doc.authority.name if doc_format == "letter" else doc.authority.masthead
    signers = [s.leader.get_full_name() for s in doc.signoffs.all()] if doc.direction == "up" else []
    return gbt9704.OfficialDocument(
        issuers=issuers, title=doc.title, body=doc.body, date=doc.signed_on or timezone.localdate(),
        format=doc_format, number=doc.number, masthead=masthead, urgency=URGENCY.get(doc.urgency, ""),
        signers=signers, recipients=_recipients(doc),
        attachments=[gbt9704.Attachment(title=t.strip()) for t in doc.attachment_titles.splitlines() if t.strip()],
        notes=doc.note, copies_to=[u.name for u in doc.copy_recipients.all()],
        printer=doc.printing_unit, printed_on=timezone.localdate(),
    )


def preview_pdf(doc) -> bytes:
    """The draft as it will print, unsigned and without seals."""
    return gbt9704.render(official_document(doc, preview=True))


def issued_pdf(doc) -> bytes:
    """The issued PDF, signed (PAdES). Refused with a message when the document cannot be laid
    out or no signing certificate is configured."""
    try:
        data = gbt9704.render(official_document(doc))
    except gbt9704.DocumentFormatError as exc:
        raise WorkflowError(_("The document cannot be printed: %(why)s") % {"why": "；".join(exc.messages)},
                            code="format") from None
    try:
        return pdfsign.sign(data, reason=_("Issued %(number)s") % {"number": doc.number},
                            location=doc.authority.name)
    except pdfsign.SigningNotConfigured as exc:
        raise WorkflowError(_("The office's signing certificate is not configured (%(why)s): ask the system "
                              "administrator.") % {"why": exc}, code="no_certificate") from None


def signature_status(doc):
    """The stored PDF's signature as ``office.pdfsign.verify`` reads it (None without a PDF)."""
    if not doc.pdf:
        return None
    with doc.pdf.open("rb") as f:
        return pdfsign.verify(f.read())


REGISTER_COLUMNS = ["发文字号", "标题", "文种", "发文机关", "成文日期", "登记人", "登记时间", "状态", "作废原因"]


def register_workbook(numbers) -> bytes:
    """The 发文登记簿, voided numbers included, in a write-only workbook (constant memory)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Outgoing register")[:31])
    ws.append(REGISTER_COLUMNS)
    for n in numbers.iterator(chunk_size=2000):
        d = n.document
        ws.append(safe_row([n.number, d.title, str(d.doc_type), str(d.authority),
                            d.signed_on, str(n.given_by), timezone.localtime(n.given_at).replace(tzinfo=None),
                            _("voided") if n.voided_at else str(d.get_status_display()), n.void_reason or None]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
