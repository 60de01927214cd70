"""Kind 3: a document number is one number however it is typed (office.docnumbers)."""

import importlib
import threading

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from documents import selectors, workflow
from documents.models import IncomingDocument
from documents.workflow import WorkflowError
from office.docnumbers import DocNumber, format_number, is_standard, normalize, number_key, parse
from office.models import AuditEvent, Counter, Unit
from tests.factories import UnitFactory
from tests.helpers import with_token

# --- the function -------------------------------------------------------------------------

SAME_AS_5 = [
    "县财〔2026〕5号",  # as GB/T 9704 writes it
    "县财[2026]5号",  # half-width square brackets
    "县财［2026］5号",  # full-width square brackets
    "县财(2026)5号", "县财（2026）5号",  # round, half and full width
    "县财【2026】5号", "县财〖2026〗5号", "县财{2026}5号", "县财｛2026｝5号", "县财〘2026〙5号",
    "县财﹝2026﹞5号",  # the small tortoise shell look-alike
    "县财[2026〕5号",  # a mixed pair
    "县财〔2026〕05号", "县财〔2026〕005号",  # leading zeros
    "县财〔2026〕第5号", "县财〔2026〕第05号",  # 第
    "县财〔２０２６〕５号",  # full-width digits
    "县财〔2026〕5號",  # traditional 號
    "县财〔2026〕5",  # 号 left out
    " 县财 〔2026〕 5 号 ", "县财\u3000〔2026〕\u30005号", "县财\u200b〔2026〕5号",  # spaces, zero width
    "县财[2026]05号。",  # a full stop copied along
    "县财 （２０２６） 第 ０５ 號",  # everything at once
]


@pytest.mark.parametrize("typed", SAME_AS_5)
def test_every_spelling_of_a_number_has_one_key(typed):
    assert number_key(typed) == "县财〔2026〕5号"
    assert parse(typed) == DocNumber("县财", 2026, 5)


@pytest.mark.parametrize("typed", [
    "县财〔2026〕6号",  # another sequence
    "县财〔2025〕5号",  # another year
    "县财发〔2026〕5号",  # another issuer code
    "县财〔2026〕50号", "县财〔2026〕15号",  # zeros inside the number are kept
    "县财〔26〕5号",  # a two-digit year is not read as 2026
])
def test_different_numbers_have_different_keys(typed):
    assert number_key(typed) != number_key("县财〔2026〕5号")


@pytest.mark.parametrize(("typed", "expected"), [
    ("国办发〔2012〕10号", DocNumber("国办发", 2012, 10)),
    ("某政办发[2026]058号", DocNumber("某政办发", 2026, 58)),
    ("gb〔2026〕1号", DocNumber("GB", 2026, 1)),  # Latin letters of a code, upper-cased
    ("收〔2026〕12号", DocNumber("收", 2026, 12)),  # a register number reads the same way
    ("县财〔26〕5号", None),  # the century is the clerk's to write
    ("县财〔2026〕0号", None), ("县财〔2026〕00号", None),  # there is no number 0
    ("〔2026〕5号", None),  # no issuer code
    ("县财〔2026〕5-1号", None), ("县财2026年5号", None), ("县财〔2026〕五号", None),
    ("", None), (None, None), ("   ", None), ("关于县财〔2026〕5号文件的意见", None),
])
def test_parse(typed, expected):
    assert parse(typed) == expected


def test_what_parse_cannot_read_still_has_a_normalised_key():
    assert number_key("县财〔26〕5号") == number_key("县财[26]5號") == "县财〔26〕5号"
    assert number_key("ＸＹ-12 a") == normalize("xy-12A") == "XY-12A"
    assert number_key("") == number_key(None) == number_key("  ") == ""


def test_the_standard_form_and_the_outgoing_numbering():
    assert format_number("县政办发", 2026, 7) == "县政办发〔2026〕7号"
    assert str(DocNumber("县政办发", 2026, 7)) == "县政办发〔2026〕7号"
    # the key of a correctly written number is the number itself
    assert number_key(format_number("县政办发", 2026, 7)) == "县政办发〔2026〕7号"
    assert is_standard("国办发〔2012〕10号") and is_standard("县财〔2026〕5号")
    for typed in ["县财[2026]5号", "县财〔2026〕05号", "县财〔2026〕第5号", " 县财〔2026〕5号", "县财〔2026〕5",
                  "县财〔26〕5号", "X1〔2026〕5号", ""]:
        assert not is_standard(typed), typed


# --- registration -------------------------------------------------------------------------

@pytest.fixture
def czj(dp):
    return dp.czj  # 某县财政局, short name 县财政局


@pytest.mark.parametrize(("first", "second"), [
    ("县财〔2026〕5号", "县财[2026]5号"),
    ("县财〔2026〕5号", "县财〔2026〕05号"),
    ("县财[2026]5号", "县财〔2026〕5号"),  # the reverse order
    ("县财〔2026〕05号", "县财〔2026〕5号"),
    ("县财（2026）第5号", "县财 [２０２６] 5 号"),
])
def test_the_same_number_typed_another_way_is_a_duplicate(dp, czj, register_doc, first, second):
    original = register_doc(sender=czj, sender_number=first)
    counter = Counter.objects.get(key="incoming", year=2026).value
    with pytest.raises(WorkflowError) as exc:
        register_doc(sender=czj, sender_number=second, title="再次登记")
    assert exc.value.code == "duplicate" and exc.value.existing == original
    assert original.number in exc.value.message
    # nothing changed: one document, the counter not advanced, the refusal audited
    assert IncomingDocument.objects.count() == 1
    assert Counter.objects.get(key="incoming", year=2026).value == counter
    assert AuditEvent.objects.filter(action="documents.register", result="failure").count() == 1


def test_the_number_is_stored_as_typed_beside_its_key(czj, register_doc):
    doc = register_doc(sender=czj, sender_number=" 县财[2026]05号 ")
    doc.refresh_from_db()
    assert doc.sender_number == "县财[2026]05号"  # what the paper says (trimmed)
    assert doc.sender_number_key == "县财〔2026〕5号"


def test_another_sender_or_another_number_is_not_a_duplicate(dp, czj, register_doc):
    register_doc(sender=czj, sender_number="县财〔2026〕5号")
    register_doc(sender=dp.jyj, sender_number="县财〔2026〕5号")  # another unit's number
    register_doc(sender=czj, sender_number="县财〔2026〕50号")
    register_doc(sender=czj, sender_number="县财〔2025〕5号")
    register_doc(sender=czj, sender_number="")
    register_doc(sender=czj, sender_number="")  # no number: never a duplicate
    assert IncomingDocument.objects.count() == 6


def test_a_returned_document_may_come_back_under_another_spelling(dp, czj, register_doc):
    first = register_doc(sender=czj, sender_number="县财〔2026〕5号")
    workflow.return_to_sender(document=first, acting_user=dp.clerk, reason="format")
    again = register_doc(sender=czj, sender_number="县财[2026]05号", title="更正后重新报送")
    with pytest.raises(WorkflowError) as exc:
        register_doc(sender=czj, sender_number="县财〔2026〕第5号")
    assert exc.value.existing == again


def test_the_key_follows_the_number_when_saved(czj, register_doc):
    doc = register_doc(sender=czj, sender_number="县财〔2026〕5号")
    doc.sender_number = "县财[2026]6号"
    doc.save(update_fields=["sender_number"])
    assert IncomingDocument.objects.get(pk=doc.pk).sender_number_key == "县财〔2026〕6号"


def test_the_migration_fills_the_keys_of_existing_documents(czj, register_doc):
    a = register_doc(sender=czj, sender_number="县财[2026]05号")
    b = register_doc(sender=czj, sender_number="县财〔2026〕6号")
    c = register_doc(sender=czj, sender_number="")
    IncomingDocument.objects.update(sender_number_key="")
    migration = importlib.import_module("documents.migrations.0006_sender_number_key")
    migration.fill_keys(apps, None)
    keys = dict(IncomingDocument.objects.values_list("pk", "sender_number_key"))
    assert keys == {a.pk: "县财〔2026〕5号", b.pk: "县财〔2026〕6号", c.pk: ""}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_spellings_registered_at_once_register_once(dp, register_doc):
    barrier, outcomes = threading.Barrier(2), []

    def register(number):
        try:
            barrier.wait()
            register_doc(sender=dp.czj, sender_number=number)
            outcomes.append("ok")
        except WorkflowError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in ("县财〔2026〕77号", "县财[2026]077号")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["duplicate", "ok"]
    assert IncomingDocument.objects.filter(sender_number_key="县财〔2026〕77号").count() == 1


def test_the_form_refuses_another_spelling_and_keeps_the_input(client, dp, register_doc):
    first = register_doc()  # 市政府办 某政办发〔2026〕58号
    client.force_login(dp.clerk)
    response = client.post(reverse("documents:new"), with_token({
        "sender_name": "市政府办", "sender_number": "某政办发[2026]058号", "title": "再次登记的标题",
        "doc_type": first.doc_type_id, "handling": "read", "urgency": "", "secrecy": "",
        "copies": 1, "pages": 2, "received_at": "2026-11-27T10:00", "signed_by": dp.clerk.pk}, dp.clerk))
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="duplicate"' in page and first.get_absolute_url() in page
    assert "某政办发[2026]058号" in page and "再次登记的标题" in page
    assert IncomingDocument.objects.count() == 1


# --- the warning --------------------------------------------------------------------------

def test_the_warning_names_the_standard_form_when_the_number_is_readable():
    warning = workflow.sender_number_warning("县财[2026]05号")
    assert "县财[2026]05号" in warning and "县财〔2026〕5号" in warning
    unreadable = workflow.sender_number_warning("县财〔26〕5号")
    assert "县财〔26〕5号" in unreadable and "县财〔2026〕5号" not in unreadable
    assert unreadable != warning
    assert workflow.sender_number_warning("县财〔2026〕5号") == ""
    assert workflow.sender_number_warning("") == ""


# --- search by number ---------------------------------------------------------------------

def found(dp, q):
    return [d.pk for d in selectors.register(dp.clerk, selectors.RegisterFilters(q=q), office=True)]


def test_search_by_number_matches_every_spelling(dp, register_doc):
    wjj = UnitFactory(code="WJJ", name="某县卫生健康局", short_name="县卫健局", kind=Unit.Kind.DEPARTMENT)
    doc = register_doc(sender=wjj, sender_number="县卫健〔2026〕7号", title="关于做好冬季流感防控工作的通知")
    other = register_doc(sender=wjj, sender_number="县卫健〔2026〕70号", title="关于做好义诊活动的通知")
    for q in ["县卫健〔2026〕7号", "县卫健[2026]7号", "县卫健（2026）07号", "县卫健【2026】第7号",
              "县卫健〔２０２６〕７號"]:
        assert found(dp, q) == [doc.pk], q
    assert found(dp, "县卫健[2026]70号") == [other.pk]
    # the 收文编号 too
    assert found(dp, "收[2026]2号") == [other.pk]
    assert found(dp, "收〔2026〕01号") == [doc.pk]

