"""Enums of the exports domain: what an export holds and where its job stands."""

from __future__ import annotations

from graphql_api.exports.tables import ExportKind as DomainExportKind
from graphql_api.schema.describe import described_enum, graphql_enum

ExportKind = described_enum(
    DomainExportKind,
    "What an export holds.",
    {
        "AUDIT_EVENTS": "The audit log, with the filters and order given.",
        "TEAM_APIS": "The Team APIs report table.",
        "MEMBERS": "The member list of the Members overview.",
        "PUBLIC_WORKSPACES": "Public workspace metrics.",
        "CONTENT_ELEMENTS": "The Content activity report's most active elements.",
        "API_FINDINGS": "The API security report's APIs by open findings.",
    },
)

ExportStatus = graphql_enum(
    "ExportStatus",
    "Where an export job stands.",
    {
        "PENDING": ("PENDING", "Waiting for a worker."),
        "RUNNING": ("RUNNING", "Being written."),
        "SUCCEEDED": ("SUCCEEDED", "Written; `downloadUrl` works until `expiresAt`."),
        "EXPIRED": ("EXPIRED", "Was written, but its link has expired: export again."),
        "FAILED": ("FAILED", "Could not be done; `error` says why."),
    },
)
