"""Plain value types of ``xueshi_access`` (no Django models, no querysets)."""

from __future__ import annotations

from dataclasses import dataclass

SESSION, TOKEN = "session", "token"
OK, REPLACED, SIGNED_OUT, EXPIRED, REFUSED, UNKNOWN = "ok", "replaced", "signed_out", "expired", "refused", ""
RETIRED = "account_retired"  # the end reason of every device of a closed account


@dataclass(frozen=True)
class Client:
    """What we know of the caller at sign-in: address, user agent, device kind."""

    ip: str
    user_agent: str
    kind: str
    browser: str = ""
    os: str = ""


@dataclass(frozen=True)
class SignInResult:
    """Outcome of registering a sign-in as the account's current device."""

    device_id: str
    refused: bool = False
    replaced_device: str = ""
    replaced_reason: str = ""


@dataclass(frozen=True)
class Verdict:
    """Outcome of checking a request against the account's current device."""

    status: str
    user_id: int | None = None
    device_id: str = ""

    @property
    def ended(self) -> bool:
        """The request comes from a device that is no longer the account's current one."""
        return self.status not in (OK, UNKNOWN)
