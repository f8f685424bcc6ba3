"""Inputs shared by the reports."""

from __future__ import annotations

from datetime import date

import strawberry

from graphql_api.schema.ordering import OrderDirection
from graphql_api.schema.reports.enums import (
    PublicWorkspaceOrderField,
    RangePreset,
    TeamApiOrderField,
)


@strawberry.input(
    description="A range of UTC days: a preset, or `from`/`to` (inclusive). Default: the last "
    "30 days."
)
class DateRangeInput:
    from_: date | None = strawberry.field(
        name="from", default=None, description="First day (UTC), included."
    )
    to: date | None = strawberry.field(default=None, description="Last day (UTC), included.")
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
