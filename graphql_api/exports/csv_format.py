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
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """One value as CSV text; formula-like text is prefixed with `'` so it stays text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    else:
        text = str(value)
    if isinstance(value, int | float):
        return text  # a negative number is a number, not a formula
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


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
