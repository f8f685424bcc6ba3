"""Writing CSV that spreadsheets open safely: RFC 4180 quoting, no formula injection.

The standard library's `csv` module does the quoting (QUOTE_MINIMAL with CRLF
line ends is RFC 4180); this module adds only the escaping of cells that a
spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import json
from collections.abc import AsyncIterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

# Cells starting with these are formulas to Excel, LibreOffice and Sheets
# (OWASP's list: tab and carriage return too).
FORMULA_PREFIXES = frozenset("=+-@\t\r")


def _text(text: str) -> str:
    return "'" + text if text and text[0] in FORMULA_PREFIXES else text


def cell(value: Any) -> Any:
    """One value as the csv module should write it; formula-like text gets a `'` in front.

    Numbers and None pass through (the csv module writes them as digits and
    as an empty cell); a negative number is a number, not a formula.
    """
    kind = type(value)
    if kind is str:
        return _text(value)
    if value is None or kind is int or kind is float:
        return value
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return _text(json.dumps(value, separators=(",", ":"), ensure_ascii=False))
    return _text(str(value))


async def write_csv(path: Path, header: Sequence[str], rows: AsyncIterable[Sequence[Any]]) -> int:
    """Write `header` and every row to `path` (UTF-8) as they arrive; return the row count."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        async for row in rows:
            writer.writerow([cell(v) for v in row])
            count += 1
    return count
