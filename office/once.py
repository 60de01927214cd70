"""One click, one record: the one-time form token every creating form carries.

A page that shows a form puts a fresh signed token in it (``{% once_field %}``, or
``once.field_html()``). When the form comes back, ``run_once`` claims the token by inserting
its key into ``office_submission`` in the same transaction as the step it protects:

- the first request inserts the key, runs the step and stores where its result is;
- a second request with the same token (a double click, the browser's resubmit, a retry after
  a timeout) waits on the unique key until the first commits, then finds the first result and
  does nothing (no second record, no second gap-free number);
- when the step is refused, the claim is withdrawn with it, so the corrected form can be sent
  again with the same token.

Tokens are signed (``django.core.signing``) and bound to the user they were shown to; a token
older than ``MAX_AGE`` or forged is refused with a message that keeps what the user typed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import connection, transaction
from django.utils.html import format_html
from django.utils.translation import gettext as _

from office.workflow import WorkflowError

FIELD = "_once"
SALT = "zhengban.once"
MAX_AGE = 60 * 60 * 24  # seconds: a form left open for a day must be reloaded


def new_token(user=None) -> str:
    """A fresh signed token for a form shown to ``user``."""
    return signing.dumps({"k": uuid.uuid4().hex, "u": getattr(user, "pk", None)}, salt=SALT,
                         compress=False)


def field_html(user=None) -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token(user))


class TokenRefused(WorkflowError):
    """The form carried no valid token (missing, forged, another user's or expired)."""


def _key(token: str | None, user) -> str:
    if not token:
        raise TokenRefused(_("This form could not be checked (it was not sent from its page). "
                             "Check what you entered and send it again."), code="token_missing")
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise TokenRefused(_("This form was open too long and has expired. Check what you entered "
                             "and send it again."), code="token_expired") from None
    except signing.BadSignature:
        raise TokenRefused(_("This form could not be checked. Check what you entered and send it "
                             "again."), code="token_invalid") from None
    if not isinstance(data, dict) or data.get("u") != getattr(user, "pk", None):
        raise TokenRefused(_("This form was opened by another user. Send it again from your own "
                             "page."), code="token_user")
    return str(data.get("k", ""))[:64]


@dataclass
class Outcome:
    """What ``run_once`` did. ``duplicate``: the token had been used; ``result`` is then None
    and ``url``/``message`` are those the first submission stored."""

    duplicate: bool
    result: Any = None
    url: str = ""
    message: str = ""


def run_once(token: str | None, *, user, action: Callable[[], Any],
             describe: Callable[[Any], tuple[str, str]]) -> Outcome:
    """Run ``action()`` once per token, atomically with the token's claim.

    ``describe(result) -> (url, message)`` says where the result is and what happened; both are
    stored with the claim for a repeated request. Raises ``TokenRefused`` for a bad token and
    re-raises a ``WorkflowError`` from the action (whose own failure audit row is kept) after
    withdrawing the claim."""
    key = _key(token, user)
    from office.models import Submission

    refusal: WorkflowError | None = None
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO office_submission (key, user_id, created_at, result_url, result_message)"
                " VALUES (%s, %s, now(), '', '') ON CONFLICT (key) DO NOTHING RETURNING key",
                [key, getattr(user, "pk", None)])
            claimed = cursor.fetchone() is not None
        if not claimed:
            first = Submission.objects.filter(key=key).first()
            return Outcome(True, None, first.result_url if first else "",
                           first.result_message if first else "")
        try:
            result = action()
        except WorkflowError as exc:
            # the step's own work is rolled back by its savepoint; its refusal audit row stays
            Submission.objects.filter(key=key).delete()
            refusal = exc
        else:
            url, message = describe(result)
            Submission.objects.filter(key=key).update(result_url=url[:300], result_message=message[:300])
    if refusal is not None:
        raise refusal
    return Outcome(False, result, url, message)


def purge(older_than_seconds: int = MAX_AGE * 2) -> int:
    """Delete claims whose tokens can no longer be presented (they expired). Returns the count."""
    import datetime as dt

    from django.utils import timezone

    from office.models import Submission

    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    deleted, _rows = Submission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
