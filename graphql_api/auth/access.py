"""Element access as SQL, so it applies before pagination and aggregation.

See docs/concepts.md#element-access-and-restricted-rows.

A member can access an element when its workspace is TEAM or PUBLIC, or the
member (directly or through a group) holds a grant on its workspace or on the
element itself. Team roles do not bypass this.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_, select
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
    """True where the viewer holds a grant on the workspace `workspace_id` or it is open."""
    # An alias, so the lookup stays correct when the outer query is itself
    # over workspaces (a plain subquery would correlate away and match any row).
    target = aliased(Workspace)
    visibility = select(target.visibility).where(target.id == workspace_id).scalar_subquery()
    granted = exists().where(
        _held_by_viewer(viewer),
        Grant.resource_type == ResourceType.WORKSPACE.value,
        Grant.resource_id == workspace_id,
    )
    return or_(visibility.in_(OPEN_VISIBILITIES), granted)


def element_readable(viewer: Viewer, element: type[Element] = Element) -> ColumnElement[bool]:
    """The condition, on `element` rows, that the viewer may access them.

    Every query that returns or names elements filters (or masks) with this;
    it includes the team check, so it never admits another team's rows.
    """
    granted_element = exists().where(
        _held_by_viewer(viewer),
        Grant.resource_type == ResourceType.ELEMENT.value,
        Grant.resource_id == element.id,
    )
    return and_(
        element.team_id == viewer.team_id,
        or_(workspace_readable(viewer, element.workspace_id), granted_element),
    )
