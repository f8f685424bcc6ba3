"""The API security report as GraphQL types."""

from __future__ import annotations

from datetime import date

import strawberry

from graphql_api.domain import enums as domain
from graphql_api.repositories.pagination import PageArgs
from graphql_api.repositories.reports.points import Series
from graphql_api.repositories.reports.ranges import DayRange, Granularity, point_days
from graphql_api.repositories.reports.security import SecurityOverview
from graphql_api.schema.context import Info
from graphql_api.schema.reports import connections, drilldowns
from graphql_api.schema.reports.enums import Severity
from graphql_api.schema.reports.types import DateRange


@strawberry.type(description="Open findings of one severity at the range's end.")
class SeverityCount:
    severity: Severity = strawberry.field(description="The severity.")
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


@strawberry.type(description="Findings found and resolved on one point of the trend.")
class FindingsPoint:
    date: date = strawberry.field(description="First day of the point (UTC).")
    found: int = strawberry.field(description="Found in the point.")
    resolved: int = strawberry.field(description="Resolved in the point.")
    open: int = strawberry.field(description="Open at the point's end.")
    days: strawberry.Private[DayRange]
    # Every point of the trend, so one batch loads all their drill-downs.
    series: strawberry.Private[Series | None] = None

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
    ) -> connections.ApiFindingsConnection:
        return await drilldowns.api_findings(
            info, self.days, self.series, PageArgs(first, after, last, before)
        )


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
    ) -> connections.ApiFindingsConnection:
        return await connections.api_findings(info, self.days, PageArgs(first, after, last, before))

    @classmethod
    def from_row(
        cls, row: SecurityOverview, days: DayRange, granularity: Granularity
    ) -> ApiSecurityReport:
        # Open findings are counted up to each point's end.
        points = [point_days(p.start, granularity, days) for p in row.trend]
        series = Series((point, None) for point in points)
        return cls(
            range=DateRange(from_=days.first, to=days.last),
            open_findings=sum(row.open_by_severity.values()),
            open_by_severity=[
                SeverityCount(severity=domain.Severity(s), count=n)
                for s, n in row.open_by_severity.items()
                if s
            ],
            found_in_range=row.found_in_range,
            resolved_in_range=row.resolved_in_range,
            by_rule=[
                RuleFindings(rule=rule, open=o, found=fd, resolved=r)
                for rule, (o, fd, r) in sorted(row.by_rule.items())
            ],
            trend=[
                FindingsPoint(
                    date=p.start,
                    found=p.found,
                    resolved=p.resolved,
                    open=p.open_at_end,
                    days=point,
                    series=series,
                )
                for p, point in zip(row.trend, points, strict=True)
            ],
            token_alerts=TokenAlertSummary(
                open=row.alerts_open,
                found=row.alerts_found,
                resolved=row.alerts_resolved,
                open_by_type=[
                    TokenTypeCount(token_type=t, open=n)
                    for t, n in sorted(row.alerts_open_by_type.items())
                ],
            ),
            days=days,
        )
