"""Demo: the suggestion model, trained on the demo's year of requests once everything else is
built (so ``make run`` serves learned suggestions from the first page)."""

from __future__ import annotations

from casework.demo import DemoContext
from dispatch.services import model_train


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def build(ctx: DemoContext) -> None:
    version = model_train(actor=None, now=ctx.now)
    ctx.say(
        f"  dispatch model v{version.pk} ({version.kind}): {version.samples} requests, "
        f"held-out top-1 {_pct(version.top1)}, top-3 {_pct(version.top3)} "
        f"(unseen wording: top-3 {_pct(version.unseen_top3)}), "
        f"{version.metrics.get('seconds', 0):.1f} s\n"
    )


#: (order, name, function): seed_demo runs every app's steps sorted by order; this one last.
STEPS = [(99, "dispatch model (智能派单)", build)]
