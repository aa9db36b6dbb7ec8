"""Envelope encryption for contact details, one key per person.

Each person gets a random data key. Their name, phone number and other contact details are
encrypted with it (Fernet: AES-128-CBC with an HMAC-SHA256 tag, from `cryptography`). The
data key itself is stored only wrapped (encrypted) by the store's master key, which comes
from configuration and never from the database. So:

- destroying one person's wrapped key makes every copy of their contact data unreadable,
  backups included;
- the two record stores have different master keys, so one store's key opens nothing in
  the other;
- rotating a master key re-wraps the small data keys only, while the old key still reads
  (a keyring holds the new key first, then the old ones), so there is no downtime.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class KeyConfigError(ValueError):
    """A configured key is not a valid key; the message says how to make one."""


class Keyring:
    """A store's master keys, newest first. Encrypts with the first, decrypts with any."""

    def __init__(self, keys: list[str]):
        if not keys:
            raise KeyConfigError("No encryption key is configured. Make one with `survey keys new`.")
        try:
            self._fernets = [Fernet(key.encode() if isinstance(key, str) else key) for key in keys]
        except ValueError:
            raise KeyConfigError("An encryption key is not valid: keys are 32 random bytes in url-safe "
                            "base64, as printed by `survey keys new`.") from None
        self._multi = MultiFernet(self._fernets)

    def wrap(self, data_key: bytes) -> bytes:
        return self._multi.encrypt(data_key)

    def unwrap(self, wrapped: bytes) -> bytes:
        return self._multi.decrypt(wrapped)

    def rewrap(self, wrapped: bytes) -> bytes:
        """The same data key, wrapped by the newest master key."""
        return self._multi.rotate(wrapped)

    def is_current(self, wrapped: bytes) -> bool:
        try:
            self._fernets[0].decrypt(wrapped)
        except InvalidToken:
            return False
        return True


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


class PersonCipher:
    """Encrypts and decrypts one person's fields with their own data key."""

    def __init__(self, data_key: bytes):
        self._fernet = Fernet(data_key)

    @classmethod
    def new(cls) -> tuple["PersonCipher", bytes]:
        data_key = Fernet.generate_key()
        return cls(data_key), data_key

    def encrypt(self, text: str | None) -> bytes | None:
        return None if text is None else self._fernet.encrypt(text.encode("utf-8"))

    def decrypt(self, token: bytes | None) -> str | None:
        return None if token is None else self._fernet.decrypt(token).decode("utf-8")
