"""Write operations of the office core. Each is atomic and leaves an audit event."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office import audit
from office.models import Rule, RuleAcknowledgement, RuleVersion
from office.text import normalize_text, same_text


@transaction.atomic
def revise_rule(*, rule: Rule, acting_user, title: str, body: str,
                in_force_from: dt.date | None = None) -> RuleVersion | None:
    """Give ``rule`` a new text. When a version exists and the text is unchanged, nothing
    happens (returns None): texts are compared normalised (``office.text``), so line endings
    and trailing spaces are no change. Otherwise a new version is created, in force from
    ``in_force_from`` (default today), and the previous open version ends the day before:
    old versions are never rewritten, so what staff acknowledged stays readable. A new version
    of an existing rule notifies every active person it binds (their acknowledgement lapsed)."""
    Rule.objects.select_for_update().get(pk=rule.pk)
    today = timezone.localdate()
    start = in_force_from or today
    title, body = normalize_text(title).strip(), normalize_text(body)
    latest = rule.versions.order_by("-number").first()
    if latest and same_text(latest.title, title) and same_text(latest.body, body):
        return None
    if latest and start <= latest.in_force_from:
        raise ValidationError(
            _("A new version must come into force after the current one (from %(date)s).")
            % {"date": latest.in_force_from.isoformat()}
        )
    if latest and (latest.in_force_until is None or latest.in_force_until >= start):
        latest.in_force_until = start - dt.timedelta(days=1)
        latest.save(update_fields=["in_force_until"])
    version = RuleVersion.objects.create(
        rule=rule, number=(latest.number + 1) if latest else 1, title=title, body=body,
        in_force_from=start, created_by=acting_user,
    )
    if rule.title != title:
        rule.title = title
        rule.save(update_fields=["title"])
    notified = _notify_new_version(rule, version) if latest else 0
    audit.record("rule.revise", actor=acting_user, obj=rule,
                 detail={"version": version.number, "in_force_from": start.isoformat(),
                         "notified": notified})
    return version


def _notify_new_version(rule: Rule, version: RuleVersion) -> int:
    """One notification per person the rule binds (set-based, deduplicated per version)."""
    from office import notify
    from office.notify import Msg
    from office.selectors import bound_users

    title = Msg(N_("New version of a rule to acknowledge: %(title)s"), title=version.title)
    body = _("Version %(number)d is in force from %(date)s. Read it and acknowledge it in the "
             "rules library.") % {"number": version.number, "date": version.in_force_from.isoformat()}
    specs = [{"recipient_id": uid, "key": f"rule:{version.pk}:{uid}", "title": title, "body": body,
              "task": f"rule:{version.pk}:ack:{uid}",
              "url": rule.get_absolute_url(), "kind": "rules"}
             for uid in bound_users(rule).values_list("pk", flat=True)]
    notify.notify_many(specs)
    return len(specs)


@transaction.atomic
def acknowledge_rule(*, version: RuleVersion, acting_user) -> RuleAcknowledgement:
    """Record that ``acting_user`` has read ``version``. Only the version in force can be
    acknowledged. Idempotent: acknowledging twice returns the first record."""
    if not version.is_in_force(timezone.localdate()):
        audit.record("rule.acknowledge", actor=acting_user, obj=version.rule, result="failure",
                     detail={"version": version.number, "reason": "not in force"})
        raise PermissionDenied(_("Only the version in force can be acknowledged."))
    existing = RuleAcknowledgement.objects.filter(version=version, user=acting_user).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            ack = RuleAcknowledgement.objects.create(version=version, user=acting_user)
    except IntegrityError:  # a concurrent click got there first
        return RuleAcknowledgement.objects.get(version=version, user=acting_user)
    audit.record("rule.acknowledge", actor=acting_user, obj=version.rule,
                 detail={"version": version.number})
    from office import notify

    notify.resolve([f"rule:{version.pk}:ack:{acting_user.pk}"], by=acting_user)
    return ack


@transaction.atomic
def password_was_reset(*, user, acting_user) -> None:
    """After an administrator set ``user``'s password (a temporary one: ``must_change_password``
    is set): audited, and the owner is told in the inbox and by e-mail, so a reset they did not
    ask for does not go unnoticed."""
    from office import notify
    from office.notify import Msg

    audit.record("auth.password_reset", actor=acting_user, obj=user,
                 detail={"temporary": bool(user.must_change_password)})
    notify.notify(user, kind="security", title=Msg(N_("An administrator reset your password")),
                  body=_("%(admin)s set a temporary password for your account on %(when)s. You "
                         "must choose your own at the next login. If you did not ask for this, "
                         "tell the security administrator at once.")
                  % {"admin": acting_user.get_full_name(),
                     "when": timezone.localtime().strftime("%Y-%m-%d %H:%M")})
