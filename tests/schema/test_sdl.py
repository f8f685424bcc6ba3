"""The checked-in SDL is what codegen clients read: it must match the code and be documented."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from graphql_api.schema import build_schema, export_sdl

ROOT = Path(__file__).resolve().parents[2]


def test_schema_graphql_matches_the_code():
    checked_in = (ROOT / "schema.graphql").read_text()
    assert checked_in == export_sdl(), "run `make schema` (graphql-api export-schema) and commit"


def test_every_type_field_argument_and_enum_value_has_a_description():
    schema = build_schema()._schema
    missing = []
    for name, gql_type in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not gql_type.description:
            missing.append(name)
        if isinstance(gql_type, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in gql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
        if isinstance(gql_type, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, val in gql_type.values.items() if not val.description]
    assert missing == []


def test_node_is_nullable_so_one_bad_id_does_not_null_the_whole_response():
    assert "node(id: ID!): Node\n" in export_sdl()


def test_the_contracts_fixed_names_are_present():
    sdl = export_sdl()
    for fixed in (
        "nodes(ids: [ID!]!): [Node]!",
        "viewer: User!",
        "team: Team!",
        "type AuditEvent implements Node",
        "eventId: Int!",
        "actionName: String!",
        "timestamp(timezone: String = null): DateTime!",
        "data: JSON",
        "type MembershipConnection",
        "type ElementConnection",
        "type AuditEventConnection",
        "totalCount: Int!",
    ):
        assert fixed in sdl, fixed
