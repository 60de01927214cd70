from django.core.exceptions import PermissionDenied

from office import roles
from office.audit import client_ip, record_denied, reset_request_ip, set_request_ip


class SecurityHeadersMiddleware:
    """Every response the application makes carries the Content-Security-Policy (no inline
    script, nothing from elsewhere) and ``Cache-Control: no-store``: pages of a logged-in person,
    the login steps (the enrollment page shows a secret) and downloads are never kept by a
    browser or proxy cache. Static files are served by the web server, not through here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers["Cache-Control"] = "no-store"
        return response


class AuditContextMiddleware:
    """Makes the client address of the current request available to ``office.audit.record``,
    and records every refused request (a 403 page, whatever refused it: a view, Django admin,
    the CSRF check, the separation of administrators) with its address and path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_request_ip(client_ip(request))
        try:
            response = self.get_response(request)
            if response.status_code == 403 and not getattr(request, "axes_locked_out", False):
                record_denied(request)  # a lockout page is recorded as auth.locked_out already
            return response
        finally:
            reset_request_ip(token)


class AccountPolicyMiddleware:
    """What a logged-in account must settle before anything else:

    1. a second factor its roles require (``office.mfa``): a session not verified by one is sent
       to enrollment, or logged out when the account has a device (it must log in with it);
    2. a temporary password (new account, reset by an administrator) or an expired one: the
       person is sent to the password page until they choose their own."""

    MFA_FREE = {"security", "logout", "set_language", "javascript-catalog"}
    PASSWORD_FREE = MFA_FREE | {"password_change", "password_change_done"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from office import mfa

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = getattr(request, "resolver_match", None)
        name = match.url_name if match is not None else ""
        if name not in self.MFA_FREE and not mfa.session_verified(request):
            if mfa.has_factor(user):
                logout(request)
                messages.warning(request, _("Log in again with your second factor."))
                return redirect("login")
            messages.warning(request, _("Your role requires a second factor: set up your "
                                        "authenticator app now."))
            return redirect("security")
        if name not in self.PASSWORD_FREE and (user.must_change_password or user.password_expired()):
            return redirect("password_change")
        return None


class AdminSeparationMiddleware:
    """Administrator accounts see no business content (三员分立): every URL of a business app
    (``roles.BUSINESS_NAMESPACES``) answers 403 to them. Selectors return nothing for them too
    (``roles.is_business_user``), so a path missed here still shows nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if match is None or not match.namespaces or match.namespaces[0] not in roles.BUSINESS_NAMESPACES:
            return None
        if roles.is_admin_account(request.user):
            raise PermissionDenied
        return None


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user chose another language with the switcher (cookie).
    The browser's Accept-Language is deliberately ignored: an office machine set up in English
    still gets the office's language until its user picks English."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        allowed = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in allowed else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class IdleSessionMiddleware:
    """Sliding idle expiry: every request a person makes extends the session by
    SESSION_IDLE_MINUTES; background polls (htmx requests marked ``X-Zhengban-Poll``, e.g. the
    intake board refreshing itself) do not, so an unattended screen still times out."""

    POLL_HEADER = "X-Zhengban-Poll"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (session is not None and user is not None and user.is_authenticated
                and not request.headers.get(self.POLL_HEADER)):
            import time

            session["last_activity"] = int(time.time())  # marks it modified: saved, expiry renewed
        return response
