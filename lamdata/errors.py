"""The one exception tree of lamdata.

Every error a user can cause says what happened and what to do about it. The CLI adapter
(`lamdata.cli.main`) turns these into ``Error: <message> — <hint>`` on stderr with the class's
exit code; library callers catch them by class.
"""

from __future__ import annotations


class LamdataError(Exception):
    """Base of every error lamdata raises on purpose."""

    exit_code = 1
    default_hint = "run with --debug for details"

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint or self.default_hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}"


class InputError(LamdataError):
    """A file or argument given by the user cannot be read as expected."""

    default_hint = "check the file named above and fix or remove it"


class QueryRefused(InputError):
    """A SQL statement was refused by the read-only sandbox."""

    default_hint = "use a single SELECT/WITH/DESCRIBE/SUMMARIZE/EXPLAIN/SHOW over the store's views"


class SchemaError(LamdataError):
    """A record does not validate against its JSON Schema."""

    default_hint = "fix the field at the JSON pointer shown"

    def __init__(self, message: str, pointer: str = "", hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.pointer = pointer


class ConfigError(LamdataError):
    """Bad settings, options or pipeline files (a usage error)."""

    exit_code = 2
    default_hint = "see --help for the accepted values"


class StoreError(LamdataError):
    """The store cannot be opened, read or written."""

    default_hint = "check the --store path; nothing in the store was changed"


class LLMError(LamdataError):
    """A model call failed."""

    default_hint = "check OPENAI_BASE_URL, the model name and your quota"


class LLMTransientError(LLMError):
    """A failure worth retrying: rate limit, server error, timeout, lost connection."""


class LLMTerminalError(LLMError):
    """A failure that retrying will not fix: bad request, auth, unknown model."""
