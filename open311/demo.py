"""Demo data for Open311: one key for the demo community, its raw value printed by seed_demo so
the demo can be tried at once (``curl -d api_key=… /open311/v2/requests.json``).

No requests are filed here: the demo's year of requests comes through the field channels, and
the Open311 reads (``/open311/v2/requests.json``) already show them, public-safe.
"""

from __future__ import annotations

from casework.demo import DemoContext
from open311.services import open311_key_create


def build(ctx: DemoContext) -> None:
    community, grid = ctx.objects.get("demo_community"), ctx.objects.get("demo_grid")
    if community is None or grid is None:
        return
    issued = open311_key_create(
        name="演示：12345热线", unit=community, fallback_place=grid, is_demo=True
    )
    ctx.objects["open311_key"] = issued.key
    ctx.say(
        f"  Open311 key for {community.name} (demo only, refused when DEBUG is off): "
        f"{issued.raw}\n"
    )


#: (order, name, function): after the cases' year of work.
STEPS = [(35, "an Open311 key", build)]
