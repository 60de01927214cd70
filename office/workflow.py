"""What every workflow app shares: the refusal exception and the step decorator."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import transaction

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
