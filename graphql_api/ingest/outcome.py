"""What a batch comes to: written (`IngestResult`) or refused, line by line (`BatchRejected`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class LineError:
    """Why one line of a batch was refused."""

    line: int
    reason: str


class BatchRejected(Exception):
    """The batch had bad lines; nothing was written."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(f"batch rejected: {len(errors)} bad line(s)")
        # Sorted, the errors read in line order whatever check found them.
        self.errors = sorted(errors)

    @property
    def bad_lines(self) -> int:
        """How many lines were refused (a line may have several errors)."""
        return len({error.line for error in self.errors})


@dataclass(frozen=True)
class IngestResult:
    """What a written batch held."""

    lines: int
    counts: dict[str, int]
