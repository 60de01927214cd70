"""Classified titles never leave the document's own pages; double registration; odd input."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from documents import reminders, workflow
from documents.models import IncomingDocument
from documents.workflow import WorkflowError
from office.models import AuditEvent, Notification

SECRET_TITLE = "某涉密事项的标题"


@pytest.fixture
def secret(dp, register_doc):
    return register_doc(acting_user=dp.secret_clerk, secrecy="secret", secrecy_years=10,
                        title=SECRET_TITLE, handling="read", sender_number="某政办发〔2026〕99号")


def test_a_classified_document_goes_only_to_cleared_readers_and_handlers(dp, secret):
    with pytest.raises(WorkflowError) as exc:
        workflow.circulate(document=secret, acting_user=dp.secret_clerk, readers=[dp.reader])
    assert exc.value.code == "classified"
    workflow.circulate(document=secret, acting_user=dp.secret_clerk, readers=[dp.director])
    note = Notification.objects.get(recipient=dp.director)
    assert SECRET_TITLE not in note.title and "涉密" in note.title


def test_a_classified_title_stays_out_of_the_audit_trail(dp, secret):
    assert not AuditEvent.objects.filter(object_repr__contains=SECRET_TITLE).exists()
    assert AuditEvent.objects.filter(object_id=str(secret.pk)).exists()


def test_a_classified_document_cannot_become_a_supervision_item(dp, register_doc):
    from supervision.models import Item

    doc = register_doc(acting_user=dp.secret_clerk, secrecy="secret", secrecy_years=10,
                       title=SECRET_TITLE, sender_number="某政办发〔2026〕98号")
    workflow.submit_for_proposal(document=doc, acting_user=dp.secret_clerk)
    workflow.propose(document=doc, acting_user=dp.director, proposal="拟办", leaders=[dp.leader])
    workflow.instruct(document=doc, acting_user=dp.leader, text="请办理")
    doc.refresh_from_db()
    assert doc.status == "instructed"  # a status from which an unclassified one could be supervised
    assert "supervise" not in workflow.allowed_steps(doc, dp.secret_clerk)
    with pytest.raises(WorkflowError) as exc:
        workflow.supervise(document=doc, acting_user=dp.secret_clerk, requirement="x",
                           lead_unit=dp.czj, responsible=dp.handler, working_days=3)
    assert exc.value.code == "classified"
    assert Item.objects.count() == 0


def test_the_intake_reminder_does_not_spell_out_a_classified_title(dp, secret):
    import datetime as dt
    from zoneinfo import ZoneInfo

    reminders.sweep(now=dt.datetime(2026, 11, 27, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    titles = list(Notification.objects.values_list("title", flat=True))
    assert titles and not any(SECRET_TITLE in t for t in titles)


def test_the_duplicate_check_does_not_reveal_a_classified_document(dp, secret, register_doc):
    with pytest.raises(WorkflowError) as exc:
        register_doc(sender_number="某政办发〔2026〕99号", title="普通标题")
    assert exc.value.existing is None and SECRET_TITLE not in exc.value.message


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_registering_the_same_number_at_once_register_it_once(dp, register_doc):
    barrier, outcomes = threading.Barrier(2), []

    def register():
        try:
            barrier.wait()
            register_doc(sender_number="某政办发〔2026〕77号")
            outcomes.append("ok")
        except WorkflowError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["duplicate", "ok"]
    assert IncomingDocument.objects.filter(sender_number="某政办发〔2026〕77号").count() == 1


def test_a_utf16_text_attachment_and_control_characters(client, dp, register_doc, settings, tmp_path,
                                                        eager_celery, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):  # the text is extracted after the commit
        doc = register_doc(title="关于冬季安全生产的通知",
                           files=[SimpleUploadedFile("说明.txt", "森林防火说明".encode("utf-16"))])
    assert doc.attachments.get().text == "森林防火说明"
    # registration refuses control characters in a title now; rows stored before still export
    IncomingDocument.objects.filter(pk=doc.pk).update(title="关于冬季\x0b安全生产的通知")
    client.force_login(dp.clerk)
    assert client.get("/documents/register.xlsx").status_code == 200
