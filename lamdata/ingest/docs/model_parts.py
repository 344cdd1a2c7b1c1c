"""Model-assisted extraction of one part (``ingest docs --llm openai:MODEL``).

Design notes
- Every file of the part is read as on the rule path (``document.load_file``); the prose
  documents (``model.wants_model``) are sent to the model in one batch, structured dumps and UFO
  task files keep the rules.
- An answer that stays invalid after the LLM layer's retries and re-asks quarantines its file
  with the layer's reason (``llm_schema: ...``); a procedure the model gave without steps is
  quarantined as ``llm_empty_procedure``. A part whose every request gave up raises
  (``check_outage``), so it is not written and the next run resumes it.
- This lives apart from ``model.py`` (what is sent and how an answer becomes procedures, no
  I/O) and from ``stage.py`` (the run), so neither imports the other's half.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

from lamdata.ingest.docs.base import ParsedDoc
from lamdata.ingest.docs.document import FileResult, load_file, plans_of, rejection
from lamdata.ingest.docs.model import (
    EXTRACT_PROMPT,
    DocView,
    extract_request,
    from_answer,
    wants_model,
)
from lamdata.ingest.docs.procedures import detect_app, normalize_app
from lamdata.llm import (
    CallStore,
    LLMConfig,
    LLMRequest,
    LLMResult,
    check_outage,
    run_batch,
)
from lamdata.store import Summary


class ModelParts:
    """Model-assisted extraction of a part: read every file, ask about the prose documents in
    one batch, keep the rule path for structured ones."""

    def __init__(self, cfg: LLMConfig, calls: CallStore, summary: Summary, app: str | None) -> None:
        self.cfg, self.calls, self.summary, self.app = cfg, calls, summary, app
        self.counts: Counter[str] = Counter(
            documents_to_model=0, procedures_from_model=0, model_sections_unmatched=0
        )

    def read(self, paths: list[Path], max_bytes: int) -> list[FileResult]:
        results: list[FileResult] = []
        asked: list[tuple[FileResult, ParsedDoc, DocView, str]] = []
        requests: list[LLMRequest] = []
        for path in paths:
            result, doc = load_file(path, max_bytes)
            results.append(result)
            if doc is not None and wants_model(doc):
                app = normalize_app(self.app) or doc.app or detect_app(doc.title)
                request, view = extract_request(doc, uri=str(path), app=app)
                asked.append((result, doc, view, str(path)))
                requests.append(request)
            elif doc is not None:
                result.plans = plans_of(doc, uri=str(path), app=self.app)
        if requests:
            store = self.calls.store
            answers = run_batch(
                self.cfg, requests, store=store, summary=self.summary, calls=self.calls
            )
            check_outage(answers)
            for (result, doc, view, uri), answer in zip(asked, answers, strict=True):
                self._apply(result, doc, view, uri, answer)
        self.counts["documents_to_model"] += len(requests)
        return results

    def _apply(
        self, result: FileResult, doc: ParsedDoc, view: DocView, uri: str, answer: LLMResult
    ) -> None:
        if not answer.ok:
            code, _, why = answer.error.partition(": ")
            record = json.dumps(
                {"prompt": EXTRACT_PROMPT, "answer": answer.text}, ensure_ascii=False
            )
            result.rejections.append(rejection(uri, code, why, None, record_json=record))
            return
        found = from_answer(answer.value, view)
        for empty in found.empty:
            task = str(empty.get("task", "")).strip()
            message = f'the model gave no steps for "{task}"; the procedure was dropped'
            record = json.dumps(empty, ensure_ascii=False)
            result.rejections.append(
                rejection(uri, "llm_empty_procedure", message, None, record_json=record)
            )
        model_doc = dataclasses.replace(doc, procedures=found.procedures, plan_source="model")
        result.plans = plans_of(model_doc, uri=uri, app=self.app)
        self.counts["procedures_from_model"] += len(result.plans)
        self.counts["model_sections_unmatched"] += found.unmatched_sections
