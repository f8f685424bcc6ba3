"""The ExportJob type: a CSV export's progress and, when done, its download link."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from graphql_api.db.base import utcnow
from graphql_api.exports.runner import download_url
from graphql_api.exports.tables import ExportKind as DomainExportKind
from graphql_api.repositories import export_jobs
from graphql_api.schema.context import Info
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


@strawberry.type(
    description="A CSV export. It runs in the background: ask for it again with node(id:) "
    "until its status is SUCCEEDED, then download `downloadUrl` (signed, valid until "
    "`expiresAt`). When SMTP is configured the link is also emailed to the requester."
)
class ExportJob(relay.Node):
    id: relay.NodeID[int]
    kind: ExportKind = strawberry.field(description="What the export holds.")  # type: ignore[valid-type]
    status: ExportStatus = strawberry.field(description="Where the job stands.")  # type: ignore[valid-type]
    row_count: int | None = strawberry.field(
        description="Rows in the file (besides the header), once written."
    )
    created_at: datetime = strawberry.field(description="When the export was asked for.")
    finished_at: datetime | None = strawberry.field(description="When the job ended.")
    expires_at: datetime | None = strawberry.field(
        description="When the download link stops working."
    )
    error: str | None = strawberry.field(description="Why the job failed, when it did.")
    emailed_at: datetime | None = strawberry.field(
        description="When the link was emailed to the requester; null if not (yet)."
    )
    email_error: str | None = strawberry.field(
        description="Why the link could not be emailed, when sending failed (the link still works)."
    )
    job: strawberry.Private[Any]

    @strawberry.field(
        description="The signed link to the CSV file (UTF-8, header row, RFC 4180), while it "
        "works; null before the job succeeds and after `expiresAt`."
    )
    def download_url(self, info: Info) -> str | None:
        return download_url(info.context.settings, self.job)

    @classmethod
    def from_row(cls, job: Any) -> ExportJob:
        status = job.status
        if status == export_jobs.ExportStatus.SUCCEEDED.value and not export_jobs.downloadable(
            job, utcnow()
        ):
            status = "EXPIRED"
        return cls(
            id=job.id,
            kind=DomainExportKind(job.kind),
            status=ExportStatus[status],
            row_count=job.row_count,
            created_at=job.created_at,
            finished_at=job.finished_at,
            expires_at=job.expires_at,
            error=job.error,
            emailed_at=job.emailed_at,
            email_error=job.email_error,
            job=job,
        )
