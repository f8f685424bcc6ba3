"""Checking a parsed batch against itself and the database, before anything is written."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.ingest.batch import Batch
from graphql_api.ingest.outcome import LineError
from graphql_api.ingest.references import Halt, Kind, Known, load_stored, stored_teams_of
from graphql_api.ingest.specs import SPECS, RecordSpec


async def check_batch(batch: Batch, session: AsyncSession) -> list[LineError]:
    """Every reference, move and conflict problem of the batch's lines; fills `batch.known`."""
    known = batch.known
    for spec in SPECS.values():
        if spec.defines is not None:
            known.learn(spec.defines, (rec for _, rec in batch.latest(spec.type).values()))
    wanted: dict[Kind, set[str]] = {}
    for record_type, lines in batch.lines.items():
        records = [rec for _, rec in lines]
        for ref in SPECS[record_type].references:
            for kind, ids in ref.wanted(records):
                wanted.setdefault(kind, set()).update(ids)
    await load_stored(session, known, wanted)
    errors = _reference_errors(batch)
    errors += await _move_errors(batch, session)
    for spec in SPECS.values():
        for check in spec.checks:
            errors += await check(batch, session)
    return errors


def _reference_errors(batch: Batch) -> list[LineError]:
    errors: list[LineError] = []
    for record_type, lines in batch.lines.items():
        spec = SPECS[record_type]
        # Facts repeat the same few (team, user, element) combinations: check
        # each distinct combination once.
        problems: dict[tuple[object, ...], list[str]] = {}
        for n, rec in lines:
            key = tuple(getattr(rec, name) for name in spec.reads)
            found = problems.get(key)
            if found is None:
                found = problems[key] = reference_problems(spec, rec, batch.known)
            errors.extend(LineError(n, reason) for reason in found)
    return errors


def reference_problems(spec: RecordSpec, rec: object, known: Known) -> list[str]:
    """Why the record's references do not hold, if they don't."""
    problems: list[str] = []
    team = getattr(rec, "team", None)
    for ref in spec.references:
        found = ref.check(rec, known, team, problems)
        if found is Halt.HALT:
            break
        team = found
    return problems


async def _move_errors(batch: Batch, session: AsyncSession) -> list[LineError]:
    """An entity may be updated but never moved to another team."""
    errors: list[LineError] = []
    for spec in SPECS.values():
        if not spec.stays_in_team:
            continue
        latest = batch.latest(spec.type)
        stored = await stored_teams_of(session, spec.table, set(latest))
        for eid, team_id in stored.items():
            n, rec = latest[eid]
            if rec.team != team_id:
                errors.append(
                    LineError(
                        n,
                        f"{spec.type} {eid!r} belongs to team {team_id!r}; "
                        "it cannot move to another team",
                    )
                )
    return errors
