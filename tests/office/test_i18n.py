from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "office" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_chinese_catalogue_is_complete():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_english_is_selectable_and_chinese_is_the_default(client, clerk):
    client.force_login(clerk)
    assert "我的工作台" in client.get("/").content.decode()
    client.post("/language/", {"language": "en", "next": "/"})
    assert "My desk" in client.get("/").content.decode()


def test_the_browser_language_does_not_override_the_office_language(client, clerk):
    client.force_login(clerk)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "我的工作台" in page
