"""Pipeline files: YAML, validated, with ``${VAR}`` substitution and relative paths.

``${VAR}`` and ``${VAR:-default}`` are replaced from the environment in every string value;
an unset variable without a default is an error naming the stage and key. Options that are
paths (declared per stage in the registry) resolve against the pipeline file's folder, so a
pipeline runs the same from any working directory.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lamdata.errors import ConfigError
from lamdata.pipeline.registry import STAGES
from lamdata.validation import errors as schema_errors

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


@dataclass(frozen=True)
class StageSpec:
    kind: str
    name: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PipelineSpec:
    name: str
    path: Path
    stages: list[StageSpec]
    llm: str | None = None
    description: str = ""

    def select(self, start: str | None, stop: str | None) -> list[StageSpec]:
        """The stages from ``start`` to ``stop`` (names, inclusive)."""
        names = [s.name for s in self.stages]
        for wanted in (start, stop):
            if wanted is not None and wanted not in names:
                raise ConfigError(
                    f"no stage named {wanted!r} in {self.path}",
                    hint=f"stages are: {', '.join(names)}",
                )
        first = names.index(start) if start else 0
        last = names.index(stop) if stop else len(names) - 1
        return self.stages[first : last + 1]


def load_pipeline(path: str | Path) -> PipelineSpec:
    """Read, validate and resolve a pipeline file."""
    file = Path(path)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"pipeline file {file} does not exist") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"pipeline file {file} is not valid YAML: {exc}") from exc
    found = schema_errors("pipeline", raw)
    if found:
        pointer, message = found[0]
        raise ConfigError(
            f"{file}: {_where(raw, pointer)}: {message}", hint="see schemas/pipeline.schema.json"
        )
    stages = [_stage(file, i, entry) for i, entry in enumerate(raw["stages"])]
    names = [s.name for s in stages]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(
            f"{file}: stage names must be unique, repeated: {', '.join(dupes)}",
            hint="give repeated stages a distinct `name:`",
        )
    return PipelineSpec(
        name=raw["name"],
        path=file,
        stages=stages,
        llm=_substitute(raw.get("llm"), "key 'llm'", file),
        description=raw.get("description", ""),
    )


def _where(raw: Any, pointer: str) -> str:
    parts = pointer.strip("/").split("/")
    if len(parts) >= 2 and parts[0] == "stages" and parts[1].isdigit():
        entry = raw["stages"][int(parts[1])]
        label = entry.get("name") or entry.get("stage") if isinstance(entry, dict) else parts[1]
        key = "/".join(parts[2:]) or "(stage)"
        return f"stage {label!r}, key {key!r}"
    return f"key {pointer or '/'!r}"


def _stage(file: Path, index: int, entry: dict[str, Any]) -> StageSpec:
    kind = entry["stage"]
    name = entry.get("name", kind)
    info = STAGES[kind]
    options = dict(entry.get("with") or {})
    unknown = sorted(set(options) - set(info.options))
    if unknown:
        raise ConfigError(
            f"{file}: stage {name!r}, key {unknown[0]!r}: unknown option for {kind}",
            hint=f"{kind} takes: {', '.join(sorted(info.options)) or 'no options'}",
        )
    options = {k: _substitute(v, f"stage {name!r}, key {k!r}", file) for k, v in options.items()}
    for key in info.path_options:
        if key in options:
            options[key] = _resolve_paths(options[key], file.parent)
    return StageSpec(kind=kind, name=name, options=options)


def _substitute(value: Any, where: str, file: Path) -> Any:
    if isinstance(value, list):
        return [_substitute(v, where, file) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, where, file) for k, v in value.items()}
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in os.environ:
            return os.environ[name]
        if default is not None:
            return default
        raise ConfigError(
            f"{file}: {where}: environment variable ${{{name}}} is not set",
            hint=f"export {name}=... or write ${{{name}:-default}}",
        )

    return _VAR.sub(replace, value)


def _resolve_paths(value: Any, base: Path) -> Any:
    if isinstance(value, list):
        return [_resolve_paths(v, base) for v in value]
    if isinstance(value, str) and value and not Path(value).is_absolute():
        return str(base / value)
    return value
