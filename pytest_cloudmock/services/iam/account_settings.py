"""Account-wide settings and reports: the password policy, `ChangePassword`,
`GetAccountSummary` (counted from the state) and the credential report (the CSV
AWS documents, one row per user after the root account's)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

from ...api import AWSError, RequestContext
from .base import IamBase, no_such_entity
from .passwords import check_password, password_hash, policy_from
from .state import AccessKey, User, stamp

REPORT_LIFETIME = timedelta(hours=4)
REPORT_COLUMNS = (
    "user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
    "password_next_rotation", "mfa_active",
    "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
    "access_key_1_last_used_region", "access_key_1_last_used_service",
    "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
    "access_key_2_last_used_region", "access_key_2_last_used_service",
    "cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
)
QUOTAS = {
    "UsersQuota": 5000, "GroupsQuota": 300, "RolesQuota": 1000, "PoliciesQuota": 1500,
    "InstanceProfilesQuota": 1000, "ServerCertificatesQuota": 20, "UserPolicySizeQuota": 2048,
    "GroupPolicySizeQuota": 5120, "RolePolicySizeQuota": 10240, "PolicySizeQuota": 6144,
    "AssumeRolePolicySizeQuota": 2048, "GroupsPerUserQuota": 10, "SigningCertificatesPerUserQuota": 2,
    "AccessKeysPerUserQuota": 2, "AttachedPoliciesPerGroupQuota": 10, "AttachedPoliciesPerRoleQuota": 10,
    "AttachedPoliciesPerUserQuota": 10, "VersionsPerPolicyQuota": 5, "PolicyVersionsInUseQuota": 10000,
    "GlobalEndpointTokenVersion": 1,
}


def _iso(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S+00:00") if value else "N/A"


class AccountSettingsOperations(IamBase):
    """Password policy, passwords, account summary and credential report."""

    # -- password policy --------------------------------------------------------------------
    def update_account_password_policy(self, ctx: RequestContext) -> dict[str, Any]:
        self._state(ctx).password_policy = policy_from(ctx.params)
        return {}

    def _password_policy(self, ctx: RequestContext) -> dict[str, Any]:
        policy = self._state(ctx).password_policy
        if policy is None:
            raise no_such_entity(f"The Password Policy with domain name {ctx.account_id} cannot be found.")
        return policy

    def get_account_password_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return {"PasswordPolicy": dict(self._password_policy(ctx))}

    def delete_account_password_policy(self, ctx: RequestContext) -> dict[str, Any]:
        self._password_policy(ctx)
        self._state(ctx).password_policy = None
        return {}

    def change_password(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.identity.arn if ctx.identity else ""
        if ":user/" not in arn:
            # AWS's exact wording is not documented.
            raise AWSError("InvalidUserType", "Only IAM users can change their own password.", 400)
        user = self._user(ctx, arn.rsplit("/", 1)[-1])
        policy = self._state(ctx).password_policy
        if user.login_profile is None:
            raise no_such_entity(f"Login Profile for User {user.name} cannot be found.")
        if policy is not None and not policy["AllowUsersToChangePassword"]:
            raise AWSError("AccessDenied", "The account password policy does not allow users to change their "
                           "own password.", 403)  # AWS's exact wording is not documented
        if user.login_profile.password_sha256 != password_hash(ctx.params["OldPassword"]):
            # AWS refuses a wrong old password; its exact code and wording are not documented.
            raise AWSError("InvalidInput", "The old password is incorrect.", 400)
        check_password(policy, ctx.params["NewPassword"])
        user.login_profile.password_sha256 = password_hash(ctx.params["NewPassword"])
        user.login_profile.password_reset_required = False
        return {}

    # -- account summary ----------------------------------------------------------------------
    def get_account_summary(self, ctx: RequestContext) -> dict[str, Any]:
        state = self._state(ctx)
        users = list(state.users.values())
        in_use = [d for d in state.mfa_devices.values() if d.user is not None]
        summary = {
            **QUOTAS,
            "Users": len(users), "Groups": len(state.groups), "Roles": len(state.roles),
            "Policies": len(state.policies), "InstanceProfiles": len(state.instance_profiles),
            "ServerCertificates": len(state.server_certificates),
            "Providers": len(state.saml_providers) + len(state.oidc_providers),
            "PolicyVersionsInUse": sum(len(p.versions) for p in state.policies.values()),
            "MFADevices": len(state.mfa_devices), "MFADevicesInUse": len(in_use),
            "AccountMFAEnabled": 0, "AccountAccessKeysPresent": 0, "AccountSigningCertificatesPresent": 0,
        }
        return {"SummaryMap": summary}

    # -- credential report --------------------------------------------------------------------
    def generate_credential_report(self, ctx: RequestContext) -> dict[str, Any]:
        state = self._state(ctx)
        now = stamp(ctx.clock)
        fresh = state.credential_report is not None and now - state.credential_report < REPORT_LIFETIME
        if not fresh:
            state.credential_report = now
        # The report is ready at once: AWS's first call says STARTED, later ones COMPLETE.
        if fresh:
            return {"State": "COMPLETE"}
        return {"State": "STARTED", "Description": "No report exists. Starting a new report generation task"}

    def get_credential_report(self, ctx: RequestContext) -> dict[str, Any]:
        state = self._state(ctx)
        generated = state.credential_report
        if generated is None:
            # AWS's exact wordings are not documented.
            raise AWSError("ReportNotPresent", "Credential report not present. Generate a report first.", 410)
        if stamp(ctx.clock) - generated >= REPORT_LIFETIME:
            raise AWSError("ReportExpired", "Credential report has expired. Generate a new report.", 410)
        return {"Content": self._report_csv(ctx, generated).encode(), "ReportFormat": "text/csv",
                "GeneratedTime": generated}

    def _report_csv(self, ctx: RequestContext, generated: datetime) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(REPORT_COLUMNS)
        root = ["<root_account>", f"arn:{ctx.partition}:iam::{ctx.account_id}:root", _iso(generated), "not_supported",
                "N/A", "not_supported", "not_supported", "false"]
        writer.writerow(root + ["false", "N/A", "N/A", "N/A", "N/A"] * 2 + ["false", "N/A"] * 2)
        for user in sorted(self._state(ctx).users.values(), key=lambda u: u.name.lower()):
            writer.writerow(self._report_row(ctx, user))
        return out.getvalue()

    def _report_row(self, ctx: RequestContext, user: User) -> list[str]:
        state = self._state(ctx)
        mfa = any(d.user == user.name.lower() for d in state.mfa_devices.values())
        password = user.login_profile is not None
        row = [user.name, user.arn, _iso(user.created), str(password).lower(), "N/A" if password else "no_information",
               _iso(user.login_profile.created) if password else "N/A", "N/A", str(mfa).lower()]
        keys: list[AccessKey | None] = [*sorted(user.access_keys.values(), key=lambda k: k.created), None, None]
        for key in keys[:2]:
            if key is None:
                row += ["false", "N/A", "N/A", "N/A", "N/A"]
                continue
            used = state.key_last_used.get(key.id, {})
            row += [str(key.status == "Active").lower(), _iso(key.created), _iso(used.get("LastUsedDate")),
                    used.get("Region", "N/A"), used.get("ServiceName", "N/A")]
        certs = [*user.signing_certificates.values(), None, None]
        for cert in certs[:2]:
            row += ["false", "N/A"] if cert is None else [str(cert.status == "Active").lower(), _iso(cert.uploaded)]
        return row
