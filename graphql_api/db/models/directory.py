"""Entities: teams, users, memberships, groups, workspaces, elements, links and grants.

Their primary keys are the ingest clients' own string ids; a re-sent entity
is upserted (its later version wins).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from graphql_api.db.base import Base, ExternalId, Json, UTCDateTime


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[str] = mapped_column(ExternalId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    plan: Mapped[str] = mapped_column(String(20))


class User(Base):
    """A person; global, reached by a team only through a membership."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(ExternalId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    username: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), index=True)
    timezone: Mapped[str | None] = mapped_column(String(64))


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id"),
        Index("ix_memberships_team_id_status", "team_id", "status"),
        Index("ix_memberships_user_id", "user_id"),
    )

    id: Mapped[str] = mapped_column(ExternalId, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    roles: Mapped[list[str]] = mapped_column(Json)
    status: Mapped[str] = mapped_column(String(20))
    status_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # First time the member became ACTIVE; kept across later status changes.
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))


class Group(Base):
    __tablename__ = "groups"
    __table_args__ = (Index("ix_groups_team_id", "team_id"),)

    id: Mapped[str] = mapped_column(ExternalId, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(Json)


class GroupMember(Base):
    __tablename__ = "group_members"
    __table_args__ = (Index("ix_group_members_team_id_user_id", "team_id", "user_id"),)

    id: Mapped[str] = mapped_column(ExternalId, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))


class Workspace(Base):
    __tablename__ = "workspaces"
    __table_args__ = (Index("ix_workspaces_team_id_visibility", "team_id", "visibility"),)

    id: Mapped[str] = mapped_column(ExternalId, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    name: Mapped[str] = mapped_column(String(200))
    visibility: Mapped[str] = mapped_column(String(20))


class Element(Base):
    __tablename__ = "elements"
    __table_args__ = (
        Index("ix_elements_team_id_kind_id", "team_id", "kind", "id"),
        Index("ix_elements_workspace_id", "workspace_id"),
    )

    id: Mapped[str] = mapped_column(ExternalId, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # For monitors and mock servers: the collection they run or mock.
    collection_id: Mapped[str | None] = mapped_column(ForeignKey("elements.id"))


class ApiLink(Base):
    """A collection linked to an API (for tests, documentation, mocks or monitors)."""

    __tablename__ = "api_links"
    __table_args__ = (
        Index("ix_api_links_api_id", "api_id"),
        Index("ix_api_links_team_id", "team_id"),
    )

    id: Mapped[str] = mapped_column(ExternalId, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    api_id: Mapped[str] = mapped_column(ForeignKey("elements.id"))
    collection_id: Mapped[str] = mapped_column(ForeignKey("elements.id"))
    relation: Mapped[str] = mapped_column(String(20))


class Grant(Base):
    """A user or group holding a role on a workspace or one element."""

    __tablename__ = "grants"
    __table_args__ = (
        Index("ix_grants_team_id_subject_type_subject_id", "team_id", "subject_type", "subject_id"),
        Index("ix_grants_resource_id", "resource_id"),
    )

    id: Mapped[str] = mapped_column(ExternalId, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    subject_type: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[str] = mapped_column(ExternalId)
    resource_type: Mapped[str] = mapped_column(String(10))
    resource_id: Mapped[str] = mapped_column(ExternalId)
    role: Mapped[str] = mapped_column(String(10))
