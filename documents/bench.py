"""Incoming documents in `make bench`: 200,000 documents over five years; registration
throughput through the real workflow; the board, the register and search measured."""

from __future__ import annotations

import datetime as dt
import random
import time

from config.bench import BENCH_USER, register

TOPICS = ["冬季安全生产", "森林防火", "防汛抗旱", "优化营商环境", "乡村振兴", "疫情防控", "食品安全",
          "安全隐患排查", "农田水利建设", "老旧小区改造", "义务教育", "医疗保障", "生态环境保护",
          "招商引资", "政务公开", "信访维稳", "财政预算", "审计整改", "统计调查", "交通运输"]
FORMS = ["关于做好{}工作的通知", "关于开展{}专项检查的通知", "关于{}情况的报告", "关于申请{}资金的请示",
         "关于印发{}实施方案的通知", "关于{}工作的函"]


def seed(size: int, total: int = 200_000) -> None:
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from documents import search
    from documents.models import DocumentSettings, DocumentType, IncomingDocument, Status
    from office import roles
    from office.models import Counter, Unit, User

    if IncomingDocument.objects.filter(number__startswith="压收").exists():
        return
    clerk = User.objects.get(username=BENCH_USER)
    office_unit = clerk.unit
    conf = DocumentSettings.load()
    conf.office_unit = office_unit
    conf.save()
    clerk.groups.add(Group.objects.get(name=roles.CLERK))
    senders = [Unit.objects.create(code=f"BS{i:03d}", name=f"压测来文单位{i}", kind="department")
               for i in range(40)]
    types = list(DocumentType.objects.all())
    titles = [f.format(t) for f in FORMS for t in TOPICS]
    segmented = {t: search.segment(t) for t in titles}
    rng = random.Random(11)
    now = timezone.now()
    batch, serials = [], {}
    for i in range(total):
        received = now - dt.timedelta(minutes=rng.randint(60, 5 * 365 * 24 * 60))
        serial = serials[received.year] = serials.get(received.year, 0) + 1
        title = rng.choice(titles)
        sender = rng.choice(senders)
        cleared = received + dt.timedelta(minutes=rng.randint(5, 600))
        batch.append(IncomingDocument(
            year=received.year, serial=serial, number=f"压收〔{received.year}〕{serial}号",
            sender=sender, sender_number=f"压发〔{received.year}〕{i + 1}号", title=title,
            doc_type=rng.choice(types), handling=rng.choice(["read", "action"]),
            received_at=received, signed_by=clerk, registered_by=clerk, registered_at=received,
            due_at=received + dt.timedelta(hours=8), cleared_at=cleared, status=Status.ARCHIVED,
            search_text=f"{segmented[title]} {sender.name} {i + 1}"))
        if len(batch) == 10_000:
            IncomingDocument.objects.bulk_create(batch)
            batch = []
    IncomingDocument.objects.bulk_create(batch)
    for year, last in serials.items():  # registrations continue the yearly sequences
        Counter.objects.update_or_create(key="incoming", year=year, defaults={"value": last})


def registration_throughput(size: int, n: int = 200) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from documents import workflow
    from documents.models import DocumentType
    from office.models import Unit, User

    clerk = User.objects.get(username=BENCH_USER)
    sender = Unit.objects.get(code="BS000")
    doc_type = DocumentType.objects.get(name="通知")
    started = time.perf_counter()
    with transaction.atomic():
        for i in range(n):
            workflow.register(acting_user=clerk, sender=sender, sender_number=f"吞吐〔2026〕{i + 1}号",
                              title=f"关于做好第{i + 1}批冬季安全生产检查工作的通知", doc_type=doc_type,
                              handling="read", received_at=timezone.now(), signed_by=clerk)
        transaction.set_rollback(True)
    seconds = time.perf_counter() - started
    return {"registrations": n, "seconds": round(seconds, 2), "per second": round(n / seconds, 1),
            "ms each": round(1000 * seconds / n, 1)}


register(seeder=("documents", seed))
register(operation=("documents registration (real workflow)", registration_throughput))
register(page=("documents board", "/documents/board/", BENCH_USER))
register(page=("documents register", "/documents/", BENCH_USER))
register(page=("documents register, 2026, page 30", "/documents/?date_from=2026-01-01&page=30", BENCH_USER))
register(page=("documents search 森林防火", "/documents/?q=%E6%A3%AE%E6%9E%97%E9%98%B2%E7%81%AB", BENCH_USER))
register(page=("documents search 营商环境 + date",
               "/documents/?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83&date_from=2025-01-01", BENCH_USER))
