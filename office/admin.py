"""What the three administrators edit in Django admin. Every change is audited (the LogEntry
receiver in ``office.signals``); the audit trail itself is read-only for everyone."""

from __future__ import annotations

import csv
import json

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office import audit, calendar_years, history, mfa, roles, selectors, services
from office.exports import safe_row
from office.forms import FileInput
from office.models import (
    AuditEvent,
    CalendarDay,
    CalendarYear,
    OfficeSettings,
    Post,
    Rule,
    RuleAcknowledgement,
    RuleVersion,
    Unit,
    User,
)
from office.text import normalize_text, same_text


class KeepHistoryAdmin(admin.ModelAdmin):
    """Deactivate, never delete (``office.history``): no bulk delete, and no delete at all for
    an object anything refers to. A refused delete answers 403 and is audited."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or not history.has_history(obj)


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("Workbook (.xlsx)"), widget=FileInput(attrs={"accept": ".xlsx"}))
    dry_run = forms.BooleanField(label=_("Check only, save nothing"), required=False, initial=True)


@admin.register(Unit)
class UnitAdmin(KeepHistoryAdmin):
    list_display = ("name", "short_name", "code", "kind", "head", "liaison_secretary",
                    "liaison_director", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")
    autocomplete_fields = ("head", "liaison_secretary", "liaison_director")
    ordering = ("kind", "order", "code")

    def get_urls(self):
        from django.urls import path

        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="office_unit_import"),
            path("import/template.xlsx", self.admin_site.admin_view(self.import_template),
                 name="office_unit_import_template"),
            *super().get_urls(),
        ]

    def may_import(self, request) -> bool:
        """Units and staff accounts are the system administrator's (三员分立)."""
        return request.user.is_superuser or roles.has_role(request.user, roles.SYSTEM_ADMIN)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}),
                                                 "may_import": self.may_import(request)})

    def import_template(self, request):
        from office import staff_import
        from office.http import download

        if not self.may_import(request):
            raise PermissionDenied
        return download(staff_import.template_workbook(), "staff-import-template.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    def import_view(self, request):
        """Upload → a check that lists every wrong row (sheet, row, reason) → all saved or none."""
        from django.template.response import TemplateResponse

        from office import staff_import

        if not self.may_import(request):
            raise PermissionDenied
        result = refused = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = staff_import.import_workbook(
                    form.cleaned_data["workbook"].read(), acting_user=request.user,
                    dry_run=form.cleaned_data["dry_run"])
            except staff_import.ImportRefused as exc:
                refused = str(exc)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "result": result, "refused": refused, "title": _("Import units and staff from Excel")}
        return TemplateResponse(request, "admin/office/unit/import.html", context,
                                status=400 if (refused or (result and result.errors)) else 200)


@admin.register(Post)
class PostAdmin(KeepHistoryAdmin):
    list_display = ("name", "code", "unit", "is_leadership", "order")
    list_filter = ("is_leadership", "unit")
    search_fields = ("name", "code", "duties")


def _check_roles(groups) -> None:
    roles.validate_role_names(g.name for g in groups)


class StaffChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    acting_user = None  # set by StaffAdmin.get_form, for the audit of a refused grant

    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        if groups is not None:
            current = set(self.instance.groups.values_list("name", flat=True)) if self.instance.pk else set()
            try:
                roles.validate_role_grant(self.instance, current, {g.name for g in groups})
            except ValidationError as exc:
                audit.record("admin.grant_refused", actor=self.acting_user, obj=self.instance,
                             result="failure", detail={"roles": sorted(g.name for g in groups),
                                                       "reason": exc.messages[0]})
                raise
        return groups

    def clean(self):
        data = super().clean()
        groups, perms = data.get("groups"), data.get("user_permissions")
        if groups and perms and {g.name for g in groups} & set(roles.ADMIN_ROLES):
            audit.record("admin.grant_refused", actor=self.acting_user, obj=self.instance,
                         result="failure", detail={"permissions": sorted(p.codename for p in perms),
                                                   "reason": "administrator account"})
            self.add_error("user_permissions",
                           _("An administrator account may not hold individual permissions."))
        return data


class StaffCreationForm(UserCreationForm):
    """A new account's password is a temporary one: its owner changes it at the first login."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "unit", "post", "title", "phone", "email")

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
            self.save_m2m()
        return user


class TemporaryPasswordForm(AdminPasswordChangeForm):
    """A password set by an administrator is temporary: its owner must change it at the next
    login, and is told that an administrator reset it (``StaffAdmin.log_change``)."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = True
        user.zb_password_reset = True
        if commit:
            user.save()
        return user


def may_reset_password(actor, target) -> bool:
    """Resetting a password is the system administrator's duty alone (三员分立), and only for
    business accounts; a superuser resets anyone's but their own. Nobody resets their own here:
    that is the password page."""
    if target is None or actor.pk == target.pk or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    return roles.has_role(actor, roles.SYSTEM_ADMIN) and not roles.is_admin_account(target)


PROFILE_FIELDS = ("full_name", "unit", "post", "title", "phone", "email")


@admin.register(User)
class StaffAdmin(BaseUserAdmin):
    """System admins keep accounts and profiles; security admins assign roles and unlock.
    Neither sees the other's fields (三员分立)."""

    form = StaffChangeForm
    add_form = StaffCreationForm
    change_password_form = TemporaryPasswordForm
    list_display = ("username", "full_name", "unit", "post", "title", "is_active", "second_factor",
                    "last_login")
    actions = ["reset_second_factor"]
    list_filter = ("is_active", "groups", "unit__kind", "unit")
    search_fields = ("username", "full_name", "phone", "email")
    ordering = ("unit__order", "username")
    filter_horizontal = ("groups", "user_permissions")
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "password1", "password2", *PROFILE_FIELDS)}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        user = request.user
        sets = []
        if user.is_superuser or roles.has_role(user, roles.SYSTEM_ADMIN):
            sets.append((None, {"fields": ("username", "password")}))
            sets.append((_("Profile"), {"fields": PROFILE_FIELDS}))
            sets.append((_("Status"), {"fields": ("is_active", "must_change_password",
                                                  "password_changed_at", "last_login",
                                                  "date_joined")}))
        if user.is_superuser or roles.has_role(user, roles.SECURITY_ADMIN):
            sets.append((_("Roles"), {"fields": ("groups", "is_staff", "user_permissions")}))
        if user.is_superuser:
            sets.append((_("Superuser"), {"fields": ("is_superuser", "user_permissions")}))
        return sets

    def get_readonly_fields(self, request, obj=None):
        return ("last_login", "date_joined", "password_changed_at")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user
        return form

    def get_queryset(self, request):
        from django.db.models import Exists, OuterRef
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return super().get_queryset(request).annotate(zb_mfa=Exists(
            TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))

    @admin.display(description=_("second factor"), boolean=True)
    def second_factor(self, obj):
        return getattr(obj, "zb_mfa", None)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        """Accounts with history are deactivated, never deleted (``office.history``)."""
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or not history.has_history(obj)

    def has_reset_mfa_permission(self, request):
        return request.user.is_superuser or roles.has_role(request.user, roles.SECURITY_ADMIN)

    @admin.action(description=_("Reset the second factor (lost phone)"), permissions=["reset_mfa"])
    def reset_second_factor(self, request, queryset):
        """The security administrator removes a lost authenticator (audited; the owner is told).
        Administrators' factors are reset by a superuser only."""
        done, refused = [], []
        for target in queryset:
            if mfa.may_reset(request.user, target):
                mfa.reset(user=target, acting_user=request.user)
                done.append(target.get_username())
            else:
                audit.record("auth.mfa_reset", actor=request.user, obj=target, result="failure")
                refused.append(target.get_username())
        if done:
            self.message_user(request, _("Second factor reset for: %(names)s.")
                              % {"names": "、".join(done)})
        if refused:
            self.message_user(request, _("Not reset (an administrator's or your own): %(names)s.")
                              % {"names": "、".join(refused)}, level="error")

    def user_change_password(self, request, id, form_url=""):
        """Only ``may_reset_password`` may reset (403 and audited otherwise)."""
        target = self.get_object(request, unquote(id))
        if target is not None and not may_reset_password(request.user, target):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if getattr(obj, "zb_password_reset", False):
            services.password_was_reset(user=obj, acting_user=request.user)
        return entry

    def has_add_permission(self, request):
        return request.user.is_superuser or roles.has_role(request.user, roles.SYSTEM_ADMIN)

    def has_change_permission(self, request, obj=None):
        """Administrators cannot change their own account or another administrator's (no
        self-granted rights, no password reset into someone else's role): a superuser does."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        if obj.pk == request.user.pk or obj.is_superuser:
            return False
        return not (roles.user_roles(obj) & set(roles.ADMIN_ROLES))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            from django.contrib.admin.widgets import FilteredSelectMultiple

            kwargs["widget"] = FilteredSelectMultiple(_("roles"), is_stacked=False)
            kwargs["help_text"] = _("A person gets what each of their roles may do. "
                                    "An administrator holds one administrator role and no other.")
        if db_field.name == "user_permissions" and not request.user.is_superuser:
            # individual grants are limited to what roles do not cover (e.g. 机要员 clearance)
            kwargs["queryset"] = Permission.objects.filter(
                content_type__app_label__in=[p.split(".")[0] for p in roles.GRANTABLE_PERMISSIONS],
                codename__in=[p.split(".")[1] for p in roles.GRANTABLE_PERMISSIONS])
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RuleForm(forms.ModelForm):
    """The rule's identity plus the text of a new version. Saving changed text creates a new
    version (``services.revise_rule``); the old ones stay readable."""

    version_title = forms.CharField(label=_("Title"), max_length=200)
    version_body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 18}),
                                   strip=False)  # keeps a first paragraph's indentation
    version_from = forms.DateField(label=_("New version in force from"), required=False,
                                   help_text=_("Default: today."))

    class Meta:
        model = Rule
        fields = ("code", "area", "kind", "posts", "order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.latest = self.instance.versions.order_by("-number").first() if self.instance.pk else None
        if self.latest:
            self.fields["version_title"].initial = self.latest.title
            self.fields["version_body"].initial = self.latest.body
            bound = selectors.bound_users(self.instance)
            acknowledged = RuleAcknowledgement.objects.filter(version=self.latest, user__in=bound).count()
            self.rebinding = bound.count()
            self.fields["version_body"].help_text = _(
                "Changing the title or the text creates version %(number)d: the %(count)d people "
                "this rule binds must acknowledge it again (%(acknowledged)d of them have "
                "acknowledged the current version) and are notified. Line breaks and spaces at "
                "the ends of lines are not a change.") % {
                "number": self.latest.number + 1, "count": self.rebinding, "acknowledged": acknowledged}

    def clean_version_body(self):
        body = normalize_text(self.cleaned_data["version_body"])
        if not body:
            raise ValidationError(_("The text is required."), code="required")
        return body

    def clean(self):
        data = super().clean()
        latest = self.latest
        changed = latest is not None and not (
            same_text(data.get("version_title"), latest.title)
            and same_text(data.get("version_body"), latest.body))
        start = data.get("version_from") or timezone.localdate()
        if changed and start <= latest.in_force_from:
            self.add_error("version_from", _(
                "A new version must come into force after the current one (from %(date)s).")
                % {"date": latest.in_force_from.isoformat()})
        return data


class RuleVersionInline(admin.TabularInline):
    model = RuleVersion
    fields = ("number", "title", "in_force_from", "in_force_until", "created_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-number",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    form = RuleForm
    list_display = ("title", "code", "area", "kind", "order")
    list_filter = ("area", "kind")
    search_fields = ("title", "code")
    filter_horizontal = ("posts",)
    inlines = [RuleVersionInline]
    fieldsets = (
        (None, {"fields": ("code", "area", "kind", "order", "posts")}),
        (_("Text (saving a change creates a new version)"),
         {"fields": ("version_title", "version_body", "version_from")}),
    )

    def save_model(self, request, obj, form, change):
        obj.title = form.cleaned_data["version_title"]
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        try:
            services.revise_rule(
                rule=form.instance, acting_user=request.user,
                title=form.cleaned_data["version_title"], body=form.cleaned_data["version_body"],
                in_force_from=form.cleaned_data.get("version_from"),
            )
        except ValidationError as exc:
            self.message_user(request, exc.messages[0], level="error")

    def has_delete_permission(self, request, obj=None):
        return False  # rules are superseded, not deleted


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name")
    list_filter = ("kind", "name")
    date_hierarchy = "date"
    search_fields = ("name",)

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        from django.utils.formats import date_format

        return date_format(obj.date, "l")


class CalendarYearForm(forms.ModelForm):
    """Marking a year loaded by hand, once its days are entered under the working-day calendar."""

    confirmed = forms.BooleanField(
        label=_("I have checked this year's holidays and make-up workdays against the State "
                "Council's notice"), required=True)

    class Meta:
        model = CalendarYear
        fields = ("year", "note")


class LoadYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099)
    note = forms.CharField(label=_("Notice"), max_length=200, required=False,
                           help_text=_("The State Council notice it was checked against: its title or number, and "
                                       "the date it was issued."))
    confirmed = forms.BooleanField(
        label=_("I have checked every day above against the State Council's notice"),
        required=False)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Loaded years. "Load a year" fills a year from the holiday data package after the admin
    has checked it day by day; adding a year by hand marks the days entered as complete."""

    form = CalendarYearForm
    list_display = ("year", "source", "note", "loaded_at", "loaded_by", "days")
    readonly_fields = ("source", "loaded_at", "loaded_by")

    @admin.display(description=_("days off / make-up workdays"))
    def days(self, obj):
        rows = CalendarDay.objects.filter(date__year=obj.year)
        return f"{rows.filter(kind=CalendarDay.Kind.HOLIDAY).count()} / " \
               f"{rows.filter(kind=CalendarDay.Kind.WORKDAY).count()}"

    def get_fields(self, request, obj=None):
        return ("year", "note", "confirmed") if obj is None else ("year", "source", "note",
                                                                  "loaded_at", "loaded_by")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("year", "source", "loaded_at", "loaded_by")

    def get_urls(self):
        from django.urls import path

        return [path("load/", self.admin_site.admin_view(self.load_view),
                     name="office_calendaryear_load"), *super().get_urls()]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        entry = calendar_years.load_year(year=obj.year, acting_user=request.user,
                                         source=CalendarYear.Source.MANUAL, note=obj.note)
        obj.pk, obj.loaded_at, obj.loaded_by = entry.pk, entry.loaded_at, entry.loaded_by
        obj._state.adding = False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            class Checked(form):
                def clean(self):
                    data = super().clean()
                    year = data.get("year")
                    if year and not CalendarDay.objects.filter(
                            date__year=year, kind=CalendarDay.Kind.HOLIDAY).exists():
                        self.add_error("year", _(
                            "No holiday of %(year)d is entered yet: enter the days of the State "
                            "Council's notice first.") % {"year": year})
                    return data
            return Checked
        return form

    def delete_model(self, request, obj):
        calendar_years.unload_year(entry=obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            calendar_years.unload_year(entry=obj, acting_user=request.user)

    def load_view(self, request):
        """Load a year from the holiday data package: choose the year, see every day it would
        create, change or remove, confirm against the notice."""
        from django.shortcuts import redirect
        from django.template.response import TemplateResponse

        if not self.has_add_permission(request):
            raise PermissionDenied
        cov = calendar_years.coverage()
        available = calendar_years.package_years()
        default = next(iter(cov.in_package), None) or (cov.missing[0] if cov.missing else None)
        form = LoadYearForm(request.POST or request.GET or None, initial={"year": default})
        plan = None
        if form.is_bound and form.is_valid():
            year = form.cleaned_data["year"]
            days = calendar_years.package_days(year)
            if not days:
                form.add_error("year", _(
                    "The holiday data package (%(package)s) has no data for %(year)d. Enter the "
                    "days by hand under Working-day calendar, then add the year here.")
                    % {"package": calendar_years.package_version() or "-", "year": year})
            else:
                plan = calendar_years.plan_year(year, days)
                if request.method == "POST" and "load" in request.POST:
                    if not form.cleaned_data["confirmed"]:
                        form.add_error("confirmed", _("Check the days against the notice first."))
                    else:
                        try:
                            calendar_years.load_year(
                                year=year, acting_user=request.user,
                                source=CalendarYear.Source.PACKAGE, days=days,
                                note=form.cleaned_data["note"] or calendar_years.package_version())
                        except ValidationError as exc:
                            form.add_error(None, exc.messages[0])
                        else:
                            self.message_user(request, _("%(year)d is loaded.") % {"year": year})
                            return redirect("admin:office_calendaryear_changelist")
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": _("Load a year from the holiday data package"), "form": form, "plan": plan,
            "package": calendar_years.package_version(), "available": available,
            "coverage": cov,
        }
        return TemplateResponse(request, "admin/office/calendaryear/load.html", context,
                                status=400 if form.errors else 200)


@admin.register(OfficeSettings)
class OfficeSettingsAdmin(admin.ModelAdmin):
    list_display = ("office_name", "work_starts", "work_ends", "same_day_cutoff")

    def has_add_permission(self, request):
        return not OfficeSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


class ActionFilter(admin.SimpleListFilter):
    """The audit list's filter by action, by their names (``office.audit.action_label``)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return audit.known_actions()

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "action_name", "result", "object_repr", "ip_address")
    list_filter = ("result", ActionFilter, ("at", admin.DateFieldListFilter))
    search_fields = ("actor_name", "action", "object_repr", "ip_address")
    date_hierarchy = "at"
    list_per_page = 100
    actions = ["export_csv"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, obj):
        return audit.action_label(obj.action)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_export_permission(self, request):
        return request.user.has_perm("office.export_auditevent")

    def changelist_view(self, request, extra_context=None):
        allowed = self.has_view_permission(request)
        audit.record("audit.query", actor=request.user, result="success" if allowed else "failure",
                     detail={"query": request.GET.urlencode()})
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Export selected events (CSV)"), permissions=["export"])
    def export_csv(self, request, queryset):
        if not self.has_export_permission(request):
            raise PermissionDenied
        audit.record("audit.export", actor=request.user, detail={"count": queryset.count()})
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        response.write("\ufeff")  # so spreadsheet programs read UTF-8
        writer = csv.writer(response)
        writer.writerow(["time", "user", "action", "action_name", "result", "object_type", "object_id",
                         "object", "address", "detail"])
        for e in queryset.select_related("content_type").order_by("at", "pk").iterator():
            writer.writerow(safe_row([
                timezone.localtime(e.at).isoformat(), e.actor_name, e.action, audit.action_label(e.action), e.result,
                e.content_type.model if e.content_type_id else "", e.object_id, e.object_repr,
                e.ip_address or "", json.dumps(e.detail, ensure_ascii=False),
            ]))
        return response


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """Roles come from the table in ``office.roles``: never deleted (``office.history``). A
    role shows by its name in the reader's language (``Group.__str__``, office.apps)."""

    list_display = ("__str__",)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.name in roles.ROLE_LABELS:
            return False
        return super().has_delete_permission(request, obj)


# django-otp's own device admins would show every account's TOTP key to a superuser: devices are
# enrolled by their owner and reset by the security administrator (StaffAdmin's action) only.
for _device_model in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
    from django.apps import apps as _apps

    _model = _apps.get_model(_device_model)
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
