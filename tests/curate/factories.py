"""Small record factories for curation tests (original text, no shared corpus)."""

from __future__ import annotations

from lamdata.records import Action, Lineage, Outcome, Signals, Source, Step, TaskPlan, Trajectory
from lamdata.store import Store

WORDS = [
    "open",
    "insert",
    "table",
    "chart",
    "format",
    "paragraph",
    "bold",
    "italic",
    "font",
    "size",
    "color",
    "page",
    "margin",
    "header",
    "footer",
    "slide",
    "picture",
    "shape",
    "border",
    "column",
    "row",
    "cell",
    "sort",
    "filter",
    "formula",
    "sheet",
    "print",
    "save",
    "export",
    "share",
    "comment",
    "review",
    "track",
    "changes",
    "style",
    "theme",
    "layout",
    "align",
    "center",
    "indent",
    "spacing",
]


def plan(
    task: str,
    steps: list[str] | None = None,
    *,
    app: str = "word",
    parents: list[str] | None = None,
    frequency: int | None = None,
    needs_plan: bool = False,
    uri: str = "doc://help",
) -> TaskPlan:
    lineage = Lineage(parents=parents or [], op="evolve" if parents else None)
    return TaskPlan.create(
        app=app,
        task=task,
        steps=steps if steps is not None else [f"Click {task.split()[-1]}", "Press OK"],
        source=Source(kind="evolved" if parents else "help_doc", uri=uri),
        lineage=lineage,
        signals=Signals(frequency=frequency),
        needs_plan=needs_plan,
        lang="en",
    )


def trajectory(
    task: str,
    actions: list[tuple[str, str]],
    *,
    label: str = "pass",
    errors: int = 0,
    task_plan_id: str = "tp_x",
    app: str = "word",
    template_id: str | None = "tpl_1",
    instance_id: str | None = None,
) -> Trajectory:
    steps = [
        Step(
            idx=k,
            action=Action(step=k, function=fn, control_id=ctl),
            status="bad_args" if k < errors else "ok",
        )
        for k, (fn, ctl) in enumerate(actions)
    ]
    return Trajectory.create(
        instance_id=instance_id or f"in_{task}_{label}_{errors}",
        task_plan_id=task_plan_id,
        app=app,
        template_id=template_id,
        task=task,
        steps=steps,
        outcome=Outcome(label=label, success=label == "pass"),
    )


def store_with(path: str, table: str, records: list[TaskPlan] | list[Trajectory]) -> Store:
    store = Store(path)
    store.write(table, records, part=f"seed-{len(store.parts(table))}")
    return store
