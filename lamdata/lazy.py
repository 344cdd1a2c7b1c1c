"""Packages whose public names load their submodule on first use.

A package ``__init__`` that imports every stage eagerly makes ``import lamdata.<pkg>.constants``
(and so the CLI's ``--help``) pay for polars, pyarrow, DuckDB and the LLM layer. A lazy package
keeps ``from lamdata.<pkg> import name`` working, and mypy sees the names through
``if TYPE_CHECKING:`` imports in the ``__init__``.
"""

from __future__ import annotations

import importlib
import sys
import types


class LazyPackage(types.ModuleType):
    """A package module whose names in ``_lazy_names`` (name → submodule) resolve on first use.

    When a name equals a submodule's own name (``lamdata.store.query``, the function, lives in
    ``lamdata.store.query``, the module), the package keeps the name bound to the function, as an
    eager ``from .query import query`` did: the import system would otherwise set the loaded
    submodule as the package's attribute.
    """

    _lazy_names: dict[str, str]

    def __getattr__(self, name: str) -> object:
        source = self._lazy_names.get(name)
        if source is None:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source), name)
        setattr(self, name, value)
        return value

    def __setattr__(self, name: str, value: object) -> None:
        lazy = self.__dict__.get("_lazy_names", {})
        if isinstance(value, types.ModuleType) and lazy.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._lazy_names))


def lazy_package(package: str, names: dict[str, str]) -> None:
    """Make ``package`` (its ``__name__``) resolve ``names`` (name → submodule) on first use."""
    module = sys.modules[package]
    module.__class__ = LazyPackage
    module.__dict__["_lazy_names"] = names
