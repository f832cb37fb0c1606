"""The header menu of every Xueshi page, as data: what each signed-in account may open (ADR 0090).

Each app lists its own entries on its AppConfig (``xueshi_menu``, a tuple of ``MenuEntry``), the
way it lists its demo hook: ``xueshi_core`` reads them through Django's app registry and imports
no other Xueshi package (core stays a leaf). Whether an entry shows is decided by the one
permission API (``permissions.may``), so a menu never offers a page its view would refuse.

Entries name URL patterns, not paths: a pattern that does not exist where the page is served
(the sandbox's course list under Tutor, the LMS dashboard in the sandbox) is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import permissions

#: Sections of the menu, in the order they show.
STUDY, AUTHOR, MANAGE = "study", "author", "manage"
SECTION_TITLES = {STUDY: _("Study"), AUTHOR: _("Authoring"), MANAGE: _("Management")}

#: Who, besides ``action``, an entry is for.
EVERYONE = "everyone"  # every signed-in account
LEARNERS = "learners"  # accounts that study: no Xueshi role, not Django staff
ADMIN_SITE = "admin_site"  # Django admin's own gate (``is_staff``), the system administrator's site


@dataclass(frozen=True)
class MenuEntry:
    """One link of the menu: a stable ``key`` (the DOM id ``menu-<key>``), URL names tried in order."""

    key: str
    url_names: tuple[str, ...]
    label: Any  # a lazy translation
    section: str = STUDY
    action: str | None = None  # a ``permissions`` action the account must be granted
    audience: str = EVERYONE
    order: int = 100
    #: Another service's page: ``(setting holding its host, path)``, e.g. Studio at ``CMS_BASE``.
    external: tuple[str, str] = ()

    def __post_init__(self) -> None:
        if self.action is not None and self.action not in permissions.ACTIONS:
            raise ValueError(f"menu entry {self.key!r}: unknown action {self.action!r}")
        if self.section not in SECTION_TITLES or self.audience not in (EVERYONE, LEARNERS, ADMIN_SITE):
            raise ValueError(f"menu entry {self.key!r}: unknown section or audience")


@dataclass(frozen=True)
class MenuLink:
    """An entry resolved for one account: what the template shows."""

    key: str
    url: str
    label: str
    active: bool


#: The core's own entries; the LMS's dashboard first, the sandbox's course list where it runs.
CORE_ENTRIES: tuple[MenuEntry, ...] = (
    MenuEntry("courses", ("dashboard", "sandbox_lms:index"), _("My courses"), order=10),
    MenuEntry(
        "studio",
        (),
        _("Studio"),
        AUTHOR,
        permissions.EDIT_QUESTION_BANK,
        order=20,
        external=("CMS_BASE", "/home"),
    ),
    MenuEntry("status", ("xueshi_core:status",), _("Status"), MANAGE, permissions.VIEW_STATUS, order=80),
    MenuEntry("admin", ("admin:index",), _("Site administration"), MANAGE, audience=ADMIN_SITE, order=90),
)


def registered_entries() -> list[MenuEntry]:
    """The core's entries and every installed app's ``xueshi_menu``, by section order then ``order``."""
    from django.apps import apps

    entries = list(CORE_ENTRIES)
    for config in apps.get_app_configs():
        entries.extend(getattr(config, "xueshi_menu", ()))
    sections = list(SECTION_TITLES)
    return sorted(entries, key=lambda e: (sections.index(e.section), e.order, e.key))


def shows(entry: MenuEntry, user: Any) -> bool:
    """Whether ``user`` sees ``entry``: signed in, the audience fits and the action is granted."""
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if entry.audience == LEARNERS and permissions.is_platform_staff(user):
        return False
    if entry.audience == ADMIN_SITE and not user.is_staff:
        return False
    return entry.action is None or permissions.may(user, entry.action)


def _url(entry: MenuEntry) -> str | None:
    if entry.external:
        from django.conf import settings

        setting, path = entry.external
        host = getattr(settings, setting, "")
        return f"//{host}{path}" if host else None  # the LMS's own form of Studio links
    for name in entry.url_names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def menu_for(user: Any, path: str = "", entries: Iterable[MenuEntry] | None = None) -> list[dict[str, Any]]:
    """The sections ``[{"key", "title", "links"}]`` ``user`` sees; empty sections are left out.

    ``path`` marks the link of the page being shown (the longest URL that prefixes it).
    """
    resolved: list[tuple[MenuEntry, str]] = []
    for entry in registered_entries() if entries is None else entries:
        url = _url(entry) if shows(entry, user) else None
        if url is not None:
            resolved.append((entry, url))
    prefixes = [url for _e, url in resolved if path.startswith(url) and (url != "/" or path == "/")]
    current = max(prefixes, key=len, default=None)
    sections: dict[str, list[MenuLink]] = {}
    for entry, url in resolved:
        link = MenuLink(entry.key, url, str(entry.label), active=url == current)
        sections.setdefault(entry.section, []).append(link)
    return [
        {"key": key, "title": str(SECTION_TITLES[key]), "links": links} for key, links in sections.items()
    ]
