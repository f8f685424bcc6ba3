"""The compiled operations a server knows, and answering a request with one."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import replace
from datetime import datetime
from typing import Any

from graphql import GraphQLError, GraphQLSchema, parse

from graphql_api.auth.viewer import Viewer
from graphql_api.compiled.answers import ReportAnswers
from graphql_api.compiled.audit_run import fetch, page_args
from graphql_api.compiled.checks import (
    NotCompiled,
    checked_price,
    remembered,
    written_variables,
)
from graphql_api.compiled.plans import compile_operation
from graphql_api.compiled.summary_run import fetch_summary
from graphql_api.compiled.team_apis_run import fetch_team_apis
from graphql_api.compiled.viewer_run import fetch_viewer
from graphql_api.compiled.writers import REPORT_ROOTS, Plan
from graphql_api.config import Settings
from graphql_api.db.base import utcnow
from graphql_api.db.faults import DATABASE_ERRORS, is_statement_timeout, is_unavailable
from graphql_api.db.request_sessions import RequestSessions
from graphql_api.repositories.cursors import CursorCodec
from graphql_api.schema.limits import operation_name

log = logging.getLogger("graphql_api.compiled")

Key = tuple[str, str | None]  # the document's text and the operation name asked for


class CompiledOperations:
    """Plans by document, bounded; a document that does not compile is remembered too."""

    def __init__(
        self,
        schema: GraphQLSchema,
        settings: Settings,
        *,
        needs_listener: bool,
        max_documents: int = 256,
    ):
        self.schema = schema
        # Strawberry's schema, which builds a resolver's argument objects.
        self.strawberry_schema: Any = getattr(schema, "_strawberry_schema", None)
        self.settings = settings
        self.max_documents = max_documents
        self._plans: OrderedDict[Key, Plan | None] = OrderedDict()
        self.served = 0
        # Report answers kept until what they were read from changes.
        self.answers = ReportAnswers(settings.report_cache_seconds, needs_listener=needs_listener)

    def known(self, key: Key) -> bool:
        """Whether `key` has been seen valid (compiled or not)."""
        return key in self._plans

    def plan(self, key: Key) -> Plan | None:
        """The plan of `key`, if it has one."""
        found = self._plans.get(key)
        if found is not None:
            self._plans.move_to_end(key)
        return found

    def learn(self, key: Key) -> None:
        """`key` was just answered without errors (so it is valid): compile it if we can."""
        if key in self._plans:
            return
        try:
            document = parse(key[0])
        except GraphQLError:
            return
        self._plans[key] = compile_operation(self.schema, document, key[1])
        while len(self._plans) > self.max_documents:
            self._plans.popitem(last=False)

    async def answer(
        self,
        key: Key,
        plan: Plan,
        variables: dict[str, Any],
        *,
        viewer: Viewer,
        sessions: RequestSessions,
        codec: CursorCodec,
        log_fields: dict[str, Any],
    ) -> dict[str, Any] | None:
        """The response body of `plan` (the plan of `key`) for this request, or None for
        strawberry to answer."""
        written = written_variables(variables)
        entry = plan.checked.entry(written)
        try:
            price = remembered(
                entry,
                "price",
                lambda: checked_price(
                    self.schema, plan.document, plan.operation_name, variables, self.settings
                ),
            )
            data = await self._data(
                key,
                plan,
                variables,
                entry,
                written=written,
                viewer=viewer,
                sessions=sessions,
                codec=codec,
            )
        except NotCompiled:
            return None
        except DATABASE_ERRORS as exc:
            # The executor words a database's refusal as the schema promises (a statement
            # timeout is a null field with TIMEOUT and HTTP 200, a database that is down
            # 503), so a plan never answers otherwise: it gets the request, and runs it
            # again. Anything else that fails here is a plan's fault, and logged.
            if not (is_statement_timeout(exc) or is_unavailable(exc)):
                log.warning("a compiled plan failed; the executor answers", exc_info=exc)
            return None
        log_fields["cost"] = price.cost
        log_fields["operation"] = operation_name(plan.document, plan.operation_name)
        self.served += 1
        return {
            "data": data,
            "extensions": {"cost": price.cost, "costLimit": self.settings.max_query_cost},
        }

    async def _data(
        self,
        key: Key,
        plan: Plan,
        variables: dict[str, Any],
        entry: dict[str, Any],
        *,
        written: bytes | None,
        viewer: Viewer,
        sessions: RequestSessions,
        codec: CursorCodec,
    ) -> dict[str, Any]:
        """The response's `data`: a report's from memory while what it was read from is
        unchanged (compiled/answers.py), else written from what the plan fetches.
        `written`: the variables as `written_variables` wrote them."""
        now = utcnow()
        kept = None
        if all(r.kind in REPORT_ROOTS for r in plan.roots) and self.answers.usable():
            kept = self.answers.key(key, written, now.date(), viewer)
        if kept is not None:
            found = self.answers.get(kept)
            if found is not None:
                return found
        versions = self.answers.versions()
        fetched = await self._fetch(
            plan, variables, entry, viewer=viewer, sessions=sessions, codec=codec, now=now
        )
        data: dict[str, Any] = plan.write(fetched)
        if kept is not None:
            self.answers.put(kept, data, versions)
        return data

    async def _fetch(
        self,
        plan: Plan,
        variables: dict[str, Any],
        entry: dict[str, Any],
        *,
        viewer: Viewer,
        sessions: RequestSessions,
        codec: CursorCodec,
        now: datetime,
    ) -> dict[str, Any]:
        """What each root of `plan` reads, by kind, and the refresh time; several roots
        read one snapshot. NotCompiled when any of them is not sure. `entry` holds what
        was worked out from these variables before (checks.Checked)."""
        fetched: dict[str, Any] = {"refreshed_at": None}
        if plan.root("viewer") is not None:  # alone in its plan
            fetched["viewer"] = await fetch_viewer(viewer=viewer, sessions=sessions)
            return fetched
        audit = plan.root("auditEvents")
        if audit is not None:
            args = remembered(
                entry, audit.kind, lambda: page_args(self.schema, plan, audit, variables)
            )
            fetched[audit.kind] = await fetch(
                plan,
                args,
                viewer=viewer,
                sessions=sessions,
                codec=codec,
                settings=self.settings,
                now=now,
            )
            return fetched
        several = len(plan.roots) > 1
        summary = plan.root("summary")
        if summary is not None:
            report = await fetch_summary(
                self.strawberry_schema,
                plan,
                summary,
                variables,
                entry,
                viewer=viewer,
                sessions=sessions,
                today=now.date(),
                several=several,
            )
            fetched[summary.kind] = report
            fetched["refreshed_at"] = report.refreshed_at
        team_apis = plan.root("teamApis")
        if team_apis is not None:
            page = await fetch_team_apis(
                self.strawberry_schema,
                plan,
                team_apis,
                variables,
                entry,
                viewer=viewer,
                sessions=sessions,
                codec=codec,
                settings=self.settings,
                today=now.date(),
                several=several,
                # The Summary's statement read the refresh time in the same snapshot.
                refreshed=plan.refreshed and summary is None,
            )
            if summary is not None:
                page = replace(page, refreshed_at=fetched["refreshed_at"])
            fetched[team_apis.kind] = page
            fetched["refreshed_at"] = page.refreshed_at
        return fetched


def request_key(payload: object) -> tuple[Key, dict[str, Any]] | None:
    """The document, operation name and variables of a decoded JSON body, or None for
    anything else (strawberry reads and checks it)."""
    if not isinstance(payload, dict) or not payload.keys() <= {
        "query",
        "variables",
        "operationName",
    }:
        return None
    query, name = payload.get("query"), payload.get("operationName")
    variables = payload.get("variables")
    variables = {} if variables is None else variables
    if not isinstance(query, str) or not isinstance(name, str | None):
        return None
    if not isinstance(variables, dict):
        return None
    return (query, name), variables
