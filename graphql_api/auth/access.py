"""Element access as SQL, so it applies before pagination and aggregation.

See docs/concepts.md#element-access-and-restricted-rows.

A member can access an element when its workspace is TEAM or PUBLIC, or the
member (directly or through a group) holds a grant on its workspace or on the
element itself. Team roles do not bypass this.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import Element, Grant, Workspace
from graphql_api.domain.enums import ResourceType, SubjectType, Visibility

OPEN_VISIBILITIES = (Visibility.TEAM.value, Visibility.PUBLIC.value)


def _held_by_viewer(viewer: Viewer) -> ColumnElement[bool]:
    held = and_(Grant.subject_type == SubjectType.USER.value, Grant.subject_id == viewer.user_id)
    if viewer.group_ids:
        held = or_(
            held,
            and_(
                Grant.subject_type == SubjectType.GROUP.value,
                Grant.subject_id.in_(viewer.group_ids),
            ),
        )
    return and_(Grant.team_id == viewer.team_id, held)


def workspace_readable(
    viewer: Viewer, workspace_id: ColumnElement[str] | InstrumentedAttribute[str]
) -> ColumnElement[bool]:
    """True where the workspace `workspace_id` is open (TEAM or PUBLIC, in the viewer's team)
    or the viewer holds a grant on it."""
    # Two uncorrelated IN lists, worked out once per statement (PostgreSQL hashes each
    # one): looked up row by row instead, they were three index probes per element and
    # most of a Team APIs page's time. The alias keeps the list whole when the outer
    # query is itself over workspaces.
    target = aliased(Workspace)
    open_workspaces = (
        select(target.id)
        .where(target.team_id == viewer.team_id, target.visibility.in_(OPEN_VISIBILITIES))
        .correlate(None)
    )
    return or_(
        workspace_id.in_(open_workspaces),
        workspace_id.in_(_granted(viewer, ResourceType.WORKSPACE)),
    )


def _granted(viewer: Viewer, resource_type: ResourceType) -> Select[str]:
    """The ids of the resources of `resource_type` the viewer holds a grant on."""
    return (
        select(Grant.resource_id)
        .where(_held_by_viewer(viewer), Grant.resource_type == resource_type.value)
        .correlate(None)
    )


def element_readable(viewer: Viewer, element: type[Element] = Element) -> ColumnElement[bool]:
    """The condition, on `element` rows, that the viewer may access them.

    Every query that returns or names elements filters (or masks) with this;
    it includes the team check, so it never admits another team's rows.
    """
    return and_(
        element.team_id == viewer.team_id,
        or_(
            workspace_readable(viewer, element.workspace_id),
            element.id.in_(_granted(viewer, ResourceType.ELEMENT)),
        ),
    )
