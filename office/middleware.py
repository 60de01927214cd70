from office.audit import client_ip, reset_request_ip, set_request_ip


class AuditContextMiddleware:
    """Makes the client address of the current request available to ``office.audit.record``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_request_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_request_ip(token)


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
