"""Login throttling an attacker cannot turn against the office (django-axes handler).

Failures are counted per *account and address* and per *address*:

- one account from one address: LOGIN_FAILURE_LIMIT failures (default 5) lock that account
  **from that address** for LOCKOUT_MINUTES. Guesses from elsewhere never lock a person out at
  their own desk: five anonymous wrong passwords no longer lock the security administrator.
- one address, whatever the accounts: LOGIN_ADDRESS_FAILURE_LIMIT failures (default 20) lock
  the address for every account (120 guesses across 30 accounts are stopped after 20),
  except the security administrator's accounts, who unlock the others: an address lock never
  keeps them out (their own per-address limit still applies).
- a successful login clears that account's failures from that address (a typo followed by the
  right password does not count towards the address limit).

A wrong second-factor code counts as a failed login too. The way back in for anyone, the
security administrator included: wait LOCKOUT_MINUTES, have a security administrator delete
the lock (Django admin → Access attempts), or on the server
``python manage.py unlock_login --user NAME`` / ``--address IP`` (audited).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _count(qs) -> int:
    return qs.aggregate(n=Sum("failures_since_start"))["n"] or 0


def _is_security_admin(username: str | None) -> bool:
    from office import roles
    from office.models import User

    if not username:
        return False
    return User.objects.filter(username=username, groups__name=roles.SECURITY_ADMIN,
                               is_active=True).exists()


class OfficeAxesHandler(AxesDatabaseHandler):
    """AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]: the first query
    set counts the account from this address, the second the address."""

    def get_failures(self, request, credentials=None) -> int:
        from axes.helpers import get_client_username, get_failure_limit

        account_and_address, address = self.get_user_attempts(request, credentials)
        failures = _count(account_and_address)
        limit = get_failure_limit(request, credentials)
        if failures >= limit:
            return failures
        if _count(address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT and not _is_security_admin(
                get_client_username(request, credentials)):
            return limit  # the address is locked
        return failures

    def reset_user_attempts(self, request, credentials=None) -> int:
        """On success, clear only this account's failures from this address."""
        account_and_address = self.filter_user_attempts(request, credentials)[0]
        count, _ = account_and_address.delete()
        return count
