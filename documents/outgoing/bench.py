"""Outgoing documents in `make bench`: 100,000 documents over five years (numbered);
number assignment by 8 parallel clients; the register, a search and a document page measured."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
import urllib.parse

from django.utils import timezone

from config.bench import BENCH_USER, register

TOPICS = ["冬季安全生产", "森林防火", "防汛抗旱", "优化营商环境", "乡村振兴", "食品安全", "农村饮水安全",
          "老旧小区改造", "义务教育", "医疗保障", "生态环境保护", "招商引资", "政务公开", "信访维稳"]
CODES = [("某政发", "某县人民政府"), ("某政函", "某县人民政府"), ("某政办发", "某县人民政府办公室"),
         ("某政办函", "某县人民政府办公室")]


def _setup():
    from documents.models import DocumentSettings, DocumentType
    from documents.outgoing.models import AuthorityLevel, DocumentCode, IssuingAuthority
    from office.models import Unit, User

    clerk = User.objects.get(username=BENCH_USER)
    conf = DocumentSettings.load()
    if conf.office_unit_id is None or conf.office_unit_id != clerk.unit_id:
        conf.office_unit = clerk.unit
        conf.save()
    leader_unit, _ = Unit.objects.get_or_create(code="BLD", defaults={"name": "某县人民政府领导班子（压测）",
                                                                      "kind": Unit.Kind.LEADERSHIP})
    authorities = {}
    for name, level in (("某县人民政府", AuthorityLevel.GOVERNMENT), ("某县人民政府办公室", AuthorityLevel.OFFICE)):
        authorities[name], _ = IssuingAuthority.objects.get_or_create(
            name=name, defaults={"masthead": f"{name}文件", "level": level, "unit": leader_unit})
    codes = {}
    for code, authority in CODES:
        codes[code], _ = DocumentCode.objects.get_or_create(code=code, defaults={"authority": authorities[authority]})
    return clerk, authorities, codes, DocumentType.objects.get(name="通知")


def seed(size: int, total: int | None = None) -> None:
    """``100 × size`` dispatched documents (100,000 at the full size 1,000) over five years,
    numbered per code and year, indexed for search (titles and numbers)."""
    total = total or 100 * size
    from django.db import connection

    from documents import search
    from documents.outgoing.models import IssuedNumber, OutgoingDocument
    from office.docnumbers import format_number, number_key
    from office.models import Counter

    clerk, _authorities, codes, tongzhi = _setup()
    if OutgoingDocument.objects.count() >= total:
        return
    rng = random.Random(7)
    today = timezone.localdate()
    serials: dict[tuple[str, int], int] = {}
    docs = []
    for _ in range(total):
        code = rng.choice(list(codes))
        signed = today - dt.timedelta(days=int(rng.random() * 5 * 365))
        year = signed.year
        serial = serials.get((code, year), 0) + 1
        serials[(code, year)] = serial
        topic = rng.choice(TOPICS)
        title = f"{codes[code].authority.name}关于做好{topic}工作的通知"
        number = format_number(code, year, serial)
        docs.append(OutgoingDocument(
            doc_type=tongzhi, authority=codes[code].authority, code=codes[code], title=title,
            body=f"一、提高认识\n各单位要高度重视{topic}工作。\n二、落实责任\n请于月底前报送情况。",
            drafting_unit=clerk.unit, drafter=clerk, status="dispatched", signed_on=signed, year=year,
            serial=serial, number=number, number_key=number_key(number),
            search_vector=search.index_text([title, number], []), printing_unit=codes[code].authority.name))
        if len(docs) == 5000:
            _flush(docs, clerk)
            docs = []
    _flush(docs, clerk)
    for (code, year), last in serials.items():
        Counter.objects.update_or_create(key=f"outgoing:{code}", year=year, defaults={"value": last})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE documents_outgoingdocument")
        cursor.execute("ANALYZE documents_issuednumber")
    assert IssuedNumber.objects.exists()


def _flush(docs, clerk) -> None:
    from documents.outgoing.models import IssuedNumber, OutgoingDocument

    created = OutgoingDocument.objects.bulk_create(docs)
    IssuedNumber.objects.bulk_create([
        IssuedNumber(code_id=d.code_id, year=d.year, serial=d.serial, number=d.number, number_key=d.number_key,
                     document=d, given_by=clerk)
        for d in created])


def numbering_throughput(size: int, n: int = 400, clients: int = 8) -> dict:
    """Numbers given by ``clients`` parallel clerks through the real step: numbers per second,
    duplicates (must be 0) and gaps (must be 0)."""
    from django.db import connection

    from documents.outgoing import workflow
    from documents.outgoing.models import DocumentCode, IssuedNumber, OutgoingDocument
    clerk, authorities, _codes, tongzhi = _setup()
    code, _ = DocumentCode.objects.get_or_create(code=f"压测{int(time.time())}", defaults={
        "authority": authorities["某县人民政府办公室"]})
    year = timezone.localdate().year
    docs = OutgoingDocument.objects.bulk_create([
        OutgoingDocument(doc_type=tongzhi, authority=code.authority, code=code, title=f"压测文件{i}", body="正文",
                         drafting_unit=clerk.unit, drafter=clerk, status="numbering", signed_on=timezone.localdate())
        for i in range(n)])
    queue = list(docs)
    lock = threading.Lock()
    errors = []

    def work():
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    doc = queue.pop()
                workflow.assign_number(document=doc, acting_user=clerk)
        except Exception as exc:  # noqa: BLE001 - reported in the result
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    serials = sorted(IssuedNumber.objects.filter(code=code, year=year).values_list("serial", flat=True))
    return {"numbers": len(serials), "clients": clients, "per second": round(len(serials) / seconds, 1),
            "duplicates": len(serials) - len(set(serials)), "gaps": (serials[-1] - len(serials)) if serials else 0,
            "errors": errors[:3]}


def _q(q: str) -> str:
    return "/documents/outgoing/?" + urllib.parse.urlencode({"q": q})


def _a_document() -> str:
    from documents.outgoing.models import OutgoingDocument

    doc = OutgoingDocument.objects.filter(status="dispatched").order_by("-pk").first()
    return f"/documents/outgoing/{doc.pk}/" if doc else "/documents/outgoing/"


register(seeder=("outgoing", seed))
register(operation=("outgoing numbering, 8 parallel clients (real step)", numbering_throughput))
register(page=("outgoing register", "/documents/outgoing/", BENCH_USER))
register(page=("outgoing register, search 农村饮水", _q("农村饮水"), BENCH_USER))
register(page=("outgoing register, search by number", _q("某政办发[2025]12号"), BENCH_USER))
register(page=("outgoing document page", _a_document, BENCH_USER))
