"""The API security report as GraphQL types."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from graphql_api.domain import enums as domain
from graphql_api.repositories.pagination import PageArgs
from graphql_api.repositories.reports.ranges import DayRange, Granularity, point_days
from graphql_api.repositories.reports.security import (
    SecurityOverview,
    api_findings_subquery,
    sorted_api_findings,
)
from graphql_api.schema.context import Info
from graphql_api.schema.describe import described_enum
from graphql_api.schema.directory.types import Api, element_from_row
from graphql_api.schema.paging import keyset_page
from graphql_api.schema.relay import KeysetConnection
from graphql_api.schema.reports.types import DateRange

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


@strawberry.type(description="Open findings of one severity at the range's end.")
class SeverityCount:
    severity: Severity = strawberry.field(description="The severity.")  # type: ignore[valid-type]
    count: int = strawberry.field(description="Open findings.")


@strawberry.type(description="Findings of one rule.")
class RuleFindings:
    rule: str = strawberry.field(description="The rule that found them.")
    open: int = strawberry.field(description="Open at the range's end.")
    found: int = strawberry.field(description="Found in the range.")
    resolved: int = strawberry.field(description="Resolved in the range.")


@strawberry.type(description="Open token-scanner alerts of one token type.")
class TokenTypeCount:
    token_type: str = strawberry.field(description="The kind of token exposed.")
    open: int = strawberry.field(description="Open alerts.")


@strawberry.type(description="Token-scanner alerts: secrets found exposed in workspaces.")
class TokenAlertSummary:
    open: int = strawberry.field(description="Open at the range's end.")
    found: int = strawberry.field(description="Raised in the range.")
    resolved: int = strawberry.field(description="Resolved in the range.")
    open_by_type: list[TokenTypeCount] = strawberry.field(description="Open alerts per type.")


@strawberry.type(
    description="An API ranked by open findings. When `restricted`, the API, its name and its "
    "counts are null; it still counts in the report's totals."
)
class ApiFindingsRow:
    restricted: bool = strawberry.field(description="The viewer cannot access this API.")
    api: Api | None = strawberry.field(description="The API; null when restricted.")
    name: str | None = strawberry.field(description="Its name; null when restricted.")
    open_findings: int | None = strawberry.field(description="Open findings.")
    critical: int | None = strawberry.field(description="Open CRITICAL findings.")
    high: int | None = strawberry.field(description="Open HIGH findings.")

    @classmethod
    def from_row(cls, row: Any) -> ApiFindingsRow:
        readable = bool(row.readable)

        def count(value: Any) -> int | None:
            return None if value is None else int(value)

        return cls(
            restricted=not readable,
            api=element_from_row(row) if readable else None,  # type: ignore[arg-type]
            name=row.name,
            open_findings=count(row.open_findings),
            critical=count(row.critical),
            high=count(row.high),
        )


@strawberry.type(description="A page of APIs ranked by open findings.")
class ApiFindingsConnection(KeysetConnection[ApiFindingsRow]):  # type: ignore[type-var]
    pass


@strawberry.type(description="Findings found and resolved on one point of the trend.")
class FindingsPoint:
    date: date = strawberry.field(description="First day of the point (UTC).")
    found: int = strawberry.field(description="Found in the point.")
    resolved: int = strawberry.field(description="Resolved in the point.")
    open: int = strawberry.field(description="Open at the point's end.")
    days: strawberry.Private[DayRange]

    @strawberry.field(
        description="Drill-down: APIs by findings open at this point's end; restricted ones "
        "masked and last."
    )
    async def apis(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ApiFindingsConnection:
        return await api_findings_connection(info, self.days, PageArgs(first, after, last, before))


@strawberry.type(
    description="Security findings and token alerts. Every count includes APIs the viewer "
    "cannot access; the ranking masks them."
)
class ApiSecurityReport:
    range: DateRange = strawberry.field(description="The days covered.")
    open_findings: int = strawberry.field(description="Findings open at the range's end.")
    open_by_severity: list[SeverityCount] = strawberry.field(description="Open per severity.")
    found_in_range: int = strawberry.field(description="Findings found in the range.")
    resolved_in_range: int = strawberry.field(description="Findings resolved in the range.")
    by_rule: list[RuleFindings] = strawberry.field(description="Findings per rule.")
    trend: list[FindingsPoint] = strawberry.field(description="Found, resolved and open.")
    token_alerts: TokenAlertSummary = strawberry.field(description="Token-scanner alerts.")
    days: strawberry.Private[DayRange]

    @strawberry.field(description="APIs by open findings, most first; restricted ones last.")
    async def apis_by_open_findings(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ApiFindingsConnection:
        rows = api_findings_subquery(info.context.viewer, self.days)
        statement, sort = sorted_api_findings(rows)
        fetched, count = await keyset_page(
            info, statement, sort, PageArgs(first, after, last, before)
        )
        return ApiFindingsConnection.from_page(fetched, ApiFindingsRow.from_row, count)

    @classmethod
    def build(
        cls, overview: SecurityOverview, days: DayRange, granularity: Granularity
    ) -> ApiSecurityReport:
        return cls(
            range=DateRange(from_=days.first, to=days.last),
            open_findings=sum(overview.open_by_severity.values()),
            open_by_severity=[
                SeverityCount(severity=domain.Severity(s), count=n)
                for s, n in overview.open_by_severity.items()
                if s
            ],
            found_in_range=overview.found_in_range,
            resolved_in_range=overview.resolved_in_range,
            by_rule=[
                RuleFindings(rule=rule, open=o, found=fd, resolved=r)
                for rule, (o, fd, r) in sorted(overview.by_rule.items())
            ],
            trend=[
                FindingsPoint(
                    date=p.start,
                    found=p.found,
                    resolved=p.resolved,
                    open=p.open_at_end,
                    # Open findings are counted up to the point's end.
                    days=point_days(p.start, granularity, days),
                )
                for p in overview.trend
            ],
            token_alerts=TokenAlertSummary(
                open=overview.alerts_open,
                found=overview.alerts_found,
                resolved=overview.alerts_resolved,
                open_by_type=[
                    TokenTypeCount(token_type=t, open=n)
                    for t, n in sorted(overview.alerts_open_by_type.items())
                ],
            ),
            days=days,
        )


async def api_findings_connection(
    info: Info, days: DayRange, args: PageArgs
) -> ApiFindingsConnection:
    """APIs by findings open at the end of `days`, restricted ones masked and last."""
    rows = api_findings_subquery(info.context.viewer, days)
    statement, sort = sorted_api_findings(rows)
    fetched, count = await keyset_page(info, statement, sort, args)
    return ApiFindingsConnection.from_page(fetched, ApiFindingsRow.from_row, count)
