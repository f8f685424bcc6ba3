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
from graphql_api.schema.exports.enums import ExportKind, ExportStatus


@strawberry.type(
    description="A CSV export. It runs in the background: ask for it again with node(id:) "
    "until its status is SUCCEEDED, then download `downloadUrl` (signed, valid until "
    "`expiresAt`). When SMTP is configured the link is also emailed to the requester."
)
class ExportJob(relay.Node):
    id: relay.NodeID[int]
    kind: ExportKind = strawberry.field(description="What the export holds.")
    status: ExportStatus = strawberry.field(description="Where the job stands.")
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
    def from_row(cls, row: Any) -> ExportJob:
        status = row.status
        if status == export_jobs.ExportStatus.SUCCEEDED.value and not export_jobs.downloadable(
            row, utcnow()
        ):
            status = "EXPIRED"
        return cls(
            id=row.id,
            kind=DomainExportKind(row.kind),
            status=ExportStatus[status],
            row_count=row.row_count,
            created_at=row.created_at,
            finished_at=row.finished_at,
            expires_at=row.expires_at,
            error=row.error,
            emailed_at=row.emailed_at,
            email_error=row.email_error,
            job=row,
        )
