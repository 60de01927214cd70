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
