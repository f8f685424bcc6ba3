"""The closed vocabularies of the domain, shared by ingest, SQL and GraphQL.

See docs/ingest.md#enumerations.

Values are stored as their names in plain string columns, so adding a member
never needs a migration.
"""

from __future__ import annotations

from enum import StrEnum


class Plan(StrEnum):
    FREE = "FREE"
    BASIC = "BASIC"
    PROFESSIONAL = "PROFESSIONAL"
    ENTERPRISE = "ENTERPRISE"


class MembershipStatus(StrEnum):
    ACTIVE = "ACTIVE"
    INVITED = "INVITED"
    REMOVED = "REMOVED"


class TeamRole(StrEnum):
    SUPER_ADMIN = "SUPER_ADMIN"
    ADMIN = "ADMIN"
    BILLING = "BILLING"
    DEVELOPER = "DEVELOPER"
    COMMUNITY_MANAGER = "COMMUNITY_MANAGER"


class Visibility(StrEnum):
    PERSONAL = "PERSONAL"
    PRIVATE = "PRIVATE"
    TEAM = "TEAM"
    PUBLIC = "PUBLIC"


class ElementKind(StrEnum):
    COLLECTION = "COLLECTION"
    API = "API"
    ENVIRONMENT = "ENVIRONMENT"
    MOCK_SERVER = "MOCK_SERVER"
    MONITOR = "MONITOR"


class GrantRole(StrEnum):
    VIEWER = "VIEWER"
    EDITOR = "EDITOR"
    ADMIN = "ADMIN"


class SubjectType(StrEnum):
    USER = "USER"
    GROUP = "GROUP"


class ResourceType(StrEnum):
    WORKSPACE = "WORKSPACE"
    ELEMENT = "ELEMENT"


class ApiRelation(StrEnum):
    TEST = "TEST"
    DOCUMENTATION = "DOCUMENTATION"
    MOCK = "MOCK"
    MONITOR = "MONITOR"


class RequestSource(StrEnum):
    REQUEST_BUILDER = "REQUEST_BUILDER"
    NEWMAN = "NEWMAN"
    COLLECTION_RUN = "COLLECTION_RUN"
    MONITOR = "MONITOR"


class ContentAction(StrEnum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    DELETED = "DELETED"
    FORKED = "FORKED"
    MERGED = "MERGED"
    COMMENTED = "COMMENTED"


class Severity(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


class InvoiceStatus(StrEnum):
    DRAFT = "DRAFT"
    OPEN = "OPEN"
    PAID = "PAID"
    VOID = "VOID"
    UNCOLLECTIBLE = "UNCOLLECTIBLE"


class UsageResource(StrEnum):
    MONITOR_REQUESTS = "MONITOR_REQUESTS"
    MOCK_REQUESTS = "MOCK_REQUESTS"
    POSTMAN_API_CALLS = "POSTMAN_API_CALLS"
    FLOWS_REQUESTS = "FLOWS_REQUESTS"
    CUSTOM_DOMAINS = "CUSTOM_DOMAINS"


class AuditCategory(StrEnum):
    TEAM = "TEAM"
    USERS = "USERS"
    BILLING = "BILLING"


# Days of audit log each plan keeps; absent plans have none
# (docs/concepts.md#audit-retention-by-plan).
AUDIT_RETENTION_DAYS: dict[Plan, int] = {Plan.PROFESSIONAL: 90, Plan.ENTERPRISE: 180}

# Roles that may read the audit log (docs/concepts.md#roles-and-plans).
AUDIT_READER_ROLES = frozenset({TeamRole.SUPER_ADMIN, TeamRole.ADMIN})
