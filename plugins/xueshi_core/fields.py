"""Model fields that keep personal data encrypted at rest and sealed in memory.

A loaded row never holds the plain value: the attribute is a :class:`SealedText` or
:class:`SealedBytes` whose ``str()`` is a placeholder, so a template, a serializer, the admin or a
log line cannot show an ID number by accident. Code that really needs the value calls
``reveal()`` (and records the view with ``xueshi_core.audit``). Assigning a ``str``/``bytes``
stores it encrypted on save; assigning a sealed value stores its token unchanged.

Only ``isnull``, ``startswith`` (key-id prefixes, for rotation) and ``exact``/``in`` against
sealed values (compare-and-set) are allowed as lookups: comparing ciphertext with plain text
can never match, so it is refused rather than silently returning nothing. Look values up with a
separate keyed-hash column (``crypto.keyed_hash``).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.lookups import Exact, In, IsNull, StartsWith

from . import crypto


class Sealed:
    """An encrypted value as loaded from the database; shows nothing until revealed."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        crypto.parse(token)
        self.token = token

    @property
    def purpose(self) -> str:
        """What the value is (``id_number``, ``phone``, ``face_image`` …), from the token."""
        return crypto.parse(self.token)[0].purpose

    @property
    def key_id(self) -> str:
        """Id of the key the value is encrypted with."""
        return crypto.parse(self.token)[0].key_id

    def reveal_bytes(self) -> bytes:
        """Decrypt; raises ``crypto.TamperedToken`` / ``crypto.UnknownKey`` on bad tokens."""
        return crypto.decrypt(self.token)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)

    def __str__(self) -> str:
        return f"<sealed {self.purpose}>"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.purpose!r}, key={self.key_id!r})"


class SealedText(Sealed):
    """A sealed text value (ID number, phone)."""

    __slots__ = ()

    def reveal(self) -> str:
        """The plain text. Record the view (``audit.record_view``) when a person will see it."""
        return self.reveal_bytes().decode("utf-8")


class SealedBytes(Sealed):
    """A sealed binary value (a face image)."""

    __slots__ = ()

    def reveal(self) -> bytes:
        """The plain bytes."""
        return self.reveal_bytes()


class _EncryptedField(models.TextField):
    sealed_class: type[Sealed] = Sealed
    plain_types: tuple[type, ...] = (str, bytes)

    def __init__(self, *args: Any, purpose: str, **kwargs: Any) -> None:
        crypto._check_purpose(purpose)
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, Any, Any, Any]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def _sealed(self, token: str) -> Sealed:
        sealed = self.sealed_class(token)
        if sealed.purpose != self.purpose:
            raise crypto.TamperedToken(
                f"{self.name} holds a {sealed.purpose!r} token, expected {self.purpose!r}"
            )
        return sealed

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else self._sealed(value)

    def to_python(self, value: Any) -> Any:
        """Tokens (fixtures, ``loaddata``) become sealed values; plain values stay plain until saved."""
        if value is None or isinstance(value, Sealed):
            return value
        if isinstance(value, str) and value.startswith(crypto.VERSION + "."):
            try:
                return self._sealed(value)
            except crypto.CryptoError:
                return value
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, Sealed):
            return self._sealed(value.token).token
        if isinstance(value, self.plain_types):
            return crypto.encrypt(value, purpose=self.purpose)
        raise TypeError(f"{self.name} takes {self.plain_types} or a sealed value, not {type(value).__name__}")

    def value_to_string(self, obj: Any) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else str(self.get_prep_value(value))

    def get_lookup(self, lookup_name: str) -> Any:
        allowed = {"isnull": IsNull, "startswith": _TokenStartsWith, "exact": _SealedExact, "in": _SealedIn}
        return allowed.get(lookup_name)

    def formfield(self, **kwargs: Any) -> Any:
        """No form field: personal data is edited through the owning app's own forms."""
        return None


class _SealedExact(Exact):
    def get_prep_lookup(self) -> Any:
        if not isinstance(self.rhs, Sealed):
            raise TypeError("compare an encrypted field with a sealed value, or look it up by keyed hash")
        return self.rhs.token


class _SealedIn(In):
    def get_prep_lookup(self) -> Any:
        if not all(isinstance(v, Sealed) for v in self.rhs):
            raise TypeError("compare an encrypted field with sealed values, or look it up by keyed hash")
        return [v.token for v in self.rhs]


class _TokenStartsWith(StartsWith):
    """Prefix of the stored token (``xs1.<key id>.``): finds rows the rotation command must re-encrypt."""

    prepare_rhs = False


class EncryptedTextField(_EncryptedField):
    """Text encrypted with ``crypto.encrypt(…, purpose=…)``; loads as :class:`SealedText`."""

    sealed_class = SealedText
    plain_types = (str,)


class EncryptedBinaryField(_EncryptedField):
    """Bytes encrypted with ``crypto.encrypt(…, purpose=…)``; loads as :class:`SealedBytes`."""

    sealed_class = SealedBytes
    plain_types = (bytes, bytearray, memoryview)


def encrypted_fields() -> list[tuple[type[models.Model], _EncryptedField]]:
    """Every encrypted field of every installed model (what key rotation must visit).

    Found by type, not listed by hand, so a new encrypted column is rotated without anyone
    remembering to register it. Proxy models share their base's table and are visited once.
    """
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, _EncryptedField):
                found.append((model, field))
    return found
