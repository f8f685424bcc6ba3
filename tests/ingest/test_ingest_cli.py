"""The CLI (docs/operations.md#command-line): `ingest` shares the HTTP path; secrets print alone."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from graphql_api.cli import main
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
BATCH = [
    f.team(id="acme"),
    f.user(id="ada"),
    f.membership(team="acme", user="ada"),
    f.request(id="r1", team="acme", user="ada"),
]


@pytest.fixture
def cli_env(monkeypatch, database_url, db):
    """Point the CLI at the emptied test database."""
    monkeypatch.setenv("DATABASE_URL", database_url)


def _ingest_stdin(monkeypatch, lines: list[str]) -> int:
    stdin = io.TextIOWrapper(io.BytesIO("\n".join(lines).encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    return main(["ingest", "-"])


def test_ingesting_a_good_file_exits_0(cli_env, tmp_path, capsys):
    path = tmp_path / "batch.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in BATCH))
    assert main(["ingest", str(path)]) == 0
    assert "Wrote 4 lines" in capsys.readouterr().err


def test_a_bad_line_on_standard_input_exits_nonzero_and_is_listed_on_stderr(
    cli_env, monkeypatch, capsys
):
    lines = [json.dumps(r) for r in BATCH] + ['{"type": "request"}']
    assert _ingest_stdin(monkeypatch, lines) == 1
    err = capsys.readouterr().err
    assert "line 5: missing field `id`" in err and "nothing was written" in err


def test_a_missing_file_is_a_clear_error(cli_env, capsys):
    assert main(["ingest", "/no/such/file.ndjson"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_create_api_key_prints_the_secret_alone(cli_env, monkeypatch, capsys):
    assert _ingest_stdin(monkeypatch, [json.dumps(r) for r in BATCH]) == 0
    capsys.readouterr()
    assert main(["create-api-key", "--team", "acme", "--email", "ada@example.com"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("gqa_") and out.count("\n") == 1


def test_create_api_key_for_a_non_member_fails(cli_env, capsys):
    assert main(["create-api-key", "--team", "acme", "--email", "who@example.com"]) == 1
    assert "no active member" in capsys.readouterr().err


def test_create_service_token_prints_the_secret_alone(cli_env, capsys):
    assert main(["create-service-token"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("gqs_") and out.count("\n") == 1


def test_export_schema_prints_the_checked_in_sdl(capsys):
    assert main(["export-schema"]) == 0
    assert capsys.readouterr().out == (ROOT / "schema.graphql").read_text()


def test_purge_deletes_only_events_past_their_plans_retention(cli_env, monkeypatch, capsys):
    old = f.audit_event(id="old", team="acme", actor="ada", at=f.ago(days=200))
    new = f.audit_event(id="new", team="acme", actor="ada")
    assert _ingest_stdin(monkeypatch, [json.dumps(r) for r in [*BATCH, old, new]]) == 0
    assert main(["purge"]) == 0
    assert "Purged 1 audit events" in capsys.readouterr().out


def test_a_bad_setting_is_a_clear_error(monkeypatch, capsys):
    monkeypatch.setenv("GRAPHQL_API_ENV", "production")
    monkeypatch.delenv("GRAPHQL_API_SECRET_KEY", raising=False)
    assert main(["migrate"]) == 2
    assert "GRAPHQL_API_SECRET_KEY must be set" in capsys.readouterr().err
