"""Shared set-up for the benchmarks: a fresh PostgreSQL database, Django, a small org tree."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_on_fresh_database(name: str) -> None:
    """Create database ``name`` on the server of ``DATABASE_URL``, migrate, set Django up."""
    import environ

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    url = environ.Env.db_url_config(base)
    if "postgresql" not in url["ENGINE"]:
        print("This benchmark needs PostgreSQL: set DATABASE_URL.")
        sys.exit(2)
    import psycopg

    admin = psycopg.connect(
        host=url["HOST"] or "127.0.0.1",
        port=url["PORT"] or 5432,
        user=url["USER"],
        password=url["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {name}")
    admin.close()
    os.environ["DATABASE_URL"] = (
        f"postgres://{url['USER']}:{url['PASSWORD'] or ''}@{url['HOST'] or '127.0.0.1'}:"
        f"{url['PORT'] or 5432}/{name}"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DEBUG"] = "off"
    os.environ.pop("REDIS_URL", None)
    os.environ["MINQING_SWEEP_IN_PROCESS"] = "off"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def county(towns: int = 5, communities: int = 10, grids: int = 4):
    """A county of ``towns`` × ``communities`` × ``grids``; returns (county, grid ids, ids)."""
    from casework.models import Role, UnitKind
    from casework.services import category_create, membership_grant, person_create, unit_create

    city = unit_create(name="市", kind=UnitKind.CITY)
    the_county = unit_create(name="县", kind=UnitKind.COUNTY, parent=city)
    company = unit_create(name="物业", kind=UnitKind.COMPANY, parent=the_county)
    places = []
    for t in range(towns):
        town = unit_create(name=f"镇{t}", kind=UnitKind.TOWN, parent=the_county)
        sup = person_create(username=f"town{t}", name=f"镇{t}")
        membership_grant(user=sup, unit=town, role=Role.SUPERVISOR)
        for c in range(communities):
            community = unit_create(name=f"社区{t}-{c}", kind=UnitKind.COMMUNITY, parent=town)
            sup = person_create(username=f"sup{t}-{c}", name="督办")
            membership_grant(user=sup, unit=community, role=Role.SUPERVISOR)
            for g in range(grids):
                grid = unit_create(name=f"网格{t}-{c}-{g}", kind=UnitKind.GRID, parent=community)
                places.append(grid.pk)
    handler = person_create(username="handler", name="承办")
    membership_grant(user=handler, unit=company, role=Role.HANDLER)
    category = category_create(code="general", name="一般")
    return (
        the_county,
        places,
        {"company": company.pk, "handler": handler.pk, "category": category.pk},
    )


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


median = statistics.median
