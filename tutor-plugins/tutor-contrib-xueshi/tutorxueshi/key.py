"""One configuration key of the plugin: its default, its secrecy and what it means."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

PREFIX = "XUESHI_"


@dataclass(frozen=True)
class Key:
    """One configuration key: its default, whether it is secret, and what it means."""

    name: str
    default: t.Any
    help: str
    secret: bool = False
    unique: bool = False
    group: str = "general"

    @property
    def full_name(self) -> str:
        """The name as stored in config.yml, with the ``XUESHI_`` prefix."""
        return PREFIX + self.name
