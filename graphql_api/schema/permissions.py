"""The role and plan gates, declared on the fields they guard.

A field lists its gates with `permission_classes=[...]`; strawberry runs them
before the resolver. A gate that refuses raises the error of `auth.gates`
(FORBIDDEN or PLAN_REQUIRED, with its extensions), so a gated nullable field
answers null with that code, as before the resolver would. Which fields must
declare a gate is checked by tests/schema/test_permissions.py.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any

from strawberry.extensions.field_extension import AsyncExtensionResolver
from strawberry.permission import BasePermission, PermissionExtension

from graphql_api.auth import gates
from graphql_api.auth.viewer import ANONYMOUS, Viewer
from graphql_api.errors import Unauthenticated
from graphql_api.schema.context import Info


class Gate(BasePermission):
    """A gate of `auth.gates` as a strawberry permission: raises when it refuses."""

    def check(self, viewer: Viewer) -> None:
        """Raise the gate's error unless `viewer` may read the field."""
        raise NotImplementedError

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        self.check(info.context.viewer)
        return True


class Subscriber(Gate):
    """A socket that has sent an API key: UNAUTHENTICATED otherwise. HTTP requests
    without one never reach the schema; a socket's key may come after the upgrade, in
    connection_init, so its subscriptions check that one came."""

    def check(self, viewer: Viewer) -> None:
        if viewer is ANONYMOUS:
            raise Unauthenticated("Send an API key before subscribing.")


class ReportReader(Gate):
    """Reports other than public workspace metrics: the ENTERPRISE plan."""

    def check(self, viewer: Viewer) -> None:
        gates.require_report_reader(viewer)


class MembersReportReader(Gate):
    """The Members overview: ENTERPRISE plan, and a SUPER_ADMIN or ADMIN role."""

    def check(self, viewer: Viewer) -> None:
        gates.require_members_report_reader(viewer)


class BillingReader(Gate):
    """Billing figures: SUPER_ADMIN, ADMIN or BILLING."""

    def check(self, viewer: Viewer) -> None:
        gates.require_billing_reader(viewer)


class AuditReader(Gate):
    """Audit events: PROFESSIONAL or ENTERPRISE plan, and a SUPER_ADMIN or ADMIN role."""

    def check(self, viewer: Viewer) -> None:
        gates.require_audit_reader(viewer)


class StreamGates(PermissionExtension):
    """The gates of a subscription, checked when its first event is awaited.

    Declared as `extensions=[StreamGates([...])]` rather than `permission_classes`:
    a refusal then ends the stream as the re-checks while it runs do (a `next`
    message holding the error, then `complete`), not with graphql-transport-ws's
    `error` message, which clients handle differently.
    """

    def __init__(self, permissions: list[BasePermission]) -> None:
        super().__init__(permissions, use_directives=False)

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, **kwargs: Any
    ) -> AsyncGenerator[Any, None]:
        return self._events(next_, source, info, kwargs)

    async def _events(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, kwargs: dict[str, Any]
    ) -> AsyncGenerator[Any, None]:
        # The gates run here, inside the stream, so that a refusal is its first result.
        events = await super().resolve_async(next_, source, info, **kwargs)
        async with aclosing(events):
            async for event in events:
                yield event
