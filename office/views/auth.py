"""Login, logout, password change and the lockout page, in the office's own templates."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from office import audit


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


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record("auth.password_change", actor=self.request.user, obj=self.request.user)
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
@csrf_protect
@require_POST
def set_language(request):
    """Django's set_language, reachable from the login page too."""
    return django_set_language(request)
