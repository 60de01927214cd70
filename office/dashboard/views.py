"""The dashboard page. The page refreshes its panels in place every few minutes (htmx) with the
``X-Zhengban-Poll`` header, so an unattended dashboard does not keep its session alive
(``office.middleware.IdleSessionMiddleware``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from office.dashboard import charts, selectors

REFRESH_SECONDS = 180


def dashboard(request):
    data = selectors.dashboard(request.user)
    if data is None:
        raise PermissionDenied
    sup = data.supervision
    for row in sup.rows:
        row.bar = charts.unit_bar(row.open.value, row.overdue.value, sup.max_open)
    context = {"d": data, "trend": charts.trend_chart(data.incoming.trend), "refresh": REFRESH_SECONDS}
    template = "dashboard/_panels.html" if request.headers.get("HX-Request") else "dashboard/dashboard.html"
    return render(request, template, context)
