"""Defaults of the instantiate stage, light to import (the CLI shows them in ``--help``)."""

from __future__ import annotations

#: Below this template score there is no suitable template (a ``template_miss``).
MIN_TEMPLATE_SCORE = 0.5
