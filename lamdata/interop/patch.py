"""A minimal JSON diff and patch (RFC 6902 ``add``/``replace``/``remove`` with JSON pointers).

An import keeps ``diff(original, rebuilt)``: the operations that turn what lamdata's records
rebuild into exactly the original. Comparison is type-strict (``1``, ``1.0`` and ``true`` differ,
as they do in JSON text), dicts are compared key by key and lists of equal length item by item;
a list whose length changed is replaced whole, so no operation ever shifts an index.
"""

from __future__ import annotations

import copy
from typing import Any

Op = dict[str, Any]


def same(a: Any, b: Any) -> bool:
    """JSON equality that tells ``1`` from ``1.0`` from ``true``."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def diff(original: Any, rebuilt: Any, path: str = "") -> list[Op]:
    """Operations that turn ``rebuilt`` into ``original``."""
    if same(original, rebuilt):
        return []
    if isinstance(original, dict) and isinstance(rebuilt, dict):
        ops: list[Op] = [
            {"op": "remove", "path": f"{path}/{_escape(k)}"} for k in rebuilt if k not in original
        ]
        for key, value in original.items():
            sub = f"{path}/{_escape(key)}"
            if key in rebuilt:
                ops.extend(diff(value, rebuilt[key], sub))
            else:
                ops.append({"op": "add", "path": sub, "value": value})
        return ops
    if isinstance(original, list) and isinstance(rebuilt, list) and len(original) == len(rebuilt):
        ops = []
        for i, (a, b) in enumerate(zip(original, rebuilt, strict=True)):
            ops.extend(diff(a, b, f"{path}/{i}"))
        return ops
    return [{"op": "replace", "path": path, "value": original}]


def apply(document: Any, ops: list[Op]) -> Any:
    """Apply ``ops`` to a copy of ``document``; raises ``ValueError`` on a bad pointer."""
    result = copy.deepcopy(document)
    for op in ops:
        result = _apply_one(result, op)
    return result


def _apply_one(document: Any, op: Op) -> Any:
    path = str(op["path"])
    if path == "":
        if op["op"] == "remove":
            raise ValueError("cannot remove the whole document")
        return copy.deepcopy(op["value"])
    tokens = [_unescape(t) for t in path.split("/")[1:]]
    try:
        parent = document
        for token in tokens[:-1]:
            parent = parent[int(token)] if isinstance(parent, list) else parent[token]
        if isinstance(parent, list):
            _apply_list(parent, int(tokens[-1]), op)
        elif op["op"] == "remove":
            del parent[tokens[-1]]
        else:
            parent[tokens[-1]] = copy.deepcopy(op["value"])
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise ValueError(f"cannot apply {op['op']} at {path}: {exc}") from exc
    return document


def _apply_list(parent: list[Any], index: int, op: Op) -> None:
    if op["op"] == "remove":
        del parent[index]
    elif op["op"] == "add" and index == len(parent):
        parent.append(copy.deepcopy(op["value"]))
    else:
        parent[index] = copy.deepcopy(op["value"])
