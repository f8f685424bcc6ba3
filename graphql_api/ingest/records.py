"""The shape of each ingest line (docs/ingest.md#record-types), checked strictly by pydantic.

What ingest does with each shape (its key, how it is written, what it names)
is declared once, in `graphql_api.ingest.specs`.

Strict mode: a number sent as a string, an unknown field or a timestamp
without an offset is an error, not a guess. Every value must also fit where it
is stored (graphql_api.domain.inputs): numbers their column, instants the
window below, text its column and no NUL, `data` a bounded JSON document.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from graphql_api.domain import inputs
from graphql_api.domain.audit_actions import action_from_label
from graphql_api.domain.enums import (
    ApiRelation,
    ContentAction,
    ElementKind,
    GrantRole,
    InvoiceStatus,
    MembershipStatus,
    Plan,
    RequestSource,
    ResourceType,
    Severity,
    SubjectType,
    TeamRole,
    UsageResource,
    Visibility,
)

# The window of ingested instants and dates. Earlier ones are unset clocks
# (Go's zero time is 0001-01-01); the year of headroom at the end keeps every
# day, week and time zone around a stored instant representable.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9998, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
MESSAGE_MAX_LENGTH = 10_000
# An audit event's `data`: Postman's nest three or four levels and stay small.
DATA_MAX_DEPTH = 32
DATA_MAX_BYTES = 64 * 1024


def _bounded_json(value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
    return inputs.check_json(
        info.field_name or "data", value, max_depth=DATA_MAX_DEPTH, max_bytes=DATA_MAX_BYTES
    )


Id = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
# Counts are stored in 32-bit INTEGER columns.
Count = Annotated[int, Field(ge=0, le=inputs.INT32_MAX)]
# Quantities and amounts are BIGINT and summed per day and month: keeping each
# within what JSON clients read exactly keeps the sums far from 64 bits.
BigCount = Annotated[int, Field(ge=0, le=inputs.JSON_SAFE_INT_MAX)]
Amount = Annotated[int, Field(ge=-inputs.JSON_SAFE_INT_MAX, le=inputs.JSON_SAFE_INT_MAX)]
# Bounds pydantic checks itself (offsets taken into account): no Python call on
# the hot path, and nothing outside them reaches the UTC conversion that overflows.
Instant = Annotated[AwareDatetime, Field(ge=EARLIEST, le=LATEST)]
Day = Annotated[date, Field(ge=EARLIEST.date(), le=LATEST.date())]


# A reference field names its column with an `_id` suffix; `at` is the
# moment a fact happened, or when an element was created or a status changed.
_COLUMN_OF = {
    "team": "team_id", "user": "user_id", "group": "group_id", "workspace": "workspace_id",
    "element": "element_id", "api": "api_id", "collection": "collection_id",
    "monitor": "monitor_id", "actor": "actor_id", "created_by": "created_by_id",
    "invited_by": "invited_by_id",
}  # fmt: skip
_NOT_COLUMNS = frozenset({"type", "id", "deleted"})


class Record(BaseModel):
    """Fields every line has."""

    # Enum fields hold their values (plain strings): rows are then a copy of
    # the fields, the hot path of ingest.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, use_enum_values=True)

    id: Id

    def columns(
        self, id_column: str, rename: dict[str, str] | None = None, **extra: Any
    ) -> dict[str, Any]:
        """The record as a table row: references renamed, enums as their values, `extra` added."""
        names = _COLUMN_OF if rename is None else {**_COLUMN_OF, **rename}
        row: dict[str, Any] = {id_column: self.id}
        for name, value in self.__dict__.items():
            if name not in _NOT_COLUMNS:
                row[names.get(name, name)] = value
        row.update(extra)
        return row


class TeamRecord(Record):
    type: Literal["team"]
    name: Name
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")]
    plan: Plan


class UserRecord(Record):
    type: Literal["user"]
    name: Name
    username: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+$", max_length=254)]
    timezone: str | None = None

    @field_validator("timezone")
    @classmethod
    def _iana(cls, value: str | None) -> str | None:
        return None if value is None else inputs.check_time_zone("timezone", value)


class MembershipRecord(Record):
    type: Literal["membership"]
    team: Id
    user: Id
    roles: Annotated[list[TeamRole], Field(max_length=len(TeamRole))]
    status: MembershipStatus
    at: Instant
    invited_by: Id | None = None


class GroupRecord(Record):
    type: Literal["group"]
    team: Id
    name: Name
    roles: Annotated[list[TeamRole], Field(max_length=len(TeamRole))] = []


class GroupMemberRecord(Record):
    type: Literal["group_member"]
    group: Id
    user: Id
    deleted: bool = False


class WorkspaceRecord(Record):
    type: Literal["workspace"]
    team: Id
    name: Name
    visibility: Visibility


class ElementRecord(Record):
    type: Literal["element"]
    team: Id
    workspace: Id
    kind: ElementKind
    name: Name
    created_by: Id | None = None
    at: Instant
    # A monitor's or mock server's collection (what it runs or mocks).
    collection: Id | None = None

    @model_validator(mode="after")
    def _collection_only_for_runners(self) -> ElementRecord:
        if self.collection is not None and self.kind not in ("MONITOR", "MOCK_SERVER"):
            raise ValueError("`collection` is only for MONITOR and MOCK_SERVER elements")
        return self


class ApiLinkRecord(Record):
    type: Literal["api_link"]
    api: Id
    collection: Id
    relation: ApiRelation


class GrantRecord(Record):
    type: Literal["grant"]
    subject: Id
    subject_type: SubjectType
    resource: Id
    # Workspaces and elements may share an id; say which when they do.
    resource_type: ResourceType | None = None
    role: GrantRole | None = None
    deleted: bool = False

    @model_validator(mode="after")
    def _role_unless_deleted(self) -> GrantRecord:
        if self.role is None and not self.deleted:
            raise ValueError("`role` is required unless `deleted` is true")
        return self


class RequestRecord(Record):
    type: Literal["request"]
    team: Id
    at: Instant
    user: Id
    source: RequestSource
    collection: Id | None = None
    api: Id | None = None
    method: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,10}$")]
    status: Annotated[int, Field(ge=100, le=599)]
    response_time_ms: Count
    response_size_bytes: Count


class TestRunRecord(Record):
    type: Literal["test_run"]
    team: Id
    at: Instant
    source: RequestSource
    collection: Id
    passed: Count
    failed: Count


class MonitorRunRecord(Record):
    type: Literal["monitor_run"]
    team: Id
    at: Instant
    monitor: Id
    success: bool
    response_time_ms: Count


class ContentEventRecord(Record):
    type: Literal["content_event"]
    team: Id
    at: Instant
    user: Id
    element: Id
    action: ContentAction


class SecurityFindingRecord(Record):
    type: Literal["security_finding"]
    team: Id
    at: Instant
    element: Id
    rule: Name
    severity: Severity
    resolved_at: Instant | None = None


class TokenAlertRecord(Record):
    type: Literal["token_alert"]
    team: Id
    at: Instant
    workspace: Id
    token_type: Name
    resolved_at: Instant | None = None


class PublicStatRecord(Record):
    type: Literal["public_stat"]
    team: Id
    at: Instant
    workspace: Id
    views: Count
    watches: Count
    forks: Count


class InvoiceRecord(Record):
    type: Literal["invoice"]
    team: Id
    at: Instant
    number: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    period_start: Day
    period_end: Day
    amount_cents: Amount
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    status: InvoiceStatus

    @model_validator(mode="after")
    def _period_in_order(self) -> InvoiceRecord:
        if self.period_end < self.period_start:
            raise ValueError("`period_end` is before `period_start`")
        return self


class UsageRecord(Record):
    type: Literal["usage"]
    team: Id
    at: Instant
    resource: UsageResource
    quantity: BigCount


class SeatChangeRecord(Record):
    type: Literal["seat_change"]
    team: Id
    at: Instant
    seats: Count


class AuditEventRecord(Record):
    type: Literal["audit_event"]
    team: Id
    at: Instant
    action: Name
    actor: Id
    ip: Annotated[str, StringConstraints(max_length=64)] | None = None
    user_agent: Annotated[str, StringConstraints(max_length=512)] | None = None
    message: Annotated[str, StringConstraints(min_length=1, max_length=MESSAGE_MAX_LENGTH)]
    data: Annotated[dict[str, Any], AfterValidator(_bounded_json)] | None = None

    @field_validator("action")
    @classmethod
    def _known_action(cls, value: str) -> str:
        info = action_from_label(value)
        if info is None:
            raise ValueError(
                f"unknown audit action {value!r} (give a display name such as "
                "'Added Team Member' or a dotted code such as 'team.add_member')"
            )
        return info.name


def record_type(model: type[Record]) -> str:
    """The `type` tag of a record model."""
    return get_args(model.model_fields["type"].annotation)[0]


def column_of(field: str) -> str:
    """The column a record field is stored in (before any per-type renaming)."""
    return _COLUMN_OF.get(field, field)
