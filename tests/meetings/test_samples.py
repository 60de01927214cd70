"""`render_samples` writes the 纪要, the notice and the discipline report; nothing is kept."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from meetings import printing
from meetings.models import Meeting
from office import printing as office_printing
from office.models import Unit

pytestmark = pytest.mark.django_db


def test_render_samples_writes_the_meeting_documents(tmp_path, monkeypatch, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(office_printing, "_samples", {})
    printing.register_samples()
    out = tmp_path / "out"
    call_command("render_samples", str(out), stdout=io.StringIO())
    files = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(files) == {"会议纪要.pdf", "会议通知.pdf", "会风会纪通报.pdf", "会风会纪通报.xlsx"}
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(files["会议纪要.pdf"])).pages).replace(" ", "")
    assert "某县人民政府常务会议纪要" in text and "县政常纪〔" in text and "出席：" in text and "请假：" in text
    openpyxl.load_workbook(io.BytesIO(files["会风会纪通报.xlsx"]))
    assert not Meeting.objects.exists()
    assert not Unit.objects.filter(code__startswith="sample-").exists()


def test_a_summary_not_signed_off_prints_as_a_draft(mp, staged):
    import datetime as dt

    from django.utils import timezone

    held = staged("held", start=timezone.now() - dt.timedelta(days=1))
    doc = printing.summary_document(held.summary)
    assert (doc.number, doc.format, doc.masthead) == ("（草稿）", "minutes", "某县人民政府常务会议纪要")
    assert doc.absent == "李副县长"
