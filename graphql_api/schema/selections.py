"""What a field's selection asks for: lets a resolver skip work nobody will see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strawberry.types.nodes import SelectedField

from graphql_api.schema.context import Info


def _matching(selections: Iterable[Any], name: str) -> Iterable[SelectedField]:
    """The fields named `name` among `selections`, looking through fragments."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == name:
                yield selection
        else:
            yield from _matching(selection.selections, name)


def selects(info: Info, *path: str) -> bool:
    """Whether the current field's selection reaches `path` (field names, outermost first),
    through fragments and aliases alike. `@skip`/`@include` are not evaluated: a field
    they may drop still counts as selected, so the answer errs towards doing the work."""
    level: list[Any] = list(info.selected_fields)
    for name in path:
        level = [f for field in level for f in _matching(field.selections, name)]
        if not level:
            return False
    return True
