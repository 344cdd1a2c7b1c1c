"""The app lexicon: which words name which app, and which words make a query a software task.

The built-in lexicon (:mod:`.lexicon_default`) knows the three sample apps; a user extends it
with a TOML or JSON file of the same shape, e.g.::

    [apps.gimp]
    display = "GIMP"
    names = ["gimp"]
    verbs = ["crop"]            # top-level lists (verbs, features, ...) are merged too

Lists are merged as unions, apps are added or extended, scalars are replaced. The lexicon's
content hash goes into the stage config, so editing it re-runs the ingest.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from lamdata.errors import ConfigError
from lamdata.hashing import content_hash
from lamdata.ingest.logs.lexicon_default import DEFAULT_LEXICON

_APP_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class AppTerms:
    """How queries name one app."""

    id: str
    display: str
    names: tuple[str, ...]
    ambiguous_names: tuple[str, ...]
    exclude: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """The merged lexicon (see the module docstring); ``data`` is its plain form."""

    data: dict[str, Any]

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __eq__(self, other: object) -> bool:
        # (by content hash: the caches keyed by lexicon compare it often, and its data is big)
        return isinstance(other, Lexicon) and self.fingerprint == other.fingerprint

    @cached_property
    def fingerprint(self) -> str:
        return content_hash(self.data)

    # (the derived forms below are computed once: phrasing asks for them per query, and
    # ``data`` is never changed once the lexicon is built)

    @cached_property
    def apps(self) -> list[AppTerms]:
        return [_app_terms(app_id, spec) for app_id, spec in sorted(self.data["apps"].items())]

    @cached_property
    def _apps_by_id(self) -> dict[str, AppTerms]:
        return {app.id: app for app in self.apps}

    def app(self, app_id: str) -> AppTerms | None:
        return self._apps_by_id.get(app_id)

    @cached_property
    def _terms(self) -> dict[str, tuple[str, ...]]:
        return {}

    def terms(self, key: str) -> tuple[str, ...]:
        """A list of the lexicon, as normalized lowercase terms."""
        found = self._terms.get(key)
        if found is None:
            found = self._terms[key] = tuple(_norm_term(t) for t in self.data.get(key, []))
        return found

    @cached_property
    def feature_verbs(self) -> dict[str, str]:
        return {_norm_term(k): str(v) for k, v in self.data.get("feature_verbs", {}).items()}

    @property
    def fallback_verb(self) -> str:
        return str(self.data.get("fallback_verb", "use"))


def _norm_term(term: Any) -> str:
    return " ".join(str(term).lower().split())


def _app_terms(app_id: str, spec: dict[str, Any]) -> AppTerms:
    return AppTerms(
        id=app_id,
        display=str(spec.get("display") or app_id.capitalize()),
        names=tuple(_norm_term(n) for n in spec.get("names", [])),
        ambiguous_names=tuple(_norm_term(n) for n in spec.get("ambiguous_names", [])),
        exclude=tuple(_norm_term(n) for n in spec.get("exclude", [])),
    )


def merge_lexicon(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``base`` extended by ``extra``: lists unioned (order kept), dicts merged, scalars set."""
    out = copy.deepcopy(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, list) and isinstance(value, list):
            out[key] = list(dict.fromkeys([*old, *value]))
        elif isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge_lexicon(old, value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _check(data: dict[str, Any], where: str) -> None:
    apps = data.get("apps", {})
    if not isinstance(apps, dict):
        raise ConfigError(f"lexicon {where}: 'apps' must be a table of apps")
    for app_id, spec in apps.items():
        if not _APP_ID.match(app_id) or not isinstance(spec, dict):
            raise ConfigError(
                f"lexicon {where}: app {app_id!r} must be a lower_snake_case key with a table",
                hint='e.g. [apps.gimp] with names = ["gimp"]',
            )
        if not spec.get("names") and not spec.get("ambiguous_names"):
            raise ConfigError(f"lexicon {where}: app {app_id!r} has no names")


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The built-in lexicon, extended by the TOML or JSON file at ``path`` if given."""
    if path is None:
        return Lexicon(copy.deepcopy(DEFAULT_LEXICON))
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
        extra = json.loads(text) if source.suffix.lower() == ".json" else tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read lexicon {source}: {exc}") from exc
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"lexicon {source} is not valid TOML/JSON: {exc}") from exc
    if not isinstance(extra, dict):
        raise ConfigError(f"lexicon {source} must hold a table/object at the top")
    _check(extra, str(source))
    return Lexicon(merge_lexicon(DEFAULT_LEXICON, extra))
