"""Registration never waits for text extraction: the text is extracted after the commit by a
Celery task with byte, page, character and time limits, and a failed extraction leaves the
document registered with a note. The hostile files of the issue are built here: a 2.5 MB OFD
whose page expands to 700 MB of XML, and a PDF of 100,000 empty pages."""

import datetime as dt
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents import extract, selectors
from documents.extract import Limits
from documents.models import DocumentAttachment, IncomingDocument
from documents.tasks import EXTRACT_HARD_LIMIT, extract_attachment_text, extraction_sweep
from tests import samples

E, Note = DocumentAttachment.Extraction, DocumentAttachment.Note


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name, content):
    return SimpleUploadedFile(name, content)


def state(att: DocumentAttachment) -> tuple:
    att.refresh_from_db()
    return att.extraction, att.extraction_note


def run(att: DocumentAttachment) -> tuple[str, float]:
    """The task run through Celery's machinery (task protocol, JSON arguments), timed."""
    started = time.monotonic()
    result = extract_attachment_text.apply(args=[att.pk]).get()
    return result, time.monotonic() - started


def test_registration_returns_at_once_and_queues_one_extraction_per_text_attachment(
        dp, register_doc, media, django_capture_on_commit_callbacks):
    bomb, pages = samples.ofd_bomb(700), samples.empty_pages_pdf(100_000)
    assert len(bomb) < 3 * 1024 * 1024 and len(pages) < 9 * 1024 * 1024
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        doc = register_doc(files=[upload("通知.ofd", bomb), upload("附件.pdf", pages),
                                  upload("现场.png", samples.image("PNG"))])
    assert time.monotonic() - started < 1
    assert doc.number == "收〔2026〕1号"
    assert {a.name: (a.extraction, a.text) for a in doc.attachments.all()} == {
        "通知.ofd": (E.PENDING, ""), "附件.pdf": (E.PENDING, ""), "现场.png": (E.NONE, "")}
    assert len(callbacks) == 2


def test_the_ofd_bomb_fails_at_once_with_a_note_and_the_document_stays_registered(
        client, dp, register_doc, media):
    doc = register_doc(files=[upload("通知.ofd", samples.ofd_bomb(700, text="关于冬季防火"))])
    att = doc.attachments.get()
    result, seconds = run(att)
    assert (result, state(att)) == (E.FAILED, (E.FAILED, Note.TOO_LARGE))
    assert seconds < 2
    assert att.text == ""
    assert IncomingDocument.objects.get(pk=doc.pk).status == "registered"
    client.force_login(dp.clerk)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert "附件文字未能提取：文件解压后的数据量超过上限。" in page


def test_a_pdf_of_100000_empty_pages_is_read_only_up_to_the_page_limit(dp, register_doc, media, settings):
    doc = register_doc(files=[upload("附件.pdf", samples.empty_pages_pdf(100_000))])
    att = doc.attachments.get()
    result, seconds = run(att)
    assert (result, state(att)) == (E.TRUNCATED, (E.TRUNCATED, Note.PAGES))
    assert seconds < settings.EXTRACT_SECONDS


def test_a_zip_member_that_lies_about_its_size_stops_at_the_declared_size():
    bomb = samples.ofd_bomb(50, text="关于冬季防火", declared_size=10_000)
    started = time.monotonic()
    assert extract.extract("通知.ofd", bomb, "application/ofd") == extract.Result("", "failed", "damaged")
    assert time.monotonic() - started < 1


def test_the_bytes_decompressed_from_all_members_together_are_bounded():
    """A member is opened only while the bytes it declares fit in what is left of the limit;
    the text read before is kept."""
    bomb = samples.ofd_bomb(20, page_before="关于冬季防火", text="第二页")
    assert extract.extract("通知.ofd", bomb, "application/ofd", Limits(max_bytes=4 * 1024 * 1024)) == \
        extract.Result("关于冬季防火", "truncated", "too_large")
    assert extract.extract("通知.ofd", bomb, "application/ofd",
                           Limits(max_bytes=40 * 1024 * 1024, max_ratio=10**6)).text.startswith("关于冬季防火\n第二页")


def test_every_byte_read_is_counted(monkeypatch):
    """Should a member deliver more than it declared, the count stops it all the same."""
    data = samples.ofd(["关于冬季防火"], ["第二页"])
    monkeypatch.setattr(extract, "_open_member",
                        lambda archive, info, sink: extract._CountingReader(archive.open(info), sink))
    assert extract.extract("a.ofd", data, "application/ofd", Limits(max_bytes=400)) == \
        extract.Result("关于冬季防火", "truncated", "too_large")


def test_a_highly_compressed_member_is_not_opened():
    bomb = samples.ofd_bomb(20, text="关于冬季防火")
    assert extract.extract("通知.ofd", bomb, "application/ofd", Limits(max_ratio=200)) == \
        extract.Result("", "failed", "too_large")


def test_the_ofd_page_limit():
    data = samples.ofd(*[[f"第{n}页"] for n in range(5)])
    assert extract.extract("a.ofd", data, "application/ofd", Limits(max_pages=3)) == \
        extract.Result("第0页\n第1页\n第2页", "truncated", "pages")
    assert extract.extract("a.ofd", data, "application/ofd", Limits(max_pages=5)) == \
        extract.Result("第0页\n第1页\n第2页\n第3页\n第4页", "done", "")


def test_the_pdf_page_limit_keeps_the_text_of_the_pages_read():
    data = samples.pdf("Page one", "Page two", "Page three")
    assert extract.extract("a.pdf", data, "application/pdf", Limits(max_pages=2)) == \
        extract.Result("Page one\nPage two", "truncated", "pages")
    assert extract.extract("a.pdf", data, "application/pdf") == \
        extract.Result("Page one\nPage two\nPage three", "done", "")


def test_the_character_limit():
    data = samples.docx(*["森林防火" * 100] * 600)  # 240,000 characters
    result = extract.extract("a.docx", data)
    assert (len(result.text), result.status, result.note) == (extract.MAX_CHARS, "truncated", "characters")


def test_the_time_limit_is_checked_inside_the_extraction(monkeypatch):
    """A clock that advances one second each time it is read: the extraction stops after five
    readings, in the middle of the document, keeping what it read."""
    import itertools
    import types

    data = samples.docx(*[f"第{n}段" for n in range(5000)])
    monkeypatch.setattr(extract, "time", types.SimpleNamespace(monotonic=itertools.count().__next__))
    result = extract.extract("a.docx", data, "", Limits(seconds=5))
    assert (result.status, result.note) == ("truncated", "time")
    assert result.text.startswith("第0段\n第1段") and "第4999段" not in result.text


def test_a_password_protected_pdf_fails_with_a_note():
    import io

    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(samples.pdf("Secret")))
    writer.encrypt(user_password="mima", owner_password="mima")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert extract.extract("a.pdf", buffer.getvalue(), "application/pdf") == \
        extract.Result("", "failed", "encrypted")


def test_the_text_is_stored_and_the_document_found_by_it(dp, register_doc, media):
    doc = register_doc(files=[upload("通知.docx", samples.docx("请各乡镇开展森林防火检查"))])
    att = doc.attachments.get()
    assert list(selectors.register(dp.clerk, selectors.RegisterFilters(q="森林防火"), office=True)) == []
    assert run(att)[0] == E.DONE
    assert state(att) == (E.DONE, "")
    assert att.text == "请各乡镇开展森林防火检查"
    assert list(selectors.register(dp.clerk, selectors.RegisterFilters(q="森林防火"), office=True)) == [doc]


def test_a_docx_saved_as_doc_is_extracted_by_its_detected_type(dp, register_doc, media):
    doc = register_doc(files=[upload("另存.doc", samples.docx("冬季安全生产"))])
    att = doc.attachments.get()
    assert att.extraction == E.PENDING
    assert run(att)[0] == E.DONE
    assert state(att) == (E.DONE, "")
    assert att.text == "冬季安全生产"


def test_running_twice_does_no_harm_and_a_vanished_attachment_is_skipped(dp, register_doc, media):
    doc = register_doc(files=[upload("说明.txt", "森林防火说明".encode())])
    att = doc.attachments.get()
    assert run(att)[0] == E.DONE
    DocumentAttachment.objects.filter(pk=att.pk).update(text="已提取")
    assert run(att)[0] == "skipped"
    att.refresh_from_db()
    assert (att.text, att.extraction, att.extraction_attempts) == ("已提取", E.DONE, 1)
    assert extract_attachment_text.apply(args=[999_999]).get() == "skipped"


def test_an_extraction_that_died_with_its_worker_is_taken_up_again_then_given_up(dp, register_doc, media):
    doc = register_doc(files=[upload("说明.txt", "森林防火说明".encode())])
    att = doc.attachments.get()
    long_ago = timezone.now() - dt.timedelta(seconds=EXTRACT_HARD_LIMIT + 5)
    DocumentAttachment.objects.filter(pk=att.pk).update(extraction=E.RUNNING, extraction_started_at=timezone.now(),
                                                        extraction_attempts=1)
    assert run(att)[0] == "skipped"  # still running elsewhere
    DocumentAttachment.objects.filter(pk=att.pk).update(extraction_started_at=long_ago)
    assert run(att)[0] == E.DONE
    att.refresh_from_db()
    assert (att.text, att.extraction_attempts) == ("森林防火说明", 2)
    DocumentAttachment.objects.filter(pk=att.pk).update(extraction=E.RUNNING, extraction_started_at=long_ago,
                                                        extraction_attempts=3, text="")
    assert run(att)[0] == E.FAILED
    assert state(att) == (E.FAILED, Note.STOPPED)


def test_celerys_soft_time_limit_leaves_a_note(dp, register_doc, media, monkeypatch):
    doc = register_doc(files=[upload("说明.txt", "森林防火说明".encode())])
    att = doc.attachments.get()

    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(extract, "extract", too_slow)
    assert run(att)[0] == E.FAILED
    assert state(att) == (E.FAILED, Note.TIME)


def test_a_missing_stored_file_leaves_a_note(dp, register_doc, media):
    doc = register_doc(files=[upload("说明.txt", "森林防火说明".encode())])
    att = doc.attachments.get()
    (media / att.file.name).unlink()
    assert run(att)[0] == E.FAILED
    assert state(att) == (E.FAILED, Note.DAMAGED)


def test_the_sweep_queues_what_never_ran(dp, register_doc, media, eager_celery):
    doc = register_doc(files=[upload("说明.txt", "森林防火说明".encode()), upload("通知.pdf", samples.pdf("Notice"))])
    assert set(doc.attachments.values_list("extraction", flat=True)) == {E.PENDING}
    assert extraction_sweep.apply().get() == 2
    assert {a.name: (a.extraction, a.text) for a in doc.attachments.all()} == {
        "说明.txt": (E.DONE, "森林防火说明"), "通知.pdf": (E.DONE, "Notice")}
    assert extraction_sweep.apply().get() == 0


def test_the_document_page_says_what_happened_to_each_attachment(client, dp, register_doc, media):
    doc = register_doc(files=[upload("a.pdf", samples.empty_pages_pdf(400)), upload("b.txt", "说明".encode()),
                              upload("c.ofd", samples.ofd_bomb(700))])
    client.force_login(dp.clerk)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert page.count("正在提取附件文字，稍后即可全文检索。") == 3
    for att in doc.attachments.all():
        run(att)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert page.count('data-testid="extraction-note"') == 2
    assert "附件文字只提取了一部分：页数超过检索提取的上限。" in page
    assert "附件文字未能提取：文件解压后的数据量超过上限。" in page


def test_registration_with_eager_tasks_extracts_after_the_commit(
        dp, register_doc, media, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = register_doc(files=[upload("通知.ofd", samples.ofd(["关于冬季防火"], ["第二页"]))])
    att = doc.attachments.get()
    assert (att.text, att.extraction) == ("关于冬季防火\n第二页", E.DONE)



@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_extracts_after_the_registration_commits(dp, register_doc, media, tmp_path):
    """The issue's two hostile files registered through the real path: the registration commits
    at once, a Celery worker process (real Redis, the test database) picks the tasks up after
    the commit and ends each within its limits, with a note; the text attachment is indexed."""
    import os
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    from config.celery import app
    from tests.office.test_worker import database_url_of_test_db

    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, DATABASE_URL=database_url_of_test_db(), CELERY_QUEUE=queue,
               DB_CONN_MAX_AGE="0", MEDIA_ROOT=str(media))
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q", queue,
         "-l", "info", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=Path(__file__).resolve().parents[2], env=env, stdout=log.open("wb"),
        stderr=subprocess.STDOUT, start_new_session=True)
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        files = [upload("通知.ofd", samples.ofd_bomb(700)), upload("附件.pdf", samples.empty_pages_pdf(100_000)),
                 upload("说明.txt", "请各乡镇开展森林防火检查".encode())]
        ready = time.monotonic() + 60  # nor the worker starting up beside us on two shared cores
        while "ready." not in log.read_text(errors="replace") and time.monotonic() < ready:
            time.sleep(0.2)
        started = time.monotonic()
        doc = register_doc(files=files)  # commits, then queues the three extractions
        registration = time.monotonic() - started
        assert registration < 1, registration
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if not doc.attachments.filter(extraction__in=[E.PENDING, E.RUNNING]).exists():
                break
            time.sleep(0.3)
        output = log.read_text(errors="replace")
        assert {a.name: (a.extraction, a.extraction_note) for a in doc.attachments.all()} == {
            "通知.ofd": (E.FAILED, Note.TOO_LARGE), "附件.pdf": (E.TRUNCATED, Note.PAGES),
            "说明.txt": (E.DONE, "")}, output[-3000:]
        assert "documents.tasks.extract_attachment_text" in output
        assert list(selectors.register(dp.clerk, selectors.RegisterFilters(q="森林防火"), office=True)) == [doc]
    finally:
        app.conf.task_default_queue = previous_queue
        worker.terminate()
        worker.wait(timeout=20)
