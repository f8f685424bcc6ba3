"""All ORM models, imported here so `Base.metadata` knows every table."""

from graphql_api.db.models.audit import AuditEvent
from graphql_api.db.models.auth import ApiKey, ServiceToken
from graphql_api.db.models.billing import Invoice, SeatChange, UsageRecord
from graphql_api.db.models.directory import (
    ApiLink,
    Element,
    Grant,
    Group,
    GroupMember,
    Membership,
    Team,
    User,
    Workspace,
)
from graphql_api.db.models.facts import (
    ContentEvent,
    MonitorRun,
    PublicStat,
    RequestEvent,
    SecurityFinding,
    TestRun,
    TokenAlert,
)
from graphql_api.db.models.summary import (
    DailyApiRequests,
    DailyAuditActions,
    DailyContent,
    DailyMonitorRuns,
    DailyPublicStats,
    DailyRequests,
    DailyTeamRequests,
    DailyTestRuns,
    DailyUserRequests,
    RefreshState,
)

__all__ = [
    "ApiKey",
    "ApiLink",
    "AuditEvent",
    "ContentEvent",
    "DailyApiRequests",
    "DailyAuditActions",
    "DailyContent",
    "DailyMonitorRuns",
    "DailyPublicStats",
    "DailyRequests",
    "DailyTeamRequests",
    "DailyTestRuns",
    "DailyUserRequests",
    "Element",
    "Grant",
    "Group",
    "GroupMember",
    "Invoice",
    "Membership",
    "MonitorRun",
    "PublicStat",
    "RefreshState",
    "RequestEvent",
    "SeatChange",
    "SecurityFinding",
    "ServiceToken",
    "Team",
    "TestRun",
    "TokenAlert",
    "UsageRecord",
    "User",
    "Workspace",
]
