"""Compiled operations: a hot operation answered without walking its fields one by one.

Strawberry (and graphql-core below it) resolves every field of every row through a
generic executor; for a page of 50 audit events that is most of a request's time,
and no product around it can be faster than that executor (bench/http_bench.py's
"thinnest strawberry app"). An operation that strawberry has answered once without
an error (so it is valid under every rule the schema holds) is compiled here, when
its shape is one this package knows: its SQL is planned, and its response is
written straight from the rows, with the same access rules, cursors and values.
Later requests of the same document run the plan with their own variables.

Anything a plan is not sure of (a variable that does not coerce, a cost over the
limit, a refused gate, a bad cursor, any error) is handed back to strawberry,
which answers it as before: a plan only ever answers what the executor would
have answered without errors. GRAPHQL_API_COMPILED_OPERATIONS=0 turns it off.
"""
