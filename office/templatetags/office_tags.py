from django import forms, template

register = template.Library()


@register.filter
def bs(field):
    """Render a bound field's widget with Bootstrap classes (and is-invalid on errors)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = ""
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()} if css else {}
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def once_field(context):
    """The one-time token of a creating form (``office.once``): one click, one record."""
    from office import once

    request = context.get("request")
    return once.field_html(getattr(request, "user", None))


@register.inclusion_tag("office/_calendar_banner.html")
def calendar_coverage_banner():
    """The admin banner while a year the office needs is not loaded in the calendar (one query)."""
    from office.calendar_years import coverage

    cov = coverage()
    return {"coverage": cov, "calendar_messages": cov.messages()}


def _span(minutes: int) -> str:
    from django.utils.translation import gettext as _

    if minutes < 60:
        return _("%(m)d min") % {"m": minutes}
    if minutes < 24 * 60:
        return _("%(h)d h %(m)d min") % {"h": minutes // 60, "m": minutes % 60}
    return _("%(d)d days") % {"d": minutes // (24 * 60)}


@register.filter
def desk_due(row):
    """A queue row's due time with its countdown: "今天 09:30 · 还剩 25 分钟" or "已超时 1 小时 5 分"
    for a time limit (a datetime), "11-30 · 今天到期" or "已逾期" for a deadline (a date)."""
    import datetime as dt

    from django.utils import timezone
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    due = getattr(row, "due", row)
    if not due:
        return ""
    now = timezone.now()
    today = timezone.localdate()
    if isinstance(due, dt.datetime):
        local = timezone.localtime(due)
        when = (_("today %(time)s") % {"time": local.strftime("%H:%M")} if local.date() == today
                else local.strftime("%m-%d %H:%M"))
        minutes = int(abs((due - now).total_seconds()) // 60)
        if due <= now:
            return format_html('<span class="text-danger fw-semibold" data-due="late">{} · {}</span>',
                               when, _("late by %(span)s") % {"span": _span(minutes)})
        css = "text-warning-emphasis fw-semibold" if minutes < 120 else "zb-muted"
        return format_html('<span class="{}" data-due="open">{} · {}</span>', css, when,
                           _("%(span)s left") % {"span": _span(minutes)})
    when = due.strftime("%m-%d")
    days = getattr(row, "days_left", None)  # working days, from the office calendar
    if due < today:
        late = (_("overdue by %(n)d working days") % {"n": -days}) if days else _("overdue")
        return format_html('<span class="text-danger fw-semibold" data-due="late">{} · {}</span>', when, late)
    if due == today:
        return format_html('<span class="text-warning-emphasis fw-semibold" data-due="today">{} · {}</span>',
                           when, _("due today"))
    if days:
        return format_html('<span class="zb-muted" data-due="open">{} · {}</span>', when,
                           _("%(n)d working days left") % {"n": days})
    return format_html('<span class="zb-muted" data-due="open">{}</span>', when)
