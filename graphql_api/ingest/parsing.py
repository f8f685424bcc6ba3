"""Each line of a batch as its record, or as the reasons it was refused."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from functools import reduce
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from graphql_api.domain import inputs
from graphql_api.ingest.outcome import LineError
from graphql_api.ingest.records import Record
from graphql_api.ingest.specs import RECORD_TYPES, SPECS

# One model per record type, told apart by the `type` field.
_ANY_RECORD: Any = Annotated[
    reduce(operator.or_, (spec.model for spec in SPECS.values())),
    Field(discriminator="type"),
]
RECORD_ADAPTER: TypeAdapter[Record] = TypeAdapter(_ANY_RECORD)

# JSON can carry a NUL character only as this escape.
_NUL_ESCAPE = "\\u0000"
_NUL_ESCAPE_BYTES = _NUL_ESCAPE.encode()
# One line may break many rules (say, 10,000 unknown fields): its reason names a few.
_MAX_REASONS_PER_LINE = 5
_MAX_FIELD_SHOWN = 60


def parse_record(line: str | bytes) -> Record:
    """One line as its record. Raises pydantic's `ValidationError`, or `InvalidInput`
    for text no database can store."""
    record: Record = RECORD_ADAPTER.validate_json(line)
    # Only lines with the escape can hold a NUL: nearly all skip the walk.
    has_escape = _NUL_ESCAPE_BYTES in line if isinstance(line, bytes) else _NUL_ESCAPE in line
    if has_escape:
        for name, value in record.__dict__.items():
            if isinstance(value, str):
                inputs.check_text(name, value, max_length=len(value))
    return record


def parse_lines(lines: Iterable[str | bytes]) -> tuple[list[tuple[int, Record]], list[LineError]]:
    """Validate each non-blank line; return the good records (with line numbers) and the errors."""
    parsed: list[tuple[int, Record]] = []
    errors: list[LineError] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            parsed.append((number, parse_record(line)))
        except ValidationError as exc:
            errors.append(LineError(number, _reason(exc)))
        except inputs.InvalidInput as exc:
            errors.append(LineError(number, exc.message))
    return parsed, errors


def _reason(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    reasons = [_describe(dict(e)) for e in errors[:_MAX_REASONS_PER_LINE]]
    if len(errors) > _MAX_REASONS_PER_LINE:
        reasons.append(f"and {len(errors) - _MAX_REASONS_PER_LINE} more problems")
    return "; ".join(reasons)


def _describe(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error["loc"]]
    # Inside a record, pydantic's location starts with the record's type tag.
    if loc and loc[0] in RECORD_TYPES:
        loc = loc[1:]
    field = ".".join(loc)
    if len(field) > _MAX_FIELD_SHOWN:
        # An unknown field's name is the client's, of any length.
        field = field[:_MAX_FIELD_SHOWN] + "..."
    message = error["msg"]
    if error["type"] == "json_invalid":
        detail = error["ctx"].get("error", message)
        if "recursion limit" in detail:
            return f"malformed JSON: nested too deeply ({detail})"
        return f"malformed JSON: {detail}"
    if error["type"] == "union_tag_invalid":
        return f"unknown type {inputs.excerpt(error['ctx']['tag'])}; expected one of: " + ", ".join(
            RECORD_TYPES
        )
    if error["type"] == "union_tag_not_found":
        return "missing field `type`"
    if not loc and error["type"] in {"model_attributes_type", "dict_type", "model_type"}:
        return f"a line must be a JSON object with a `type`, got {_json_kind(error['input'])}"
    if error["type"] == "missing":
        return f"missing field `{field}`"
    if error["type"] == "extra_forbidden":
        return f"unknown field `{field}`"
    if isinstance(error.get("ctx", {}).get("error"), inputs.InvalidInput):
        # Our own checks name the field already.
        return str(error["ctx"]["error"].message)
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return f"`{field}`: {message}" if loc else message


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__
