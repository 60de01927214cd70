"""The one paginator of every list page and desk panel: no whole-table work per request.

**The rule.** A page never counts what it does not show. ``page(request, queryset)`` counts the
rows only as far as ``EXACT_UP_TO`` (10,000) or the page asked for plus ``PAGES_AHEAD`` pages (``SELECT count(*) FROM
(… LIMIT n)``: the cost follows the page number, not the size of the office's history); past that
the page says "of 12+". When the page has already computed the total (the supervision list's
counts per status), it passes it as ``count=`` and nothing is counted again. A short list (a
desk panel) takes ``bounded_count(qs, limit)`` the same way: "99+" is as good as an exact figure.

Templates show ``page.paginator.num_pages_label`` (``12`` or ``12+``) and include
``_pagination.html``.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

PAGES_AHEAD = 10
# Below this a list always counts exactly (an index-only count of 10,000 rows costs milliseconds),
# so a figure that links to a list (the dashboard's, a desk count) equals the length the list
# shows; above it both say "10000+" (``count_label``).
EXACT_UP_TO = 10_000


def count_label(n: int) -> str:
    """How a count is shown wherever a list's length is shown: exact up to ``EXACT_UP_TO``."""
    return str(n) if n <= EXACT_UP_TO else f"{EXACT_UP_TO}+"


def bounded_count(qs, limit: int) -> int:
    """The number of rows of ``qs``, counted up to ``limit`` (one query; at most ``limit`` rows
    read): ``limit`` means "``limit`` or more"."""
    return qs.order_by()[:limit].count()


class BoundedPaginator(Paginator):
    """A Paginator whose count stops ``PAGES_AHEAD`` pages past the requested page, unless the
    caller knows the count."""

    def __init__(self, object_list, per_page, *, number=1, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known = count
        self._requested = max(1, number)
        self.exact = count is not None

    @cached_property
    def count(self) -> int:
        if self._known is not None:
            return self._known
        limit = max(EXACT_UP_TO, (self._requested + PAGES_AHEAD) * self.per_page) + 1
        n = bounded_count(self.object_list, limit)
        self.exact = n < limit
        return n if self.exact else limit - 1

    @property
    def count_label(self) -> str:
        n = self.count
        return str(n) if self.exact else f"{n}+"

    @property
    def num_pages_label(self) -> str:
        pages = self.num_pages
        return str(pages) if self.exact else f"{pages}+"


def _number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def paginate(queryset, number, per_page: int, *, count: int | None = None) -> Page:
    """The page ``number`` (as given in the URL: anything not a page number is page 1; past the
    end is the last page) of ``queryset``; ``count`` when the caller already knows it."""
    number = _number(number)
    paginator = BoundedPaginator(queryset, per_page, number=number, count=count)
    try:
        return paginator.page(number)
    except (EmptyPage, PageNotAnInteger):
        return paginator.page(paginator.num_pages)


def page(request, queryset, per_page: int = 50, *, count: int | None = None) -> Page:
    """``paginate`` with the ``page`` parameter of the request."""
    return paginate(queryset, request.GET.get("page"), per_page, count=count)
