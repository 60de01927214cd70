"""The bulletin as a PDF (``office.pdf``): a red masthead 《某县政讯》 with the issue number (第N期,
专版 marked), the editing office and the date over a red rule, the contents, then the articles.
A sample for ``manage.py render_samples``."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from office import pdf
from office.models import OfficeSettings

BULLETIN_NAME = "某县政讯"

CSS = """
@page { size: A4; margin: 20mm 22mm 22mm 22mm; }
.masthead { text-align: center; color: #e60000; font-family: var(--zb-song); font-size: 40pt; font-weight: bold;
            letter-spacing: 6pt; margin: 0 0 2mm 0; }
.special { text-align: center; color: #e60000; font-family: var(--zb-hei); font-size: 16pt; margin: 0 0 2mm 0; }
.number { text-align: center; font-family: var(--zb-kai); font-size: 14pt; margin: 0 0 3mm 0; }
.issuer { display: flex; justify-content: space-between; font-family: var(--zb-fangsong); font-size: 12pt; }
.rule { border-top: 2pt solid #e60000; margin: 2mm 0 6mm 0; }
.contents h2 { font-size: 14pt; text-align: center; }
.contents ol { font-family: var(--zb-fangsong); font-size: 12pt; }
article { page-break-before: always; }
article h3 { font-family: var(--zb-hei); font-size: 16pt; text-align: center; }
article .by { text-align: center; font-family: var(--zb-kai); font-size: 12pt; }
article p { text-indent: 2em; font-family: var(--zb-fangsong); font-size: 14pt; line-height: 1.7; margin: 0; }
"""


def chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def issue_pdf(issue, articles) -> bytes:
    day = timezone.localdate(issue.published_at) if issue.published_at else timezone.localdate()
    number = f"{issue.year}年第{issue.number}期" if issue.number else f"{issue.year}年（待编号）"
    return pdf.render(
        "research/pdf/bulletin.html",
        {
            "name": BULLETIN_NAME,
            "issue": issue,
            "number": number,
            "date": chinese_date(day),
            "office_name": OfficeSettings.load().office_name,
            "articles": [
                {
                    "title": a.report.title,
                    "author": a.report.author.get_full_name(),
                    "paragraphs": [p.strip() for p in a.report.body.splitlines() if p.strip()],
                }
                for a in articles
            ],
        },
        extra_css=CSS,
    )


def sample() -> bytes:
    issue = SimpleNamespace(
        year=2026, number=7, special=True, special_title="优化营商环境调研专版", published_at=timezone.now()
    )
    reports = [
        (
            "关于我县民营企业融资难问题的调研报告",
            "何思源",
            "为深入了解我县民营企业融资情况，县政府办公室调研组深入12家企业、5家金融机构实地走访。\n"
            "调研发现，企业融资难主要表现在抵押物不足、融资成本偏高、审批周期较长三个方面。\n"
            "建议：一是扩大政府性融资担保覆盖面；二是推广“信易贷”等信用融资产品；三是建立银企对接常态化机制。",
        ),
        (
            "“一网通办”改革成效与下一步建议",
            "马佳丽",
            "今年以来，我县“一网通办”可网办事项达到百分之九十五，平均办理时限压缩六成。\n"
            "下一步，建议加快电子证照共享应用，推动更多事项“秒批秒办”。",
        ),
    ]
    articles = [
        SimpleNamespace(report=SimpleNamespace(title=t, body=b, author=SimpleNamespace(get_full_name=lambda a=a: a)))
        for t, a, b in reports
    ]
    return issue_pdf(issue, articles)


def register_samples() -> None:
    from office.printing import register_sample

    register_sample("research-bulletin", lambda: ("某县政讯.pdf", sample()))
