"""Every record type ingest takes, declared once: the one table validation and writing read.

A `RecordSpec` says what a line of one type is (its pydantic model), where it
goes (table and key), how it is written (inserted once or upserted), which
entities it names (checked before anything is written), and what it feeds
besides its own table (resolution facts, the live audit feed); the summary
tables that count a fact read its table themselves (`refresh/summaries.py`).
`SPECS` lists the types in the order they are written, each after every type
it names (checked on import), which is also the order error messages list them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from operator import itemgetter
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.db import models as m
from graphql_api.domain.audit_actions import ACTIONS
from graphql_api.domain.enums import ElementKind, MembershipStatus, SubjectType
from graphql_api.ingest import records as r
from graphql_api.ingest.batch import Batch
from graphql_api.ingest.conflicts import membership_conflicts, slug_conflicts
from graphql_api.ingest.outcome import LineError
from graphql_api.ingest.references import Kind, Known, Ref, Reference, WorkspaceOrElement

Row = dict[str, Any]
# A rule across a batch's lines and the stored rows.
BatchCheck = Callable[[Batch, AsyncSession], Awaitable[list[LineError]]]


class Write(Enum):
    """How a record reaches its table."""

    # The first line for an id counts; a re-send, in the batch or later, is a no-op.
    INSERT_ONCE = "insert once"
    # The latest line for an id wins, in the batch and over the stored row.
    UPSERT = "upsert"


@dataclass(frozen=True)
class Resolution:
    """A fact a later line may resolve. Its first resolution is also written as a fact
    of its own (`m.Resolution`), which the daily summaries count."""

    kind: str
    # The record fields naming what the fact is about, labelling and grading it.
    subject: str
    label: str
    severity: str | None = None


@dataclass(frozen=True)
class RecordSpec:
    """Everything ingest knows about one record type."""

    model: type[r.Record]
    table: Any
    # The column the record's `id` is stored in.
    key: str
    write: Write
    # The entities a line names, checked in this order.
    references: tuple[Reference, ...] = ()
    # Lines, of this batch and later ones, may name records of this type as this kind.
    defines: Kind | None = None
    # An entity that may be updated but never moved to another team.
    stays_in_team: bool = False
    # Rules across the batch's lines and the stored rows (uniqueness).
    checks: tuple[BatchCheck, ...] = ()
    # Fields stored in a column named otherwise than `records.column_of` says.
    rename: dict[str, str] | None = None
    # Columns computed from the checked record and the entities it names.
    computed: Callable[[Any, Known], Row] | None = None
    # On upsert, (model, excluded) -> the columns that take other than the new value.
    keep: Callable[[Any, Any], Row] | None = None
    # The rows are written in this order.
    row_order: Callable[[Row], Any] | None = None
    resolution: Resolution | None = None
    # Written rows wake the live audit feed of their teams.
    announces: bool = False

    @property
    def type(self) -> str:
        """The `type` its lines carry."""
        return r.record_type(self.model)

    @property
    def deletable(self) -> bool:
        """A line with `deleted: true` deletes the stored row."""
        return "deleted" in self.model.model_fields

    @cached_property
    def reads(self) -> tuple[str, ...]:
        """Every field the reference checks read: equal values, equal problems."""
        return tuple(dict.fromkeys(name for ref in self.references for name in ref.reads))

    @cached_property
    def team_ref(self) -> Reference | None:
        """The reference whose entity's team the record is in, if it has no `team`."""
        return next((ref for ref in self.references if ref.gives_team), None)


def _joined_at(membership: Any, known: Known) -> Row:
    return {"joined_at": membership.at if membership.status == MembershipStatus.ACTIVE else None}


def _first_join(model: Any, excluded: Any) -> Row:
    """The first time a member became active stays their join date."""
    return {"joined_at": func.coalesce(model.joined_at, excluded.joined_at)}


def _only_resolve(model: Any, excluded: Any) -> Row:
    """On a re-sent finding or alert, change nothing but a newly given `resolved_at`."""
    keep = {c.key: getattr(model, c.key) for c in model.__table__.columns if c.key != "seq"}
    keep["resolved_at"] = func.coalesce(excluded.resolved_at, model.resolved_at)
    return keep


def _actor(event: Any, known: Known) -> Row:
    actor = known.users[event.actor]
    return {
        "category": ACTIONS[event.action].category.value,
        "actor_name": actor.name,
        "actor_username": actor.username,
        "actor_email": actor.email,
    }


_TEAM = Ref("team", "team")
_USER = Ref("user", "user")
_WORKSPACE = Ref("workspace", "workspace")
_ELEMENT = Ref("element", "element")
_COLLECTION = Ref("collection", "element", (ElementKind.COLLECTION,))
_API = Ref("api", "element", (ElementKind.API,))
_GRANT_RESOURCE = WorkspaceOrElement("resource", kind_field="resource_type")


def _grant_resource_type(grant: Any, known: Known) -> Row:
    return {"resource_type": _GRANT_RESOURCE.resource_type(grant, known)}


def _entity(model: type[r.Record], table: Any, *refs: Reference, **more: Any) -> RecordSpec:
    """An entity: stored under its `id`, upserted."""
    return RecordSpec(model, table, "id", Write.UPSERT, refs, **more)


def _fact(
    model: type[r.Record],
    table: Any,
    *refs: Reference,
    write: Write = Write.INSERT_ONCE,
    **more: Any,
) -> RecordSpec:
    """A fact: stored under `ext_id`, inserted once unless `write` says otherwise."""
    return RecordSpec(model, table, "ext_id", write, refs, **more)


SPECS: dict[str, RecordSpec] = {
    spec.type: spec
    for spec in (
        _entity(r.TeamRecord, m.Team, defines="team", checks=(slug_conflicts,)),
        _entity(r.UserRecord, m.User, defines="user"),
        _entity(
            r.MembershipRecord,
            m.Membership,
            _TEAM,
            _USER,
            Ref("invited_by", "user"),
            checks=(membership_conflicts,),
            rename={"at": "status_at"},
            computed=_joined_at,
            keep=_first_join,
        ),
        _entity(r.GroupRecord, m.Group, _TEAM, defines="group", stays_in_team=True),
        _entity(r.GroupMemberRecord, m.GroupMember, Ref("group", "group", gives_team=True), _USER),
        _entity(r.WorkspaceRecord, m.Workspace, _TEAM, defines="workspace", stays_in_team=True),
        _entity(
            r.ElementRecord,
            m.Element,
            _TEAM,
            _WORKSPACE,
            Ref("created_by", "user"),
            _COLLECTION,
            defines="element",
            stays_in_team=True,
            rename={"at": "created_at"},
            # Monitors and mocks after the collections they may name.
            row_order=lambda row: row["collection_id"] is not None,
        ),
        _entity(
            r.ApiLinkRecord,
            m.ApiLink,
            Ref("api", "element", (ElementKind.API,), gives_team=True),
            _COLLECTION,
        ),
        _entity(
            r.GrantRecord,
            m.Grant,
            _GRANT_RESOURCE,
            Ref("subject", "user", when=("subject_type", SubjectType.USER)),
            Ref("subject", "group", when=("subject_type", SubjectType.GROUP)),
            rename={"subject": "subject_id", "resource": "resource_id"},
            computed=_grant_resource_type,
        ),
        _fact(r.RequestRecord, m.RequestEvent, _TEAM, _USER, _COLLECTION, _API),
        _fact(r.TestRunRecord, m.TestRun, _TEAM, _COLLECTION),
        _fact(
            r.MonitorRunRecord,
            m.MonitorRun,
            _TEAM,
            Ref("monitor", "element", (ElementKind.MONITOR,)),
        ),
        _fact(r.ContentEventRecord, m.ContentEvent, _TEAM, _USER, _ELEMENT),
        _fact(
            r.SecurityFindingRecord,
            m.SecurityFinding,
            _TEAM,
            _ELEMENT,
            write=Write.UPSERT,
            keep=_only_resolve,
            resolution=Resolution("FINDING", subject="element", label="rule", severity="severity"),
        ),
        _fact(
            r.TokenAlertRecord,
            m.TokenAlert,
            _TEAM,
            _WORKSPACE,
            write=Write.UPSERT,
            keep=_only_resolve,
            resolution=Resolution("TOKEN_ALERT", subject="workspace", label="token_type"),
        ),
        _fact(r.PublicStatRecord, m.PublicStat, _TEAM, _WORKSPACE),
        # An invoice moves from open to paid: its later version wins.
        _fact(r.InvoiceRecord, m.Invoice, _TEAM, write=Write.UPSERT),
        _fact(r.UsageRecord, m.UsageRecord, _TEAM),
        _fact(r.SeatChangeRecord, m.SeatChange, _TEAM),
        _fact(
            r.AuditEventRecord,
            m.AuditEvent,
            _TEAM,
            Ref("actor", "user"),
            computed=_actor,
            # By timestamp, so that a batch's eventIds follow its events' order.
            row_order=itemgetter("at"),
            announces=True,
        ),
    )
}
RECORD_TYPES: tuple[str, ...] = tuple(SPECS)


def _named_before(specs: dict[str, RecordSpec]) -> None:
    """Each type is written after the types it names (an element may name an element)."""
    defined: set[str] = set()
    for spec in specs.values():
        if spec.defines is not None:
            defined.add(spec.defines)
        for ref in spec.references:
            missing = set(ref.kinds) - defined
            if missing:
                raise AssertionError(f"{spec.type} names {missing} before they are written")


_named_before(SPECS)
