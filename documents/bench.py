"""Incoming documents in `make bench`: 200,000 documents over five years; registration
throughput through the real workflow; the board, the register and search measured."""

from __future__ import annotations

import datetime as dt
import random
import time
import urllib.parse

from config.bench import BENCH_USER, register

TOPICS = ["冬季安全生产", "森林防火", "防汛抗旱", "优化营商环境", "乡村振兴", "疫情防控", "食品安全",
          "安全隐患排查", "农田水利建设", "老旧小区改造", "义务教育", "医疗保障", "生态环境保护",
          "招商引资", "政务公开", "信访维稳", "财政预算", "审计整改", "统计调查", "交通运输"]
FORMS = ["关于做好{}工作的通知", "关于开展{}专项检查的通知", "关于{}情况的报告", "关于申请{}资金的请示",
         "关于印发{}实施方案的通知", "关于{}工作的函"]
# one document in a hundred is about people: the names clerks type (喆 is in few titles)
NAMES = ["王喆", "李堃", "张珺", "刘昇", "陈镕", "赵晓燕", "孙立新", "周建华"]
PERSONNEL = ["关于{}同志职务任免的通知", "关于{}等同志挂职锻炼的函", "关于表彰{}同志的决定"]
# (full name, short name, 机关代字) of 20 county departments; 20 more senders without a short name
DEPARTMENTS = [
    ("某县卫生健康局", "县卫健局", "县卫健"), ("某县财政局", "县财政局", "县财"), ("某县教育局", "县教育局", "县教"),
    ("某县应急管理局", "县应急局", "县应急"), ("某县自然资源局", "县自然资源局", "县自然资"),
    ("某县住房和城乡建设局", "县住建局", "县住建"), ("某县农业农村局", "县农业农村局", "县农"),
    ("某县市场监督管理局", "县市场监管局", "县市监"), ("某县人力资源和社会保障局", "县人社局", "县人社"),
    ("某县生态环境局", "县生态环境局", "县环"), ("某县交通运输局", "县交通局", "县交"),
    ("某县水利局", "县水利局", "县水"), ("某县民政局", "县民政局", "县民"), ("某县公安局", "县公安局", "县公"),
    ("某县审计局", "县审计局", "县审"), ("某县统计局", "县统计局", "县统"), ("某县商务局", "县商务局", "县商"),
    ("某县文化和旅游局", "县文旅局", "县文旅"), ("某县发展和改革局", "县发改局", "县发改"),
    ("某县林业局", "县林业局", "县林"),
]
SENTENCES = ["各乡镇人民政府、县直各部门要高度重视{}工作，切实加强组织领导，明确责任分工。",
             "请于每月5日前将{}工作进展情况报县政府办公室，联系人：李明，电话：6123456。",
             "要坚持问题导向，对{}中发现的问题建立台账，逐项整改销号，确保按期完成。",
             "县财政局要统筹安排{}资金，县审计局要加强对资金使用情况的监督检查。",
             "对工作不力、推诿扯皮造成严重后果的，依规依纪严肃追究相关单位和人员责任。",
             "附件：{}工作责任分工表（共3页），请各单位对照抓好落实。"]


def attachment_text(rng, topic: str, chars: int = 1500) -> str:
    parts = []
    while sum(map(len, parts)) < chars:
        parts.append(rng.choice(SENTENCES).format(rng.choice(TOPICS if rng.random() < 0.5 else [topic])))
    return "".join(parts)


PENDING = 40  # documents still at the intake desk (what the intake sweep works on)


def seed(size: int, total: int | None = None) -> None:
    """``200 × size`` documents over five years (200,000 at the full size 1,000) from 40 senders
    (20 with a short name and a 机关代字), 1% about people by name, 5% with 1,500 characters of
    attachment text; all archived but the ``PENDING`` latest, still at the intake desk."""
    total = total or 200 * size
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from documents import search
    from documents.models import DocumentSettings, DocumentType, IncomingDocument, Status
    from office import roles
    from office.docnumbers import number_key
    from office.models import Counter, Unit, User

    if IncomingDocument.objects.filter(number__startswith="压收").exists():
        return
    clerk = User.objects.get(username=BENCH_USER)
    office_unit = clerk.unit
    conf = DocumentSettings.load()
    conf.office_unit = office_unit
    conf.save()
    clerk.groups.add(Group.objects.get(name=roles.CLERK))
    senders = [Unit.objects.create(code=f"BS{i:03d}", name=name, short_name=short, kind="department")
               for i, (name, short, _code) in enumerate(DEPARTMENTS)]
    senders += [Unit.objects.create(code=f"BS{i:03d}", name=f"压测来文单位{i}", kind="department")
                for i in range(len(DEPARTMENTS), 40)]
    codes = {s.pk: (DEPARTMENTS[i][2] if i < len(DEPARTMENTS) else f"压发{i}") for i, s in enumerate(senders)}
    types = list(DocumentType.objects.all())
    topics = {f.format(t): t for f in FORMS for t in TOPICS}
    titles = list(topics)
    people = [f.format(n) for f in PERSONNEL for n in NAMES]
    rng = random.Random(11)
    now = timezone.now()
    batch, serials, numbers = [], {}, {}
    for _ in range(total):
        received = now - dt.timedelta(minutes=rng.randint(60, 5 * 365 * 24 * 60))
        serial = serials[received.year] = serials.get(received.year, 0) + 1
        title = rng.choice(people) if rng.random() < 0.01 else rng.choice(titles)
        sender = rng.choice(senders)
        seq = numbers[sender.pk, received.year] = numbers.get((sender.pk, received.year), 0) + 1
        sender_number = f"{codes[sender.pk]}〔{received.year}〕{seq}号"
        number = f"压收〔{received.year}〕{serial}号"
        attachments = [attachment_text(rng, topics.get(title, "人事"))] if rng.random() < 0.05 else []
        cleared = received + dt.timedelta(minutes=rng.randint(5, 600))
        batch.append(IncomingDocument(
            year=received.year, serial=serial, number=number, sender=sender,
            sender_number=sender_number, sender_number_key=number_key(sender_number), title=title,
            doc_type=rng.choice(types), handling=rng.choice(["read", "action"]),
            received_at=received, signed_by=clerk, registered_by=clerk, registered_at=received,
            due_at=received + dt.timedelta(hours=8), cleared_at=cleared, status=Status.ARCHIVED,
            search_vector=search.index_text([title, number, sender_number, sender.name, sender.short_name],
                                          attachments)))
        if len(batch) == 10_000:
            IncomingDocument.objects.bulk_create(batch)
            batch = []
    IncomingDocument.objects.bulk_create(batch)
    latest = IncomingDocument.objects.filter(number__startswith="压收").order_by("-received_at")[:PENDING]
    IncomingDocument.objects.filter(pk__in=list(latest.values_list("pk", flat=True))).update(
        status=Status.REGISTERED, cleared_at=None)
    for year, last in serials.items():  # registrations continue the yearly sequences
        Counter.objects.update_or_create(key="incoming", year=year, defaults={"value": last})
    with connection.cursor() as cursor:  # statistics, as autovacuum would gather them in a real office
        cursor.execute("ANALYZE documents_incomingdocument")


def _register_some(clerk_pk: int, sender_pks: list[int], doc_type_pk: int, run: int, year: int,
                   numbers: list[int], go, out) -> None:
    """One clerk (a process of its own, as a web worker is): registers ``numbers`` through the
    real step, each in its own transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    from documents import workflow
    from documents.models import DocumentType
    from office import numbering
    from office.models import Unit, User

    errors, held = [], []
    taken = numbering.Reservation.take

    def timed_take(self):  # how long the counter row stays locked: from its statement's end to the commit
        value = taken(self)
        started = time.perf_counter()
        transaction.on_commit(lambda: held.append(time.perf_counter() - started))
        return value

    numbering.Reservation.take = timed_take
    try:
        clerk = User.objects.get(pk=clerk_pk)
        senders = list(Unit.objects.filter(pk__in=sender_pks).order_by("pk"))
        doc_type = DocumentType.objects.get(pk=doc_type_pk)
        go.wait()
        for i in numbers:
            workflow.register(acting_user=clerk, sender=senders[i % len(senders)],
                              sender_number=f"吞吐{run}〔{year}〕{i + 1}号",
                              title=f"关于做好第{i + 1}批冬季安全生产检查工作的通知", doc_type=doc_type,
                              handling="read", received_at=timezone.now(), signed_by=clerk)
    except Exception as exc:  # noqa: BLE001 - reported in the result
        errors.append(repr(exc))
    finally:
        connection.close()
        out.put((errors, held))


def registration_throughput(size: int, n: int = 1600, clients: int = 8) -> dict:
    """``n`` registrations through the real step by ``clients`` parallel clerks, each a process
    with its own connection (as gunicorn workers are; threads would share one interpreter lock),
    committed: documents per second, duplicates and gaps of the 收文编号 (both must be 0)."""
    import multiprocessing

    from django.db import connections
    from django.utils import timezone

    from documents.models import DocumentType, IncomingDocument
    from office.models import Unit, User

    clerk = User.objects.get(username=BENCH_USER)
    senders = list(Unit.objects.filter(code__startswith="BS").order_by("code").values_list("pk", flat=True))
    doc_type = DocumentType.objects.get(name="通知")
    run = int(time.time())
    year = timezone.localdate().year
    first = (IncomingDocument.objects.filter(year=year).order_by("-serial").values_list("serial", flat=True)
             .first() or 0)
    connections.close_all()  # each process opens its own
    ctx = multiprocessing.get_context("fork")
    go, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_register_some, args=(clerk.pk, senders, doc_type.pk, run, year,
                                                      list(range(k, n, clients)), go, out))
             for k in range(clients)]
    for p in procs:
        p.start()
    time.sleep(2)  # every process connected and waiting
    started = time.perf_counter()
    go.set()
    results = [out.get() for _ in procs]
    seconds = time.perf_counter() - started
    errors = [e for errs, _held in results for e in errs]
    held = sorted(h for _errs, hs in results for h in hs)
    for p in procs:
        p.join()
    serials = sorted(IncomingDocument.objects.filter(year=year, serial__gt=first).values_list("serial", flat=True))
    # what was registered leaves the intake desk (the board shows every document waiting there)
    IncomingDocument.objects.filter(year=year, serial__gt=first, status="registered").update(
        status="archived", cleared_at=timezone.now())
    each = 1000 * seconds * clients / max(1, len(serials))
    return {"registrations": len(serials), "clients": clients, "per second": round(len(serials) / seconds, 1),
            "ms each": round(each, 1),
            "counter locked ms (median)": round(1000 * held[len(held) // 2], 2) if held else None,
            "duplicates": len(serials) - len(set(serials)),
            "gaps": (serials[-1] - first - len(serials)) if serials else 0, "errors": errors[:3]}


def circulate_to_60(size: int, rounds: int = 10) -> dict:
    """Circulating a registered document to 60 readers through the real step (rolled back)."""
    import statistics

    from django.db import transaction
    from django.utils import timezone

    from documents import workflow
    from documents.models import DocumentType
    from office.models import Unit, User

    clerk = User.objects.get(username=BENCH_USER)
    sender = Unit.objects.get(code="BS000")
    doc_type = DocumentType.objects.get(name="通知")
    readers = list(User.objects.filter(username__startswith="bench", unit__kind="section", is_active=True)
                   .exclude(username=BENCH_USER).select_related("unit").order_by("pk")[:60])
    timings = []
    with transaction.atomic():
        for i in range(rounds):
            doc = workflow.register(acting_user=clerk, sender=sender, sender_number=f"传阅{i}〔2026〕1号",
                                    title="关于做好冬季安全生产工作的通知", doc_type=doc_type, handling="read",
                                    received_at=timezone.now(), signed_by=clerk)
            started = time.perf_counter()
            workflow.circulate(document=doc, acting_user=clerk, readers=readers)
            timings.append(time.perf_counter() - started)
        transaction.set_rollback(True)
    return {"readers": len(readers), "median ms": round(1000 * statistics.median(timings), 1),
            "best ms": round(1000 * min(timings), 1), "target ms": 30}


def intake_sweep_twice(size: int) -> dict:
    """The intake desk's reminder sweep (documents.reminders), run twice: the second sends nothing."""
    from documents import reminders

    started = time.perf_counter()
    first = reminders.sweep()
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = reminders.sweep()
    return {"first run s": round(first_s, 3), "sent": first.sent, "overdue": first.overdue,
            "second run s": round(time.perf_counter() - started, 3), "second run sent": second.sent}


def index_attachment_text(size: int, n: int = 20) -> dict:
    """Indexing a document whose attachment text is at the indexing bound (50,000 characters):
    what ``documents.tasks.extract_attachment_text`` adds after it stores the text."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from documents import search, workflow
    from documents.models import DocumentAttachment, DocumentType, IncomingDocument
    from office.models import Unit, User

    clerk = User.objects.get(username=BENCH_USER)
    sender = Unit.objects.get(code="BS001")
    doc_type = DocumentType.objects.get(name="通知")
    # about 25,000 different character pairs each: a long real text has about that many
    pool = sorted({c for t in SENTENCES + TOPICS + NAMES + [d[0] for d in DEPARTMENTS] for c in t if c > "\u4e00"})
    texts = []
    for i in range(n):
        rng = random.Random(i)
        prose = attachment_text(rng, "森林防火", search.MAX_ATTACHMENT_CHARS // 2)
        texts.append(prose + "".join(rng.choice(pool) for _ in range(search.MAX_ATTACHMENT_CHARS - len(prose))))
    seconds = 0.0
    with transaction.atomic():
        for i, text in enumerate(texts):
            doc = workflow.register(acting_user=clerk, sender=sender, sender_number=f"附件〔2026〕{i + 1}号",
                                    title="关于印发森林防火实施方案的通知", doc_type=doc_type,
                                    handling="read", received_at=timezone.now(), signed_by=clerk)
            DocumentAttachment.objects.create(document=doc, file="bench/方案.txt", name="方案.txt",
                                              size=len(text.encode()), text=text)
            started = time.perf_counter()
            workflow.reindex(IncomingDocument.objects.select_related("sender").get(pk=doc.pk))
            seconds += time.perf_counter() - started
        tokens = len(search.index_text([], texts[:1]).split())
        transaction.set_rollback(True)
    return {"documents": n, "attachment chars": len(texts[0]), "tokens": tokens,
            "ms each": round(1000 * seconds / n, 1)}


def _q(q: str, extra: str = "") -> str:
    return "/documents/?" + urllib.parse.urlencode({"q": q}) + extra


register(seeder=("documents", seed))
register(operation=("documents registration, 8 parallel clients (real step)", registration_throughput))
register(operation=("documents intake sweep", intake_sweep_twice))
register(operation=("documents circulate to 60 readers", circulate_to_60))
register(operation=("documents indexing, 50,000-character attachment", index_attachment_text))
register(page=("documents board", "/documents/board/", BENCH_USER))
register(page=("documents register", "/documents/", BENCH_USER))
register(page=("documents register, 2026, page 30", "/documents/?date_from=2026-01-01&page=30", BENCH_USER))
register(page=("documents search 森林防火", _q("森林防火"), BENCH_USER))
register(page=("documents search 营商环境 + date", _q("营商环境", "&date_from=2025-01-01"), BENCH_USER))
register(page=("documents search 卫健", _q("卫健"), BENCH_USER))
register(page=("documents search 喆", _q("喆"), BENCH_USER))
register(page=("documents search 安全生产", _q("安全生产"), BENCH_USER))
register(page=("documents search 安全生产 + 2026", _q("安全生产", "&date_from=2026-01-01"), BENCH_USER))
register(page=("documents search 县卫健[2026]07号", _q("县卫健[2026]07号"), BENCH_USER))
register(page=("documents search 通知 (broad)", _q("通知"), BENCH_USER))

from documents.outgoing import bench as _outgoing_bench  # noqa: E402,F401  (registers its seeder, pages, operations)
