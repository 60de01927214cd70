"""A registry of the printable documents the system has, for ``manage.py render_samples``.
Each app registers a function that builds a realistic sample and returns (filename, bytes)."""

from __future__ import annotations

from collections.abc import Callable

_samples: dict[str, Callable[[], tuple[str, bytes]]] = {}


def register_sample(name: str, build: Callable[[], tuple[str, bytes]]) -> None:
    _samples[name] = build


def samples() -> dict[str, Callable[[], tuple[str, bytes]]]:
    return dict(_samples)
