"""Demo API tokens: the demo grid worker's tablet and an integration of the demo administrator,
listed on their /me/tokens/ pages; the administrator's key is printed once by seed_demo.

Demo accounts' tokens work only while demo sign-ins do (DEBUG on), like their passwords.
"""

from __future__ import annotations

from datetime import timedelta

from casework.demo import DemoContext
from casework.models import ApiToken, User
from casework.services.tokens import token_create


def build(ctx: DemoContext) -> None:
    people = {u.username: u for u in User.objects.filter(username__in=["demo-grid", "demo-admin"])}
    if len(people) < 2:
        return
    tablet, _ = token_create(
        user=people["demo-grid"], name="平板-网格员", now=ctx.now - timedelta(days=3)
    )
    ApiToken.objects.filter(pk=tablet.pk).update(last_used_at=ctx.now - timedelta(hours=2))
    _, key = token_create(user=people["demo-admin"], name="12345热线对接", now=ctx.now)
    ctx.say(f"  API token of demo-admin (demo only, DEBUG on): {key}\n")
