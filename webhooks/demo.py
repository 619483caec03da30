"""Demo: one webhook endpoint and one group robot, switched off until pointed somewhere real.

The demo has no receiver to talk to, so both are registered inactive: an operator switches the
endpoint on after setting its URL to their test receiver (the docs give a ten-line one), and the
next case opened or assigned in the demo appears under "webhook deliveries" with its attempts.
"""

from __future__ import annotations

from django.utils import timezone

from webhooks.models import Endpoint, EventType, RobotKind, UnitRobot
from webhooks.signing import new_secret


def build(ctx) -> None:
    now = ctx.now if getattr(ctx, "now", None) else timezone.now()
    Endpoint.objects.create(
        name="示例：市12345热线平台",
        url="http://127.0.0.1:8001/minqing-hook",
        event_types=[value for value in EventType.values],
        secret=new_secret(),
        active=False,
        created_at=now,
        secret_rotated_at=now,
    )
    community = ctx.objects.get("demo_community")
    if community is not None:
        UnitRobot.objects.create(
            unit=community,
            kind=RobotKind.WECOM,
            name=f"{community.name}网格员群",
            url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=DEMO-KEY",
            active=False,
        )
    ctx.say("  webhooks: 1 endpoint and 1 group robot, both switched off\n")


STEPS = [(90, "webhooks: an endpoint and a group robot", build)]
