"""Settings resolve once: flag > ``LAMDATA_*`` environment > config file > default.

The result is one frozen :class:`Settings` passed down to the stages; nothing reads the
environment later (API keys are the exception: the LLM layer reads ``OPENAI_API_KEY`` at the
moment it builds a client and keeps it nowhere else).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from lamdata.errors import ConfigError

CONFIG_FILE = "lamdata.toml"


@dataclass(frozen=True)
class Settings:
    store: str = "lamdata-store"
    llm: str = "offline"
    concurrency: int = 16
    timeout: float = 60.0
    max_attempts: int = 5
    cache: bool = True
    rpm: int = 0  # LLM requests per minute (0 = unlimited)
    tpm: int = 0  # LLM tokens per minute (0 = unlimited)
    backoff: float = 1.0  # first retry delay of the LLM layer, in seconds (doubles, jittered)
    jobs: int = 1
    seed: int = 0
    debug: bool = False
    config_file: str | None = None


def _coerce(name: str, value: Any, kind: type) -> Any:
    if isinstance(value, kind) or value is None:
        return value
    try:
        if kind is bool:
            return str(value).strip().lower() in {"1", "true", "yes", "on"}
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r} must be {kind.__name__}, got {value!r}") from exc


def _file_values(path: str | None) -> tuple[dict[str, Any], str | None]:
    candidate = Path(path) if path else Path(CONFIG_FILE)
    if not candidate.is_file():
        if path:
            raise ConfigError(f"config file {path} does not exist")
        return {}, None
    try:
        data = tomllib.loads(candidate.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {candidate} is not valid TOML: {exc}") from exc
    section = data.get("lamdata", data)
    return (section if isinstance(section, dict) else {}), str(candidate)


def resolve(**flags: Any) -> Settings:
    """Resolve settings from flags (None means "not given"), environment, file, defaults."""
    config_path = flags.pop("config_file", None) or os.environ.get("LAMDATA_CONFIG")
    from_file, used = _file_values(config_path)
    values: dict[str, Any] = {}
    for field in fields(Settings):
        if field.name == "config_file":
            continue
        kind = type(getattr(Settings(), field.name))
        for source in (
            flags.get(field.name),
            os.environ.get(f"LAMDATA_{field.name.upper()}"),
            from_file.get(field.name),
        ):
            if source is not None:
                values[field.name] = _coerce(field.name, source, kind)
                break
    return Settings(**values, config_file=used)
