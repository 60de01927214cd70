"""Search that finds what the clerk typed, without PostgreSQL extensions.

**The rule.** A query finds every document in whose title, 收文编号, 来文字号, sending unit's full
or short name, or attachment text each contiguous run of Chinese characters of the query occurs
(a single character too: 喆 finds 王喆), and each run of Latin letters or digits occurs as a word
(letters also as the start of a word: ``ofd`` finds ``OFD文件``; digits as the whole number: ``5``
does not find ``50``). A query that ``office.docnumbers.parse`` reads as a document number
(县财[2026]05号) also finds the documents whose 收文编号 or 来文字号 is that number however it was
typed (the same ``number_key``). The order: first the document whose number the query is;
then those where the query occurs as typed — in the title, a number or a sender's name; then
the others (found in the attachment text, or with the query's parts apart); inside each group
the register's order (newest received first).

**How.** ``index_text`` turns a document into its tokens, each once, space-separated: after
Unicode NFKC, every two adjacent Chinese characters (bigram) and the last character of each run
of them (so every character of the text starts a bigram or ends a run), and every Latin/digit
run lower-cased (the whole run and its letter-only and digit-only parts). They are stored as
the lexemes of ``IncomingDocument.search_vector``, a tsvector column read from that text as
written (no parser, no dictionary, no server locale involved) under a GIN index; a stored
column, not an expression index, so that no plan ever recomputes it row by row. A query becomes
the AND of its bigrams and its Latin/digit runs, e.g. 安全生产 → '安全' & '全生' & '生产'; a lone
character c becomes the prefix ``'c':*`` (the bigrams that start with it, or c ending a run). A
document containing the string contains all its bigrams, so nothing that should be found is
missed, and the order puts the rare document that has the bigrams apart after the real hits.
The order is computed on the candidates only (``rank``), inside the register's one query.

**Bounds.** A document indexes the first ``MAX_ATTACHMENT_CHARS`` characters of its attachments'
text (the title, numbers and names always), and tokens worth at most ``MAX_INDEX_BYTES`` bytes
of tsvector (a token costs its UTF-8 length + 4; PostgreSQL refuses a tsvector over 1 MB): an
attachment past that point is kept, not searched. A Latin/digit run is cut to ``MAX_WORD``
characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQueryField
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import Cast

from office import docnumbers
from office.models import Unit

MAX_ATTACHMENT_CHARS = 50_000
MAX_INDEX_BYTES = 512_000  # tsvector bytes; PostgreSQL's limit is 1 MB
MAX_WORD = 32

# Chinese characters: the unified ideographs, extension A, compatibility ideographs, the
# supplementary planes' extensions, and 〇
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_RUN = re.compile(rf"([{_HAN}]+)|([0-9a-z]+)")
_PARTS = re.compile(r"[a-z]+|[0-9]+")


def _runs(text: str):
    """(kind, run) of ``text`` after NFKC and lower-casing: "han" or "word" runs."""
    for match in _RUN.finditer(unicodedata.normalize("NFKC", text or "").lower()):
        if match.group(1):
            yield "han", match.group(1)
        else:
            yield "word", match.group(2)[:MAX_WORD]


def tokens(text: str) -> list[str]:
    """The index tokens of ``text`` in order, with repetitions."""
    out = []
    for kind, run in _runs(text):
        if kind == "han":
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
            out.append(run[-1])
        else:
            out.append(run)
            parts = _PARTS.findall(run)
            if len(parts) > 1:
                out.extend(parts)
    return out


def _cost(token: str) -> int:
    """Bytes ``token`` takes in a tsvector without positions (4-byte entry + the lexeme)."""
    return len(token.encode()) + 4


def index_text(fields: Iterable[str], attachments: Iterable[str] = ()) -> str:
    """The value of a document's ``search_vector``: the tokens of ``fields`` (title, numbers, sender's names)
    and of the first ``MAX_ATTACHMENT_CHARS`` characters of ``attachments``, each once, within
    ``MAX_INDEX_BYTES``."""
    seen: dict[str, None] = {}
    for text in fields:
        seen.update(dict.fromkeys(tokens(text)))
    budget = MAX_INDEX_BYTES - sum(_cost(t) for t in seen)
    left = MAX_ATTACHMENT_CHARS
    for text in attachments:
        if left <= 0:
            break
        text = (text or "")[:left]
        left -= len(text)
        for token in tokens(text):
            if token not in seen:
                budget -= _cost(token)
                if budget < 0:
                    return " ".join(seen)
                seen[token] = None
    return " ".join(seen)


def query_terms(q: str) -> list[str]:
    """The tsquery operands of ``q``: the bigrams of each Chinese run (a lone character as a
    prefix), each Latin/digit run (letters as a prefix)."""
    terms = []
    for kind, run in _runs(q):
        if kind == "han":
            if len(run) == 1:
                terms.append(f"'{run}':*")
            else:
                terms.extend(f"'{run[i:i + 2]}'" for i in range(len(run) - 1))
        else:
            terms.append(f"'{run}'" if run.isdigit() else f"'{run}':*")
    return list(dict.fromkeys(terms))


class _Matches(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


def _number_match(q: str) -> Q | None:
    number = docnumbers.parse(q)
    if number is None:
        return None
    return Q(sender_number_key=number.key) | Q(number=number.key)


def vector_match(q: str, field: str = "search_vector") -> Q | None:
    """The rows whose ``field`` (a tsvector of ``index_text`` tokens) holds every term of ``q``;
    None when ``q`` has no term. Outgoing documents use it on their own vector."""
    terms = query_terms(q)
    if not terms:
        return None
    tsquery = Cast(Value(" & ".join(terms)), output_field=SearchQueryField())
    return Q(_Matches(F(field), tsquery))


def matches(q: str) -> Q | None:
    """The documents ``q`` finds (see the module); None when ``q`` has nothing to search for."""
    found = vector_match(q)
    by_number = _number_match(q)
    if by_number is not None:
        found = by_number if found is None else found | by_number
    return found


def rank(q: str) -> Case:
    """0 for the document whose 收文编号 or 来文字号 ``q`` is (by ``number_key``); 1 where ``q``
    occurs as typed in the title, a number or a sender's name; 2 for the rest. Evaluated on the
    candidates only."""
    typed = (q or "").strip()
    # LIKE, and UPPER() on both sides only when the query has letters with a case
    lookup = "icontains" if typed.lower() != typed.upper() else "contains"
    senders = Unit.objects.filter(Q(**{f"name__{lookup}": typed}) | Q(**{f"short_name__{lookup}": typed}))
    exact = (Q(**{f"title__{lookup}": typed}) | Q(**{f"number__{lookup}": typed})
             | Q(**{f"sender_number__{lookup}": typed}) | Q(sender__in=senders.values("pk")))
    whens = [When(exact, then=Value(1))]
    by_number = _number_match(q)
    if by_number is not None:
        whens.insert(0, When(by_number, then=Value(0)))
    return Case(*whens, default=Value(2), output_field=IntegerField())
