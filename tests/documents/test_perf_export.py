"""Exports never block: the register is streamed as it is written, in constant memory, fast."""

import datetime as dt
import io
import time
import tracemalloc
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from documents import printing
from documents.models import DocumentType, IncomingDocument

SH = ZoneInfo("Asia/Shanghai")


def fake_documents(n: int):
    """``n`` documents as the register reads them, generated one at a time (no database)."""
    start = dt.datetime(2026, 1, 1, 8, 0, tzinfo=SH)
    sender = SimpleNamespace(short_name="县财政局", name="某县财政局")
    doc_type = SimpleNamespace(name="通知")
    for i in range(n):
        received = start + dt.timedelta(minutes=13 * i)
        yield SimpleNamespace(
            number=f"收〔2026〕{i + 1}号", received_at=received, sender=sender,
            sender_number=f"县财〔2026〕{i + 1}号", title=f"关于做好第{i + 1}批冬季安全生产检查工作的通知",
            doc_type=doc_type, secrecy="secret" if i % 50 == 0 else "", secrecy_years=10,
            urgency="jiaji" if i % 7 == 0 else "", copies=1, pages=3, handling="read" if i % 2 else "action",
            status="archived", closed_at=received + dt.timedelta(days=2))


def drain(chunks) -> int:
    return sum(len(c) for c in chunks)


def peak_mib(n: int) -> float:
    tracemalloc.start()
    try:
        drain(printing.register_stream(fake_documents(n)))
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_a_40000_row_register_streams_in_constant_memory_and_under_5_seconds():
    started = time.perf_counter()
    size = drain(printing.register_stream(fake_documents(40_000)))
    seconds = time.perf_counter() - started
    assert seconds <= 5, seconds
    assert size > 500_000  # compressed; about 2.5 MB of sheet XML
    small, large = peak_mib(4_000), peak_mib(40_000)
    assert large <= 50, large
    assert large < small + 5, (small, large)  # constant: ten times the rows, not more memory


def test_the_streamed_file_is_the_register(db):
    data = b"".join(printing.register_stream(fake_documents(1_200)))
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2 + 1_200
    assert rows[2][:3] == ("收〔2026〕1号", dt.datetime(2026, 1, 1, 8, 0), "县财政局")  # noqa: DTZ001
    assert rows[2][6] == "秘密★10年" and rows[3][6] is None
    assert rows[-1][0] == "收〔2026〕1200号"


@pytest.mark.django_db
def test_the_download_is_streamed_with_one_query_for_the_rows(client, dp, register_doc,
                                                             django_assert_max_num_queries):
    doc_type = DocumentType.objects.get(name="通知")
    for i in range(3):
        register_doc(sender_number=f"某政办发〔2026〕{60 + i}号", doc_type=doc_type)
    client.force_login(dp.clerk)
    response = client.get(reverse("documents:register_export"))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith("attachment;")
    with django_assert_max_num_queries(1):  # the rows, read while the response is sent
        data = b"".join(response.streaming_content)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.max_row == 2 + IncomingDocument.objects.count() == 5
