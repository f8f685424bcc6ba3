"""Errors the API reports on purpose, each with its code.

See docs/concepts.md#errors-and-their-codes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    PLAN_REQUIRED = "PLAN_REQUIRED"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    RATE_LIMITED = "RATE_LIMITED"
    # The request ran out of time (a statement or the whole request): ask for less.
    TIMEOUT = "TIMEOUT"
    # The database cannot be reached or is saturated; retry after `Retry-After`.
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    # Automatic persisted queries: the hash is not known (send the document with it),
    # or the protocol version is not supported.
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
    # Trusted documents mode: the operation is not one the clients' builds registered.
    PERSISTED_QUERY_NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class ApiError(Exception):
    """An expected failure: its message is safe to show and it carries a code."""

    code: ErrorCode = ErrorCode.INTERNAL_SERVER_ERROR

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = {"code": self.code.value, **extensions}


class Unauthenticated(ApiError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(ApiError):
    code = ErrorCode.FORBIDDEN


class PlanRequired(ApiError):
    code = ErrorCode.PLAN_REQUIRED


class BadUserInput(ApiError):
    code = ErrorCode.BAD_USER_INPUT


class NotFound(ApiError):
    code = ErrorCode.NOT_FOUND


def error_body(code: ErrorCode, message: str, **extensions: Any) -> dict[str, Any]:
    """The JSON body of a non-GraphQL error response, shaped like a GraphQL error."""
    return {"errors": [{"message": message, "extensions": {"code": code.value, **extensions}}]}
