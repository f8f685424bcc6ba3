"""Query cost, computed from the document before anything runs.

See docs/concepts.md#query-cost-and-limits.

As on GitHub, a connection costs its page size times what each of its items
holds: `team { auditEvents(first: 100) { nodes { actor { user { name } } } } }`
is 1 (team) + 1 + 100 x 3. An object field costs 1 plus its selections, a
scalar nothing. `pageInfo` and `totalCount` are not multiplied. Every other
list multiplies what its items hold by its largest possible length, declared
in `LIST_LENGTHS`: a report's series by its number of points for the range and
granularity asked for, so `summary(range: <a year>) { series { teamApis(first:
100) { ... } } }` costs 365 drill-downs. `nodes(ids:)` counts each id.

Alongside the cost it counts the connections an operation opens, each with its
own statements. A connection nested in a page counts once (DataLoaders batch
it across the page), and so does a drill-down repeated by a series: every
point's page comes from the same batched statements (repositories/reports/
points.py), so a series costs its points in the price but not in statements.
Their number is bounded on its own (`GRAPHQL_API_MAX_CONNECTIONS`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    value_from_ast_untyped,
)

from graphql_api.domain.enums import ElementKind, Severity, TeamRole, UsageResource
from graphql_api.repositories.reports.ranges import MAX_RANGE_DAYS, PRESET_DAYS, RangePreset

# Fields of a connection that describe the page, not its items.
_PAGE_FIELDS = frozenset({"pageInfo", "totalCount", "restrictedCount", "__typename"})
# HTTP status classes 1xx to 5xx.
_STATUS_CLASSES = 5


class Price(NamedTuple):
    """What a selection costs, and how many connections it opens."""

    cost: int = 0
    connections: int = 0

    def __add__(self, other: object) -> Price:
        assert isinstance(other, Price)
        return Price(self.cost + other.cost, self.connections + other.connections)

    def times(self, n: int) -> Price:
        """This selection repeated `n` times."""
        return Price(self.cost * n, self.connections * n)


@dataclass(frozen=True)
class Span:
    """What a report's arguments say about the length of its lists: days in its range,
    points in its series (at its granularity) and calendar months it touches."""

    days: int
    points: int
    months: int


# No report in scope: a list priced under it still gets the longest range's lengths.
_WIDEST = Span(MAX_RANGE_DAYS, MAX_RANGE_DAYS, MAX_RANGE_DAYS // 28 + 2)

# The largest possible length of every list that is not a connection's page, given the
# span of the report it is in. Lists of types that hold only scalars cost nothing per
# item today; they are declared all the same, so that adding an object field to one
# cannot make it free (a test checks every list in the schema is here).
LIST_LENGTHS: dict[tuple[str, str], Callable[[Span, int], int]] = {
    ("SummaryReport", "series"): lambda span, page: span.points,
    ("MembersReport", "activeMembersSeries"): lambda span, page: span.points,
    ("ApiSecurityReport", "trend"): lambda span, page: span.points,
    ("ContentActivityReport", "series"): lambda span, page: span.points * len(ElementKind),
    ("BillingOverviewReport", "spend"): lambda span, page: span.months,
    ("BillingOverviewReport", "usage"): lambda span, page: span.months * len(UsageResource),
    ("BillingUsage", "resources"): lambda span, page: len(UsageResource),
    ("MembersReport", "roles"): lambda span, page: len(TeamRole),
    ("ContentActivityReport", "responseCodes"): lambda span, page: _STATUS_CLASSES,
    ("ApiSecurityReport", "openBySeverity"): lambda span, page: len(Severity),
    # Rules and token types are open sets of names: priced as a full page.
    ("ApiSecurityReport", "byRule"): lambda span, page: page,
    ("TokenAlertSummary", "openByType"): lambda span, page: page,
}


def _argument(field: FieldNode, name: str, variables: Mapping[str, Any]) -> Any:
    for argument in field.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, VariableNode):
            return variables.get(value.name.value)
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, ListValueNode):
            return list(value.values)
        return value_from_ast_untyped(value, dict(variables))
    return None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def range_days(value: Any, today: date) -> int:
    """The days a `range:` argument covers, as the reports resolve it (an invalid range
    counts one day: the report refuses it before any list is built)."""
    if not isinstance(value, Mapping):
        return PRESET_DAYS[RangePreset.LAST_30_DAYS]
    if value.get("preset") in PRESET_DAYS and value.get("from") is value.get("to") is None:
        return PRESET_DAYS[RangePreset(value["preset"])]
    start, end = value.get("from"), value.get("to")
    first, last = _date(start), _date(end)
    if (start is not None and first is None) or (end is not None and last is None):
        return 1
    last = last or today
    try:
        first = first or last - timedelta(days=29)
    except OverflowError:  # a range at the calendar's edge: the report refuses it
        return 1
    return max(1, min((last - first).days + 1, MAX_RANGE_DAYS))


def span_of(field: FieldNode, variables: Mapping[str, Any], today: date) -> Span:
    """The span a report field's `range` and `granularity` arguments give its lists."""
    days = range_days(_argument(field, "range", variables), today)
    # A range of n days touches at most n / 7 + 2 weeks and n / 28 + 2 months.
    weeks, months = min(days, days // 7 + 2), min(days, days // 28 + 2)
    granularity = _argument(field, "granularity", variables)
    points = {"WEEK": weeks, "MONTH": months}.get(str(granularity), days)
    return Span(days=days, points=points, months=months)


class CostCalculator:
    """Walks one operation with the schema's types; `cost()` gives its total."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any] | None,
        *,
        default_page_size: int,
        max_page_size: int,
        today: date | None = None,
    ) -> None:
        self.schema = schema
        self.document = document
        self.variables = variables or {}
        self.default_page_size = default_page_size
        self.max_page_size = max_page_size
        self.today = today or datetime.now(UTC).date()
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        # A fragment costs the same wherever it is spread under the same report span;
        # remembering it keeps a fragment spread many times from being walked each time.
        self._fragment_prices: dict[tuple[str, Span], Price] = {}

    def cost(self, operation_name: str | None) -> int:
        """The cost of the operation that would run (0 if none can be found)."""
        return self.price(operation_name).cost

    def price(self, operation_name: str | None) -> Price:
        """The cost and connections of the operation that would run (0 if none is found)."""
        operations = [
            d for d in self.document.definitions if isinstance(d, OperationDefinitionNode)
        ]
        if operation_name is not None:
            operations = [o for o in operations if o.name and o.name.value == operation_name]
        if len(operations) != 1:
            return Price()  # validation reports the problem
        operation = operations[0]
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return Price()
        return self._selections(operation.selection_set, root, frozenset(), _WIDEST)

    def _page_size(self, field: FieldNode) -> int:
        for name in ("first", "last"):
            value = _argument(field, name, self.variables)
            if isinstance(value, int) and not isinstance(value, bool):
                return max(0, min(value, self.max_page_size))
        return self.default_page_size

    def _selections(
        self, selection_set: SelectionSetNode, parent: Any, seen: frozenset[str], span: Span
    ) -> Price:
        total = Price()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, seen, span)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self._selections(selection.selection_set, inner or parent, seen, span)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, parent, seen, span)
        return total

    def _fragment(self, name: str, parent: Any, seen: frozenset[str], span: Span) -> Price:
        fragment = self.fragments.get(name)
        if fragment is None or name in seen:  # validation rejects cycles
            return Price()
        key = (name, span)
        if key not in self._fragment_prices:
            inner = self.schema.get_type(fragment.type_condition.name.value)
            self._fragment_prices[key] = self._selections(
                fragment.selection_set, inner or parent, seen | {name}, span
            )
        return self._fragment_prices[key]

    def _field(self, field: FieldNode, parent: Any, seen: frozenset[str], span: Span) -> Price:
        if field.selection_set is None or field.name.value.startswith("__"):
            return Price()
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return Price()
        definition = parent.fields.get(field.name.value)
        if definition is None:
            return Price()
        if "range" in definition.args:
            span = span_of(field, self.variables, self.today)
        named = get_named_type(definition.type)
        if named.name.endswith("Connection") and "first" in definition.args:
            items, page = Price(), Price()
            for selection in field.selection_set.selections:
                if isinstance(selection, FieldNode) and selection.name.value in _PAGE_FIELDS:
                    page += self._field(selection, named, seen, span)
                else:
                    items += self._selections(
                        SelectionSetNode(selections=(selection,)), named, seen, span
                    )
            # Connections inside a page are batched across it: they count once.
            return Price(
                1 + page.cost + self._page_size(field) * items.cost,
                1 + page.connections + items.connections,
            )
        inner = self._selections(field.selection_set, named, seen, span)
        if field.name.value == "nodes" and parent is self.schema.query_type:
            ids = _argument(field, "ids", self.variables)
            return Price(1) + inner.times(len(ids) if isinstance(ids, list) else 1)
        length = LIST_LENGTHS.get((parent.name, field.name.value))
        if length is not None:
            n = length(span, self.max_page_size)
            if (parent.name, field.name.value) in BATCHED_SERIES:
                # Every point's drill-down is read by the same statements.
                return Price(1 + inner.cost * n, inner.connections)
            return Price(1) + inner.times(n)
        return Price(1) + inner


# Series whose points' drill-downs are loaded in one batch (repositories/reports/points.py).
BATCHED_SERIES = frozenset(
    {
        ("SummaryReport", "series"),
        ("MembersReport", "activeMembersSeries"),
        ("ApiSecurityReport", "trend"),
        ("ContentActivityReport", "series"),
    }
)


def unpriced_lists(schema: GraphQLSchema) -> list[str]:
    """Lists of objects that are neither a connection's page nor declared in
    `LIST_LENGTHS` (there should be none: each would be priced as one item)."""
    missing = []
    for type_ in schema.type_map.values():
        if type_.name.startswith("__") or not isinstance(
            type_, GraphQLObjectType | GraphQLInterfaceType
        ):
            continue
        for name, field in type_.fields.items():
            holds_objects = isinstance(
                get_named_type(field.type), GraphQLObjectType | GraphQLInterfaceType
            )
            if not (is_list_type(get_nullable_type(field.type)) and holds_objects):
                continue
            paged = type_.name.endswith("Connection")
            if paged or (type_ is schema.query_type and name == "nodes"):
                continue
            if (type_.name, name) not in LIST_LENGTHS:
                missing.append(f"{type_.name}.{name}")
    return missing
