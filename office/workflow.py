"""What every workflow app shares: the refusal exception and the step decorator."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from office import audit


class WorkflowError(Exception):
    """A refused step. ``message`` is shown to the user as it is; ``code`` is for tests and
    callers; ``existing`` optionally points at the object that caused the refusal."""

    def __init__(self, message: str, *, code: str = "refused", existing=None):
        super().__init__(message)
        self.message, self.code, self.existing = message, code, existing


def audited_step(action: str, *, target_kwarg: str | None = None,
                 target: Callable[[dict], Any] | None = None):
    """Run the decorated step in one transaction. A refusal rolls the step back and is then
    audited as a failure (outside the rolled-back work) before it is raised again.
    ``target_kwarg`` names the keyword argument holding the object the step acts on; or
    ``target(kwargs)`` returns it (e.g. the item of an ``extension=`` argument)."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, acting_user, **kwargs):
            try:
                with transaction.atomic():
                    return fn(*args, acting_user=acting_user, **kwargs)
            except WorkflowError as exc:
                obj = target(kwargs) if target is not None else kwargs.get(target_kwarg)
                if obj is not None and not hasattr(obj, "_meta"):
                    obj = None
                audit.record(action, actor=acting_user, obj=obj, result="failure",
                             detail={"reason": exc.message})
                raise

        return wrapper

    return decorate


def require_text(text: str, message: str) -> str:
    """The stripped text, or a refusal with ``message`` when it is empty."""
    text = (text or "").strip()
    if not text:
        raise WorkflowError(message, code="required")
    return text


# C0 and C1 control characters (CR, LF, TAB, NUL, ESC ...) and the Unicode line and paragraph
# separators: none belongs in a single-line field (a title, a number, a name). A CR/LF in a
# title would make every e-mail carrying it undeliverable (a header injection attempt).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text or ""))


def require_line(text: str, message: str) -> str:
    """``require_text`` for a single-line field: also refuses control characters."""
    text = require_text(text, message)
    if has_control_characters(text):
        raise WorkflowError(_("Line breaks and control characters are not allowed here."),
                            code="invalid")
    return text


def require_participant(user, message: str):
    """A person a step hands work to (reader, leader, handler, responsible person, supervisor):
    an active business account, never an administrator (三员分立) or a disabled account."""
    from office import roles

    if user is None or not roles.is_business_user(user):
        raise WorkflowError(message, code="invalid")
    return user


def require_active_unit(unit, message: str):
    if unit is None or not unit.is_active:
        raise WorkflowError(message, code="invalid")
    return unit
