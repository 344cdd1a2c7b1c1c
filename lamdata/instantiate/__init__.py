"""Instantiation: abstract task-plans → instances grounded on application templates.

The paper's three phases (choose a template → prefill actions → filter), as one stage
:func:`instantiate` over the store, with an offline backend (rules: :mod:`choose`,
:mod:`prefill`, :mod:`ground`, :mod:`checks`, :mod:`filters`) and an LLM backend
(:mod:`llm_path`) that share template choice, the filter rules and the dry-run validation.

The stage and its backends load on first use (:mod:`lamdata.lazy`), so importing the defaults
in :mod:`constants` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lamdata.instantiate.constants import MIN_TEMPLATE_SCORE
from lamdata.lazy import lazy_package

if TYPE_CHECKING:
    from lamdata.instantiate.offline import AppContext, instantiate_plan
    from lamdata.instantiate.stage import STAGE, instantiate

__all__ = ["MIN_TEMPLATE_SCORE", "STAGE", "AppContext", "instantiate", "instantiate_plan"]

lazy_package(
    __name__,
    {
        "AppContext": "lamdata.instantiate.offline",
        "instantiate_plan": "lamdata.instantiate.offline",
        "STAGE": "lamdata.instantiate.stage",
        "instantiate": "lamdata.instantiate.stage",
    },
)
