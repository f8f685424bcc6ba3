"""Public workspace metrics: views, watchers and forks per public workspace (every plan)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import func, literal, select

from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import DailyPublicStats, Workspace
from graphql_api.domain.enums import Visibility
from graphql_api.repositories.pagination import AnySelect, SortKey
from graphql_api.repositories.reports.ranges import DayRange, team_days
from graphql_api.repositories.reports.sorting import figure_sort


class PublicWorkspaceSort(StrEnum):
    NAME = "NAME"
    VIEWS = "VIEWS"
    WATCHERS = "WATCHERS"
    FORKS = "FORKS"


_COLUMN = {
    PublicWorkspaceSort.NAME: "name",
    PublicWorkspaceSort.VIEWS: "views",
    PublicWorkspaceSort.WATCHERS: "watchers",
    PublicWorkspaceSort.FORKS: "forks",
}


def public_workspace_subquery(viewer: Viewer, days: DayRange) -> Any:
    """One row per PUBLIC workspace of the team (anyone may see those), with its sums."""
    stats = (
        select(
            DailyPublicStats.workspace_id.label("workspace_id"),
            func.sum(DailyPublicStats.views).label("views"),
            func.sum(DailyPublicStats.watches).label("watchers"),
            func.sum(DailyPublicStats.forks).label("forks"),
        )
        .where(
            *team_days(DailyPublicStats, viewer.team_id, days),
        )
        .group_by(DailyPublicStats.workspace_id)
        .subquery()
    )
    return (
        select(
            Workspace.id.label("id"),
            Workspace.name.label("name"),
            Workspace.visibility.label("visibility"),
            func.coalesce(stats.c.views, literal(0)).label("views"),
            func.coalesce(stats.c.watchers, literal(0)).label("watchers"),
            func.coalesce(stats.c.forks, literal(0)).label("forks"),
        )
        .outerjoin(stats, stats.c.workspace_id == Workspace.id)
        .where(
            Workspace.team_id == viewer.team_id,
            Workspace.visibility == Visibility.PUBLIC.value,
        )
        .subquery("public_workspace_subquery")
    )


def sorted_public_rows(
    rows: Any, sort: PublicWorkspaceSort, descending: bool
) -> tuple[AnySelect, SortKey]:
    """The rows in report order for `sort`."""
    return figure_sort(
        rows,
        f"public_workspaces:{sort.value}",
        _COLUMN[sort],
        descending,
        text=sort is PublicWorkspaceSort.NAME,
    )


def public_workspace_count(viewer: Viewer) -> Any:
    """How many rows the report has."""
    return select(func.count()).where(
        Workspace.team_id == viewer.team_id, Workspace.visibility == Visibility.PUBLIC.value
    )
