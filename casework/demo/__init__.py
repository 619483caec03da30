"""Demo data for the core: the Yulin hierarchy of the seed article, the categories, the staff.

Run through ``python manage.py seed_demo``, which calls the ``STEPS`` of every app's ``demo``
module in order. Deterministic: every choice comes from the context's seeded ``random.Random``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from unittest import mock

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from casework.demo.data import (
    CATEGORIES,
    COMPOUND_SUFFIXES,
    COMPOUND_WORDS,
    COUNTY_DEPARTMENTS,
    GIVEN,
    PLACES,
    SURNAMES,
)
from casework.demo.places import place_coordinates
from casework.models import Category, OrgUnit, Role, UnitKind, User
from casework.services import category_create, membership_grant, person_create, unit_create

DEMO_LOGINS = {
    "demo-admin": "admin of Yulin city (玉林市), sees everything",
    "demo-supervisor": "supervisor of the demo community",
    "demo-handler": "handler at the demo community's property company",
    "demo-grid": "grid worker of the demo grid",
    "demo-volunteer": "volunteer in the demo grid",
    "desk-town001": "handler at 博白镇's service desk, which signs for cases sent up (兜底)",
}


@dataclass
class DemoContext:
    """What the demo steps share: the seeded random source, the clock, and what they built."""

    rng: random.Random
    now: datetime
    out: Any
    objects: dict[str, Any] = field(default_factory=dict)
    password_hash: str = ""

    def say(self, message: str) -> None:
        if self.out is not None:
            self.out.write(message)


@contextmanager
def clock(when: datetime) -> Iterator[None]:
    """Run the real services as if it were ``when``, so a year of demo history has real times.

    Demo data only: every service reads the time through ``django.utils.timezone.now``.
    """
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def _person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given


def _person(ctx: DemoContext, username: str, name: str | None = None) -> User:
    user = person_create(username=username, name=name or _person_name(ctx.rng), is_demo=True)
    # One hash shared by every demo login: hashing hundreds of passwords would take minutes.
    user.password = ctx.password_hash
    user.save(update_fields=["password"])
    return user


def build_categories(ctx: DemoContext) -> None:
    for order, (code, name, name_en, leaves) in enumerate(CATEGORIES):
        parent = category_create(code=code, name=name, name_en=name_en, sort_order=order)
        for leaf_order, (leaf_code, leaf, leaf_en, klass, needs_id, verify) in enumerate(leaves):
            category_create(
                code=leaf_code,
                name=leaf,
                name_en=leaf_en,
                parent=parent,
                deadline_class=klass,
                requires_id_number=needs_id,
                requires_verification=verify,
                sort_order=leaf_order,
            )
    ctx.say(f"  categories: {Category.objects.count()}\n")


def build_org(ctx: DemoContext) -> None:
    rng = ctx.rng
    city = unit_create(name="玉林市", kind=UnitKind.CITY, code="450900")
    admin = _person(ctx, "demo-admin", "韦建国")
    membership_grant(user=admin, unit=city, role=Role.ADMIN)
    compound_names = iter(
        f"{word}{suffix}" for suffix in COMPOUND_SUFFIXES for word in COMPOUND_WORDS
    )
    serial = {"grid": 0, "community": 0, "town": 0, "secretary": 0, "handler": 0, "volunteer": 0}
    for place in PLACES:
        county_name, county_code = place["county"]
        county = unit_create(name=county_name, kind=UnitKind.COUNTY, parent=city, code=county_code)
        county_admin = _person(ctx, f"admin-{county_code}")
        membership_grant(user=county_admin, unit=county, role=Role.ADMIN)
        _desk(ctx, county, f"{county_name}综治中心", f"desk-{county_code}")
        departments = []
        for dept in COUNTY_DEPARTMENTS:
            unit = unit_create(
                name=f"{county_name}{dept}", kind=UnitKind.DEPARTMENT, parent=county
            )
            departments.append(unit)
            serial["handler"] += 1
            handler = _person(ctx, f"handler{serial['handler']:03d}")
            membership_grant(user=handler, unit=unit, role=Role.HANDLER)
        communities = [
            (town, community)
            for town, community_names in place["towns"]
            for community in community_names
        ]
        towns: dict[str, OrgUnit] = {}
        compounds_left = place["compounds"]
        for index, (town_name, community_name) in enumerate(communities):
            if town_name not in towns:
                town = unit_create(name=town_name, kind=UnitKind.TOWN, parent=county)
                towns[town_name] = town
                serial["town"] += 1
                supervisor = _person(ctx, f"town{serial['town']:03d}")
                membership_grant(user=supervisor, unit=town, role=Role.SUPERVISOR)
                _desk(
                    ctx, town, f"{town_name}网格化服务管理中心", f"desk-town{serial['town']:03d}"
                )
            town = towns[town_name]
            community = unit_create(name=community_name, kind=UnitKind.COMMUNITY, parent=town)
            serial["community"] += 1
            first = ctx.objects.get("demo_community") is None
            if first:
                ctx.objects["demo_community"] = community
            supervisor = _person(
                ctx, "demo-supervisor" if first else f"community{serial['community']:03d}"
            )
            membership_grant(user=supervisor, unit=community, role=Role.SUPERVISOR)
            # A 民情书记 from a county department is linked to each community (挂点联系).
            serial["secretary"] += 1
            secretary = _person(ctx, f"secretary{serial['secretary']:03d}")
            membership_grant(user=secretary, unit=community, role=Role.MINQING_SECRETARY)
            membership_grant(user=secretary, unit=rng.choice(departments), role=Role.HANDLER)
            company = unit_create(
                name=f"{community_name.removesuffix('社区')}物业服务有限公司",
                kind=UnitKind.COMPANY,
                parent=community,
            )
            serial["handler"] += 1
            handler = _person(ctx, "demo-handler" if first else f"handler{serial['handler']:03d}")
            membership_grant(user=handler, unit=company, role=Role.HANDLER)
            # Spread the county's compounds evenly over its communities, two grids each.
            share = compounds_left // (len(communities) - index)
            compounds_left -= share
            for grid_index in range(2):
                grid = unit_create(
                    name=f"{community_name}第{grid_index + 1}网格",
                    kind=UnitKind.GRID,
                    parent=community,
                )
                serial["grid"] += 1
                demo_grid = first and grid_index == 0
                if demo_grid:
                    ctx.objects["demo_grid"] = grid
                worker = _person(ctx, "demo-grid" if demo_grid else f"grid{serial['grid']:03d}")
                membership_grant(user=worker, unit=grid, role=Role.GRID_WORKER)
                serial["volunteer"] += 1
                volunteer = _person(
                    ctx, "demo-volunteer" if demo_grid else f"volunteer{serial['volunteer']:03d}"
                )
                membership_grant(user=volunteer, unit=grid, role=Role.VOLUNTEER)
                in_grid = share // 2 + (share % 2 if grid_index == 0 else 0)
                for _ in range(max(in_grid, 1)):
                    compound = unit_create(
                        name=next(compound_names), kind=UnitKind.COMPOUND, parent=grid
                    )
                    unit_create(
                        name=f"{compound.name}业主委员会", kind=UnitKind.COMMITTEE, parent=compound
                    )
                    for building in range(1, rng.randint(3, 6)):
                        unit_create(name=f"{building}栋", kind=UnitKind.BUILDING, parent=compound)
    counts = {kind: OrgUnit.objects.filter(kind=kind).count() for kind in UnitKind.values}
    ctx.say(
        "  units: "
        + ", ".join(f"{kind} {count}" for kind, count in counts.items() if count)
        + f"; people: {User.objects.count()}\n"
    )


def _desk(ctx: DemoContext, place: OrgUnit, name: str, username: str) -> OrgUnit:
    """A town's or county's service desk (网格化服务管理中心 / 综治中心), which backstops (兜底)
    the cases sent up to it, with a handler who signs for them."""
    desk = unit_create(name=name, kind=UnitKind.DESK, parent=place)
    membership_grant(user=_person(ctx, username), unit=desk, role=Role.HANDLER)
    return desk


def prepare(ctx: DemoContext) -> None:
    ctx.password_hash = make_password(settings.MINQING_DEMO_PASSWORD)


def already_seeded() -> bool:
    return User.objects.filter(username="demo-admin").exists()


@transaction.atomic
def build(ctx: DemoContext) -> None:
    prepare(ctx)
    build_categories(ctx)
    build_org(ctx)
    place_coordinates(ctx)


def drive_cases(ctx: DemoContext) -> None:
    """Drive every new demo case through a realistic path up to the present
    (``casework.demo.cases``)."""
    from casework.demo.cases import drive_cases as drive

    drive(ctx)


def api_tokens(ctx: DemoContext) -> None:
    """Demo API tokens (``casework.demo.tokens``)."""
    from casework.demo.tokens import build as build_tokens

    build_tokens(ctx)


def build_meetings(ctx: DemoContext) -> None:
    """Joint meetings and residents' councils with their topics (``casework.demo.meetings``)."""
    from casework.demo.meetings import build_meetings as build

    build(ctx)


#: (order, name, function): seed_demo runs every app's steps sorted by order.
STEPS = [
    (10, "hierarchy, people and categories", build),
    (30, "the cases' year of work", drive_cases),
    (35, "joint meetings and residents' councils", build_meetings),
    (40, "API tokens", api_tokens),
]
