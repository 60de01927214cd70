import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]")


class CharacterClassValidator:
    """At least three of: lower-case, upper-case, digits, symbols (等保 password complexity)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for pattern in CLASSES if re.search(pattern, password or ""))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("Your password must mix at least %(n)d of: lower-case letters, upper-case "
                 "letters, digits and symbols.") % {"n": self.min_classes}


class UserNameValidator:
    """The password must not contain the user name, in any case (``baiyl2026A`` for ``baiyl``
    is refused). Django's similarity check alone lets such a password through."""

    MIN_LENGTH = 3  # shorter user names would forbid too much by accident

    def validate(self, password, user=None):
        name = (getattr(user, "username", "") or "").strip().lower()
        if len(name) >= self.MIN_LENGTH and name in (password or "").lower():
            raise ValidationError(_("Your password must not contain your user name."),
                                  code="password_contains_username")

    def get_help_text(self):
        return _("Your password must not contain your user name.")


class HistoryValidator:
    """Not one of the account's last PASSWORD_HISTORY_COUNT passwords (the current one
    included). Compared against the stored hashes; passwords themselves are never kept."""

    def validate(self, password, user=None):
        from django.conf import settings
        from django.contrib.auth.hashers import check_password

        count = getattr(settings, "PASSWORD_HISTORY_COUNT", 5)
        if not count or user is None or not getattr(user, "pk", None):
            return
        from office.models import PasswordHistory, User

        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        hashes = [current] if current else []
        hashes += list(PasswordHistory.objects.filter(user_id=user.pk)
                       .exclude(password=current or "").order_by("-created_at", "-pk")
                       .values_list("password", flat=True)[:max(count - 1, 0)])
        if any(check_password(password, h) for h in hashes[:count]):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        from django.conf import settings

        return _("Your password must not be one of your last %(n)d passwords.") % {
            "n": getattr(settings, "PASSWORD_HISTORY_COUNT", 5)}
