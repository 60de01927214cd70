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
