"""Rules that span lines and stored rows: what one entity holds, no other may take."""

from __future__ import annotations

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.db import models as m
from graphql_api.ingest.batch import Batch
from graphql_api.ingest.outcome import LineError


async def slug_conflicts(batch: Batch, session: AsyncSession) -> list[LineError]:
    """A team slug names one team."""
    errors: list[LineError] = []
    teams = batch.latest("team")
    slugs: dict[str, str] = {}
    for tid, (n, t) in teams.items():
        if slugs.setdefault(t.slug, tid) != tid:
            errors.append(
                LineError(n, f"slug {t.slug!r} is already used by team {slugs[t.slug]!r}")
            )
    if slugs:
        rows = await session.execute(select(m.Team.slug, m.Team.id).where(m.Team.slug.in_(slugs)))
        for slug, owner in rows:
            tid = slugs[slug]
            # A stored owner re-sent in this batch gives the slug up itself.
            if owner != tid and owner not in teams:
                n, _ = teams[tid]
                errors.append(LineError(n, f"slug {slug!r} is already used by team {owner!r}"))
    return errors


async def membership_conflicts(batch: Batch, session: AsyncSession) -> list[LineError]:
    """One membership per (team, user), and a membership keeps its team and user."""
    errors: list[LineError] = []
    memberships = batch.latest("membership")
    pairs: dict[tuple[str, str], str] = {}
    for mid, (n, ms) in memberships.items():
        pair = (ms.team, ms.user)
        if pairs.setdefault(pair, mid) != mid:
            errors.append(
                LineError(
                    n,
                    f"user {ms.user!r} already has membership {pairs[pair]!r} in team {ms.team!r}",
                )
            )
    if not memberships:
        return errors
    stored = await session.execute(
        select(m.Membership.id, m.Membership.team_id, m.Membership.user_id).where(
            m.Membership.id.in_(memberships)
            | tuple_(m.Membership.team_id, m.Membership.user_id).in_(list(pairs))
        )
    )
    for mid, team_id, user_id in stored:
        if mid in memberships:
            n, ms = memberships[mid]
            if (ms.team, ms.user) != (team_id, user_id):
                errors.append(
                    LineError(
                        n,
                        f"membership {mid!r} is of user {user_id!r} in team {team_id!r}; "
                        "its team and user cannot change",
                    )
                )
        holder = pairs.get((team_id, user_id))
        if holder is not None and holder != mid and mid not in memberships:
            n, _ = memberships[holder]
            errors.append(
                LineError(n, f"user {user_id!r} already has membership {mid!r} in team {team_id!r}")
            )
    return errors
