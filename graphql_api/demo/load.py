"""Loading the demo dataset through the ingest path, and making keys to explore it with."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graphql_api.auth.credentials import create_api_key
from graphql_api.db.models import Team, User
from graphql_api.demo.dataset import DEMO_ADMIN, DEMO_DEVELOPER, demo_records
from graphql_api.ingest.service import ingest_lines

CHUNK = 20_000


@dataclass(frozen=True)
class DemoKey:
    """A key made for a demo user, with who it is for."""

    label: str
    team_slug: str
    email: str
    name: str
    secret: str


async def database_is_empty(db: async_sessionmaker[AsyncSession]) -> bool:
    """Whether no team has been ingested yet."""
    async with db() as session:
        return (await session.scalar(select(func.count()).select_from(Team))) == 0


async def load_demo(db: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Ingest the demo records in batches; re-running it changes nothing."""
    counts: Counter[str] = Counter()
    records = demo_records()
    while batch := [json.dumps(r) for r in islice(records, CHUNK)]:
        result = await ingest_lines(db, batch)
        counts.update(result.counts)
    return dict(sorted(counts.items()))


async def make_demo_keys(db: async_sessionmaker[AsyncSession]) -> list[DemoKey]:
    """Fresh keys for the demo's admin and for a developer who cannot see every element."""
    keys = []
    async with db() as session, session.begin():
        for label, (team, user_id) in (
            ("team admin (SUPER_ADMIN)", DEMO_ADMIN),
            ("developer (partial access)", DEMO_DEVELOPER),
        ):
            user = (await session.execute(select(User).where(User.id == user_id))).scalar_one()
            made = await create_api_key(session, team_slug=team, email=user.email, name="demo")
            keys.append(DemoKey(label, team, user.email, user.name, made.secret))
    return keys
