"""The rest of the user pool API, kept and answered back: identity providers, devices,
auth events, WebAuthn, managed login branding, terms, import jobs, UI customization, risk
and log delivery configuration, the signing certificate."""

from __future__ import annotations

import base64
import copy
import datetime
import json
import secrets
import uuid
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from ...api import AWSError, RequestContext
from . import errors, tokens
from .base import random_id
from .groups import GroupOps
from .state import User, UserPool

CSV_HEADER = [
    "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
    "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number",
    "phone_number_verified", "address", "updated_at", "cognito:mfa_enabled", "cognito:username",
]


class ExtraOps(GroupOps):
    """Operations whose settings are stored and answered back."""

    # -- identity providers ---------------------------------------------------------------------
    def _provider(self, pool: UserPool, name: str) -> dict[str, Any]:
        provider = pool.identity_providers.get(name)
        if provider is None:
            raise errors.not_found(f"Identity provider {name} does not exist.")  # AWS's text unknown
        return provider

    def create_identity_provider(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        p = ctx.params
        if p["ProviderName"] in pool.identity_providers:
            raise AWSError("DuplicateProviderException", f"A provider with the name {p['ProviderName']} already exists.")
        now = ctx.clock.now()
        provider = {"UserPoolId": pool.pool_id, "ProviderName": p["ProviderName"], "ProviderType": p["ProviderType"],
                    "ProviderDetails": dict(p["ProviderDetails"]), "AttributeMapping": dict(p.get("AttributeMapping") or {}),
                    "IdpIdentifiers": list(p.get("IdpIdentifiers") or []), "LastModifiedDate": now, "CreationDate": now}
        with self.store.lock:
            pool.identity_providers[p["ProviderName"]] = provider
        return {"IdentityProvider": copy.deepcopy(provider)}

    def describe_identity_provider(self, ctx: RequestContext) -> dict[str, Any]:
        return {"IdentityProvider": copy.deepcopy(self._provider(self.pool(ctx), ctx.params["ProviderName"]))}

    def update_identity_provider(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        provider = self._provider(pool, ctx.params["ProviderName"])
        with self.store.lock:
            for key in ("ProviderDetails", "AttributeMapping", "IdpIdentifiers"):
                if key in ctx.params:
                    provider[key] = copy.deepcopy(ctx.params[key])
            provider["LastModifiedDate"] = ctx.clock.now()
        return {"IdentityProvider": copy.deepcopy(provider)}

    def delete_identity_provider(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self._provider(pool, ctx.params["ProviderName"])
        with self.store.lock:
            pool.identity_providers.pop(ctx.params["ProviderName"], None)
        return {}

    def get_identity_provider_by_identifier(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        for provider in pool.identity_providers.values():
            if ctx.params["IdpIdentifier"] in provider["IdpIdentifiers"]:
                return {"IdentityProvider": copy.deepcopy(provider)}
        raise errors.not_found(f"Identity provider with identifier {ctx.params['IdpIdentifier']} does not exist.")

    def list_identity_providers(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        page, more = self.page(ctx, list(pool.identity_providers.values()), "NextToken", "MaxResults",
                               f"idps:{pool.pool_id}")
        return {"Providers": [{k: p[k] for k in ("ProviderName", "ProviderType", "LastModifiedDate", "CreationDate")}
                              for p in page], **more}

    def admin_link_provider_for_user(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        destination = self.user(pool, ctx.params["DestinationUser"].get("ProviderAttributeValue", ""))
        source = ctx.params["SourceUser"]
        self._provider(pool, source.get("ProviderName", ""))
        identities = json.loads(destination.attributes.get("identities", "[]"))
        identities.append({"userId": source.get("ProviderAttributeValue"), "providerName": source.get("ProviderName"),
                           "providerType": pool.identity_providers[source["ProviderName"]]["ProviderType"],
                           "primary": "false", "dateCreated": str(int(ctx.clock.now() * 1000))})
        with self.store.lock:
            destination.attributes["identities"] = json.dumps(identities)
        return {}

    def admin_disable_provider_for_user(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        user = ctx.params["User"]
        provider = user.get("ProviderName", "")
        for candidate in list(pool.users.values()):
            identities = json.loads(candidate.attributes.get("identities", "[]"))
            kept = [i for i in identities if not (i.get("providerName") == provider
                                                  and i.get("userId") == user.get("ProviderAttributeValue"))]
            if len(kept) != len(identities):
                with self.store.lock:
                    candidate.attributes["identities"] = json.dumps(kept)
                return {}
        raise errors.user_not_found()

    # -- devices --------------------------------------------------------------------------------
    @staticmethod
    def _device(user: User, key: str) -> dict[str, Any]:
        device = user.devices.get(key)
        if device is None:
            raise errors.not_found("Device does not exist.")
        return device

    def confirm_device(self, ctx: RequestContext) -> dict[str, Any]:
        """Track a device a sign-in named (NewDeviceMetadata), with its SRP verifier and salt."""
        pool, user, _claims = self.access_token(ctx)
        key = ctx.params["DeviceKey"]
        pending = user.device_secrets.get(key)
        if pending is None:
            raise errors.not_found("Device does not exist.")  # AWS's exact text not documented
        config = ctx.params.get("DeviceSecretVerifierConfig") or {}
        try:
            verifier = base64.b64decode(config.get("PasswordVerifier") or "").hex()
            salt = base64.b64decode(config.get("Salt") or "").hex()
        except ValueError:
            raise errors.invalid_parameter("DeviceSecretVerifierConfig is not valid base64.") from None
        prompt = bool((pool.config.get("DeviceConfiguration") or {}).get("DeviceOnlyRememberedOnUserPrompt"))
        now = ctx.clock.now()
        attributes = [{"Name": "device_status", "Value": "not_remembered" if prompt else "remembered"}]
        if ctx.params.get("DeviceName"):
            attributes.append({"Name": "device_name", "Value": ctx.params["DeviceName"]})
        with self.store.lock:
            if verifier and salt:
                pending.update(verifier=verifier, salt=salt)
            user.devices[key] = {
                "DeviceKey": key, "DeviceAttributes": attributes, "DeviceCreateDate": now,
                "DeviceLastModifiedDate": now, "DeviceLastAuthenticatedDate": now}
        return {"UserConfirmationNecessary": prompt}

    def get_device(self, ctx: RequestContext) -> dict[str, Any]:
        _pool, user, _claims = self.access_token(ctx)
        return {"Device": copy.deepcopy(self._device(user, ctx.params["DeviceKey"]))}

    def admin_get_device(self, ctx: RequestContext) -> dict[str, Any]:
        user = self.user(self.pool(ctx), ctx.params["Username"])
        return {"Device": copy.deepcopy(self._device(user, ctx.params["DeviceKey"]))}

    def list_devices(self, ctx: RequestContext) -> dict[str, Any]:
        _pool, user, _claims = self.access_token(ctx)
        page, more = self.page(ctx, list(user.devices.values()), "PaginationToken", "Limit", f"devices:{user.sub}")
        return {"Devices": copy.deepcopy(page), **more}

    def admin_list_devices(self, ctx: RequestContext) -> dict[str, Any]:
        user = self.user(self.pool(ctx), ctx.params["Username"])
        page, more = self.page(ctx, list(user.devices.values()), "PaginationToken", "Limit", f"devices:{user.sub}")
        return {"Devices": copy.deepcopy(page), **more}

    def forget_device(self, ctx: RequestContext) -> dict[str, Any]:
        _pool, user, _claims = self.access_token(ctx) if ctx.params.get("AccessToken") else (None, None, None)
        if user is None:
            raise errors.invalid_access_token()
        self._device(user, ctx.params["DeviceKey"])
        with self.store.lock:
            user.devices.pop(ctx.params["DeviceKey"], None)
            user.device_secrets.pop(ctx.params["DeviceKey"], None)
        return {}

    def admin_forget_device(self, ctx: RequestContext) -> dict[str, Any]:
        user = self.user(self.pool(ctx), ctx.params["Username"])
        self._device(user, ctx.params["DeviceKey"])
        with self.store.lock:
            user.devices.pop(ctx.params["DeviceKey"], None)
            user.device_secrets.pop(ctx.params["DeviceKey"], None)
        return {}

    def _device_status(self, ctx: RequestContext, user: User) -> dict[str, Any]:
        device = self._device(user, ctx.params["DeviceKey"])
        status = ctx.params.get("DeviceRememberedStatus") or "not_remembered"
        with self.store.lock:
            device["DeviceAttributes"] = [a for a in device["DeviceAttributes"] if a["Name"] != "device_status"] + [
                {"Name": "device_status", "Value": status}]
            device["DeviceLastModifiedDate"] = ctx.clock.now()
        return {}

    def update_device_status(self, ctx: RequestContext) -> dict[str, Any]:
        _pool, user, _claims = self.access_token(ctx)
        return self._device_status(ctx, user)

    def admin_update_device_status(self, ctx: RequestContext) -> dict[str, Any]:
        return self._device_status(ctx, self.user(self.pool(ctx), ctx.params["Username"]))

    # -- auth events ------------------------------------------------------------------------------
    def admin_list_user_auth_events(self, ctx: RequestContext) -> dict[str, Any]:
        user = self.user(self.pool(ctx), ctx.params["Username"])
        events = list(reversed(user.auth_events))
        page, more = self.page(ctx, events, "NextToken", "MaxResults", f"events:{user.sub}")
        return {"AuthEvents": copy.deepcopy(page), **more}

    def _feedback(self, ctx: RequestContext, user: User) -> dict[str, Any]:
        for event in user.auth_events:
            if event["EventId"] == ctx.params["EventId"]:
                with self.store.lock:
                    event["EventFeedback"] = {"FeedbackValue": ctx.params["FeedbackValue"], "Provider": "Admin",
                                              "FeedbackDate": ctx.clock.now()}
                return {}
        raise errors.not_found("Auth event not found.")  # AWS's text unknown

    def admin_update_auth_event_feedback(self, ctx: RequestContext) -> dict[str, Any]:
        return self._feedback(ctx, self.user(self.pool(ctx), ctx.params["Username"]))

    def update_auth_event_feedback(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        return self._feedback(ctx, self.user(pool, ctx.params["Username"]))

    # -- WebAuthn (passkeys): registrations are kept, not verified cryptographically ----------
    def start_web_authn_registration(self, ctx: RequestContext) -> dict[str, Any]:
        pool, user, _claims = self.access_token(ctx)
        challenge = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
        return {"CredentialCreationOptions": {
            "challenge": challenge, "rp": {"id": "localhost", "name": pool.name},
            "user": {"id": base64.urlsafe_b64encode(user.sub.encode()).rstrip(b"=").decode(), "name": user.username,
                     "displayName": user.username},
            "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
            "timeout": 180000, "excludeCredentials": [],
            "authenticatorSelection": {"residentKey": "required", "userVerification": "preferred"},
        }}

    def complete_web_authn_registration(self, ctx: RequestContext) -> dict[str, Any]:
        _pool, user, _claims = self.access_token(ctx)
        credential = ctx.params["Credential"] if isinstance(ctx.params["Credential"], dict) else {}
        key = str(credential.get("id") or uuid.uuid4())
        with self.store.lock:
            user.passkeys[key] = {"CredentialId": key, "FriendlyCredentialName": "passkey",
                                  "RelyingPartyId": "localhost", "AuthenticatorTransports": ["internal"],
                                  "CreatedAt": ctx.clock.now()}
        return {}

    def list_web_authn_credentials(self, ctx: RequestContext) -> dict[str, Any]:
        _pool, user, _claims = self.access_token(ctx)
        page, more = self.page(ctx, list(user.passkeys.values()), "NextToken", "MaxResults", f"passkeys:{user.sub}",
                               default=20)
        return {"Credentials": copy.deepcopy(page), **more}

    def delete_web_authn_credential(self, ctx: RequestContext) -> dict[str, Any]:
        _pool, user, _claims = self.access_token(ctx)
        if user.passkeys.pop(ctx.params["CredentialId"], None) is None:
            raise errors.not_found("Credential not found.")  # AWS's text unknown
        return {}

    def get_user_auth_factors(self, ctx: RequestContext) -> dict[str, Any]:
        pool, user, _claims = self.access_token(ctx)
        return self.auth_factors(pool, user)

    def admin_get_user_auth_factors(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        return self.auth_factors(pool, self.user(pool, ctx.params["Username"]))

    def auth_factors(self, pool: UserPool, user: User) -> dict[str, Any]:
        """The user's MFA settings and the first factors USER_AUTH offers them."""
        factors = [f for f in ("PASSWORD", "EMAIL_OTP", "SMS_OTP") if f in self.first_factors(pool, user)]
        if user.passkeys:
            factors.append("WEB_AUTHN")
        if user.totp_secret:
            factors.append("SOFTWARE_TOKEN")
        return {"Username": user.username, "ConfiguredUserAuthFactors": factors, **self.mfa_settings(user)}

    # -- managed login branding -----------------------------------------------------------------
    def _branding(self, pool: UserPool, branding_id: str) -> dict[str, Any]:
        branding = pool.brandings.get(branding_id)
        if branding is None:
            raise errors.not_found(f"Managed login branding {branding_id} does not exist.")  # AWS's text unknown
        return branding

    def create_managed_login_branding(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        client = self.app_client(pool, ctx.params["ClientId"])
        if any(b["ClientId"] == client.client_id for b in pool.brandings.values()):
            raise AWSError("ManagedLoginBrandingExistsException", "Managed login branding already exists for this client.")
        now = ctx.clock.now()
        branding = {"ManagedLoginBrandingId": str(uuid.uuid4()), "UserPoolId": pool.pool_id, "ClientId": client.client_id,
                    "UseCognitoProvidedValues": bool(ctx.params.get("UseCognitoProvidedValues", not ctx.params.get("Settings"))),
                    "Settings": copy.deepcopy(ctx.params.get("Settings")), "Assets": copy.deepcopy(ctx.params.get("Assets") or []),
                    "CreationDate": now, "LastModifiedDate": now}
        with self.store.lock:
            pool.brandings[branding["ManagedLoginBrandingId"]] = branding
        return {"ManagedLoginBranding": _branding_out(branding)}

    def describe_managed_login_branding(self, ctx: RequestContext) -> dict[str, Any]:
        return {"ManagedLoginBranding": _branding_out(self._branding(self.pool(ctx), ctx.params["ManagedLoginBrandingId"]))}

    def describe_managed_login_branding_by_client(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        for branding in pool.brandings.values():
            if branding["ClientId"] == ctx.params["ClientId"]:
                return {"ManagedLoginBranding": _branding_out(branding)}
        raise errors.not_found(f"No managed login branding for client {ctx.params['ClientId']}.")

    def update_managed_login_branding(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        branding = self._branding(pool, ctx.params.get("ManagedLoginBrandingId") or "")
        with self.store.lock:
            for key in ("UseCognitoProvidedValues", "Settings", "Assets"):
                if key in ctx.params:
                    branding[key] = copy.deepcopy(ctx.params[key])
            branding["LastModifiedDate"] = ctx.clock.now()
        return {"ManagedLoginBranding": _branding_out(branding)}

    def delete_managed_login_branding(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self._branding(pool, ctx.params["ManagedLoginBrandingId"])
        with self.store.lock:
            pool.brandings.pop(ctx.params["ManagedLoginBrandingId"], None)
        return {}

    # -- terms ----------------------------------------------------------------------------------
    def _terms(self, pool: UserPool, terms_id: str) -> dict[str, Any]:
        terms = pool.terms.get(terms_id)
        if terms is None:
            raise errors.not_found(f"Terms {terms_id} do not exist.")  # AWS's text unknown
        return terms

    def create_terms(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self.app_client(pool, ctx.params["ClientId"])
        if any(t["ClientId"] == ctx.params["ClientId"] and t["TermsName"] == ctx.params["TermsName"]
               for t in pool.terms.values()):
            raise AWSError("TermsExistsException", "Terms with this name already exist for the client.")
        now = ctx.clock.now()
        terms = {"TermsId": str(uuid.uuid4()), "UserPoolId": pool.pool_id,
                 **{k: copy.deepcopy(ctx.params[k]) for k in ("ClientId", "TermsName", "TermsSource", "Enforcement")},
                 "Links": dict(ctx.params.get("Links") or {}), "CreationDate": now, "LastModifiedDate": now}
        with self.store.lock:
            pool.terms[terms["TermsId"]] = terms
        return {"Terms": copy.deepcopy(terms)}

    def describe_terms(self, ctx: RequestContext) -> dict[str, Any]:
        return {"Terms": copy.deepcopy(self._terms(self.pool(ctx), ctx.params["TermsId"]))}

    def update_terms(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        terms = self._terms(pool, ctx.params["TermsId"])
        with self.store.lock:
            for key in ("TermsName", "TermsSource", "Enforcement", "Links"):
                if key in ctx.params:
                    terms[key] = copy.deepcopy(ctx.params[key])
            terms["LastModifiedDate"] = ctx.clock.now()
        return {"Terms": copy.deepcopy(terms)}

    def delete_terms(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self._terms(pool, ctx.params["TermsId"])
        with self.store.lock:
            pool.terms.pop(ctx.params["TermsId"], None)
        return {}

    def list_terms(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        page, more = self.page(ctx, list(pool.terms.values()), "NextToken", "MaxResults", f"terms:{pool.pool_id}")
        return {"Terms": [{k: t[k] for k in ("TermsId", "TermsName", "Enforcement", "CreationDate", "LastModifiedDate")}
                          for t in page], **more}

    # -- user import jobs (kept; a started job completes with nothing imported) --------------------
    def _job(self, pool: UserPool, job_id: str) -> dict[str, Any]:
        job = pool.import_jobs.get(job_id)
        if job is None:
            raise errors.not_found(f"Import job {job_id} does not exist.")  # AWS's text unknown
        return job

    def create_user_import_job(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        job_id = f"import-{random_id(10)}"
        job = {"JobName": ctx.params["JobName"], "JobId": job_id, "UserPoolId": pool.pool_id,
               "PreSignedUrl": f"{ctx.endpoint or 'https://cognito-idp.amazonaws.com'}/_aws/cognito-idp/import/{job_id}",
               "CreationDate": ctx.clock.now(), "Status": "Created",
               "CloudWatchLogsRoleArn": ctx.params["CloudWatchLogsRoleArn"],
               "ImportedUsers": 0, "SkippedUsers": 0, "FailedUsers": 0}
        with self.store.lock:
            pool.import_jobs[job_id] = job
        return {"UserImportJob": dict(job)}

    def describe_user_import_job(self, ctx: RequestContext) -> dict[str, Any]:
        return {"UserImportJob": dict(self._job(self.pool(ctx), ctx.params["JobId"]))}

    def list_user_import_jobs(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        page, more = self.page(ctx, list(pool.import_jobs.values()), "PaginationToken", "MaxResults",
                               f"jobs:{pool.pool_id}")
        return {"UserImportJobs": [dict(j) for j in page], **more}

    def start_user_import_job(self, ctx: RequestContext) -> dict[str, Any]:
        job = self._job(self.pool(ctx), ctx.params["JobId"])
        if job["Status"] != "Created":
            raise AWSError("PreconditionNotMetException", f"Import job {job['JobId']} is not in Created state.")
        with self.store.lock:
            job.update(Status="Succeeded", StartDate=ctx.clock.now(), CompletionDate=ctx.clock.now(),
                       CompletionMessage="Import Job Completed Successfully.")
        return {"UserImportJob": dict(job)}

    def stop_user_import_job(self, ctx: RequestContext) -> dict[str, Any]:
        job = self._job(self.pool(ctx), ctx.params["JobId"])
        if job["Status"] not in ("Created", "Pending", "InProgress"):
            raise AWSError("PreconditionNotMetException", f"Import job {job['JobId']} can not be stopped.")
        with self.store.lock:
            job.update(Status="Stopped", CompletionDate=ctx.clock.now())
        return {"UserImportJob": dict(job)}

    def get_csv_header(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        custom = [a["Name"] for a in pool.schema if a["Name"].startswith("custom:")]
        return {"UserPoolId": pool.pool_id, "CSVHeader": CSV_HEADER + custom}

    # -- settings answered back -----------------------------------------------------------------
    def get_ui_customization(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        client_id = ctx.params.get("ClientId")
        if client_id:
            self.app_client(pool, client_id)
        found = pool.ui.get(f"ui:{client_id or 'ALL'}") or pool.ui.get("ui:ALL")
        return {"UICustomization": copy.deepcopy(found) if found else {"UserPoolId": pool.pool_id,
                                                                         "ClientId": client_id or "ALL"}}

    def set_ui_customization(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        client_id = ctx.params.get("ClientId") or "ALL"
        if client_id != "ALL":
            self.app_client(pool, client_id)
        now = ctx.clock.now()
        entry = {"UserPoolId": pool.pool_id, "ClientId": client_id, "CSSVersion": str(int(now)),
                 "LastModifiedDate": now, "CreationDate": (pool.ui.get(f"ui:{client_id}") or {}).get("CreationDate", now)}
        if ctx.params.get("CSS"):
            entry["CSS"] = ctx.params["CSS"]
        if ctx.params.get("ImageFile"):
            entry["ImageUrl"] = f"{ctx.endpoint}/_aws/cognito-idp/ui/{pool.pool_id}/{client_id}/logo.png"
        with self.store.lock:
            pool.ui[f"ui:{client_id}"] = entry
        return {"UICustomization": copy.deepcopy(entry)}

    def describe_risk_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        client_id = ctx.params.get("ClientId")
        found = pool.risk.get(client_id or "") or pool.risk.get("")
        out = {"UserPoolId": pool.pool_id, **({"ClientId": client_id} if client_id else {})}
        return {"RiskConfiguration": copy.deepcopy(found) if found else out}

    def set_risk_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        client_id = ctx.params.get("ClientId") or ""
        if client_id:
            self.app_client(pool, client_id)
        entry = {"UserPoolId": pool.pool_id, "LastModifiedDate": ctx.clock.now(),
                 **{k: copy.deepcopy(v) for k, v in ctx.params.items() if k.endswith("Configuration")}}
        if client_id:
            entry["ClientId"] = client_id
        with self.store.lock:
            pool.risk[client_id] = entry
        return {"RiskConfiguration": copy.deepcopy(entry)}

    def get_log_delivery_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        return {"LogDeliveryConfiguration": {"UserPoolId": pool.pool_id, "LogConfigurations": copy.deepcopy(pool.log_delivery)}}

    def set_log_delivery_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        with self.store.lock:
            pool.log_delivery = copy.deepcopy(ctx.params["LogConfigurations"])
        return self.get_log_delivery_configuration(ctx)

    def get_signing_certificate(self, ctx: RequestContext) -> dict[str, Any]:
        """A self-signed X.509 certificate of the pool's signing key (for SAML), base64 DER."""
        pool = self.pool(ctx)
        with self.store.lock:
            key = tokens.ensure_key(pool)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, pool.pool_id)])
        start = datetime.datetime.fromtimestamp(pool.created, datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(int.from_bytes(pool.pool_id.encode()[:16], "big"))
                .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=3650))
                .sign(key, hashes.SHA256()))
        return {"Certificate": base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()}


def _branding_out(branding: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in branding.items() if k != "ClientId" and v is not None}
