"""Errors the domain raises: each has a stable code and a message in Arabic and English."""

from __future__ import annotations

from typing import Any

__all__ = ["DomainError", "IllegalTransition", "PermissionDenied", "ValidationError"]


class DomainError(Exception):
    """A refusal that a person must read: stable ``code``, Arabic and English text.

    The UI picks the message in the user's language; scripts match on ``code``.
    ``params`` holds the facts the message was built from, for logs and tests.
    """

    def __init__(self, code: str, message_ar: str, message_en: str, **params: Any) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_ar = message_ar
        self.message_en = message_en
        self.params = params

    def message(self, lang: str) -> str:
        """The message in ``lang`` ("ar" or "en")."""
        return self.message_ar if lang == "ar" else self.message_en


class ValidationError(DomainError):
    """A value entered by a person is not acceptable as it is."""


class IllegalTransition(DomainError):
    """A status change the state machine does not allow (or not for this role)."""


class PermissionDenied(DomainError):
    """The acting user may not do this, whatever the UI showed."""
