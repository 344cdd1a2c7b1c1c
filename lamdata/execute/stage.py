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

from lamdata.env.appmodel import AppModel, AppModelError, load_app_model
from lamdata.env.matching import FUZZY_THRESHOLD
from lamdata.env.uitree import UITreeEnv
from lamdata.errors import ConfigError, InputError
from lamdata.execute.runner import Policy, run_instance
from lamdata.records import Instance, Provenance, Rejection, Trajectory
from lamdata.store import Store, Summary, part_name, recorded_run, utc_now

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
    record = json.dumps(inst.to_dict(), sort_keys=True)
    if inst.app in apps.broken:
        source, pointer, message = apps.broken[inst.app]
        reason = f"bad_app_model: {message}"
        return Rejection.create(
            stage=STAGE, reason=reason, uri=source, pointer=pointer, record_json=record
        )
    model = apps.models.get(inst.app)
    if model is None:
        reason = f"unknown_app: no app model for app {inst.app!r}"
        return Rejection.create(stage=STAGE, reason=reason, pointer="/app", record_json=record)
    if inst.template_id not in model.templates:
        reason = (
            f"template_missing: instance {inst.id} names template {inst.template_id!r}, "
            f"not in {model.source}"
        )
        return Rejection.create(
            stage=STAGE, reason=reason, uri=model.source, pointer="/template_id", record_json=record
        )
    return None


# -- worker side ----------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init_worker(apps_folder: str, policy: Policy, threshold: float) -> None:
    apps = load_apps(apps_folder)
    _WORKER["envs"] = {a: UITreeEnv(m, threshold=threshold) for a, m in apps.models.items()}
    _WORKER["policy"] = policy


def _run_one(instance: dict[str, Any]) -> dict[str, Any]:
    inst = Instance.from_dict(instance)
    env = _WORKER["envs"][inst.app]
    return run_instance(env, inst, _WORKER["policy"]).to_dict()


def run_batch(
    instances: list[Instance], apps_folder: str, policy: Policy, jobs: int, threshold: float
) -> list[Trajectory]:
    """Trajectories of runnable ``instances``, in input order, over ``jobs`` processes."""
    payload = [i.to_dict() for i in instances]
    if jobs <= 1 or len(payload) < 2:
        _init_worker(apps_folder, policy, threshold)
        return [Trajectory.from_dict(_run_one(p)) for p in payload]
    chunk = max(1, len(payload) // (jobs * 4))
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(apps_folder, policy, threshold)
    ) as pool:
        return [Trajectory.from_dict(d) for d in pool.map(_run_one, payload, chunksize=chunk)]


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
        "apps": str(Path(apps).resolve()),
        "models": {a: m.version for a, m in sorted(loaded.models.items())},
        "policy": [max_steps, max_errors, max_repeats, on_error],
        "threshold": threshold,
    }
    with recorded_run(store, STAGE, config) as summary:
        summary.notes["broken_app_models"] = len(loaded.broken)
        for path, instances in store.iter_records("instances", Instance):
            if only is not None and not any(path.stem.startswith(p) for p in only):
                continue
            _do_part(store, summary, path.stem, instances, loaded, policy, jobs, apps, threshold)
            if progress is not None:
                progress(len(instances))
    return summary


def _do_part(
    store: Store,
    summary: Summary,
    input_part: str,
    instances: list[Instance],
    loaded: Apps,
    policy: Policy,
    jobs: int,
    apps: str,
    threshold: float,
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
    trajectories = run_batch(runnable, apps, policy, jobs, threshold)
    stamp = Provenance(run_id=summary.run_id, config_hash=summary.config_hash, created_at=utc_now())
    for traj in trajectories:
        traj.provenance = stamp
    summary.reject(rejections)
    store.quarantine(rejections, part=part, run_id=summary.run_id, created_at=utc_now())
    summary.records_out += store.write("trajectories", trajectories, part=part)
    summary.notes["steps"] = summary.notes.get("steps", 0) + sum(len(t.steps) for t in trajectories)
    passed = sum(1 for t in trajectories if t.outcome.label == "pass")
    summary.notes["passed"] = summary.notes.get("passed", 0) + passed
