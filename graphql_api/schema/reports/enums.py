"""The reports' enums: ranges, series, sources, severities and what each table sorts by."""

from __future__ import annotations

from graphql_api.domain import enums as domain
from graphql_api.repositories.reports.members import MemberSort
from graphql_api.repositories.reports.public_workspaces import PublicWorkspaceSort
from graphql_api.repositories.reports.ranges import Granularity as DomainGranularity
from graphql_api.repositories.reports.ranges import RangePreset as DomainRangePreset
from graphql_api.repositories.reports.summary import EmptyReason as DomainEmptyReason
from graphql_api.repositories.reports.team_apis import TeamApiSort
from graphql_api.schema.describe import described_enum

RangePreset = described_enum(
    DomainRangePreset,
    "A range of whole UTC days ending today.",
    {
        "LAST_7_DAYS": "Today and the 6 days before it.",
        "LAST_30_DAYS": "Today and the 29 days before it.",
        "LAST_90_DAYS": "Today and the 89 days before it.",
    },
)
Granularity = described_enum(
    DomainGranularity,
    "How a series groups days.",
    {
        "DAY": "One point per UTC day.",
        "WEEK": "One point per week, starting on Monday.",
        "MONTH": "One point per calendar month.",
    },
)
RequestSource = described_enum(
    domain.RequestSource,
    "Where a request was sent from.",
    {
        "REQUEST_BUILDER": "Postman's request builder (what reports count by default).",
        "NEWMAN": "Newman, the command-line runner.",
        "COLLECTION_RUN": "A collection run.",
        "MONITOR": "A monitor run.",
    },
)
EmptyReason = described_enum(
    DomainEmptyReason,
    "Why a report has no data.",
    {
        "NOT_REFRESHED_YET": "The summaries have not been refreshed since data arrived.",
        "NO_LINKED_COLLECTION": "No collection is linked to the API.",
        "NO_REQUESTS": "No requests were sent in the range.",
        "ONLY_OTHER_SOURCES": "Requests were sent, but only from sources not selected "
        "(by default only the request builder counts; widen with `sources`).",
    },
)
TeamApiOrderField = described_enum(
    TeamApiSort,
    "What the Team APIs report can be sorted by. Rows without the figure (restricted, "
    "or no data) always come last.",
    {
        "NAME": "The API's name.",
        "REQUEST_COUNT": "Requests in the range.",
        "ERROR_RATE": "Share of requests answered 4xx or 5xx.",
        "AVG_RESPONSE_TIME": "Average response time.",
        "P95_RESPONSE_TIME": "95th percentile response time.",
        "UPTIME": "Monitor uptime.",
        "FAILED_TEST_RUNS": "Test runs with a failed test.",
    },
)
PublicWorkspaceOrderField = described_enum(
    PublicWorkspaceSort,
    "What public workspace metrics can be sorted by.",
    {
        "NAME": "The workspace's name.",
        "VIEWS": "Views in the range.",
        "WATCHERS": "New watchers in the range.",
        "FORKS": "Forks in the range.",
    },
)
MemberActivityOrderField = described_enum(
    MemberSort,
    "What the member list can be sorted by.",
    {
        "NAME": "The member's name.",
        "REQUEST_COUNT": "Requests sent in the range.",
        "LAST_ACTIVE": "The last day the member sent a request.",
    },
)
Severity = described_enum(
    domain.Severity,
    "How serious a security finding is.",
    {
        "LOW": "Low severity.",
        "MEDIUM": "Medium severity.",
        "HIGH": "High severity.",
        "CRITICAL": "Critical severity.",
    },
)
