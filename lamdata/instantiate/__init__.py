"""Instantiation: abstract task-plans → instances grounded on application templates.

The paper's three phases (choose a template → prefill actions → filter), as one stage
:func:`instantiate` over the store, with an offline backend (rules: :mod:`choose`,
:mod:`prefill`, :mod:`ground`, :mod:`checks`, :mod:`filters`) and an LLM backend
(:mod:`llm_path`) that share template choice, the filter rules and the dry-run validation.
"""

from __future__ import annotations

from lamdata.instantiate.offline import AppContext, instantiate_plan
from lamdata.instantiate.stage import MIN_TEMPLATE_SCORE, STAGE, instantiate

__all__ = ["MIN_TEMPLATE_SCORE", "STAGE", "AppContext", "instantiate", "instantiate_plan"]
