"""Every GraphQL error leaves with a code; unexpected ones are masked and logged once."""

from __future__ import annotations

import logging

from graphql import GraphQLError

from graphql_api.errors import ApiError, ErrorCode

log = logging.getLogger("graphql_api.errors")

INTERNAL_MESSAGE = "Internal server error."
DEPTH_MESSAGE_MARK = "exceeds maximum operation depth"
ALIASES_MESSAGE_MARK = "aliases found. Allowed:"


def is_unexpected(error: GraphQLError) -> bool:
    """A bug or outage rather than something the client did."""
    original = error.original_error
    return original is not None and not isinstance(original, (ApiError, GraphQLError))


def _with_code(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, ApiError):
        message, extensions = original.message, dict(original.extensions)
    elif is_unexpected(error):
        message, extensions = INTERNAL_MESSAGE, {"code": ErrorCode.INTERNAL_SERVER_ERROR.value}
    else:
        # Parse and validation errors, and variables of the wrong type, are
        # the client's to fix.
        message = error.message
        code = (
            ErrorCode.QUERY_TOO_COMPLEX
            if DEPTH_MESSAGE_MARK in error.message or ALIASES_MESSAGE_MARK in error.message
            else ErrorCode.BAD_USER_INPUT
        )
        extensions = {"code": code.value, **(error.extensions or {})}
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def with_codes(errors: list[GraphQLError] | None) -> list[GraphQLError] | None:
    """The errors as the client sees them: a code on each, no internals in any message.

    Applied to every result on its way out (strawberry does not run an
    extension's end-of-operation hook for every early failure, e.g. syntax
    errors, so this is done where each response is built).
    """
    return None if errors is None else [_with_code(e) for e in errors]


def log_unexpected(errors: list[GraphQLError]) -> None:
    """Log each unexpected error once, with its traceback, for the operators (not the client)."""
    for error in errors:
        if is_unexpected(error):
            original = error.original_error
            assert original is not None
            log.error(
                "unexpected error at %s: %s",
                ".".join(str(p) for p in error.path or ()),
                original,
                exc_info=(type(original), original, original.__traceback__),
            )
