"""``execute``: instances → trajectories, per input part, resumable, parallel over processes.

Parallelism maps instances over a process pool in input order (``Pool.map`` keeps it), and a
trajectory depends only on its instance and the app models, so the output is identical for
any ``jobs``. Instances with ``verdict.keep == False`` are not executed; an instance whose app
model is missing or malformed, or whose template does not exist, is quarantined with the file
and the JSON pointer, and the run goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from lamdata.env.appmodel import AppModel, AppModelError, load_app_model
from lamdata.env.matching import FUZZY_THRESHOLD
from lamdata.env.uitree import UITreeEnv
from lamdata.errors import ConfigError, InputError
from lamdata.execute.runner import Policy, run_instance
from lamdata.hashing import content_hash
from lamdata.records import Instance, Provenance, Rejection
from lamdata.store import Store, Summary, part_name, recorded_run, utc_now
from lamdata.validation import validate_args

STAGE = "execute"


@dataclass
class Apps:
    """App models by app id, and why an app is unusable (file, pointer, message)."""

    models: dict[str, AppModel]
    broken: dict[str, tuple[str, str, str]]


def load_apps(folder: str | Path) -> Apps:
    """Load every app model in ``folder``; a malformed one is remembered, not fatal."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"app model folder {folder} does not exist", hint="pass --apps FOLDER")
    models: dict[str, AppModel] = {}
    broken: dict[str, tuple[str, str, str]] = {}
    for path in sorted([*folder.glob("*.json"), *folder.glob("*/app.json")]):
        try:
            model = load_app_model(path)
            models[model.app] = model
        except AppModelError as exc:
            broken[_app_id(path)] = (str(path), exc.pointer, exc.message)
    return Apps(models, broken)


def _file_hash(path: str) -> str:
    """What names an app model in the run config: its content (so an edit re-runs parts)."""
    return content_hash(Path(path).read_text(encoding="utf-8"))


def _app_id(path: Path) -> str:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("app"), str):
            return str(data["app"])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        pass
    return path.stem if path.name != "app.json" else path.parent.name


def triage(apps: Apps, inst: Instance) -> Rejection | None:
    """Why ``inst`` cannot run, as a quarantine record (None when it can)."""
    if inst.app in apps.broken:
        source, pointer, message = apps.broken[inst.app]
        return _reject(inst, f"bad_app_model: {message}", source, pointer)
    model = apps.models.get(inst.app)
    if model is None:
        return _reject(inst, f"unknown_app: no app model for app {inst.app!r}", "", "/app")
    if inst.template_id not in model.templates:
        reason = (
            f"template_missing: instance {inst.id} names template {inst.template_id!r}, "
            f"not in {model.source}"
        )
        return _reject(inst, reason, model.source, "/template_id")
    return None


def _reject(inst: Instance, reason: str, uri: str, pointer: str) -> Rejection:
    record = json.dumps(inst.to_dict(), sort_keys=True)
    return Rejection.create(
        stage=STAGE, reason=reason, uri=uri, pointer=pointer, record_json=record
    )


def bad_args(inst: Instance, memo: dict[tuple[str, str], str]) -> list[Rejection]:
    """Audit records for actions whose arguments fail their function's schema (the instance
    still runs: those steps get ``bad_args``), each with the action's JSON pointer."""
    out = []
    for i, action in enumerate(inst.actions):
        key = (action.function, action.args_json)
        if key not in memo:
            memo[key] = _args_problem(*key)
        if memo[key]:
            problem, pointer = memo[key].split("\x1f")
            reason = f"bad_args: instance {inst.id} action {i}: {problem}"
            out.append(_reject(inst, reason, "", f"/actions/{i}/args_json{pointer}"))
    return out


def _args_problem(function: str, args_json: str) -> str:
    try:
        args = json.loads(args_json or "{}")
    except json.JSONDecodeError as exc:
        return f"args_json is not JSON ({exc.msg})\x1f"
    found = validate_args(function, args)
    return f"{found[0][1]}\x1f{found[0][0]}" if found else ""


# -- worker side ----------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init_worker(apps_folder: str, policy: Policy, threshold: float) -> None:
    """Load the app models in a worker (a forked worker inherits them from the parent)."""
    if _WORKER.get("key") == (apps_folder, policy, threshold):
        return
    apps = load_apps(apps_folder)
    _WORKER["envs"] = {a: UITreeEnv(m, threshold=threshold) for a, m in apps.models.items()}
    _WORKER["policy"] = policy


def as_row(value: Any) -> Any:
    """A record as a plain row (like ``to_dict`` without ``asdict``'s deep copies)."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: as_row(v) for k, v in vars(value).items()}
    if isinstance(value, list):
        return [as_row(v) for v in value]
    return value


def _run_chunk(instances: list[Instance]) -> list[dict[str, Any]]:
    envs, policy = _WORKER["envs"], _WORKER["policy"]
    return [as_row(run_instance(envs[i.app], i, policy)) for i in instances]


class Runner:
    """Runs batches in this process (``jobs=1``) or over one pool kept for the whole run."""

    def __init__(self, apps: Apps, folder: str, policy: Policy, jobs: int, threshold: float):
        self.envs = {a: UITreeEnv(m, threshold=threshold) for a, m in apps.models.items()}
        self.policy = policy
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None
        if jobs > 1:
            _WORKER.update(envs=self.envs, policy=policy, key=(folder, policy, threshold))
            self.pool = ProcessPoolExecutor(
                max_workers=jobs, initializer=_init_worker, initargs=(folder, policy, threshold)
            )

    def run(self, instances: list[Instance]) -> list[dict[str, Any]]:
        """Trajectory rows in input order (instances travel pickled, in contiguous chunks;
        rows are built in the workers, so the parent only writes them)."""
        if self.pool is None or len(instances) < 2:
            return [as_row(run_instance(self.envs[i.app], i, self.policy)) for i in instances]
        size = max(1, -(-len(instances) // (self.jobs * 4)))
        chunks = [instances[i : i + size] for i in range(0, len(instances), size)]
        return [t for chunk in self.pool.map(_run_chunk, chunks) for t in chunk]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
        _WORKER.clear()


# -- the stage ------------------------------------------------------------------------------
def execute(
    store: Store,
    *,
    apps: str = "samples/apps",
    jobs: int = 1,
    max_steps: int = 50,
    max_errors: int = 3,
    max_repeats: int = 3,
    on_error: str = "continue",
    threshold: float = FUZZY_THRESHOLD,
    only: list[str] | None = None,
    progress: Callable[..., None] | None = None,
) -> Summary:
    """Execute every kept instance of ``store`` on the uitree environment."""
    if on_error not in ("stop", "continue"):
        raise ConfigError(f"--on-error must be stop or continue, got {on_error!r}")
    policy = Policy(max_steps, max_errors, max_repeats, on_error)
    loaded = load_apps(apps)
    config = {
        "models": {a: _file_hash(m.source) for a, m in sorted(loaded.models.items())},
        "policy": [max_steps, max_errors, max_repeats, on_error],
        "threshold": threshold,
        "only": only,
    }
    with recorded_run(store, STAGE, config) as summary:
        summary.notes["broken_app_models"] = len(loaded.broken)
        runner = Runner(loaded, apps, policy, jobs, threshold)
        try:
            for path, instances in store.iter_records("instances", Instance):
                if only is not None and not any(path.stem.startswith(p) for p in only):
                    continue
                _do_part(store, summary, path.stem, instances, loaded, runner)
                if progress is not None:
                    progress(len(instances))
        finally:
            runner.close()
    return summary


def _do_part(
    store: Store,
    summary: Summary,
    input_part: str,
    instances: list[Instance],
    loaded: Apps,
    runner: Runner,
) -> None:
    part = part_name(STAGE, summary.config_hash, input_part)
    if store.has_part("trajectories", part):
        summary.skipped_parts += 1
        return
    summary.records_in += len(instances)
    kept = [i for i in instances if i.verdict.keep]
    summary.notes["not_kept"] = summary.notes.get("not_kept", 0) + len(instances) - len(kept)
    rejections = [r for r in (triage(loaded, i) for i in kept) if r is not None]
    bad = {json.loads(r.record_json)["id"] for r in rejections}
    runnable = [i for i in kept if i.id not in bad]
    memo: dict[tuple[str, str], str] = {}
    audits = [r for i in runnable for r in bad_args(i, memo)]
    summary.notes["bad_args_actions"] = summary.notes.get("bad_args_actions", 0) + len(audits)
    rows = runner.run(runnable)
    stamp = Provenance(run_id=summary.run_id, config_hash=summary.config_hash, created_at=utc_now())
    for row in rows:
        row["provenance"] = as_row(stamp)
    summary.reject(rejections)
    quarantined = rejections + audits
    store.quarantine(quarantined, part=part, run_id=summary.run_id, created_at=utc_now())
    table = pa.Table.from_pylist(rows, schema=store.schema("trajectories"))
    summary.records_out += store.write("trajectories", table, part=part)
    summary.notes["steps"] = summary.notes.get("steps", 0) + sum(len(r["steps"]) for r in rows)
    passed = sum(1 for r in rows if r["outcome"]["label"] == "pass")
    summary.notes["passed"] = summary.notes.get("passed", 0) + passed
