"""Registries the workflow apps fill from their AppConfig.ready(): panels on "My desk" and
entries in the navigation. The core knows the registries, never the apps (layer rule)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from office.roles import user_roles


@dataclass(frozen=True)
class DeskPanel:
    key: str
    title: str  # a lazy translation
    template: str
    load: Callable  # load(user) -> dict for the template, or None to hide the panel
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # a lazy translation
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: every signed-in user
    order: int = 100

    def allowed(self, roles: set[str]) -> bool:
        return not self.roles or bool(self.roles & roles)


_panels: dict[str, DeskPanel] = {}
_nav: dict[str, NavItem] = {}


def register_panel(panel: DeskPanel) -> None:
    _panels[panel.key] = panel


def register_nav(item: NavItem) -> None:
    _nav[item.key] = item


def nav_for(user) -> list[NavItem]:
    roles = user_roles(user)
    return sorted((i for i in _nav.values() if i.allowed(roles)), key=lambda i: (i.order, i.key))


def panels_for(user) -> list[tuple[DeskPanel, dict]]:
    rendered = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.load(user)
        if context is not None:
            rendered.append((panel, context))
    return rendered
