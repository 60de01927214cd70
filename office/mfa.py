"""The second factor (等保 8.1.4.1 d: two kinds of authentication, one of them cryptographic):
a TOTP authenticator app (django-otp) and one-time recovery codes.

Login is two steps. The password step (``office.views.auth.LoginView``) does not log in an
account that needs or has a second factor: it keeps a *pending* login in the session (for
PENDING_SECONDS) and sends the person to the code step, or to enrollment when their role
requires a factor they do not have yet. Only then is the session logged in, marked with the
factor that verified it (SESSION_KEY). ``office.middleware.SecondFactorMiddleware`` refuses a
session without that mark to an account that needs it (for example a role given while the
person was logged in): such a person is sent to enrollment, or logged out when they have a
device.

Who needs it: the three administrators and superusers always; the roles in
``settings.MFA_REQUIRED_ROLES`` (default: the administrators and county leaders); anyone who
enrolled a device of their own. A lost device is reset by the security administrator (audited,
the owner is notified); a password reset never touches the factor, and a factor reset never
touches the password, so no single administrator can take over an enrolled account.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office import audit, roles

SESSION_KEY = "zb_second_factor"  # on a logged-in session: "totp:<id>", "static:<id>" or "none"
PENDING_KEY = "zb_pending_login"  # before the second step: {"user", "backend", "at", "next"}
PENDING_SECONDS = 300
RECOVERY_CODES = 10
ISSUER = "Zhengban"


def required_for(user) -> bool:
    """Whether ``user``'s roles require a second factor (administrators always)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    wanted = set(getattr(settings, "MFA_REQUIRED_ROLES", ())) | set(roles.ADMIN_ROLES)
    return bool(roles.user_roles(user) & wanted)


def totp_device(user, *, confirmed: bool | None = True):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    qs = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("pk").first()


def has_factor(user) -> bool:
    return totp_device(user) is not None


def needs_second_step(user) -> bool:
    return required_for(user) or has_factor(user)


def session_verified(request) -> bool:
    """Whether this logged-in session is good enough for its account."""
    marker = request.session.get(SESSION_KEY, "")
    if marker.startswith(("totp:", "static:")):
        return True
    return not required_for(request.user)


# --- the pending login ---------------------------------------------------------------------

def start_pending(request, user, next_url: str) -> None:
    request.session.cycle_key()  # a new session key once the password is known (fixation)
    request.session[PENDING_KEY] = {"user": user.pk, "backend": user.backend, "at": int(time.time()),
                                    "next": next_url}


def pending_user(request):
    """The account whose password was just given, or None (none, or older than 5 minutes)."""
    from office.models import User

    data = request.session.get(PENDING_KEY)
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is not None:
        user.backend = data.get("backend")
    return user


def pending_next(request) -> str:
    return (request.session.get(PENDING_KEY) or {}).get("next") or settings.LOGIN_REDIRECT_URL


def clear_pending(request) -> None:
    request.session.pop(PENDING_KEY, None)


def complete_login(request, user, factor: str) -> str:
    """Log the session in, marked with the factor that verified it ("none" when the account
    needs none); returns where to go next. The login is audited with the factor."""
    from django.contrib.auth import login

    next_url = pending_next(request)
    clear_pending(request)
    user.zb_factor = factor.split(":")[0]
    login(request, user, backend=getattr(user, "backend", None))
    request.session[SESSION_KEY] = factor
    return next_url


# --- verifying -----------------------------------------------------------------------------

def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def verify(user, code: str) -> str | None:
    """The factor ("totp:<id>" or "static:<id>") that accepts ``code``, or None. A TOTP code
    is accepted once (replays are refused); a recovery code is used up."""
    from django_otp.plugins.otp_static.models import StaticDevice

    code = _normalise(code)
    if not code:
        return None
    with transaction.atomic():
        if code.isdigit() and len(code) == 6:
            device = totp_device(user)
            if device is not None:
                device = type(device).objects.select_for_update().get(pk=device.pk)
                if device.verify_token(code):
                    return f"totp:{device.pk}"
            return None
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return f"static:{device.pk}"
    return None


# --- enrollment, recovery codes, reset -----------------------------------------------------

def start_enrollment(user):
    """An unconfirmed TOTP device for ``user`` (the same one until it is confirmed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def secret_of(device) -> str:
    """The base32 secret an authenticator app takes when typed by hand."""
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


def provisioning_uri(device) -> str:
    from urllib.parse import quote

    label = quote(f"{ISSUER}:{device.user.get_username()}")
    return (f"otpauth://totp/{label}?secret={secret_of(device)}&issuer={ISSUER}"
            f"&algorithm=SHA1&digits={device.digits}&period={device.step}")


def qr_svg(text: str) -> str:
    """The QR code as an inline SVG element (no image request, nothing fetched)."""
    import segno

    return segno.make(text, error="m").svg_inline(scale=5, border=2)


def confirm_enrollment(device, code: str) -> list[str] | None:
    """Confirm the device with its first code; returns fresh recovery codes, or None when the
    code is wrong."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(_normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        type(device).objects.filter(user=device.user).exclude(pk=device.pk).delete()
        codes = new_recovery_codes(device.user)
        audit.record("auth.mfa_enrolled", actor=device.user, obj=device.user)
    return codes


def new_recovery_codes(user) -> list[str]:
    """Replace the account's recovery codes with RECOVERY_CODES new ones (shown once)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_left(user) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def may_reset(actor, target) -> bool:
    """The security administrator resets a lost factor of a business account; a superuser
    resets anyone's (an administrator's included). Nobody resets their own."""
    if actor.pk == target.pk or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    return roles.has_role(actor, roles.SECURITY_ADMIN) and not roles.is_admin_account(target)


@transaction.atomic
def reset(*, user, acting_user) -> int:
    """Remove every second-factor device of ``user`` (a lost phone). Audited; the owner is told.
    Their next login asks them to enroll again when their role requires it."""
    from django.core.exceptions import PermissionDenied
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from office import notify

    if not may_reset(acting_user, user):
        audit.record("auth.mfa_reset", actor=acting_user, obj=user, result="failure")
        raise PermissionDenied
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    audit.record("auth.mfa_reset", actor=acting_user, obj=user, detail={"removed": removed})
    notify.notify(user, kind="security", title=notify.Msg(N_("Your second factor was reset")),
                  body=_("%(admin)s removed your authenticator app and recovery codes. If you did "
                         "not ask for this, tell the security administrator at once.")
                  % {"admin": acting_user.get_full_name()})
    return removed
