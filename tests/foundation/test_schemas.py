"""The Python mirror and the JSON Schemas agree, field by field, recursively; samples validate;
validation errors carry the JSON pointer of the failing field."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Union

import pytest
from referencing._core import Resolver

from lamdata.errors import SchemaError
from lamdata.records import Action, Instance, Record, Rejection, Run, Step, TaskPlan, Trajectory
from lamdata.store import TABLES, Summary
from lamdata.validation import _registry, errors, load_schema, validate, validate_args

from .helpers import sample_instance, sample_rejection, sample_task_plan, sample_trajectory

MIRRORS: list[tuple[type[Record], str]] = [
    (TaskPlan, "task_plan"),
    (Instance, "instance"),
    (Action, "action"),
    (Step, "step"),
    (Trajectory, "trajectory"),
    (Rejection, "rejection"),
    (Run, "run"),
]
JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _resolve(node: dict[str, Any], resolver: Resolver) -> tuple[dict[str, Any], Resolver]:
    while "$ref" in node:
        found = resolver.lookup(node["$ref"])
        node, resolver = found.contents, found.resolver
    return node, resolver


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def _split_null(node: dict[str, Any], resolver: Resolver) -> tuple[dict[str, Any], bool, Resolver]:
    """The non-null alternative of a node and whether null is allowed."""
    node, resolver = _resolve(node, resolver)
    options = node.get("oneOf") or node.get("anyOf")
    if options:
        rest = [o for o in options if _types(o) != {"null"}]
        assert len(rest) == 1, f"unexpected union {options}"
        inner, resolver = _resolve(rest[0], resolver)
        return inner, len(rest) < len(options), resolver
    return node, "null" in _types(node), resolver


def _compare(tp: Any, node: dict[str, Any], resolver: Resolver, where: str) -> None:
    node, schema_nullable, resolver = _split_null(node, resolver)
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    nullable = typing.get_origin(tp) in (Union, types.UnionType) and len(args) == 1
    inner = args[0] if nullable else tp
    assert nullable == schema_nullable, f"{where}: Python nullable={nullable}, schema disagrees"
    kinds = _types(node) - {"null"}
    if typing.get_origin(inner) is list:
        assert kinds == {"array"}, f"{where}: list in Python, {kinds} in schema"
        _compare(typing.get_args(inner)[0], node["items"], resolver, f"{where}/items")
    elif dataclasses.is_dataclass(inner) and isinstance(inner, type):
        _compare_record(inner, node, resolver, where)
    else:
        assert kinds == {JSON_TYPES[inner]}, f"{where}: {inner.__name__} vs {kinds}"


def _compare_record(cls: type, node: dict[str, Any], resolver: Resolver, where: str) -> None:
    assert _types(node) == {"object"}, f"{where}: {cls.__name__} is not an object in the schema"
    assert node.get("additionalProperties") is False, f"{where}: schema must be closed"
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    assert set(node["properties"]) == set(fields), f"{where}: {cls.__name__} fields differ"
    required = set(node.get("required", []))
    assert required <= set(fields), f"{where}: required names no field"
    for name, field in fields.items():
        has_default = field.default is not dataclasses.MISSING or (
            field.default_factory is not dataclasses.MISSING
        )
        assert has_default or name in required, f"{where}/{name}: no default, not required"
        _compare(hints[name], node["properties"][name], resolver, f"{where}/{name}")


@pytest.mark.parametrize(("cls", "name"), MIRRORS, ids=[n for _, n in MIRRORS])
def test_python_mirror_matches_the_schema_recursively(cls: type[Record], name: str) -> None:
    schema = load_schema(name)
    resolver = _registry().resolver(base_uri=schema["$id"])
    _compare_record(cls, schema, resolver, name)


@pytest.mark.parametrize(("cls", "name"), MIRRORS, ids=[n for _, n in MIRRORS])
def test_schema_is_versioned_draft_2020_12(cls: type[Record], name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{name}/v1.json")


def test_arrow_schema_of_every_table_has_the_record_fields() -> None:
    for table, spec in TABLES.items():
        names = [f.name for f in dataclasses.fields(spec.record)]
        assert spec.schema.names == names, table


def test_sample_records_validate() -> None:
    plan = sample_task_plan()
    instance = sample_instance(plan)
    for name, record in [
        ("task_plan", plan),
        ("instance", instance),
        ("trajectory", sample_trajectory(instance)),
        ("trajectory", sample_trajectory(instance, label="fail")),
        ("action", instance.actions[0]),
        ("rejection", sample_rejection()),
        ("run", Summary(command="ingest docs", config={"a": 1}).to_run("ok")),
    ]:
        assert errors(name, record.to_dict()) == [], name
    for action in instance.actions:
        assert validate_args(action.function, action.args) == []


def test_a_default_filled_trajectory_validates() -> None:
    instance = sample_instance()
    bare = Trajectory.create(
        instance_id=instance.id,
        task_plan_id=instance.task_plan_id,
        app="word",
        template_id=None,
        task="t",
    )
    validate("trajectory", bare.to_dict())


@pytest.mark.parametrize(
    ("name", "mutate", "pointer"),
    [
        ("task_plan", lambda d: d.update(task=""), "/task"),
        ("task_plan", lambda d: d["steps"].__setitem__(1, 7), "/steps/1"),
        ("task_plan", lambda d: d["source"].update(kind="rumour"), "/source/kind"),
        ("task_plan", lambda d: d.update(surprise=1), ""),
        ("instance", lambda d: d["actions"][1].update(function="fly"), "/actions/1/function"),
        ("instance", lambda d: d["checks"][0].pop("op"), "/checks/0"),
        ("trajectory", lambda d: d["steps"][0].update(status="weird"), "/steps/0/status"),
        ("trajectory", lambda d: d["steps"][1]["action"].update(step=-1), "/steps/1/action/step"),
        ("trajectory", lambda d: d["outcome"].update(label="maybe"), "/outcome/label"),
    ],
)
def test_validation_errors_carry_the_json_pointer(name: str, mutate: Any, pointer: str) -> None:
    samples = {
        "task_plan": sample_task_plan,
        "instance": sample_instance,
        "trajectory": sample_trajectory,
    }
    data = samples[name]().to_dict()
    mutate(data)
    with pytest.raises(SchemaError) as caught:
        validate(name, data, what=f"record {data['id']}")
    assert caught.value.pointer == pointer
    assert data["id"] in caught.value.message
    assert f" at {pointer or '/'}:" in caught.value.message


def test_argument_errors_carry_the_pointer_inside_args() -> None:
    assert validate_args("scroll", {"direction": "sideways"})[0][0] == "/direction"
    assert validate_args("type_keys", {})[0][0] == ""
    assert validate_args("teleport", {})[0][0] == "/function"
    assert validate_args("set_text", {"text": "hi"}) == []


def test_pointer_escapes_slash_and_tilde() -> None:
    schema_errors = errors("action", {"step": 0, "function": "click", "args_json": "{}", "a/~b": 1})
    assert schema_errors and schema_errors[0][0] == ""
    found = errors("task_plan", {**sample_task_plan().to_dict(), "signals": {"a/~b": 1}})
    assert found[0][0] == "/signals"


def test_the_comparison_catches_a_drifted_mirror() -> None:
    schema = load_schema("instance")
    resolver = _registry().resolver(base_uri=schema["$id"])
    with pytest.raises(AssertionError, match="fields differ"):
        _compare_record(TaskPlan, schema, resolver, "instance")
    drifted = {**schema, "properties": {**schema["properties"], "task": {"type": "integer"}}}
    with pytest.raises(AssertionError, match="instance/task"):
        _compare_record(Instance, drifted, resolver, "instance")
