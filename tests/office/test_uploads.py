"""Files are what they say: every upload's content is checked against the kind its name claims
(office.uploads), in the forms and again in the workflow steps, for document attachments and
progress-report attachments alike; a submission is bounded as a whole; downloads are always
attachments of the detected type that a browser may not sniff or run."""

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from office import once
from office.http import safe_content_type
from office.models import AuditEvent
from office.uploads import UploadPolicy, UploadRefused, check_upload, check_uploads, identify
from tests import samples
from tests.documents import conftest as documents_conftest

dp, register_doc = documents_conftest.dp, documents_conftest.register_doc  # the document office's personas

SH = ZoneInfo("Asia/Shanghai")
EVERYTHING = UploadPolicy(suffixes=frozenset({".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx",
                                              ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".txt"}),
                          max_bytes=50 * 1024 * 1024)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes, policy: UploadPolicy = EVERYTHING) -> str:
    with pytest.raises(UploadRefused) as exc:
        check_upload(upload(name, content), policy)
    assert exc.value.code == "invalid_file"
    return exc.value.message


# --- the rule -----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "kind", "content_type"), [
    ("通知.pdf", samples.pdf("Winter safety"), "pdf", "application/pdf"),
    ("通知.PDF", b"%PDF-1.4 test", "pdf", "application/pdf"),
    ("通知.docx", samples.docx("关于做好冬季安全生产工作的通知"), "docx", DOCX_TYPE),
    ("通知.ofd", samples.ofd(["关于做好冬季安全生产工作的通知"]), "ofd", "application/ofd"),
    ("现场.png", samples.image("PNG"), "png", "image/png"),
    ("现场.jpg", samples.image("JPEG"), "jpeg", "image/jpeg"),
    ("现场.jpeg", samples.image("PNG"), "png", "image/png"),  # a PNG saved as .jpg is still an image
    ("扫描件.tif", samples.image("TIFF"), "tiff", "image/tiff"),
    ("台账.xlsx", samples.xlsx(), "xlsx", XLSX_TYPE),
    ("台账.xls", samples.ole2(), "ole2", "application/vnd.ms-excel"),
    ("旧稿.doc", samples.ole2(), "ole2", "application/msword"),
    ("旧稿.wps", samples.ole2(), "ole2", "application/vnd.ms-works"),
    ("另存.doc", samples.docx("正文"), "docx", DOCX_TYPE),  # Word opens a DOCX saved as .doc
    ("另存.doc", b"{\\rtf1\\ansi \\par}", "rtf", "application/rtf"),
    ("说明.txt", "森林防火说明".encode(), "text", "text/plain; charset=utf-8"),
    ("说明.txt", "森林防火说明".encode("utf-8-sig"), "text", "text/plain; charset=utf-8"),
    ("说明.txt", "森林防火说明".encode("gb18030"), "text", "text/plain; charset=gb18030"),
    ("说明.txt", "森林防火说明".encode("utf-16"), "text", "text/plain; charset=utf-16"),
    # GBK text whose first character's bytes (DC DC) are also a weak two-byte "program" signature
    ("说明.txt", "苘麻种植技术说明".encode("gb18030"), "text", "text/plain; charset=gb18030"),
])
def test_files_whose_content_matches_their_name_are_accepted_with_the_detected_type(
        name, content, kind, content_type):
    f = upload(name, content)
    checked = check_upload(f, EVERYTHING)
    assert (checked.kind, checked.content_type, checked.name, checked.size) == (kind, content_type, name,
                                                                                len(content))
    assert f.tell() == 0  # left ready to be stored


@pytest.mark.parametrize(("name", "content", "message"), [
    ("通知.pdf", samples.elf(), "“通知.pdf”不是PDF 文件：其内容是可执行程序。"),
    ("通知.pdf", samples.pe(), "“通知.pdf”不是PDF 文件：其内容是可执行程序。"),
    ("通知.docx", samples.pe(), "“通知.docx”不是Word 文档：其内容是可执行程序。"),
    ("照片.jpg", samples.elf(), "“照片.jpg”不是图片：其内容是可执行程序。"),
    ("说明.txt", samples.pe(), "“说明.txt”不是文本文件：其内容是可执行程序。"),
    ("run.pdf", b"MZ", "“run.pdf”不是PDF 文件：其内容是可执行程序。"),
    ("通知.pdf", samples.HTML, "“通知.pdf”不是PDF 文件：其内容是网页或脚本（HTML、XML 或 SVG）。"),
    ("通知.pdf", b"\n  <HTML><body onload=alert(1)>",
     "“通知.pdf”不是PDF 文件：其内容是网页或脚本（HTML、XML 或 SVG）。"),
    ("图.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
     "“图.png”不是图片：其内容是网页或脚本（HTML、XML 或 SVG）。"),
    ("说明.txt", samples.HTML, "“说明.txt”不是文本文件：其内容是网页或脚本（HTML、XML 或 SVG）。"),
    ("说明.txt", "<?xml version='1.0'?><x/>".encode("utf-16"),
     "“说明.txt”不是文本文件：其内容是网页或脚本（HTML、XML 或 SVG）。"),
    ("说明.txt", b"#!/bin/sh\nrm -rf /\n", "“说明.txt”不是文本文件：其内容是脚本程序。"),
    ("通知.docx", samples.zipped({"word/other.xml": "<x/>"}), "“通知.docx”不是Word 文档：其内容是ZIP 压缩包。"),
    ("通知.ofd", samples.zipped({"Doc_0/Document.xml": "<x/>"}), "“通知.ofd”不是OFD 文件：其内容是ZIP 压缩包。"),
    ("通知.docx", samples.ofd(["x"]), "“通知.docx”不是Word 文档：其内容是OFD 文件。"),
    ("通知.docx", b"PK\x03\x04 not a zip", "“通知.docx”不是Word 文档：其内容是损坏的压缩包。"),
    ("通知.pdf", samples.docx("x"), "“通知.pdf”不是PDF 文件：其内容是Word 文档（DOCX）。"),
    ("通知.ofd", samples.pdf("x"), "“通知.ofd”不是OFD 文件：其内容是PDF 文件。"),
    ("台账.xlsx", samples.ole2(), "“台账.xlsx”不是Excel 工作簿：其内容是Office 97–2003 文件（DOC、XLS 或 WPS）。"),
    ("照片.jpg", samples.image("GIF"),
     "“照片.jpg”不是图片：其内容是其他类型的文件（Graphics interchange format file (GIF87a)）。"),
    ("说明.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08" * 64 + bytes(range(128, 256)) * 4,
     "“说明.txt”不是文本文件：其内容是无法识别的二进制数据。"),
    ("说明.txt", b"abc\x00def", "“说明.txt”不是文本文件：其内容是无法识别的二进制数据。"),
    ("压缩.pdf", __import__("gzip").compress(b"x" * 100), "“压缩.pdf”不是PDF 文件：其内容是压缩包。"),
    ("空白.pdf", b"", "“空白.pdf”是空文件。"),
])
def test_files_whose_content_is_not_what_their_name_says_are_refused_naming_the_file(name, content, message):
    assert refusal(name, content) == message


def test_the_refusal_reads_in_english_too():
    with translation.override("en"):
        assert refusal("通知.pdf", samples.pe()) == \
            "“通知.pdf” is not a PDF file: its content is an executable program."


def test_a_suffix_outside_the_policy_and_an_oversized_file_are_refused():
    small = UploadPolicy(suffixes=frozenset({".pdf", ".png"}), max_bytes=1024)
    assert refusal("run.exe", samples.pe(), small) == "“run.exe”：此处不接受这种类型的文件。可接受：PDF、PNG。"
    assert refusal("无后缀", b"%PDF-1.4", small) == "“无后缀”：此处不接受这种类型的文件。可接受：PDF、PNG。"
    big = UploadPolicy(suffixes=frozenset({".pdf"}), max_bytes=20 * 1024 * 1024)
    f = upload("大.pdf", b"%PDF-1.4")
    f.size = 20 * 1024 * 1024 + 1
    with pytest.raises(UploadRefused) as exc:
        check_upload(f, big)
    assert exc.value.message == "“大.pdf”超过 20 MB。"


def test_a_policy_naming_a_suffix_without_a_content_check_is_a_programming_error():
    with pytest.raises(ValueError):
        UploadPolicy(suffixes=frozenset({".exe"}), max_bytes=1)


def test_a_submission_is_bounded_in_number_and_in_total_size(settings):
    settings.UPLOAD_MAX_FILES, settings.UPLOAD_MAX_REQUEST_BYTES = 20, 100 * 1024 * 1024
    files = []
    for n in range(12):  # the 12 × 19 MB
        f = upload(f"附件{n}.pdf", b"%PDF-1.4")
        f.size = 19 * 1024 * 1024
        files.append(f)
    with pytest.raises(UploadRefused) as exc:
        check_uploads(files, EVERYTHING)
    assert exc.value.message == "所选文件合计 228 MB，一次最多可提交 100 MB。"
    assert len(check_uploads(files[:5], EVERYTHING)) == 5  # 95 MB
    many = [upload(f"{n}.txt", b"x") for n in range(21)]
    with pytest.raises(UploadRefused) as exc:
        check_uploads(many, EVERYTHING)
    assert exc.value.message == "一次最多可提交 20 个文件（本次提交了 21 个）。"


def test_identification_uses_the_content_only():
    assert identify(upload("a.pdf", samples.elf())) == ("executable", "")
    assert identify(upload("a.exe", samples.pdf("x"))) == ("pdf", "")
    assert identify(upload("a.txt", "关于做好冬季安全生产工作的通知".encode("gb18030"))) == ("text", "gb18030")


# --- documents: form and workflow ---------------------------------------------------------

def register_form(dp, **extra):
    from documents.models import DocumentType

    data = {"sender_name": "市政府办", "sender_number": "某政办发〔2026〕58号", "title": "关于冬季防火的通知",
            "doc_type": DocumentType.objects.get(name="通知").pk, "handling": "read", "urgency": "",
            "secrecy": "", "copies": 1, "pages": 2, "received_at": "2026-11-27T10:00",
            "signed_by": dp.clerk.pk, once.FIELD: once.new_token(dp.clerk)}
    data.update(extra)
    return data


@pytest.mark.parametrize(("name", "content", "message"), [
    ("通知.pdf", samples.pe(), "“通知.pdf”不是PDF 文件：其内容是可执行程序。"),
    ("通知.pdf", samples.HTML, "“通知.pdf”不是PDF 文件：其内容是网页或脚本（HTML、XML 或 SVG）。"),
    ("通知.docx", samples.zipped({"word/other.xml": "<x/>"}), "“通知.docx”不是Word 文档：其内容是ZIP 压缩包。"),
])
def test_the_register_form_refuses_a_disguised_attachment_and_keeps_the_input(
        client, dp, settings, tmp_path, name, content, message):
    from documents.models import IncomingDocument

    settings.MEDIA_ROOT = tmp_path
    client.force_login(dp.clerk)
    response = client.post(reverse("documents:new"), register_form(dp, files=[upload(name, content)]))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and "关于冬季防火的通知" in page
    assert IncomingDocument.objects.count() == 0
    assert list(tmp_path.rglob("*.*")) == []


def test_the_register_form_stores_a_real_attachment_with_its_type(client, dp, settings, tmp_path):
    from documents.models import IncomingDocument

    settings.MEDIA_ROOT = tmp_path
    client.force_login(dp.clerk)
    response = client.post(reverse("documents:new"), register_form(
        dp, files=[upload("通知.pdf", samples.pdf("Winter")), upload("现场.png", samples.image("PNG"))]))
    assert response.status_code == 302
    doc = IncomingDocument.objects.get()
    assert sorted(doc.attachments.values_list("name", "content_type", "extraction")) == [
        ("现场.png", "image/png", "none"), ("通知.pdf", "application/pdf", "pending")]


@pytest.mark.parametrize(("name", "content"), [("通知.pdf", samples.elf()), ("通知.docx", samples.pe()),
                                               ("现场.jpg", samples.pe()), ("通知.pdf", samples.HTML)])
def test_registration_called_directly_refuses_a_disguised_attachment_and_changes_nothing(
        dp, register_doc, settings, tmp_path, name, content):
    from documents.models import DocumentAttachment, IncomingDocument
    from office.workflow import WorkflowError

    settings.MEDIA_ROOT = tmp_path
    good = upload("正文.pdf", samples.pdf("ok"))
    with pytest.raises(WorkflowError) as exc:
        register_doc(files=[good, upload(name, content)])
    assert exc.value.code == "invalid_file" and f"“{name}”不是" in exc.value.message
    assert IncomingDocument.objects.count() == 0 and DocumentAttachment.objects.count() == 0
    assert list(tmp_path.rglob("*.*")) == []
    refused = AuditEvent.objects.get(action="documents.register")
    assert refused.result == "failure" and refused.detail["reason"] == exc.value.message


# --- supervision: form and workflow -------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "message"), [
    ("通知.pdf", samples.pe(), "“通知.pdf”不是PDF 文件：其内容是可执行程序。"),
    ("整改.xlsx", samples.HTML, "“整改.xlsx”不是Excel 工作簿：其内容是网页或脚本（HTML、XML 或 SVG）。"),
    ("现场.jpg", samples.elf(), "“现场.jpg”不是图片：其内容是可执行程序。"),
    ("说明.txt", "森林防火".encode(), "“说明.txt”：此处不接受这种类型的文件。可接受：DOC、DOCX、JPEG、JPG、OFD、PDF、"
                                       "PNG、WPS、XLS、XLSX。"),
])
def test_the_progress_form_refuses_a_disguised_attachment_and_keeps_the_text(
        client, people, make_item, settings, tmp_path, name, content, message):
    from supervision import workflow

    settings.MEDIA_ROOT = tmp_path
    item = make_item()
    workflow.acknowledge(item=item, acting_user=people.responsible)
    client.force_login(people.responsible)
    response = client.post(reverse("supervision:step", args=[item.pk, "report_progress"]), {
        "report_progress-text": "已完成全部排查", "report_progress-files": upload(name, content)})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and "已完成全部排查" in page
    assert item.progress_reports.count() == 0
    assert list(tmp_path.rglob("*.*")) == []


@pytest.mark.parametrize("step", ["report_progress", "report_result"])
def test_the_supervision_steps_called_directly_refuse_a_disguised_attachment(
        people, make_item, settings, tmp_path, step):
    from office.workflow import WorkflowError
    from supervision import workflow
    from supervision.models import Attachment, Item

    settings.MEDIA_ROOT = tmp_path
    item = make_item()
    workflow.acknowledge(item=item, acting_user=people.responsible)
    kwargs = {"text": "见附件"} if step == "report_progress" else {"result": "已整改"}
    with pytest.raises(WorkflowError) as exc:
        getattr(workflow, step)(item=item, acting_user=people.responsible, **kwargs,
                                files=[upload("整改.pdf", samples.pdf("ok")), upload("通知.pdf", samples.pe())])
    assert exc.value.message == "“通知.pdf”不是PDF 文件：其内容是可执行程序。"
    assert item.progress_reports.count() == 0 and Attachment.objects.count() == 0
    assert Item.objects.get(pk=item.pk).status == "acknowledged"
    assert list(tmp_path.rglob("*.*")) == []
    assert AuditEvent.objects.filter(action=f"supervision.{step}", result="failure").count() == 1


def test_a_progress_report_stores_its_attachments_with_the_detected_types(people, make_item, settings, tmp_path):
    from supervision import workflow

    settings.MEDIA_ROOT = tmp_path
    item = make_item()
    workflow.acknowledge(item=item, acting_user=people.responsible)
    report = workflow.report_progress(item=item, acting_user=people.responsible, text="见附件", files=[
        upload("台账.xls", samples.ole2()), upload("台账.xlsx", samples.xlsx()),
        upload("现场.jpg", samples.image("JPEG"))])
    assert sorted(report.attachments.values_list("name", "content_type")) == [
        ("台账.xls", "application/vnd.ms-excel"), ("台账.xlsx", XLSX_TYPE), ("现场.jpg", "image/jpeg")]


# --- downloads ----------------------------------------------------------------------------

def assert_download(response, filename_quoted: str, content_type: str):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{filename_quoted}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_document_attachment_is_downloaded_as_an_attachment_of_its_detected_type(
        client, dp, register_doc, settings, tmp_path):
    from documents.models import DocumentAttachment

    settings.MEDIA_ROOT = tmp_path
    doc = register_doc(files=[upload("说明.txt", "森林防火".encode("gb18030")), upload("通知.pdf", samples.pdf("x"))])
    client.force_login(dp.clerk)
    text = doc.attachments.get(name="说明.txt")
    response = client.get(reverse("documents:attachment", args=[text.pk]))
    assert_download(response, "%E8%AF%B4%E6%98%8E.txt", "text/plain; charset=gb18030")
    assert b"".join(response.streaming_content) == "森林防火".encode("gb18030")
    pdf = doc.attachments.get(name="通知.pdf")
    assert_download(client.get(reverse("documents:attachment", args=[pdf.pk])),
                    "%E9%80%9A%E7%9F%A5.pdf", "application/pdf")
    # a row stored before types were detected, and one whose type was forged to HTML
    DocumentAttachment.objects.filter(pk=pdf.pk).update(content_type="")
    assert_download(client.get(reverse("documents:attachment", args=[pdf.pk])),
                    "%E9%80%9A%E7%9F%A5.pdf", "application/octet-stream")
    DocumentAttachment.objects.filter(pk=pdf.pk).update(content_type="text/html")
    assert_download(client.get(reverse("documents:attachment", args=[pdf.pk])),
                    "%E9%80%9A%E7%9F%A5.pdf", "application/octet-stream")


def test_a_progress_attachment_is_downloaded_as_an_attachment_of_its_detected_type(
        client, people, make_item, settings, tmp_path):
    from supervision import workflow

    settings.MEDIA_ROOT = tmp_path
    item = make_item()
    workflow.acknowledge(item=item, acting_user=people.responsible)
    report = workflow.report_progress(item=item, acting_user=people.responsible, text="见附件",
                                      files=[upload("现场.png", samples.image("PNG"))])
    client.force_login(people.officer)
    response = client.get(reverse("supervision:attachment", args=[report.attachments.get().pk]))
    assert_download(response, "%E7%8E%B0%E5%9C%BA.png", "image/png")
    assert b"".join(response.streaming_content) == samples.image("PNG")


@pytest.mark.parametrize(("stored", "served"), [
    ("application/pdf", "application/pdf"), ("text/plain; charset=utf-8", "text/plain; charset=utf-8"),
    ("", "application/octet-stream"), ("text/html", "application/octet-stream"),
    ("TEXT/HTML; charset=utf-8", "application/octet-stream"), ("image/svg+xml", "application/octet-stream"),
    ("application/xhtml+xml", "application/octet-stream"), ("text/javascript", "application/octet-stream"),
    ("application/xml", "application/octet-stream"), ("application/rss+xml", "application/octet-stream"),
    ("nonsense", "application/octet-stream"),
])
def test_types_a_browser_would_render_or_run_are_never_served(stored, served):
    assert safe_content_type(stored) == served


def test_generated_downloads_carry_the_same_headers(client, dp):
    client.force_login(dp.clerk)
    response = client.get(reverse("documents:register_export"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"].startswith("attachment;")


# --- the whole request --------------------------------------------------------------------

def test_a_request_larger_than_the_limit_is_refused_unread_with_a_clear_page(client, dp, settings, tmp_path):
    from documents.models import IncomingDocument

    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_REQUEST_BYTES = 1024 * 1024
    client.force_login(dp.clerk)
    files = [upload(f"附件{n}.pdf", b"%PDF-1.4\n" + os.urandom(700 * 1024)) for n in range(3)]
    response = client.post(reverse("documents:new"), register_form(dp, files=files))
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="upload-refused"' in page
    assert "一次最多可提交 1 MB。" in page
    assert IncomingDocument.objects.count() == 0


def test_the_total_of_the_files_is_checked_even_within_the_declared_allowance(client, dp, settings, tmp_path):
    from documents.models import IncomingDocument

    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_REQUEST_BYTES = 1024 * 1024
    client.force_login(dp.clerk)
    # 1.4 MB of files: over the limit, but within the megabyte allowed for the form's text
    files = [upload(f"附件{n}.pdf", b"%PDF-1.4\n" + os.urandom(700 * 1024)) for n in range(2)]
    response = client.post(reverse("documents:new"), register_form(dp, files=files))
    assert response.status_code == 400
    assert "所选文件合计 1.4 MB，一次最多可提交 1 MB。" in response.content.decode()
    assert IncomingDocument.objects.count() == 0


def test_too_many_files_get_a_clear_page_not_a_bare_bad_request(client, dp, settings, tmp_path):
    from documents.models import IncomingDocument

    settings.MEDIA_ROOT = tmp_path
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = settings.UPLOAD_MAX_FILES = 3
    client.force_login(dp.clerk)
    files = [upload(f"{n}.txt", b"x") for n in range(4)]
    response = client.post(reverse("documents:new"), register_form(dp, files=files))
    assert response.status_code == 400
    assert "一次最多可提交 3 个文件。" in response.content.decode()
    assert IncomingDocument.objects.count() == 0


def test_an_oversized_text_field_gets_a_clear_page(client, dp, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(dp.clerk)
    response = client.post(reverse("documents:new"), register_form(dp, title="长" * 20_000))
    assert response.status_code == 400
    assert "表单内容过大，无法接收。请缩短文字或减少条目后再提交。" in response.content.decode()


def test_the_registration_time_is_unaffected_by_the_file_check(dp, register_doc, settings, tmp_path):
    """The check reads the head of each file (and a ZIP's directory), not the whole file."""
    import time

    settings.MEDIA_ROOT = tmp_path
    big = upload("大.pdf", b"%PDF-1.4\n" + b"0" * (40 * 1024 * 1024))
    started = time.monotonic()
    register_doc(files=[big], received_at=dt.datetime(2026, 11, 27, 9, 0, tzinfo=SH))
    assert time.monotonic() - started < 3
