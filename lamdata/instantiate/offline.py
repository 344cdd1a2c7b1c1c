"""The offline backend: one task-plan → one instance, by rules alone (no model).

The three phases of the paper, in order, each able to stop with a verdict:

1. filter rules that need no template (``non_task``, ``external_app``, ``env_change``);
2. choose a template (``template_miss`` when none fits or the app has no model);
3. prefill — choose the target, ground every step (``other`` when a step cannot be grounded,
   ``non_task`` when no step acts on the app) — and write the success checks.

Rejected instances keep whatever was grounded, with ``verdict.keep = false`` and the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from lamdata.env import AppModel, Template
from lamdata.instantiate.cards import app_cards, implied_needs
from lamdata.instantiate.catalog import ControlCatalog
from lamdata.instantiate.checks import initial_view, write_checks
from lamdata.instantiate.choose import Choice, TemplateCard, choose_template
from lamdata.instantiate.filters import classify, not_actionable
from lamdata.instantiate.ground import Grounder, Grounding
from lamdata.instantiate.prefill import Target, choose_targets
from lamdata.instantiate.views import document_view
from lamdata.records import Action, Check, Instance, LLMInfo, Rejection, TaskPlan, Verdict

OFFLINE_ID = "instantiate-rules.v1"
MAX_TEMPLATE_TRIES = 8


@dataclass
class AppContext:
    """Everything instantiation needs about one app, built once per run."""

    model: AppModel
    cards: list[TemplateCard]
    kinds: frozenset[str]
    grounder: Grounder
    _catalog: ControlCatalog | None = None
    #: Per-run memos for prompts: control lists by UI terms, document views by template.
    _controls: dict[tuple[str, ...], str] = field(default_factory=dict)
    _views: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, model: AppModel) -> AppContext:
        cards, kinds = app_cards(model)
        return cls(model, cards, kinds, Grounder(model))

    def catalog(self) -> ControlCatalog:
        """The app's control list as prompts show it (built once per run)."""
        if self._catalog is None:
            self._catalog = ControlCatalog.build(self.model)
        return self._catalog

    def controls_text(self, terms: tuple[str, ...]) -> str:
        """The control list for a plan naming ``terms`` (memoized: plans repeat their terms)."""
        found = self._controls.get(terms)
        if found is None:
            catalog = self.catalog()
            found = catalog.text(catalog.anchors(self.grounder.env.index, terms))
            if len(self._controls) > 10_000:
                self._controls.clear()
            self._controls[terms] = found
        return found

    def document_view(self, template: Template) -> str:
        """The compact view of a template's document (once per template and run)."""
        found = self._views.get(template.id)
        if found is None:
            found = document_view(self.model.document_kind, template)
            self._views[template.id] = found
        return found

    def choose(self, task: str, min_score: float) -> Choice:
        implied = frozenset(implied_needs(self.model.document_kind, task))
        return choose_template(task, self.cards, min_score, self.kinds, implied)


def plan_text(plan: TaskPlan) -> str:
    return " ".join([plan.task, *plan.steps])


def pre_verdict(
    plan: TaskPlan, ctx: AppContext | None, min_score: float
) -> tuple[Verdict | None, Choice | None]:
    """Phases 1 and 2: a rejecting verdict, or the chosen template."""
    verdict = classify(plan.task, plan.steps, plan.app)
    if verdict is not None:
        return verdict, None
    if ctx is None:
        reason = f"template_miss: no app model for app {plan.app!r}"
        return Verdict(keep=False, kind="template_miss", reason=reason), None
    choice = ctx.choose(plan.task, min_score)
    if choice.template is None:
        return Verdict(keep=False, kind="template_miss", reason=choice.reason), choice
    return None, choice


def instantiate_plan(plan: TaskPlan, ctx: AppContext | None, min_score: float) -> Instance:
    """The instance of one task-plan (kept or not, always with a verdict)."""
    verdict, choice = pre_verdict(plan, ctx, min_score)
    if verdict is not None or ctx is None or choice is None or choice.template is None:
        return rejected(plan, verdict or Verdict(keep=False, kind="other"), choice, OFFLINE_ID)
    template, target, grounding, choice = ground_on_best(plan, ctx, choice)
    checks = write_checks(ctx.model.document_kind, initial_view(template), grounding.events)
    verdict = grounding_verdict(plan, grounding, checks)
    missing = [n for n in choice.needs if choice.template and n not in choice.template.terms]
    if grounding.problems and missing:
        reason = f"template_miss: no template has all of {', '.join(choice.needs)}"
        reason += f" ({template.id!r} lacks {', '.join(missing)}; {verdict.reason})"
        verdict = Verdict(keep=False, kind="template_miss", reason=reason)
    return build_instance(
        plan,
        template,
        choice,
        task=concrete_task(
            plan.task, template, target if grounding.used_target else None, grounding.values
        ),
        actions=grounding.actions,
        checks=checks,
        verdict=verdict,
        llm=LLMInfo(backend="offline", prompt_id=OFFLINE_ID),
    )


def ground_on_best(
    plan: TaskPlan, ctx: AppContext, choice: Choice, tries: int = MAX_TEMPLATE_TRIES
) -> tuple[Template, Target | None, Grounding, Choice]:
    """Ground on the chosen template; when that fails, on the next ones above the threshold
    (a template where the task changes nothing is the wrong template, not a wrong task)."""
    assert choice.template is not None
    options = [(choice.template, choice.score), *choice.alternatives][:tries]
    tried: list[tuple[Template, Target | None, Grounding, Choice]] = []
    for card, score in options:
        template = ctx.model.templates[card.id]
        kind = ctx.model.document_kind
        targets: list[Target | None] = [*choose_targets(kind, plan_text(plan), template.document)]
        for target in targets or [None]:
            grounding = ctx.grounder.ground(plan.steps, plan.ui_terms, template.id, target)
            tried.append((template, target, grounding, Choice(card, score, choice.needs)))
            if not grounding.problems and not grounding.noops:
                return tried[-1]
    runnable = [t for t in tried if not t[2].problems]
    return (runnable or tried)[0]


def grounding_verdict(plan: TaskPlan, grounding: Grounding, checks: list[Check]) -> Verdict:
    if grounding.problems:
        shown = "; ".join(grounding.problems[:3])
        return Verdict(keep=False, kind="other", reason=f"ungrounded: {shown}")
    idle = not_actionable(plan.steps, grounding.acting_steps)
    if idle is not None:
        return idle
    if not checks:
        reason = "no_check: the plan's actions leave nothing in the document to verify"
        return Verdict(keep=False, kind="other", reason=reason)
    return Verdict(keep=True, kind="normal", reason=f"grounded {len(grounding.actions)} actions")


def concrete_task(
    task: str, template: Template, target: Target | None, values: list[str] | None = None
) -> str:
    """The checkable request: the task, on what, with which values, in which document."""
    where = template.description.rstrip(".")
    where = where[0].lower() + where[1:] if where else where
    on = f" — {target.phrase}" if target is not None else ""
    using = f" (with {', '.join(dict.fromkeys(values))})" if values else ""
    return f"{task.rstrip('.')}{on}{using}, in {where}."


def rejected(
    plan: TaskPlan, verdict: Verdict, choice: Choice | None, prompt_id: str | None
) -> Instance:
    return Instance.create(
        task_plan_id=plan.id,
        app=plan.app or "",
        template_id=None,
        task=plan.task or "(empty task)",
        verdict=verdict,
        llm=LLMInfo(backend="offline", prompt_id=prompt_id),
        template_score=choice.score if choice is not None else None,
    )


def build_instance(
    plan: TaskPlan,
    template: Template,
    choice: Choice,
    *,
    task: str,
    actions: list[Action],
    checks: list[Check],
    verdict: Verdict,
    llm: LLMInfo,
) -> Instance:
    return Instance.create(
        task_plan_id=plan.id,
        app=template.app,
        template_id=template.id,
        template_hash=template.content_hash,
        template_score=choice.score,
        task=task,
        actions=actions,
        checks=checks,
        verdict=verdict,
        llm=llm,
    )


def rejection(stage: str, reason: str, plan: TaskPlan, answer: str = "") -> Rejection:
    """A quarantined task-plan, with the model's last answer when there is one."""
    record = {"task_plan": plan.to_dict(), "answer": answer}
    return Rejection.create(
        stage=stage,
        reason=reason,
        uri=plan.source.uri,
        locator=plan.source.locator,
        record_json=json.dumps(record, ensure_ascii=False, sort_keys=True),
    )
