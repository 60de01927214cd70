"""Small things a newcomer notices: the favicon, a 403 logged once, 请选择, the pickers' and
the date inputs' markup, the admin's Chinese (roles, audit actions, axes, admin JS strings)."""

import logging
import logging.config

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.log import DEFAULT_LOGGING

from office import audit, roles
from office.forms import (
    DateInput,
    DateTimeInput,
    MultipleFileField,
    PeopleChoiceField,
    PersonChoiceField,
    UnitChoiceField,
    pinyin_keys,
)
from office.models import Unit, User


def _handlers_that_print(logger_name: str, record: logging.LogRecord) -> list[logging.Handler]:
    printed, logger = [], logging.getLogger(logger_name)
    while logger:
        for h in logger.handlers:
            if record.levelno >= h.level and h.filter(record):
                printed.append(h)
        if not logger.propagate:
            break
        logger = logger.parent
    return printed


def test_a_403_is_logged_once_with_debug_on(settings):
    settings.DEBUG = True
    logging.config.dictConfig(DEFAULT_LOGGING)  # what Django configures first
    logging.config.dictConfig(settings.LOGGING)
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
                               "Forbidden (Permission denied): /x/", None, None)

    assert len(_handlers_that_print("django.request", record)) == 1


def test_the_favicon_answers_without_a_login(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("/favicon.svg")


@pytest.mark.django_db
def test_the_desk_links_its_favicon(client, clerk):
    client.force_login(clerk)

    assert 'rel="icon"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_empty_choice_says_choose():
    class F(forms.Form):
        unit = UnitChoiceField(queryset=Unit.objects.all())

    with translation.override("zh-hans"):
        html = str(F()["unit"])

    assert '<option value="" selected>请选择</option>' in html
    assert "---------" not in html


def test_pinyin_keys_give_initials_and_full_pinyin():
    assert pinyin_keys("秘书科 · 王建国") == "msk mishuke wjg wangjianguo"
    assert pinyin_keys("Zhang") == ""


@pytest.mark.django_db
def test_person_pickers_carry_pinyin_and_unit_and_narrow_by_the_lead_unit(section):
    person = User.objects.create(username="wjg", full_name="王建国", unit=section)

    class F(forms.Form):
        lead_unit = UnitChoiceField(queryset=Unit.objects.all())
        responsible = PersonChoiceField(queryset=User.objects.all(), narrow_by="lead_unit")
        readers = PeopleChoiceField(queryset=User.objects.all())

    form = F()
    responsible, readers = str(form["responsible"]), str(form["readers"])

    assert 'data-picker' in responsible and 'data-narrow-by="lead_unit"' in responsible
    assert f'data-pinyin="msk mishuke wjg wangjianguo" data-unit="{section.pk}"' in responsible
    assert f'value="{person.pk}"' in readers and "multiple" in readers and "size=" not in readers


def test_date_inputs_are_text_in_iso_form_whatever_the_locale():
    import datetime as dt

    date_html = DateInput().render("d", dt.date(2026, 11, 30))
    time_html = DateTimeInput().render("t", dt.datetime(2026, 11, 30, 14, 30, tzinfo=dt.UTC))

    assert 'type="text"' in date_html and 'value="2026-11-30"' in date_html and "data-date" in date_html
    assert 'type="text"' in time_html and 'value="2026-11-30 14:30"' in time_html


def test_a_datetime_typed_either_way_is_read():
    field = forms.DateTimeField(widget=DateTimeInput())

    assert field.clean("2026-11-30 14:30") == field.clean("2026-11-30T14:30")


def test_file_inputs_speak_chinese():
    with translation.override("zh-hans"):
        html = MultipleFileField().widget.render("files", None, attrs={"id": "id_files"})

    assert "选择文件" in html and "未选择文件" in html and 'type="file"' in html and "multiple" in html


@pytest.mark.django_db
def test_roles_show_by_their_chinese_names():
    with translation.override("zh-hans"):
        assert str(Group.objects.get(name=roles.AUDIT_ADMIN)) == "审计管理员"
        assert str(Group.objects.get(name=roles.CLERK)) == "文书"


def test_audit_actions_read_as_chinese():
    with translation.override("zh-hans"):
        assert audit.action_label("documents.circulate") == "收文 · 传阅"
        assert audit.action_label("supervision.accept") == "督查督办 · 核实办结"
        assert audit.action_label("auth.login_failed") == "登录失败"
        assert audit.action_label("something.unknown") == "something.unknown"


@pytest.mark.django_db
def test_the_security_admin_reads_chinese_in_the_admin(make_user, client):
    admin_user = make_user(roles.SECURITY_ADMIN, username="sec1", is_staff=True)
    client.force_login(admin_user)

    index = client.get("/admin/").content.decode()
    change = client.get(f"/admin/office/user/{make_user(roles.CLERK, username='c9').pk}/change/").content.decode()
    js = client.get("/admin/jsi18n/").content.decode()

    assert "登录锁定" in index and "登录尝试" in index and "Access attempts" not in index
    assert ">文书</option>" in change and ">clerk</option>" not in change
    assert '"Choose all %s": "\\u5168\\u9009%s"' in js
