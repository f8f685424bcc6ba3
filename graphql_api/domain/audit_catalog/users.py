"""Audit actions of the users category: members, invites, roles, groups, sign-ins and sessions."""

from __future__ import annotations

from graphql_api.domain.audit_catalog import Row
from graphql_api.domain.enums import AuditCategory

_U = AuditCategory.USERS

ROWS: tuple[Row, ...] = (
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
)
