"""Loading the rows behind global ids, with the viewer's rights applied.

A node of another team, or one that does not exist, is NOT_FOUND (we do not
confirm that it exists); an element or workspace of the viewer's team that
the viewer may not access is FORBIDDEN. Which loader serves which GraphQL type,
and which role or plan gate comes first, is the schema's node registry
(`graphql_api.schema.nodes`); here the types are plain names, for messages.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.viewer import Viewer
from graphql_api.domain import inputs
from graphql_api.domain.enums import ElementKind
from graphql_api.errors import ApiError, BadUserInput, Forbidden, NotFound
from graphql_api.repositories import directory
from graphql_api.repositories.api_keys import manageable_keys_by_ids
from graphql_api.repositories.audit import audit_events_by_ids
from graphql_api.repositories.billing import invoices_by_ext_ids
from graphql_api.repositories.export_jobs import own_jobs_by_ids

# (row or error) per requested id, in order.
Resolved = list[Any | ApiError]
Loader = Callable[[AsyncSession, Viewer, Sequence[str], datetime], Awaitable[Resolved]]


def _missing(type_name: str, node_id: str) -> NotFound:
    return NotFound(f"No {type_name} with id {node_id!r} in this team.")


async def teams(s: AsyncSession, v: Viewer, ids: Sequence[str], now: datetime) -> Resolved:
    """The viewer's own team; any other team id is NOT_FOUND."""
    out: Resolved = []
    for team_id in ids:
        row = await directory.team_by_id(s, team_id) if team_id == v.team_id else None
        out.append(row if row is not None else _missing("Team", team_id))
    return out


async def users(s: AsyncSession, v: Viewer, ids: Sequence[str], now: datetime) -> Resolved:
    """Users who are members of the viewer's team."""
    members = await directory.team_user_ids(s, v, ids)
    found = await directory.users_by_ids(s, [i for i in ids if i in members])
    return [found.get(i) or _missing("User", i) for i in ids]


async def memberships(s: AsyncSession, v: Viewer, ids: Sequence[str], now: datetime) -> Resolved:
    """Memberships of the viewer's team."""
    found = await directory.memberships_by_ids(s, v, ids)
    return [found.get(i) or _missing("Membership", i) for i in ids]


async def groups(s: AsyncSession, v: Viewer, ids: Sequence[str], now: datetime) -> Resolved:
    """Groups of the viewer's team."""
    found = await directory.groups_by_ids(s, v, ids)
    return [found.get(i) or _missing("Group", i) for i in ids]


def _guarded(type_name: str, found: dict[str, tuple[Any, bool]], ids: Sequence[str]) -> Resolved:
    out: Resolved = []
    for i in ids:
        if i not in found:
            out.append(_missing(type_name, i))
        elif not found[i][1]:
            out.append(Forbidden(f"You do not have access to {type_name} {i!r}."))
        else:
            out.append(found[i][0])
    return out


async def workspaces(s: AsyncSession, v: Viewer, ids: Sequence[str], now: datetime) -> Resolved:
    """Workspaces of the viewer's team; one the viewer cannot access is FORBIDDEN."""
    return _guarded("Workspace", await directory.workspaces_with_access(s, v, ids), ids)


def elements_of(kind: ElementKind, type_name: str) -> Loader:
    """The loader of one kind of element, `type_name` in its messages."""

    async def load(s: AsyncSession, v: Viewer, ids: Sequence[str], now: datetime) -> Resolved:
        found = await directory.elements_with_access(s, v, ids)
        # A global id names its type: an API id presented as a Collection is not found.
        found = {i: f for i, f in found.items() if f[0].kind == kind.value}
        return _guarded(type_name, found, ids)

    return load


NumberedLookup = Callable[[AsyncSession, Viewer, list[int], datetime], Awaitable[dict[int, Any]]]

# The largest id each numbered type's column holds (INTEGER is 32 bits on
# PostgreSQL; audit events are BIGINT there, and SQLite's INTEGER is 64 bits).
NUMBERED_ID_MAXIMUM = {
    "AuditEvent": inputs.INT64_MAX,
    "ApiKey": inputs.INT32_MAX,
    "ExportJob": inputs.INT32_MAX,
}


def numbered_id(type_name: str, node_id: str, argument: str = "id") -> int:
    """The number inside a numbered node's id: ASCII digits that fit its column.

    `str.isdigit()` also holds for "³" (which int() refuses) and "٣" (which
    int() reads as 3): either is BAD_USER_INPUT, never a lookup.
    """
    maximum = NUMBERED_ID_MAXIMUM[type_name]
    try:
        return inputs.parse_int(argument, node_id, minimum=0, maximum=maximum)
    except inputs.InvalidInput as exc:
        raise BadUserInput(
            f"Malformed id: a {type_name} id holds a number from 0 to {maximum} in ASCII "
            f"digits, got {inputs.excerpt(node_id)}.",
            argument=argument,
        ) from exc


def _numbered(type_name: str, lookup: NumberedLookup) -> Loader:
    """Nodes whose ids are numbers (events, keys, jobs); a malformed one is BAD_USER_INPUT."""

    async def load(s: AsyncSession, v: Viewer, ids: Sequence[str], now: datetime) -> Resolved:
        numeric: dict[str, int | ApiError] = {}
        for i in ids:
            try:
                numeric[i] = numbered_id(type_name, i)
            except ApiError as error:
                numeric[i] = error
        found = await lookup(s, v, [n for n in numeric.values() if isinstance(n, int)], now)
        out: Resolved = []
        for i in ids:
            number = numeric[i]
            if isinstance(number, ApiError):
                out.append(number)
            else:
                out.append(found[number] if number in found else _missing(type_name, i))
        return out

    return load


async def invoices(s: AsyncSession, v: Viewer, ids: Sequence[str], now: datetime) -> Resolved:
    """Invoices of the viewer's team, by their external ids."""
    found = await invoices_by_ext_ids(s, v, ids)
    return [found.get(i) or _missing("Invoice", i) for i in ids]


# Audit events within the team's retention; the viewer's own keys (every key of the
# team for an admin); the viewer's own export jobs.
audit_events = _numbered("AuditEvent", audit_events_by_ids)
api_keys = _numbered("ApiKey", lambda s, v, ids, now: manageable_keys_by_ids(s, v, ids))
export_jobs = _numbered("ExportJob", lambda s, v, ids, now: own_jobs_by_ids(s, v, ids))
