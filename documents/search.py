"""Chinese full-text search without PostgreSQL extensions: jieba segments the text, the words
are stored space-separated in ``search_text`` and matched with the ``simple`` configuration
(a GIN index on the tsvector expression)."""

from __future__ import annotations

import logging
import re
import threading

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector

_lock = threading.Lock()
_ready = False
_WORD = re.compile(r"\w", re.UNICODE)


def _jieba():
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
                jieba.dt.tmp_dir = str(settings.VAR_DIR)  # its dictionary cache file lives in var/
                jieba.initialize()
                _ready = True
    return jieba


def segment(*texts: str) -> str:
    """All the words of ``texts`` (fine-grained, overlapping: 安全生产 → 安全 生产 安全生产)."""
    jieba = _jieba()
    words = []
    for text in texts:
        if text:
            words.extend(w.strip() for w in jieba.cut_for_search(text) if _WORD.search(w))
    return " ".join(words)


def query_words(q: str) -> list[str]:
    """The finest words of ``q``: each word of the precise segmentation, replaced by its
    dictionary sub-words when it has some (森林防火 → 森林 防火). The document side indexes those
    sub-words too, so a query matches however the document's sentence happened to be cut."""
    jieba = _jieba()
    words = []
    for word in jieba.cut(q or ""):
        word = word.strip()
        if not _WORD.search(word):
            continue
        subs = [s for s in jieba.cut_for_search(word) if s != word and _WORD.search(s)]
        words.extend(subs or [word])
    return list(dict.fromkeys(words))


def search_query(q: str) -> SearchQuery | None:
    """A query matching documents that contain every word of ``q``; None for an empty query."""
    words = query_words(q)
    if not words:
        return None
    return SearchQuery(" ".join(words), search_type="plain", config="simple")


def search_vector() -> SearchVector:
    return SearchVector("search_text", config="simple")
