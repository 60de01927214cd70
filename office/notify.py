"""Notifications: stored in the in-app inbox, e-mailed by Celery after the commit.

Queueing the e-mail never fails the step that notified (``office.queueing``): with the broker
down the e-mail stays unsent and ``office.tasks.resend_pending_email`` sends it later.

``notify`` is the one entry point. Its ``key`` is unique across all notifications: calling it
again with the same key stores nothing and sends nothing, so a sweep that runs twice, or a
worker that dies half way and is retried, never notifies twice.

A notification may carry one file for its e-mail (``attachment=Attachment(name, content_type,
data)``): a meeting's .ics invitation, update or cancellation. It is stored with the
notification, so the e-mail that goes out later (by the task, or by the sweep after a dead
worker or a broker outage) carries exactly the file of the moment it was notified; the inbox
shows the notification without it.

**What a notification means** (``Msg``): a title is stored as its English msgid and parameters
(``Notification.message``) and rendered in the reader's language when shown; ``title`` keeps
the rendering in the office's language for the e-mail subject and for old rows.

**A notification that asks for an action** carries a ``task`` ("doc:42:proposing"): when the
action is done — by whoever does it — the step calls ``resolve(["doc:42:proposing"], by=user)``
and every notification of that task stops counting as open (the badge counts unread notifications
that are not resolved). The ``dedup_key`` rules are unchanged: a task is not a key.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from office import queueing
from office.models import Notification

EMAIL_CLAIM_TIMEOUT = timedelta(minutes=10)
EMAIL_MAX_ATTEMPTS = 5  # then the e-mail is marked failed and reported, never retried again

logger = logging.getLogger(__name__)


def one_line(text) -> str:
    """A title is one line: control characters (CR/LF above all, which would make the e-mail
    subject a header injection that can never be sent) become spaces."""
    from office.workflow import CONTROL_CHARACTERS

    return CONTROL_CHARACTERS.sub(" ", str(text)).strip()


class Msg:
    """A message by meaning: an English msgid (marked for translation where it is written, with
    ``gettext_noop``) and its parameters; a parameter may itself be a ``Msg`` (a label that is
    translated too, e.g. an urgency). ``str()`` renders it in the active language."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params):
        self.msgid = str(msgid)
        self.params = params

    def as_json(self) -> dict:
        return {"msgid": self.msgid,
                "params": {k: (v.as_json() if isinstance(v, Msg) else v if isinstance(v, int) else str(v))
                           for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data) -> Msg | None:
        if not isinstance(data, dict) or not isinstance(data.get("msgid"), str):
            return None
        params = {k: (cls.from_json(v) if isinstance(v, dict) else v)
                  for k, v in (data.get("params") or {}).items()}
        return cls(data["msgid"], **params)

    def render(self) -> str:
        from django.utils.translation import gettext

        params = {k: (v.render() if isinstance(v, Msg) else v) for k, v in self.params.items()}
        for text in (gettext(self.msgid), self.msgid):
            try:
                return text % params if params else text
            except (KeyError, ValueError, TypeError):
                continue
        return self.msgid

    def render_default(self) -> str:
        """In the office's language (settings.LANGUAGE_CODE): the stored title, the e-mail."""
        from django.utils import translation

        with translation.override(settings.LANGUAGE_CODE):
            return self.render()

    def __str__(self) -> str:
        return self.render()

    def __eq__(self, other) -> bool:
        return isinstance(other, Msg) and self.as_json() == other.as_json()

    __hash__ = None


def _title_fields(title) -> dict:
    if isinstance(title, Msg):
        return {"title": one_line(title.render_default())[:200], "message": title.as_json()}
    return {"title": one_line(title)[:200]}


class Attachment(NamedTuple):
    """A file sent with a notification's e-mail, e.g. ("invite.ics", "text/calendar;
    method=REQUEST; charset=utf-8", b"BEGIN:VCALENDAR...")."""

    name: str
    content_type: str
    data: bytes


def _attachment_fields(attachment: Attachment | None) -> dict:
    if attachment is None:
        return {}
    return {"attachment_name": attachment.name[:100], "attachment_type": attachment.content_type[:100],
            "attachment_data": bytes(attachment.data)}


def notify(
    recipient,
    *,
    title: str | Msg,
    key: str | None = None,
    task: str = "",
    body: str = "",
    url: str = "",
    kind: str = "info",
    email: bool = True,
    attachment: Attachment | None = None,
) -> Notification | None:
    """Store a notification for ``recipient`` unless one with ``key`` exists; queue its e-mail
    on commit. Returns the new notification, or None when the key was already used.
    ``title`` is best a ``Msg`` (shown in the reader's language); ``task`` names the action the
    notification asks for (see ``resolve``).

    Safe inside a caller's transaction: a duplicate key rolls back only its own savepoint."""
    key = key or f"once:{uuid.uuid4()}"
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, dedup_key=key[:200], kind=kind, task=task[:120],
                **_title_fields(title), body=str(body), url=url, send_email=email and bool(recipient.email),
                **_attachment_fields(attachment),
            )
    except IntegrityError:
        return None
    if notification.send_email:
        from office.tasks import send_notification_email

        queueing.enqueue_on_commit(send_notification_email, notification.pk)
    return notification


def notify_many(specs: list[dict]) -> dict[str, int]:
    """Store many notifications at once (one INSERT … SELECT, ON CONFLICT DO NOTHING: ``office.bulk``);
    each spec has ``recipient_id``, ``key``, ``title`` and optionally ``body``, ``url``, ``kind``,
    ``email`` (bool), ``attachment`` (an ``Attachment``), ``task``, ``address`` (the recipient's
    e-mail address when the caller has it: no query for them); ``title`` may be a ``Msg``.
    Keys already used are skipped.
    Returns {key: notification id} for every key (new or existing). E-mails of the new ones are
    queued after the commit, in batches. Call inside a transaction."""
    if not specs:
        return {}
    from office import numbering
    from office.models import User

    if all("address" in s for s in specs):  # the caller read the addresses with the recipients
        emails = {s["recipient_id"]: s["address"] for s in specs}
    else:
        emails = dict(User.objects.filter(pk__in={s["recipient_id"] for s in specs})
                      .values_list("pk", "email"))
    if any(numbering.holds_mark(s["title"]) or numbering.holds_mark(s.get("body", "")) for s in specs):
        # a number taken at the end of the step (office.numbering.reserve) is in the text: each
        # row is saved on its own so that the step's final statement writes the number into it
        out = {}
        for s in specs:
            n = notify(User(pk=s["recipient_id"], email=emails.get(s["recipient_id"]) or ""), key=s["key"],
                       title=s["title"], body=s.get("body", ""), url=s.get("url", ""), kind=s.get("kind", "info"),
                       email=s.get("email", True), attachment=s.get("attachment"), task=s.get("task", ""))
            if n is not None:
                out[s["key"][:200]] = n.pk
        return out
    from office import bulk

    titles = [_title_fields(s["title"]) for s in specs]
    fresh = bulk.insert(Notification, rows={
        "recipient_id": [s["recipient_id"] for s in specs],
        "dedup_key": [s["key"][:200] for s in specs],
        "kind": [s.get("kind", "info") for s in specs],
        "task": [s.get("task", "")[:120] for s in specs],
        "title": [t["title"] for t in titles],
        "message": [t.get("message", {}) for t in titles],
        "body": [str(s.get("body", "")) for s in specs],
        "url": [s.get("url", "") for s in specs],
        "send_email": [s.get("email", True) and bool(emails.get(s["recipient_id"])) for s in specs],
        **({"attachment_name": [_attachment_fields(s.get("attachment")).get("attachment_name", "") for s in specs],
            "attachment_type": [_attachment_fields(s.get("attachment")).get("attachment_type", "") for s in specs],
            "attachment_data": [_attachment_fields(s.get("attachment")).get("attachment_data") for s in specs]}
           if any(s.get("attachment") for s in specs) else {}),
    }, ignore_conflicts=True, returning=("dedup_key", "id", "send_email"))
    found = {key: pk for key, pk, _send in fresh}
    to_send = [pk for _key, pk, send in fresh if send]
    missing = [s["key"][:200] for s in specs if s["key"][:200] not in found]
    if missing:  # keys used before: their notifications; an e-mail still waiting is queued again
        for key, pk, send, sent, claimed in Notification.objects.filter(dedup_key__in=missing).values_list(
                "dedup_key", "pk", "send_email", "email_sent_at", "email_claimed_at"):
            found[key] = pk
            if send and not sent and not claimed:
                to_send.append(pk)
    if to_send:
        from office.tasks import send_notification_emails

        for i in range(0, len(to_send), 200):
            queueing.enqueue_on_commit(send_notification_emails, to_send[i:i + 200])
    return found


def deliver_email(notification_id: int) -> bool:
    """Send the e-mail of one notification at most once. Claims the row with a conditional
    update (a claim older than EMAIL_CLAIM_TIMEOUT is considered abandoned by a dead worker),
    sends, then marks it sent. Returns True when this call sent it.

    An e-mail that can never be sent (a header the mail library refuses, e.g. a line break in
    the address) is marked failed at once and reported; one that keeps failing (the mail server
    refuses it) is marked failed after EMAIL_MAX_ATTEMPTS tries. A failed e-mail is never retried:
    the notification stays in the person's inbox."""
    from django.db.models import F

    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, send_email=True, email_sent_at__isnull=True,
                                    email_failed_at__isnull=True)
        .filter(_unclaimed(now))
        .update(email_claimed_at=now, email_attempts=F("email_attempts") + 1)
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{settings.SITE_URL}{notification.url}"
    try:
        if notification.attachment_name and notification.attachment_data is not None:
            message = EmailMessage(one_line(notification.title), body, settings.DEFAULT_FROM_EMAIL,
                                   [notification.recipient.email])
            message.attach(notification.attachment_name, bytes(notification.attachment_data),
                           notification.attachment_type or "application/octet-stream")
            message.send(fail_silently=False)
        else:
            send_mail(one_line(notification.title), body, settings.DEFAULT_FROM_EMAIL,
                      [notification.recipient.email], fail_silently=False)
    except (BadHeaderError, ValueError, UnicodeError) as exc:  # can never be sent as it is
        _mark_failed(notification, exc)
        return False
    except Exception as exc:
        if notification.email_attempts >= EMAIL_MAX_ATTEMPTS:
            _mark_failed(notification, exc)
            return False
        # transient (the mail server is down): release the claim, so the task's retry (or the
        # sweep) can send it
        Notification.objects.filter(pk=notification_id, email_sent_at__isnull=True).update(
            email_claimed_at=None)
        raise
    Notification.objects.filter(pk=notification_id).update(email_sent_at=timezone.now())
    return True


def _mark_failed(notification: Notification, exc: Exception) -> None:
    """Mark the e-mail failed and report it: the log, the audit trail, and the system
    administrators' inbox (without the notification's text, which may be business content)."""
    from office import audit, roles
    from office.models import User

    error = f"{type(exc).__name__}: {exc}"[:300]
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).update(email_failed_at=timezone.now(),
                                                              email_error=error)
        audit.record("notifications.email_failed", obj=notification, result="failure",
                     detail={"recipient": notification.recipient.get_username(), "error": error,
                             "attempts": notification.email_attempts})
        for admin in User.objects.filter(groups__name=roles.SYSTEM_ADMIN, is_active=True):
            notify(admin, key=f"mailfail:{notification.pk}:{admin.pk}", email=False, kind="system",
                   title=_("An e-mail could not be sent"),
                   body=_("Notification %(id)s to %(user)s: %(error)s")
                   % {"id": notification.pk, "user": notification.recipient.get_username(),
                      "error": error})
    logger.error("notification %s: e-mail failed for good (%s)", notification.pk, error)


def _unclaimed(now) -> Q:
    return Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - EMAIL_CLAIM_TIMEOUT)


def pending_email_ids(limit: int = 500) -> list[int]:
    """E-mails not sent whose claim (if any) has expired: what a dead worker left behind."""
    now = timezone.now()
    return list(
        Notification.objects.filter(send_email=True, email_sent_at__isnull=True,
                                    email_failed_at__isnull=True)
        .filter(_unclaimed(now), created_at__lt=now - timedelta(minutes=1))
        .order_by("created_at").values_list("pk", flat=True)[:limit]
    )


def resolve(tasks, *, by=None) -> int:
    """The actions named by ``tasks`` are done (by ``by``, whoever that is): every open
    notification of those tasks stops counting. Idempotent; call inside the step's transaction."""
    tasks = [t for t in tasks if t]
    if not tasks:
        return 0
    return Notification.objects.filter(task__in=tasks, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by if getattr(by, "pk", None) else None)


def open_q() -> Q:
    """A notification still open: unread and not resolved (what the badge counts)."""
    return Q(read_at__isnull=True, resolved_at__isnull=True)


@transaction.atomic
def mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    from office import audit

    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    count = qs.update(read_at=timezone.now())
    audit.record("notifications.mark_read", actor=user, detail={"count": count})
    return count


def parse_title(title: str, msgids) -> Msg | None:
    """The ``Msg`` an old notification's stored title was rendered from (in the office's
    language), or None: used by the migrations that give old rows their meaning."""
    import re

    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        for msgid in msgids:
            rendered = translation.gettext(msgid)
            names = re.findall(r"%\((\w+)\)([sd])", rendered)
            pattern = re.escape(rendered)
            for name, conv in names:
                pattern = pattern.replace(re.escape(f"%({name}){conv}"),
                                          f"(?P<{name}>-?\\d+)" if conv == "d" else f"(?P<{name}>.+)", 1)
            match = re.fullmatch(pattern, title)
            if match:
                params = {n: (int(match[n]) if c == "d" else match[n]) for n, c in names}
                return Msg(msgid, **params)
    return None
