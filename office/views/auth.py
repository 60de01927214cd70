"""Login, logout, password change and the lockout page, in the office's own templates."""

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from office import audit, mfa


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is wrong. After %(limit)s failed attempts "
                           "the account is locked for %(minutes)s minutes."),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = _("Enter your user name.")
        self.fields["password"].error_messages["required"] = _("Enter your password.")

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and self.cleaned_data.get("password"):
            return super().clean()
        # nothing to check the password against: the field errors say what is missing. The
        # refused attempt is audited like any other, but an empty password is no guess and does
        # not count towards the lockout.
        audit.record("auth.login_failed", actor_name=username, result="failure",
                     ip=audit.client_ip(self.request) if self.request else None,
                     detail={"username": username, "reason": "empty"})
        return self.cleaned_data

    def get_invalid_login_error(self):
        from django.core.exceptions import ValidationError

        return ValidationError(
            self.error_messages["invalid_login"], code="invalid_login",
            params={"limit": settings.LOGIN_FAILURE_LIMIT, "minutes": settings.LOCKOUT_MINUTES},
        )


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        # a locked account stays locked, whatever was left empty
        username = form.cleaned_data.get("username") or ""
        if username and AxesProxyHandler.is_locked(self.request, {"username": username}):
            return locked_out(self.request, credentials={"username": username})
        return super().form_invalid(form)

    def form_valid(self, form):
        """The password was right. An account that needs or has a second factor is not logged
        in yet: the code step (or enrollment) comes first (``office.mfa``)."""
        user = form.get_user()
        if mfa.needs_second_step(user):
            mfa.start_pending(self.request, user, self.get_success_url())
            return redirect("login_verify" if mfa.has_factor(user) else "login_enroll")
        mfa.start_pending(self.request, user, self.get_success_url())
        return HttpResponseRedirect(mfa.complete_login(self.request, user, "none"))


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """Also where a temporary password (a new account, a reset by an administrator) or an
    expired one must be replaced: ``office.middleware.PasswordPolicyMiddleware`` sends the
    person here until they do."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {**super().get_context_data(**kwargs),
                "must_change": user.must_change_password, "expired": user.password_expired()}

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        was_temporary = user.must_change_password
        if was_temporary:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        audit.record("auth.password_change", actor=user, obj=user,
                     detail={"temporary": was_temporary})
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """What a locked-out account sees (called by django-axes)."""
    username = (credentials or {}).get("username", "") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": username})
    return render(
        request, "registration/login.html",
        {"form": form, "locked_out": True, "lockout_minutes": settings.LOCKOUT_MINUTES,
         "username": username},
        status=403,
    )


@login_not_required
def admin_login(request):
    """Django admin's login page, replaced by the office's (password, then second factor). A
    logged-in person sent here is not staff: 403 (sending them to the login would loop)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.http import urlencode

    if request.user.is_authenticated:
        raise PermissionDenied
    target = reverse("login")
    if request.GET.get("next"):
        target += "?" + urlencode({"next": request.GET["next"]})
    return redirect(target)


@login_not_required
@csrf_protect
@require_POST
def set_language(request):
    """Django's set_language, reachable from the login page too."""
    return django_set_language(request)


# --- the second factor (office.mfa) ---------------------------------------------------------

class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                         "inputmode": "text", "autofocus": True}))


def _second_step_failed(request, user):
    """A wrong code counts as a failed login (lockout per account and address, audited)."""
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.send(sender=__name__, request=request,
                           credentials={"username": user.get_username(), "factor": "second"})


def _locked(request, user) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


@login_not_required
@csrf_protect
def login_verify(request):
    """Second step of the login: a code from the authenticator app, or a recovery code."""
    user = mfa.pending_user(request)
    if user is None:
        return redirect("login")
    if not mfa.has_factor(user):
        return redirect("login_enroll")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _locked(request, user):
            mfa.clear_pending(request)
            return locked_out(request, credentials={"username": user.get_username()})
        factor = mfa.verify(user, form.cleaned_data["code"])
        if factor is not None:
            next_url = mfa.complete_login(request, user, factor)
            if factor.startswith("static:"):
                messages.warning(request, _("You used a recovery code; %(n)d are left. Make new "
                                            "ones on your security page.")
                                 % {"n": mfa.recovery_codes_left(user)})
            return HttpResponseRedirect(next_url)
        _second_step_failed(request, user)
        if getattr(request, "axes_locked_out", False):
            mfa.clear_pending(request)
            return locked_out(request, credentials={"username": user.get_username()})
        form.add_error("code", _("The code is wrong or was already used. Codes change every 30 "
                                 "seconds; a recovery code works once."))
    return render(request, "registration/login_verify.html", {"form": form, "pending": user},
                  status=400 if form.errors else 200)


def _enroll(request, user, *, pending: bool):
    device = mfa.start_enrollment(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_enrollment(device, form.cleaned_data["code"])
        if codes is not None:
            next_url = mfa.complete_login(request, user, f"totp:{device.pk}") if pending else None
            if not pending:
                request.session[mfa.SESSION_KEY] = f"totp:{device.pk}"
            return render(request, "registration/recovery_codes.html",
                          {"codes": codes, "next_url": next_url or reverse("security")})
        if pending:
            _second_step_failed(request, user)
            if getattr(request, "axes_locked_out", False):
                mfa.clear_pending(request)
                return locked_out(request, credentials={"username": user.get_username()})
        form.add_error("code", _("The code is wrong. Check the time on the phone and try the "
                                 "next code."))
    return render(request, "registration/mfa_enroll.html", {
        "form": form, "secret": mfa.secret_of(device), "pending": pending,
        "qr": mark_safe(mfa.qr_svg(mfa.provisioning_uri(device))),  # noqa: S308 - segno's own SVG
        "required": mfa.required_for(user),
    }, status=400 if form.errors else 200)


@login_not_required
@csrf_protect
def login_enroll(request):
    """First login of an account whose role requires a second factor it does not have yet:
    enroll the authenticator app, then the login completes."""
    user = mfa.pending_user(request)
    if user is None:
        return redirect("login")
    if mfa.has_factor(user):
        return redirect("login_verify")
    return _enroll(request, user, pending=True)


def security(request):
    """My security: the second factor (enroll, new recovery codes) and the password."""
    user = request.user
    if not mfa.has_factor(user):
        return _enroll(request, user, pending=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        factor = mfa.verify(user, form.cleaned_data["code"])
        if factor is not None and factor.startswith("totp:"):
            codes = mfa.new_recovery_codes(user)
            audit.record("auth.mfa_recovery_codes", actor=user, obj=user)
            return render(request, "registration/recovery_codes.html",
                          {"codes": codes, "next_url": reverse("security")})
        audit.record("auth.mfa_recovery_codes", actor=user, obj=user, result="failure")
        form.add_error("code", _("The code is wrong or was already used."))
    return render(request, "registration/security.html", {
        "form": form, "device": mfa.totp_device(user), "left": mfa.recovery_codes_left(user),
        "required": mfa.required_for(user),
    }, status=400 if form.errors else 200)
