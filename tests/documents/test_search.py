"""Kind 4: search finds what the clerk typed (documents.search)."""

import datetime as dt
import importlib
import random
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Func
from django.urls import reverse

from documents import search, selectors
from documents.models import IncomingDocument
from office.models import Unit
from tests.factories import UnitFactory

SH = ZoneInfo("Asia/Shanghai")


def day(d, hour=9):
    return dt.datetime(2026, 11, d, hour, tzinfo=SH)


def found(dp, q, **filters):
    """pks in the register's order for ``q``."""
    f = selectors.RegisterFilters(q=q, **filters)
    return [d.pk for d in selectors.register(dp.clerk, f, office=True)]


@pytest.fixture
def units(dp):
    class U:
        wjj = UnitFactory(code="WJJ", name="某县卫生健康局", short_name="县卫健局", kind=Unit.Kind.DEPARTMENT)
        rsj = UnitFactory(code="RSJ", name="某县人力资源和社会保障局", short_name="县人社局",
                          kind=Unit.Kind.DEPARTMENT)
        fgj = UnitFactory(code="FGJ", name="某县发展和改革局", short_name="县发改局", kind=Unit.Kind.DEPARTMENT)
    return U


@pytest.fixture
def filed(register_doc, settings, tmp_path, eager_celery, django_capture_on_commit_callbacks):
    """Register with a text attachment; its text is extracted by the task queued on commit,
    which indexes the document again."""
    settings.MEDIA_ROOT = tmp_path

    def make(text, name="附件.txt", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            doc = register_doc(files=[SimpleUploadedFile(name, text.encode())], **fields)
        doc.refresh_from_db()
        return doc
    return make


# --- the examples of the issue ------------------------------------------------------------

def test_an_abbreviation_finds_the_number_and_the_sender(dp, units, register_doc):
    by_number = register_doc(sender=dp.czj, sender_number="县卫健〔2026〕7号",  # forwarded by 财政
                             title="关于转发冬季流感防控工作方案的通知", received_at=day(20))
    by_sender = register_doc(sender=units.wjj, sender_number="某卫发〔2026〕3号",
                             title="关于开展义诊活动的通知", received_at=day(21))
    register_doc(sender=units.rsj, sender_number="县人社〔2026〕1号", title="关于工资调整的通知")
    assert found(dp, "卫健") == [by_sender.pk, by_number.pk]  # both exact: newest first
    assert found(dp, "县卫健局") == [by_sender.pk]
    assert found(dp, "卫生健康") == [by_sender.pk]  # the full name


def test_a_single_rare_character_of_a_name(dp, register_doc):
    doc = register_doc(title="关于王喆同志职务任免的通知")
    other = register_doc(sender_number="某政办发〔2026〕59号", title="关于王哲同志职务任免的通知")
    assert found(dp, "喆") == [doc.pk]
    assert found(dp, "王喆") == [doc.pk]
    assert sorted(found(dp, "王")) == sorted([doc.pk, other.pk])


@pytest.mark.parametrize("title", ["表彰王喆", "喆字说明", "关于（喆）的说明", "王喆"])
def test_a_single_character_anywhere_in_a_run(dp, register_doc, title):
    """At the end of a run, at its start, alone between brackets, the whole title."""
    doc = register_doc(title=title)
    register_doc(sender_number="某政办发〔2026〕59号", title="关于王哲同志的说明")
    assert found(dp, "喆") == [doc.pk]


# --- inputs of my own ---------------------------------------------------------------------

def test_other_units_short_names_and_codes(dp, units, register_doc):
    rs = register_doc(sender=units.rsj, sender_number="县人社〔2026〕12号", title="关于工资调整的通知")
    fg = register_doc(sender=units.fgj, sender_number="", title="关于报送项目清单的函")
    assert found(dp, "人社") == [rs.pk]
    assert found(dp, "社保") == []  # not a contiguous string of anything here
    assert found(dp, "社会保障") == [rs.pk]
    assert found(dp, "发改") == [fg.pk]
    assert found(dp, "县发改局") == [fg.pk]


def test_strings_across_word_boundaries(dp, register_doc):
    """jieba cut 冬季/安全/生产/工作: the old index missed strings across those cuts."""
    a = register_doc(title="关于做好冬季安全生产工作的通知")
    b = register_doc(sender_number="某政办发〔2026〕71号", title="关于开展森林防火检查的通知")
    assert found(dp, "生产工") == [a.pk]
    assert found(dp, "季安") == [a.pk]
    assert found(dp, "防火检查") == [b.pk]
    assert found(dp, "火检") == [b.pk]
    assert found(dp, "做好冬季安全生产工作") == [a.pk]
    assert sorted(found(dp, "的通知")) == sorted([a.pk, b.pk])
    assert found(dp, "冬季防火") == []


def test_attachment_text_is_searched(dp, register_doc, filed):
    doc = filed("请县农业农村局牵头，落实高标准农田建设任务，联系人：李堃。", title="关于印发实施方案的通知")
    other = register_doc(sender_number="某政办发〔2026〕90号", title="关于其他事项的函")
    assert found(dp, "高标准农田") == [doc.pk]
    assert found(dp, "堃") == [doc.pk]
    assert found(dp, "牵头") == [doc.pk]
    assert found(dp, "农田建设任务") == [doc.pk]
    assert other.pk not in found(dp, "农业")


def test_exact_matches_come_first_then_the_register_order(dp, register_doc, filed):
    exact_old = register_doc(title="关于冬季安全生产的通知", received_at=day(2))
    exact_new = register_doc(sender_number="某政办发〔2026〕61号", title="安全生产月活动方案", received_at=day(3))
    # every pair of 安全生产 but apart: found, after the exact ones although newer
    apart = register_doc(sender_number="某政办发〔2026〕62号", title="安全检查全生命周期生产管理办法",
                         received_at=day(20))
    # only in the attachment text: found, after the exact ones
    attached = filed("抓好安全生产。", sender_number="某政办发〔2026〕63号", title="关于印发工作要点的通知",
                     received_at=day(21))
    assert found(dp, "安全生产") == [exact_new.pk, exact_old.pk, attached.pk, apart.pk]
    # a filter keeps the order inside what it leaves
    assert found(dp, "安全生产", date_from=dt.date(2026, 11, 3)) == [exact_new.pk, attached.pk, apart.pk]
    assert found(dp, "安全生产", date_to=dt.date(2026, 11, 2)) == [exact_old.pk]


def test_a_number_typed_with_other_brackets_ranks_its_document_first(dp, units, register_doc):
    doc = register_doc(sender=units.wjj, sender_number="县卫健〔2026〕7号", title="关于流感防控的通知",
                       received_at=day(2))
    citing = register_doc(sender_number="某政办发〔2026〕64号", title="关于转发县卫健〔2026〕7号文件的通知",
                          received_at=day(20))
    assert found(dp, "县卫健[2026]07号") == [doc.pk]  # the key; the citing title has 〔2026〕7号
    assert found(dp, "县卫健〔2026〕7号") == [doc.pk, citing.pk]  # the number first, then the title
    assert found(dp, "县卫健") == [citing.pk, doc.pk]  # as typed in both: newest first
    assert found(dp, "7号") == [citing.pk, doc.pk]  # as typed in both: newest first


def test_latin_letters_and_digits(dp, register_doc, filed):
    doc = filed("依据GB/T 9704-2012，第50条。", title="关于推广OFD版式文件的通知")
    register_doc(sender_number="某政办发〔2026〕65号", title="关于第5批项目的通知")
    assert found(dp, "ofd") == [doc.pk]
    assert found(dp, "OF") == [doc.pk]  # letters: the start of a word
    assert found(dp, "ＯＦＤ版式") == [doc.pk]  # full-width letters
    assert found(dp, "gb") == [doc.pk]
    assert found(dp, "9704") == [doc.pk]
    assert found(dp, "50") == [doc.pk]  # digits: the whole number
    assert len(found(dp, "5")) == 1
    assert found(dp, "2012") == [doc.pk]


def test_nothing_found_and_nothing_to_search(dp, register_doc):
    doc = register_doc()
    assert found(dp, "洪水") == []
    assert found(dp, "〔〕，。") == [doc.pk]  # nothing searchable: no filter, as before


def test_query_syntax_typed_in_the_box_is_only_text(dp, register_doc):
    doc = register_doc(title="关于冬季安全生产的通知")
    for q in ["安全' | '生产", "安全 & !生产", "安全:* <-> 生产", "安全\\生产", "(安全)", "%安全_"]:
        assert found(dp, q) == [doc.pk], q  # every piece is there; the signs are no operators
    assert found(dp, "安全' | '洪水") == []  # not an OR
    assert found(dp, "!洪水") == []  # not a NOT


def test_classified_documents_stay_hidden_from_search(dp, register_doc):
    register_doc(acting_user=dp.secret_clerk, sender_number="某政办发〔2026〕99号", title="关于王喆的绝密事项",
                 secrecy="secret", secrecy_years=10)
    f = selectors.RegisterFilters(q="王喆")
    assert list(selectors.register(dp.clerk, f, office=True)) == []
    assert len(list(selectors.register(dp.secret_clerk, f, office=True))) == 1


def test_the_register_page_finds_and_keeps_its_query_count(client, dp, units, register_doc,
                                                        django_assert_num_queries):
    register_doc(sender=units.wjj, sender_number="县卫健〔2026〕7号", title="关于流感防控的通知")
    register_doc(sender_number="某政办发〔2026〕66号", title="关于王喆同志任职的通知")
    client.force_login(dp.clerk)
    for q in ["卫健", "喆", "县卫健[2026]07号"]:
        url = reverse("documents:register") + "?" + urlencode({"q": q})
        client.get(url)
        with django_assert_num_queries(14):  # as without a query (test_clock)
            page = client.get(url).content.decode()
        assert page.count('data-testid="doc-row"') == 1, q


# --- the index ------------------------------------------------------------------------------

def test_tokens():
    assert search.tokens("县卫健〔2026〕7号") == ["县卫", "卫健", "健", "2026", "7", "号"]
    assert search.tokens("王喆同志") == ["王喆", "喆同", "同志", "志"]
    assert search.tokens("ＧＢ/T9704") == ["gb", "t9704", "t", "9704"]
    assert search.query_terms("安全生产") == ["'安全'", "'全生'", "'生产'"]
    assert search.query_terms("喆") == ["'喆':*"]
    assert search.query_terms("王 喆") == ["'王':*", "'喆':*"]
    assert search.query_terms("OFD 2026年") == ["'ofd':*", "'2026'", "'年':*"]
    assert search.query_terms("〔〕 ，") == []


def test_the_attachment_text_is_bounded(dp, filed):
    filler = "甲" * (search.MAX_ATTACHMENT_CHARS - 10)
    doc = filed(filler + "前面的字" + "乙" * 20 + "后面的字")
    assert found(dp, "前面的字") == [doc.pk]
    assert found(dp, "后面的字") == []  # past the bound: kept in the attachment, not searched
    assert doc.attachments.get().text.endswith("后面的字")


def test_a_text_of_many_different_characters_still_registers(dp, filed):
    """PostgreSQL refuses a tsvector over 1 MB: the budget keeps every document under it. Rare
    characters (4 bytes in UTF-8) all different reach the budget before the character bound."""
    rng = random.Random(3)
    text = "".join(chr(rng.randint(0x20000, 0x2A6DF)) for _ in range(search.MAX_ATTACHMENT_CHARS))
    doc = filed(text)  # the index accepts it
    index = search.index_text([doc.title], [text]).split(" ")
    assert sum(len(t.encode()) + 4 for t in index) <= search.MAX_INDEX_BYTES
    size = (IncomingDocument.objects.filter(pk=doc.pk)
            .annotate(size=Func("search_vector", function="pg_column_size"))
            .values_list("size", flat=True).get())
    assert search.MAX_INDEX_BYTES - 1000 < size <= search.MAX_INDEX_BYTES + 100 < 1024 * 1024
    assert found(dp, "冬季安全生产") == [doc.pk]  # the title's tokens come first and are all kept
    assert found(dp, text[:2]) == [doc.pk]
    assert found(dp, text[-2:]) == []  # the budget, not the character bound, stopped here


def test_the_migration_builds_the_vectors_of_existing_documents(dp, units, filed):
    doc = filed("请县农业农村局牵头。", sender=units.wjj, sender_number="县卫健〔2026〕7号",
                title="关于王喆同志任职的通知")
    IncomingDocument.objects.update(search_vector=None)  # as the new column starts
    assert found(dp, "卫健") == []
    migration = importlib.import_module("documents.migrations.0007_search_vector")
    migration.build_search_vectors(apps, None)
    assert found(dp, "卫健") == [doc.pk] and found(dp, "喆") == [doc.pk] and found(dp, "牵头") == [doc.pk]
