"""The reports' inputs: the date range every report takes and each table's `orderBy`."""

from __future__ import annotations

from datetime import date

import strawberry

from graphql_api.schema.arguments import EARLIEST_DAY, LATEST_DAY
from graphql_api.schema.ordering import OrderDirection
from graphql_api.schema.reports.enums import (
    MemberActivityOrderField,
    PublicWorkspaceOrderField,
    RangePreset,
    TeamApiOrderField,
)

# The calendar report days are taken from.
_DAYS = f"between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}"


@strawberry.input(
    description="A range of UTC days: a preset, or `from`/`to` (inclusive). Default: the last "
    "30 days."
)
class DateRangeInput:
    from_: date | None = strawberry.field(
        name="from", default=None, description=f"First day (UTC), included; {_DAYS}."
    )
    to: date | None = strawberry.field(
        default=None, description=f"Last day (UTC), included; {_DAYS}."
    )
    preset: RangePreset | None = strawberry.field(
        default=None, description="A range ending today; not with `from`/`to`."
    )


@strawberry.input(description="How to sort the Team APIs report.")
class TeamApiOrder:
    field: TeamApiOrderField = strawberry.field(description="The figure to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Largest first by default."
    )


@strawberry.input(description="How to sort public workspace metrics.")
class PublicWorkspaceOrder:
    field: PublicWorkspaceOrderField = strawberry.field(description="The figure to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Largest first by default."
    )


@strawberry.input(description="How to sort the member list.")
class MemberActivityOrder:
    field: MemberActivityOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Smallest (or A) first by default."
    )
