"""The gates an operation passes before it costs anything: its size (tokens, fields once
fragments are expanded) before parsing and validation, its depth and aliases while it is
validated, and its cost before it runs; every operation's cost is reported in
`extensions.cost`. Each refusal is coded QUERY_TOO_COMPLEX here, where it is made."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    parse,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import (
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)

from graphql_api.config import Settings
from graphql_api.errors import ErrorCode
from graphql_api.schema.cost import CostCalculator, Price


def operation_name(document: DocumentNode, given: str | None) -> str | None:
    """The name of the operation that runs: the one asked for, or the only one's."""
    if given:
        return given
    names = [
        d.name.value if d.name else None
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    ]
    return names[0] if len(names) == 1 else None


# Fields an operation may hold once its fragments are expanded. Validation rules
# (depth, overlapping fields) walk the expanded tree, so a fragment that spreads
# itself twice n levels deep is 2^n fields of work hidden in a few hundred bytes.
MAX_EXPANDED_FIELDS = 10_000


def expanded_field_count(document: DocumentNode) -> int:
    """How many fields the document's operations select once every fragment is expanded
    (each fragment counted once per spread; a cycle, refused by validation, counts 0)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    sizes: dict[str, int] = {}
    open_fragments: set[str] = set()

    def size(selection_set: SelectionSetNode | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += 1 + size(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += size(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += fragment_size(selection.name.value)
            if total > MAX_EXPANDED_FIELDS:  # no need to count further
                return total
        return total

    def fragment_size(name: str) -> int:
        if name not in sizes:
            fragment = fragments.get(name)
            if fragment is None or name in open_fragments:
                return 0
            open_fragments.add(name)
            sizes[name] = size(fragment.selection_set)
            open_fragments.discard(name)
        return sizes[name]

    return sum(
        size(d.selection_set)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    )


def first_empty_selection_set(document: DocumentNode) -> SelectionSetNode | None:
    """The first selection set in the document that selects nothing, if any.

    graphql-core 3.3 parses `{ team { } }` (a proposed change to the spec) but
    the released spec and strawberry's depth rule do not accept it: the rule
    fails on it with a ValueError. It is refused before validation instead.
    """
    pending = [d.selection_set for d in document.definitions if hasattr(d, "selection_set")]
    while pending:
        selection_set = pending.pop()
        if selection_set is None:
            continue
        if not selection_set.selections:
            return selection_set
        pending.extend(getattr(s, "selection_set", None) for s in selection_set.selections)
    return None


def too_complex(message: str, **extensions: Any) -> GraphQLError:
    """A QUERY_TOO_COMPLEX error: the client must ask for less."""
    return GraphQLError(
        message, extensions={"code": ErrorCode.QUERY_TOO_COMPLEX.value, **extensions}
    )


def too_complex_copy(error: GraphQLError) -> GraphQLError:
    """`error` (its message, locations and extensions) coded QUERY_TOO_COMPLEX."""
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": ErrorCode.QUERY_TOO_COMPLEX.value},
    )


class DocumentSizeLimiter(ParserCache):
    """Bounds a document before the work that grows with it: tokens while parsing (the
    parser stops at the limit), fields after fragment expansion before validation.

    It is also the parser cache: strawberry's ParserCache parses in its own hook, where
    no other extension sees the parser's error, so the token limit's is coded here.
    """

    def __init__(self, settings: Settings, maxsize: int) -> None:
        super().__init__(maxsize=maxsize)
        self.settings = settings

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.settings.max_tokens
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        except GraphQLSyntaxError as error:
            if _stopped_at_token_limit(error, context.query, self.settings.max_tokens):
                raise too_complex_copy(error) from None
            raise
        yield

    def on_validate(self) -> Iterator[None]:
        document = self.execution_context.graphql_document
        empty = None if document is None else first_empty_selection_set(document)
        if empty is not None:
            raise GraphQLError(
                "A selection set must select at least one field.",
                nodes=[empty],
                extensions={"code": ErrorCode.BAD_USER_INPUT.value},
            )
        if document is not None and expanded_field_count(document) > MAX_EXPANDED_FIELDS:
            # Raised rather than recorded, so that no validation rule runs at all.
            raise too_complex(
                f"The operation selects more than {MAX_EXPANDED_FIELDS} fields once its "
                "fragments are expanded.",
                maximumFields=MAX_EXPANDED_FIELDS,
            )
        yield


def _stopped_at_token_limit(error: GraphQLSyntaxError, query: str | None, limit: int) -> bool:
    """Whether the parser gave up at the token limit rather than at a syntax error.

    Told by what the parser does, not by its wording: a syntax error lies within the
    first `limit` tokens, so with one token more allowed the parser stops at the same
    error again; the limit's error moves (or goes) with the limit. Only refused
    documents pay this second parse, bounded by `limit + 1` tokens.
    """
    try:
        parse(query or "", max_tokens=limit + 1)
    except GraphQLSyntaxError as again:
        return (again.message, again.positions) != (error.message, error.positions)
    return True


class _TooComplexReports:
    """A validation context whose reported errors are coded QUERY_TOO_COMPLEX."""

    def __init__(self, context: ValidationContext) -> None:
        self._context = context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)

    def report_error(self, error: GraphQLError) -> None:
        self._context.report_error(too_complex_copy(error))


def too_complex_rule(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """`rule`, each error it reports coded QUERY_TOO_COMPLEX (whatever its wording)."""

    class TooComplex(rule):  # type: ignore[valid-type,misc]
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(cast(ValidationContext, _TooComplexReports(context)))

    TooComplex.__name__ = TooComplex.__qualname__ = f"TooComplex{rule.__name__}"
    return TooComplex


def shape_rules(settings: Settings) -> list[type[ASTValidationRule]]:
    """The depth and alias limits as validation rules refusing with QUERY_TOO_COMPLEX.

    Made once per schema, not per request: the validation cache is keyed by the
    rules, so new rule classes each request would never hit it.
    """
    limiters = (
        QueryDepthLimiter(max_depth=settings.max_query_depth),
        MaxAliasesLimiter(max_alias_count=settings.max_aliases),
    )
    return [too_complex_rule(rule) for limiter in limiters for rule in limiter.validation_rules]


class QueryCostLimiter(SchemaExtension):
    """Computes the cost with the request's variables; over the maximum: QUERY_TOO_COMPLEX."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            price = CostCalculator(
                context.schema._schema,
                document,
                context.variables,
                default_page_size=self.settings.default_page_size,
                max_page_size=self.settings.max_page_size,
            ).price(context.operation_name)
            self.cost = price.cost
            fields = getattr(context.context, "log_fields", None)
            if isinstance(fields, dict):
                fields["cost"] = self.cost
                fields["operation"] = operation_name(document, context.operation_name)
            refusal = self._refusal(price)
            if refusal is not None:
                context.result = GraphQLExecutionResult(data=None, errors=[refusal])
        yield

    def _refusal(self, price: Price) -> GraphQLError | None:
        maximum = self.settings.max_query_cost
        if price.cost > maximum:
            return too_complex(
                f"Query cost {price.cost} exceeds the maximum of {maximum}: ask for smaller "
                "pages, shorter ranges or fewer nested connections.",
                cost=price.cost,
                maximumCost=maximum,
            )
        most = self.settings.max_connections
        if price.connections > most:
            return too_complex(
                f"The operation opens {price.connections} connections; at most {most} are "
                "served at once. Each runs statements of its own: ask for fewer connections "
                "in one operation, or split it into several.",
                cost=price.cost,
                connections=price.connections,
                maximumConnections=most,
            )
        return None

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": self.cost, "costLimit": self.settings.max_query_cost}
