"""Every GraphQL error leaves with a code; unexpected ones are masked and logged once."""

from __future__ import annotations

import logging
import re

from graphql import GraphQLError

from graphql_api.db.faults import is_statement_timeout, is_unavailable
from graphql_api.errors import ApiError, ErrorCode

log = logging.getLogger("graphql_api.errors")

INTERNAL_MESSAGE = "Internal server error."
TIMEOUT_MESSAGE = (
    "A database statement ran longer than the statement timeout and was stopped: ask for "
    "a shorter range, smaller pages or fewer fields."
)
UNAVAILABLE_MESSAGE = "The database is unavailable or busy; retry shortly."
# graphql-core's "Did you mean 'viewer'?" tells a prober the schema that production
# keeps to itself (introspection is off there).
_SUGGESTION = re.compile(r" Did you mean [^?]*\?")


def _fault_code(error: GraphQLError) -> ErrorCode | None:
    """TIMEOUT or SERVICE_UNAVAILABLE when the database stopped or failed the field."""
    original = error.original_error
    if original is None or isinstance(original, (ApiError, GraphQLError)):
        return None
    if is_statement_timeout(original):
        return ErrorCode.TIMEOUT
    if is_unavailable(original):
        return ErrorCode.SERVICE_UNAVAILABLE
    return None


def is_unexpected(error: GraphQLError) -> bool:
    """A bug rather than something the client did or a database fault."""
    original = error.original_error
    return (
        original is not None
        and not isinstance(original, (ApiError, GraphQLError))
        and _fault_code(error) is None
    )


def is_unavailable_error(error: GraphQLError) -> bool:
    """The error (as `with_codes` returns it) says the database is unavailable."""
    return (error.extensions or {}).get("code") == ErrorCode.SERVICE_UNAVAILABLE.value


def _with_code(error: GraphQLError, hide_suggestions: bool) -> GraphQLError:
    original = error.original_error
    fault = _fault_code(error)
    if isinstance(original, ApiError):
        message, extensions = original.message, dict(original.extensions)
    elif fault is ErrorCode.TIMEOUT:
        message, extensions = TIMEOUT_MESSAGE, {"code": fault.value}
    elif fault is ErrorCode.SERVICE_UNAVAILABLE:
        message, extensions = UNAVAILABLE_MESSAGE, {"code": fault.value}
    elif is_unexpected(error):
        message, extensions = INTERNAL_MESSAGE, {"code": ErrorCode.INTERNAL_SERVER_ERROR.value}
    else:
        # Parse and validation errors, and variables of the wrong type, are
        # the client's to fix; the limiters (schema/limits.py) code theirs
        # QUERY_TOO_COMPLEX, which overrides the default.
        message = error.message
        if hide_suggestions:
            message = _SUGGESTION.sub("", message)
        extensions = {"code": ErrorCode.BAD_USER_INPUT.value, **(error.extensions or {})}
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def with_codes(
    errors: list[GraphQLError] | None, *, hide_suggestions: bool = False
) -> list[GraphQLError] | None:
    """The errors as the client sees them: a code on each, no internals in any message
    (and, with `hide_suggestions`, no "Did you mean" naming parts of the schema).

    Applied to every result on its way out (strawberry does not run an
    extension's end-of-operation hook for every early failure, e.g. syntax
    errors, so this is done where each response is built).
    """
    return None if errors is None else [_with_code(e, hide_suggestions) for e in errors]


def log_unexpected(errors: list[GraphQLError]) -> None:
    """Log each unexpected error once, with its traceback, for the operators (not the client)."""
    for error in errors:
        fault = _fault_code(error)
        if fault is not None:
            # Operators need to know, but there is no bug to trace.
            log.warning("%s at %s: %s", fault.value, ".".join(map(str, error.path or ())), error)
        elif is_unexpected(error):
            original = error.original_error
            assert original is not None
            log.error(
                "unexpected error at %s: %s",
                ".".join(str(p) for p in error.path or ()),
                original,
                exc_info=(type(original), original, original.__traceback__),
            )
