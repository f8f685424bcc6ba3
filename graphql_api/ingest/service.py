"""Ingest a batch of NDJSON lines: all or nothing, every bad line reported.

Entities are upserted (the later version in the batch, and a later batch,
wins); facts are inserted once per id (a re-send is a no-op). Everything is
written in one transaction, after every line has been checked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graphql_api.db import models as m
from graphql_api.db.locks import take_event_order_lock
from graphql_api.domain import inputs
from graphql_api.domain.audit_actions import ACTIONS
from graphql_api.domain.enums import ElementKind, MembershipStatus, ResourceType, SubjectType
from graphql_api.ingest import records as r
from graphql_api.ingest.bulk import insert_new_rows
from graphql_api.ingest.references import (
    ElementInfo,
    Known,
    UserInfo,
    load_stored,
    stored_resolutions,
    stored_teams_of,
)
from graphql_api.live.notify import announce_audit_events


@dataclass(frozen=True, order=True)
class LineError:
    """Why one line of a batch was refused."""

    line: int
    reason: str


class BatchRejected(Exception):
    """The batch had bad lines; nothing was written."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(f"batch rejected: {len(errors)} bad line(s)")
        self.errors = sorted(errors)

    @property
    def bad_lines(self) -> int:
        """How many lines were refused (a line may have several errors)."""
        return len({error.line for error in self.errors})


@dataclass(frozen=True)
class IngestResult:
    """What a written batch held."""

    lines: int
    counts: dict[str, int]


# One line may break many rules (say, 10,000 unknown fields): its reason names a few.
_MAX_REASONS_PER_LINE = 5
_MAX_FIELD_SHOWN = 60


def _describe(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error["loc"]]
    # Inside a record, pydantic's location starts with the record's type tag.
    if loc and loc[0] in r.RECORD_TYPES:
        loc = loc[1:]
    field = ".".join(loc)
    if len(field) > _MAX_FIELD_SHOWN:
        # An unknown field's name is the client's, of any length.
        field = field[:_MAX_FIELD_SHOWN] + "..."
    message = error["msg"]
    if error["type"] == "json_invalid":
        detail = error["ctx"].get("error", message)
        if "recursion limit" in detail:
            return f"malformed JSON: nested too deeply ({detail})"
        return f"malformed JSON: {detail}"
    if error["type"] == "union_tag_invalid":
        return f"unknown type {inputs.excerpt(error['ctx']['tag'])}; expected one of: " + ", ".join(
            r.RECORD_TYPES
        )
    if error["type"] == "union_tag_not_found":
        return "missing field `type`"
    if not loc and error["type"] in {"model_attributes_type", "dict_type", "model_type"}:
        return f"a line must be a JSON object with a `type`, got {_json_kind(error['input'])}"
    if error["type"] == "missing":
        return f"missing field `{field}`"
    if error["type"] == "extra_forbidden":
        return f"unknown field `{field}`"
    if isinstance(error.get("ctx", {}).get("error"), inputs.InvalidInput):
        # Our own checks name the field already.
        return str(error["ctx"]["error"].message)
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return f"`{field}`: {message}" if loc else message


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def _reason(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    reasons = [_describe(dict(e)) for e in errors[:_MAX_REASONS_PER_LINE]]
    if len(errors) > _MAX_REASONS_PER_LINE:
        reasons.append(f"and {len(errors) - _MAX_REASONS_PER_LINE} more problems")
    return "; ".join(reasons)


def parse_lines(lines: Iterable[str | bytes]) -> tuple[list[tuple[int, r.Record]], list[LineError]]:
    """Validate each non-blank line; return the good records (with line numbers) and the errors."""
    parsed: list[tuple[int, r.Record]] = []
    errors: list[LineError] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            parsed.append((number, r.parse_record(line)))
        except ValidationError as exc:
            errors.append(LineError(number, _reason(exc)))
        except inputs.InvalidInput as exc:
            errors.append(LineError(number, exc.message))
    return parsed, errors


class _Batch:
    """One batch's records grouped by type, checked against the database, then written."""

    def __init__(self, parsed: list[tuple[int, r.Record]]) -> None:
        self.lines: dict[str, list[tuple[int, Any]]] = defaultdict(list)
        for number, record in parsed:
            self.lines[record.type].append((number, record))  # type: ignore[attr-defined]
        self.known = Known()

    def latest(self, record_type: str) -> dict[str, tuple[int, Any]]:
        """Entities: the last line for each id wins."""
        return {rec.id: (n, rec) for n, rec in self.lines.get(record_type, [])}

    def first(self, record_type: str) -> dict[str, tuple[int, Any]]:
        """Facts: the first line for each id counts; repeats are no-ops."""
        out: dict[str, tuple[int, Any]] = {}
        for n, rec in self.lines.get(record_type, []):
            out.setdefault(rec.id, (n, rec))
        return out

    def all_records(self) -> Iterable[tuple[int, Any]]:
        for items in self.lines.values():
            yield from items

    # -- checking ---------------------------------------------------------

    async def check(self, session: AsyncSession) -> list[LineError]:
        known = self.known
        known.teams.update(self.latest("team"))
        for uid, (_, u) in self.latest("user").items():
            known.users[uid] = UserInfo(u.name, u.username, u.email)
        for gid, (_, g) in self.latest("group").items():
            known.groups[gid] = g.team
        for wid, (_, w) in self.latest("workspace").items():
            known.workspaces[wid] = w.team
        for eid, (_, e) in self.latest("element").items():
            known.elements[eid] = ElementInfo(e.team, e.kind)

        wanted: dict[str, set[str]] = defaultdict(set)
        for _, rec in self.all_records():
            for kind, ref in _references(rec):
                wanted[kind].add(ref)
        await load_stored(
            session,
            known,
            teams=wanted["team"],
            users=wanted["user"],
            groups=wanted["group"],
            workspaces=wanted["workspace"],
            elements=wanted["element"],
        )
        # Facts repeat the same few (team, user, element) combinations: check
        # each distinct combination once.
        problems: dict[tuple[Any, ...], list[str]] = {}
        errors: list[LineError] = []
        for n, rec in self.all_records():
            key = _reference_key(rec)
            found = problems.get(key)
            if found is None:
                found = problems[key] = _reference_problems(rec, known)
            errors.extend(LineError(n, reason) for reason in found)
        errors += await self._check_moves(session)
        errors += await self._check_uniques(session)
        return errors

    async def _check_moves(self, session: AsyncSession) -> list[LineError]:
        """An entity may be updated but never moved to another team."""
        errors: list[LineError] = []
        for record_type, model in (
            ("group", m.Group),
            ("workspace", m.Workspace),
            ("element", m.Element),
        ):
            latest = self.latest(record_type)
            stored = await stored_teams_of(session, model, set(latest))
            for eid, team_id in stored.items():
                n, rec = latest[eid]
                if rec.team != team_id:
                    errors.append(
                        LineError(
                            n,
                            f"{record_type} {eid!r} belongs to team {team_id!r}; "
                            "it cannot move to another team",
                        )
                    )
        return errors

    async def _check_uniques(self, session: AsyncSession) -> list[LineError]:
        errors: list[LineError] = []
        # A team slug names one team.
        slugs: dict[str, str] = {}
        for tid, (n, t) in self.latest("team").items():
            if slugs.setdefault(t.slug, tid) != tid:
                errors.append(
                    LineError(n, f"slug {t.slug!r} is already used by team {slugs[t.slug]!r}")
                )
        if slugs:
            rows = await session.execute(
                select(m.Team.slug, m.Team.id).where(m.Team.slug.in_(slugs))
            )
            batch_teams = self.latest("team")
            for slug, owner in rows:
                tid = slugs[slug]
                # A stored owner re-sent in this batch gives the slug up itself.
                if owner != tid and owner not in batch_teams:
                    n, _ = batch_teams[tid]
                    errors.append(LineError(n, f"slug {slug!r} is already used by team {owner!r}"))
        # One membership per (team, user), and a membership keeps its team and user.
        memberships = self.latest("membership")
        pairs: dict[tuple[str, str], str] = {}
        for mid, (n, ms) in memberships.items():
            pair = (ms.team, ms.user)
            if pairs.setdefault(pair, mid) != mid:
                errors.append(
                    LineError(
                        n,
                        f"user {ms.user!r} already has membership {pairs[pair]!r} "
                        f"in team {ms.team!r}",
                    )
                )
        if memberships:
            stored_memberships = await session.execute(
                select(m.Membership.id, m.Membership.team_id, m.Membership.user_id).where(
                    m.Membership.id.in_(memberships)
                    | tuple_(m.Membership.team_id, m.Membership.user_id).in_(list(pairs))
                )
            )
            for mid, team_id, user_id in stored_memberships:
                if mid in memberships:
                    n, ms = memberships[mid]
                    if (ms.team, ms.user) != (team_id, user_id):
                        errors.append(
                            LineError(
                                n,
                                f"membership {mid!r} is of user {user_id!r} in team "
                                f"{team_id!r}; its team and user cannot change",
                            )
                        )
                holder = pairs.get((team_id, user_id))
                if holder is not None and holder != mid and mid not in memberships:
                    n, _ = memberships[holder]
                    errors.append(
                        LineError(
                            n,
                            f"user {user_id!r} already has membership {mid!r} in team {team_id!r}",
                        )
                    )
        return errors

    # -- writing ----------------------------------------------------------

    async def _record_resolutions(
        self,
        connection: Any,
        kind: str,
        model: Any,
        record_type: str,
        subject_field: str,
        label_field: str,
    ) -> None:
        resolved = {
            rid: rec
            for rid, (_, rec) in self.latest(record_type).items()
            if rec.resolved_at is not None
        }
        if not resolved:
            return
        stored = await stored_resolutions(connection, model, set(resolved))
        rows = []
        for rid, rec in resolved.items():
            known = stored.get(rid)
            if known is not None and known.resolved_at is not None:
                continue  # resolved before: the first resolution stands
            rows.append(
                {
                    "ext_id": f"{kind.lower()}:{rid}",
                    "team_id": known.team_id if known else rec.team,
                    "at": rec.resolved_at,
                    "kind": kind,
                    "subject_id": known.subject if known else getattr(rec, subject_field),
                    "label": known.label if known else getattr(rec, label_field),
                    "severity": (known.severity if known else getattr(rec, "severity", None)),
                }
            )
        await insert_new_rows(connection, m.Resolution.__table__, rows)  # type: ignore[arg-type]

    async def write(self, session: AsyncSession) -> None:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        # Core inserts on the connection: the ORM's bulk layer costs more than
        # the database does here, and we need none of its bookkeeping.
        connection = await session.connection()

        async def upsert(
            model: Any,
            rows: list[dict[str, Any]],
            key: str = "id",
            keep: dict[str, Any] | None = None,
        ) -> None:
            if not rows:
                return
            stmt = insert(model.__table__)
            changes = {c: stmt.excluded[c] for c in rows[0] if c != key}
            changes.update(keep or {})
            await connection.execute(
                stmt.on_conflict_do_update(index_elements=[key], set_=changes), rows
            )

        async def insert_new(model: Any, rows: list[dict[str, Any]]) -> None:
            await insert_new_rows(connection, model.__table__, rows)

        await take_event_order_lock(session)

        for record_type, model in _PLAIN_ENTITIES.items():
            await upsert(model, [e.columns("id") for _, e in self.latest(record_type).values()])
        await upsert(
            m.Element,
            # Monitors and mocks after the collections they may name.
            sorted(
                (e.columns("id", {"at": "created_at"}) for _, e in self.latest("element").values()),
                key=lambda row: row["collection_id"] is not None,
            ),
        )
        await upsert(
            m.Membership,
            [
                ms.columns(
                    "id",
                    {"at": "status_at"},
                    joined_at=ms.at if ms.status == MembershipStatus.ACTIVE else None,
                )
                for _, ms in self.latest("membership").values()
            ],
            # The first time a member became active stays their join date.
            keep={
                "joined_at": func.coalesce(
                    m.Membership.joined_at, insert(m.Membership).excluded.joined_at
                )
            },
        )
        members = self.latest("group_member")
        gone = [gid for gid, (_, gm) in members.items() if gm.deleted]
        if gone:
            await session.execute(delete(m.GroupMember).where(m.GroupMember.id.in_(gone)))
        await upsert(
            m.GroupMember,
            [
                gm.columns("id", team_id=self.known.groups[gm.group])
                for _, gm in members.values()
                if not gm.deleted
            ],
        )
        await upsert(
            m.ApiLink,
            [
                a.columns("id", team_id=self.known.elements[a.api].team_id)
                for _, a in self.latest("api_link").values()
            ],
        )
        grants = self.latest("grant")
        revoked = [gid for gid, (_, g) in grants.items() if g.deleted]
        if revoked:
            await session.execute(delete(m.Grant).where(m.Grant.id.in_(revoked)))
        granted = []
        for _, g in grants.values():
            if g.deleted:
                continue
            resource_type = _resource_type(g, self.known)
            team_id = (
                self.known.workspaces[g.resource]
                if resource_type == ResourceType.WORKSPACE
                else self.known.elements[g.resource].team_id
            )
            granted.append(
                g.columns(
                    "id",
                    {"subject": "subject_id", "resource": "resource_id"},
                    team_id=team_id,
                    resource_type=resource_type,
                )
            )
        await upsert(m.Grant, granted)

        for record_type, model in _APPEND_ONLY_FACTS.items():
            await insert_new(
                model, [f.columns("ext_id") for _, f in self.first(record_type).values()]
            )
        # Findings and alerts are facts whose later version may only resolve them;
        # a first resolution is also recorded as a fact of its own (before the
        # update, which would hide that it is the first).
        await self._record_resolutions(
            connection, "FINDING", m.SecurityFinding, "security_finding", "element", "rule"
        )
        await self._record_resolutions(
            connection, "TOKEN_ALERT", m.TokenAlert, "token_alert", "workspace", "token_type"
        )
        for record_type, model in (
            ("security_finding", m.SecurityFinding),
            ("token_alert", m.TokenAlert),
        ):
            await upsert(
                model,
                [f.columns("ext_id") for _, f in self.latest(record_type).values()],
                key="ext_id",
                keep=_only_resolve(insert(model), model),
            )
        # An invoice moves from open to paid: its later version wins.
        await upsert(
            m.Invoice,
            [i.columns("ext_id") for _, i in self.latest("invoice").values()],
            key="ext_id",
        )
        audit_rows = []
        for _, a in self.first("audit_event").values():
            actor = self.known.users[a.actor]
            audit_rows.append(
                a.columns(
                    "ext_id",
                    category=ACTIONS[a.action].category.value,
                    actor_name=actor.name,
                    actor_username=actor.username,
                    actor_email=actor.email,
                )
            )
        # Ordered by timestamp so a batch's eventIds follow its events' order.
        audit_rows.sort(key=lambda row: row["at"])
        await insert_new(m.AuditEvent, audit_rows)
        await announce_audit_events(session, {row["team_id"] for row in audit_rows})


_PLAIN_ENTITIES: dict[str, Any] = {
    "team": m.Team,
    "user": m.User,
    "workspace": m.Workspace,
    "group": m.Group,
}
_APPEND_ONLY_FACTS: dict[str, Any] = {
    "request": m.RequestEvent,
    "test_run": m.TestRun,
    "monitor_run": m.MonitorRun,
    "content_event": m.ContentEvent,
    "public_stat": m.PublicStat,
    "usage": m.UsageRecord,
    "seat_change": m.SeatChange,
}


def _only_resolve(stmt: Any, model: Any) -> dict[str, Any]:
    """On a re-sent finding or alert, change nothing but a newly given `resolved_at`."""
    keep = {c.key: getattr(model, c.key) for c in model.__table__.columns if c.key != "seq"}
    keep["resolved_at"] = func.coalesce(stmt.excluded.resolved_at, model.resolved_at)
    return keep


_REFERENCE_KINDS = {
    "team": "team",
    "user": "user",
    "invited_by": "user",
    "created_by": "user",
    "actor": "user",
    "group": "group",
    "workspace": "workspace",
    "element": "element",
    "api": "element",
    "collection": "element",
    "monitor": "element",
}
# Per record type, the fields that name other entities (a team line's own id is not one).
_REFERENCE_FIELDS: dict[str, tuple[str, ...]] = {
    model.model_fields["type"].annotation.__args__[0]: tuple(  # type: ignore[union-attr]
        name for name in model.model_fields if name in _REFERENCE_KINDS
    )
    for model in r.RECORD_MODELS
}
_REFERENCE_FIELDS["team"] = ()
_REFERENCE_FIELDS["grant"] = ("subject", "subject_type", "resource", "resource_type")


def _references(rec: Any) -> list[tuple[str, str]]:
    """(kind, id) of every entity a record names."""
    if rec.type == "grant":
        subject_kind = "user" if rec.subject_type == SubjectType.USER else "group"
        return [("workspace", rec.resource), ("element", rec.resource), (subject_kind, rec.subject)]
    refs = []
    for name in _REFERENCE_FIELDS[rec.type]:
        value = getattr(rec, name)
        if value is not None:
            refs.append((_REFERENCE_KINDS[name], value))
    return refs


def _reference_key(rec: Any) -> tuple[Any, ...]:
    """Everything `_reference_problems` reads: records with equal keys have equal problems."""
    return (rec.type, *(getattr(rec, name) for name in _REFERENCE_FIELDS[rec.type]))


def _resource_type(grant: Any, known: Known) -> ResourceType:
    if grant.resource_type is not None:
        return ResourceType(grant.resource_type)
    return ResourceType.WORKSPACE if grant.resource in known.workspaces else ResourceType.ELEMENT


def _reference_problems(rec: Any, known: Known) -> list[str]:
    """Why the record's references do not hold, if they don't."""
    problems: list[str] = []
    team = getattr(rec, "team", None)

    def user(field: str) -> None:
        uid = getattr(rec, field, None)
        if uid is not None and uid not in known.users:
            problems.append(f"`{field}`: unknown user {uid!r}")

    def scoped(field: str, label: str, owner: str | None, rid: str, team_id: str | None) -> None:
        if owner is None:
            problems.append(f"`{field}`: unknown {label} {rid!r}")
        elif team_id is not None and owner != team_id:
            problems.append(f"`{field}`: {label} {rid!r} belongs to another team")

    def element(field: str, kinds: tuple[ElementKind, ...] = ()) -> None:
        eid = getattr(rec, field, None)
        if eid is None:
            return
        info = known.elements.get(eid)
        scoped(field, "element", info.team_id if info else None, eid, team)
        if info is not None and kinds and info.kind not in {k.value for k in kinds}:
            wanted = " or ".join(k.value for k in kinds)
            problems.append(f"`{field}`: element {eid!r} is of kind {info.kind}, not {wanted}")

    if rec.type != "team" and team is not None and team not in known.teams:
        problems.append(f"`team`: unknown team {team!r}")
    for field in ("user", "invited_by", "created_by", "actor"):
        user(field)
    if rec.type == "group_member":
        scoped("group", "group", known.groups.get(rec.group), rec.group, None)
    if rec.type in {"element", "token_alert", "public_stat"}:
        scoped("workspace", "workspace", known.workspaces.get(rec.workspace), rec.workspace, team)
    if rec.type == "api_link":
        element("api", (ElementKind.API,))
        api = known.elements.get(rec.api)
        team = api.team_id if api else None
        element("collection", (ElementKind.COLLECTION,))
    if rec.type in {"request", "test_run", "element"}:
        element("collection", (ElementKind.COLLECTION,))
    if rec.type == "request":
        element("api", (ElementKind.API,))
    if rec.type == "monitor_run":
        element("monitor", (ElementKind.MONITOR,))
    if rec.type in {"content_event", "security_finding"}:
        element("element")
    if rec.type == "grant":
        in_ws, in_el = rec.resource in known.workspaces, rec.resource in known.elements
        wanted_type = rec.resource_type
        if wanted_type is None and in_ws and in_el:
            problems.append(
                f"`resource`: {rec.resource!r} names both a workspace and an "
                "element; add `resource_type`"
            )
            return problems
        if wanted_type == ResourceType.WORKSPACE or (wanted_type is None and in_ws):
            team = known.workspaces.get(rec.resource)
        elif wanted_type == ResourceType.ELEMENT or (wanted_type is None and in_el):
            info = known.elements.get(rec.resource)
            team = info.team_id if info else None
        if team is None:
            problems.append(f"`resource`: unknown workspace or element {rec.resource!r}")
        elif rec.subject_type == SubjectType.USER:
            user("subject")
        else:
            scoped("subject", "group", known.groups.get(rec.subject), rec.subject, team)
    return problems


async def ingest_lines(
    sessionmaker: async_sessionmaker[AsyncSession], lines: Iterable[str | bytes]
) -> IngestResult:
    """Check and write one batch. Raises `BatchRejected` (nothing written) on any bad line."""
    parsed, errors = parse_lines(lines)
    batch = _Batch(parsed)
    async with sessionmaker() as session, session.begin():
        errors += await batch.check(session)
        if errors:
            raise BatchRejected(errors)
        try:
            await batch.write(session)
        except IntegrityError as exc:
            # The checks above should catch every conflict; if one slips
            # through, the batch is still refused whole, with a reason.
            reason = str(exc.orig).splitlines()[0] if exc.orig else "integrity error"
            raise BatchRejected([LineError(0, f"conflicts with stored data: {reason}")]) from exc
    counts = Counter(rec.type for _, rec in parsed)  # type: ignore[attr-defined]
    return IngestResult(lines=len(parsed), counts=dict(sorted(counts.items())))
