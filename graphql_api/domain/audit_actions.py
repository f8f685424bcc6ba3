"""Every audit action: Postman's logged events (seeds/postman-audit-logs.md) and the server's own.

Each action has an enum name (what GraphQL exposes), a display name (what
Postman's dashboard shows and what ingest accepts), a dotted code (what
Postman's REST API returns as `action`, also accepted by ingest) and a
category.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql_api.domain.enums import AuditCategory


@dataclass(frozen=True)
class ActionInfo:
    """What is known about one audit action."""

    name: str
    display_name: str
    code: str
    category: AuditCategory
    description: str


_T, _U, _B = AuditCategory.TEAM, AuditCategory.USERS, AuditCategory.BILLING

_CATALOG: tuple[tuple[str, str, str, AuditCategory, str], ...] = (
    # Team
    ("TEAM_NAME_UPDATED", "Team Name Updated", "team.rename", _T, "Your team's name was changed."),
    ("TEAM_URL_UPDATED", "Team URL Updated", "team.update_url", _T, "Your team's URL was changed."),
    (
        "TEAM_DISCOVERY_UPDATED",
        "Updated Team Discovery",
        "team.update_discovery",
        _T,
        "A user updated your team's discoverability status.",
    ),
    (
        "DOMAIN_CAPTURE_DOMAIN_ADDED",
        "Added Domain for Domain Capture",
        "team.domain_capture.add_domain",
        _T,
        "A Team Admin added a domain for domain capture.",
    ),
    (
        "DOMAIN_CAPTURE_DOMAIN_VERIFIED",
        "Verified Domain for Domain Capture",
        "team.domain_capture.verify_domain",
        _T,
        "The domain added for domain capture has been verified.",
    ),
    (
        "DOMAIN_TEAM_MANAGEMENT_ENABLED",
        "Enabled Domain Team Management",
        "team.domain_capture.enable",
        _T,
        "A Team Admin enabled domain team management.",
    ),
    (
        "USER_JOINED_VIA_DOMAIN_CAPTURE",
        "User Joined via Domain Capture",
        "team.domain_capture.user_joined",
        _T,
        "A user joined through team domain management.",
    ),
    (
        "DOMAIN_TEAM_MANAGEMENT_DISABLED",
        "Disabled Domain Team Management",
        "team.domain_capture.disable",
        _T,
        "A Team Admin disabled domain team management.",
    ),
    (
        "DOMAIN_CAPTURE_DOMAIN_DELETED",
        "Deleted Domain for Domain Capture",
        "team.domain_capture.delete_domain",
        _T,
        "A Team Admin deleted a domain for domain capture.",
    ),
    (
        "CUSTOM_DOMAIN_ADDED",
        "Added Custom Domain",
        "team.custom_domain.add",
        _T,
        "A custom domain was added to your team.",
    ),
    (
        "CUSTOM_DOMAIN_VERIFICATION_UPDATED",
        "Updated Custom Domain Verification Status",
        "team.custom_domain.update_verification",
        _T,
        "The verification status of your domain was updated.",
    ),
    (
        "CUSTOM_DOMAIN_DELETED",
        "Deleted Custom Domain",
        "team.custom_domain.delete",
        _T,
        "A custom domain was deleted from your team.",
    ),
    (
        "CUSTOM_AUTH_SCHEME_ENABLED",
        "Custom Auth Scheme Enabled",
        "team.sso.enable",
        _T,
        "An SSO scheme was enabled.",
    ),
    (
        "CUSTOM_AUTH_SCHEME_UPDATED",
        "Custom Auth Scheme Updated",
        "team.sso.update",
        _T,
        "An SSO scheme was updated.",
    ),
    (
        "CUSTOM_AUTH_SCHEME_DISABLED",
        "Custom Auth Scheme Disabled",
        "team.sso.disable",
        _T,
        "An SSO scheme was disabled.",
    ),
    (
        "CUSTOM_AUTH_SCHEME_REMOVED",
        "Custom Auth Scheme Removed",
        "team.sso.remove",
        _T,
        "An SSO scheme was removed.",
    ),
    (
        "SCIM_KEY_CREATED",
        "Created SCIM Key",
        "team.scim_key.create",
        _T,
        "A user created a new SCIM key.",
    ),
    (
        "SCIM_KEY_ACTIVATED",
        "Activated SCIM Key",
        "team.scim_key.activate",
        _T,
        "A user activated a SCIM key.",
    ),
    (
        "SCIM_KEY_REGENERATED",
        "Regenerated SCIM Key",
        "team.scim_key.regenerate",
        _T,
        "A user regenerated a SCIM key.",
    ),
    (
        "SCIM_KEY_REVOKED",
        "Revoked SCIM Key",
        "team.scim_key.revoke",
        _T,
        "A user revoked a SCIM key.",
    ),
    (
        "SCIM_KEY_DELETED",
        "Deleted SCIM Key",
        "team.scim_key.delete",
        _T,
        "A user deleted a SCIM key.",
    ),
    (
        "SCIM_USER_PROVISIONED",
        "SCIM User Provisioned",
        "team.scim.provision_user",
        _T,
        "The SCIM admin provisioned a new user.",
    ),
    (
        "SCIM_USER_DEPROVISIONED",
        "SCIM User De-provisioned",
        "team.scim.deprovision_user",
        _T,
        "The SCIM admin de-provisioned a user.",
    ),
    (
        "DATA_EXPORTED",
        "Exported Data",
        "team.data.export",
        _T,
        "A user requested an export of their data.",
    ),
    (
        "EXPORTED_DATA_DOWNLOADED",
        "Downloaded Exported Data",
        "team.data.download_export",
        _T,
        "A user downloaded an export of their data.",
    ),
    (
        "CUSTOM_ALERT_ADDED",
        "Added Custom Alert",
        "team.token_alert.add",
        _T,
        "A new custom token alert was created for your team.",
    ),
    (
        "CUSTOM_ALERT_EDITED",
        "Edited Custom Alert",
        "team.token_alert.edit",
        _T,
        "A custom token alert's name or regex pattern was changed, or the alert was turned "
        "on or off.",
    ),
    (
        "CUSTOM_TOKEN_ALERT_DELETED",
        "Deleted Custom Token Alert",
        "team.token_alert.delete",
        _T,
        "A custom token alert was deleted.",
    ),
    # Users
    ("TEAM_MEMBER_ADDED", "Added Team Member", "team.add_member", _U, "A user joined your team."),
    (
        "TEAM_MEMBER_REMOVED",
        "Removed Team Member",
        "team.remove_member",
        _U,
        "A team member was removed.",
    ),
    (
        "TEAM_INVITE_SENT",
        "Sent Team Invite",
        "team.invite.send",
        _U,
        "An invitation was sent to a user to join your team.",
    ),
    (
        "TEAM_INVITE_APPROVED",
        "Approved Team Invite",
        "team.invite.approve",
        _U,
        "An admin approved an email invitation.",
    ),
    (
        "TEAM_INVITE_REJECTED",
        "Rejected Team Invite",
        "team.invite.reject",
        _U,
        "An admin rejected an email invitation.",
    ),
    (
        "TEAM_INVITE_CANCELLED",
        "Cancelled Team Invite",
        "team.invite.cancel",
        _U,
        "An invitation for a user was cancelled.",
    ),
    (
        "TEAM_JOIN_REQUEST_APPROVED",
        "Approved Team Join Request",
        "team.join_request.approve",
        _U,
        "An admin approved a request to join your team.",
    ),
    (
        "TEAM_JOIN_REQUEST_REJECTED",
        "Rejected Team Join Request",
        "team.join_request.reject",
        _U,
        "A user rejected a request to join your team.",
    ),
    (
        "USER_ROLE_UPDATED",
        "Updated User Role",
        "team.update_user_role",
        _U,
        "A user updated a user role.",
    ),
    (
        "USER_ROLES_UPDATED",
        "Updated User Roles",
        "team.update_user_roles",
        _U,
        "Roles were updated for some users in your team.",
    ),
    ("GROUP_CREATED", "Created Group", "team.group.create", _U, "A user created a new group."),
    ("GROUP_UPDATED", "Updated Group", "team.group.update", _U, "A user updated a group."),
    (
        "GROUP_MEMBER_ADDED",
        "Added Group Member",
        "team.group.add_member",
        _U,
        "A user joined a group.",
    ),
    (
        "GROUP_ROLE_ADDED",
        "Added Group Role",
        "team.group.add_role",
        _U,
        "A role was added to a group.",
    ),
    (
        "GROUP_ROLE_REMOVED",
        "Removed Group Role",
        "team.group.remove_role",
        _U,
        "A role was removed from a group.",
    ),
    (
        "GROUP_MEMBER_REMOVED",
        "Removed Group Member",
        "team.group.remove_member",
        _U,
        "A user was removed from a group.",
    ),
    ("GROUP_DELETED", "Deleted Group", "team.group.delete", _U, "A user deleted a group."),
    (
        "LOGIN_PASSWORD",
        "Successful Login via Password",
        "user.login_password",
        _U,
        "A user signed in with their password.",
    ),
    (
        "LOGIN_GOOGLE",
        "Successful Login via Google",
        "user.login_google",
        _U,
        "A user signed in through Google.",
    ),
    (
        "LOGIN_SSO",
        "Successful Login via SSO",
        "user.login_sso",
        _U,
        "A user signed in through SSO.",
    ),
    ("PASSWORD_RESET", "Reset Password", "user.password_reset", _U, "A user reset their password."),
    (
        "PASSWORD_CHANGED",
        "Changed Password",
        "user.password_change",
        _U,
        "A user changed their password.",
    ),
    (
        "USER_SESSION_REVOKED",
        "User Session Revoked",
        "user.session_revoke",
        _U,
        "A user revoked their session.",
    ),
    ("USER_LOGOUT", "User Logout", "user.logout", _U, "A user signed out."),
    # Billing
    ("PLAN_CHANGED", "Changed Plan", "billing.plan.change", _B, "A user changed your team plan."),
    (
        "TEAM_SIZE_INCREASED",
        "Increased Team Size",
        "billing.team_size.increase",
        _B,
        "More licenses were added to your team.",
    ),
    (
        "TEAM_SIZE_DECREASED",
        "Decreased Team Size",
        "billing.team_size.decrease",
        _B,
        "Extra licenses were removed from your team.",
    ),
    (
        "MONITORING_BLOCK_COUNT_UPDATED",
        "Updated Monitoring Block Count",
        "billing.monitoring_blocks.update",
        _B,
        "A user updated monitoring block count.",
    ),
    (
        "NEXT_BILLING_CYCLE_INSTRUCTIONS_SET",
        "Set Instructions for Next Billing Cycle",
        "billing.next_cycle.set_instructions",
        _B,
        "Instructions for the next billing cycle were added.",
    ),
    (
        "BILLING_EMAIL_UPDATED",
        "Updated Billing Email",
        "billing.email.update",
        _B,
        "A user changed your team's billing email address.",
    ),
    (
        "INVOICE_DETAILS_UPDATED",
        "Updated Invoice Details",
        "billing.invoice_details.update",
        _B,
        "A user updated invoice details.",
    ),
    (
        "PAYMENT_METHOD_ADDED",
        "Added Payment Method",
        "billing.payment_method.add",
        _B,
        "A user added a payment method.",
    ),
    (
        "DEFAULT_PAYMENT_METHOD_CHANGED",
        "Changed Default Payment Method",
        "billing.payment_method.change_default",
        _B,
        "A user changed the default payment method.",
    ),
    (
        "PAYMENT_METHOD_DELETED",
        "Deleted Payment Method",
        "billing.payment_method.delete",
        _B,
        "A user deleted a payment method.",
    ),
    (
        "INVOICE_RETRIED",
        "Successfully Retried Invoice",
        "billing.invoice.retry",
        _B,
        "An invoice for your team was paid.",
    ),
    (
        "INVOICE_CANCELLED",
        "Cancelled Invoice",
        "billing.invoice.cancel",
        _B,
        "A user cancelled an invoice for your team.",
    ),
    (
        "PLAN_CANCELLED",
        "Cancelled Plan",
        "billing.plan.cancel",
        _B,
        "A user cancelled your team's subscription.",
    ),
    # The server's own actions
    (
        "API_KEY_CREATED",
        "Created API Key",
        "graphql_api.api_key.create",
        _T,
        "A user created an API key for this server.",
    ),
    (
        "API_KEY_REVOKED",
        "Revoked API Key",
        "graphql_api.api_key.revoke",
        _T,
        "A user revoked an API key for this server.",
    ),
    (
        "AUDIT_LOG_EXPORTED",
        "Exported Audit Logs",
        "graphql_api.audit_log.export",
        _T,
        "A user exported the audit log.",
    ),
    (
        "REPORT_EXPORTED",
        "Exported Report",
        "graphql_api.report.export",
        _T,
        "A user exported a report table.",
    ),
)

ACTIONS: dict[str, ActionInfo] = {
    name: ActionInfo(name, display, code, category, description)
    for name, display, code, category, description in _CATALOG
}


_BY_LABEL: dict[str, ActionInfo] = {}
for _info in ACTIONS.values():
    _BY_LABEL[_info.display_name.casefold()] = _info
    _BY_LABEL[_info.code.casefold()] = _info
    _BY_LABEL[_info.name.casefold()] = _info


def action_from_label(label: str) -> ActionInfo | None:
    """Find an action by its display name, dotted code or enum name (case-insensitive)."""
    return _BY_LABEL.get(label.strip().casefold())
