"""Mobile push: platform applications (APNS, FCM/GCM, ADM, Baidu, MPNS, WNS) and their endpoints.

Nothing is pushed to a real platform: `Publish` to an endpoint ARN is captured in
the store's `outbox` (protocol `application`), as SMS is. Where AWS's exact
wording of an error is not documented, the message says what AWS checks and a
comment says the wording is ours.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from ...api import RequestContext
from .base import SnsBase, check_arn, invalid, not_found, page
from .state import PlatformApplication, PlatformEndpoint

PLATFORMS = ("ADM", "APNS", "APNS_SANDBOX", "BAIDU", "GCM", "MPNS", "WNS")
# Credentials each platform needs at creation (AWS's "Principal/Credential is not provided").
REQUIRED = {
    "ADM": ("PlatformPrincipal", "PlatformCredential"),
    "APNS": ("PlatformPrincipal", "PlatformCredential"),
    "APNS_SANDBOX": ("PlatformPrincipal", "PlatformCredential"),
    "BAIDU": ("PlatformPrincipal", "PlatformCredential"),
    "GCM": ("PlatformCredential",),
    "MPNS": (),
    "WNS": ("PlatformPrincipal", "PlatformCredential"),
}
APPLICATION_ATTRIBUTES = {
    "PlatformCredential", "PlatformPrincipal", "EventEndpointCreated", "EventEndpointDeleted",
    "EventEndpointUpdated", "EventDeliveryFailure", "SuccessFeedbackRoleArn", "FailureFeedbackRoleArn",
    "SuccessFeedbackSampleRate", "ApplePlatformTeamID", "ApplePlatformBundleID",
}
SECRET_ATTRIBUTES = {"PlatformCredential", "PlatformPrincipal"}  # never read back
ENDPOINT_ATTRIBUTES = {"CustomUserData", "Enabled", "Token"}
MAX_CUSTOM_USER_DATA = 2048
_APP_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,256}$")


def _check_names(attributes: dict[str, str], allowed: set[str]) -> None:
    for name in attributes:
        if name not in allowed:
            # AWS's exact text for an unknown attribute name is not documented.
            raise invalid(f"Attributes Reason: Invalid attribute name: {name}")


def _check_enabled(attributes: dict[str, str]) -> None:
    value = attributes.get("Enabled")
    if value is not None and value.lower() not in ("true", "false"):
        # Wording not documented by AWS.
        raise invalid(f"Attributes Reason: Enabled: Invalid value [{value}]. Must be true or false.")


def application_view(app: PlatformApplication) -> dict[str, str]:
    """The attributes `GetPlatformApplicationAttributes` shows (credentials left out, as AWS does)."""
    shown = {k: v for k, v in app.attributes.items() if k not in SECRET_ATTRIBUTES}
    if app.platform.startswith("APNS"):
        shown["AuthenticationMethod"] = "Token" if "ApplePlatformTeamID" in app.attributes else "Certificate"
    return {"Enabled": "true", **shown}


class PlatformOperations(SnsBase):
    """Platform applications and endpoints."""

    # -- applications -----------------------------------------------------------------------
    def create_platform_application(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, platform = p["Name"], p["Platform"]
        attributes = dict(p.get("Attributes") or {})
        if not _APP_NAME.match(name):
            raise invalid("Application Name")  # AWS: "Application Name is null string" / invalid
        if platform not in PLATFORMS:
            raise invalid("Platform Name is invalid")  # wording from AWS's mobile push error table
        _check_names(attributes, APPLICATION_ATTRIBUTES)
        token_auth = platform.startswith("APNS") and "ApplePlatformTeamID" in attributes
        for required in REQUIRED[platform]:
            if not attributes.get(required) and not (token_auth and required == "PlatformPrincipal"):
                # AWS documents "Principal/Credential is not provided"; its wire text is not documented.
                which = "Principal" if required == "PlatformPrincipal" else "Credential"
                raise invalid(f"Attributes Reason: {which} is not provided")
        arn = f"arn:{ctx.partition}:sns:{ctx.region}:{ctx.account_id}:app/{platform}/{name}"
        with self.store.lock:
            state = self.store.for_ctx(ctx)
            existing = state.applications.get(arn)
            if existing is not None:  # same name and platform: AWS updates it in place
                existing.attributes.update(attributes)
            else:
                state.applications[arn] = PlatformApplication(arn, name, platform, attributes)
        return {"PlatformApplicationArn": arn}

    def get_platform_application_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            app = self._application(ctx.params["PlatformApplicationArn"])
            return {"Attributes": application_view(app)}

    def set_platform_application_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        attributes = dict(ctx.params.get("Attributes") or {})
        _check_names(attributes, APPLICATION_ATTRIBUTES)
        with self.store.lock:
            app = self._application(ctx.params["PlatformApplicationArn"])
            app.attributes.update(attributes)
        return {}

    def delete_platform_application(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["PlatformApplicationArn"]
        check_arn(arn, "PlatformApplicationArn", ":app/")
        with self.store.lock:
            state = self._state_of(arn)
            if state.applications.pop(arn, None) is not None:
                for endpoint_arn in [e.arn for e in state.endpoints.values() if e.application_arn == arn]:
                    del state.endpoints[endpoint_arn]
        return {}

    def list_platform_applications(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            apps = sorted(self.store.for_ctx(ctx).applications.values(), key=lambda a: a.arn)
            items = [{"PlatformApplicationArn": a.arn, "Attributes": application_view(a)} for a in apps]
        return page(items, ctx.params.get("NextToken"), "PlatformApplications", "ListPlatformApplications")

    # -- endpoints ------------------------------------------------------------------------------
    def create_platform_endpoint(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        token = p["Token"]
        attributes = dict(p.get("Attributes") or {})
        _check_names(attributes, ENDPOINT_ATTRIBUTES)
        _check_enabled(attributes)
        if not token:
            raise invalid("Token Reason: cannot be empty")  # wording not documented by AWS
        custom = p.get("CustomUserData", attributes.get("CustomUserData"))
        if custom is not None and len(custom.encode()) > MAX_CUSTOM_USER_DATA:
            raise invalid("CustomUserData Reason: must be less than 2KB")  # wording not documented by AWS
        wanted = {"Enabled": attributes.get("Enabled", "true").lower(), "Token": token}
        if custom is not None:
            wanted["CustomUserData"] = custom
        with self.store.lock:
            app = self._application(p["PlatformApplicationArn"])
            state = self._state_of(app.arn)
            for endpoint in state.endpoints.values():
                if endpoint.application_arn == app.arn and endpoint.attributes.get("Token") == token:
                    if any(endpoint.attributes.get(k) != v for k, v in wanted.items()):
                        raise invalid(f"Token Reason: Endpoint {endpoint.arn} already exists with the same "
                                      "Token, but different attributes.")
                    return {"EndpointArn": endpoint.arn}
            region, account = app.arn.split(":")[3:5]
            arn = f"arn:{ctx.partition}:sns:{region}:{account}:endpoint/{app.platform}/{app.name}/{uuid.uuid4()}"
            state.endpoints[arn] = PlatformEndpoint(arn, app.arn, wanted)
        return {"EndpointArn": arn}

    def get_endpoint_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"Attributes": dict(self._endpoint(ctx.params["EndpointArn"]).attributes)}

    def set_endpoint_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        attributes = dict(ctx.params.get("Attributes") or {})
        _check_names(attributes, ENDPOINT_ATTRIBUTES)
        _check_enabled(attributes)
        if "Token" in attributes and not attributes["Token"]:
            raise invalid("Token Reason: cannot be empty")  # wording not documented by AWS
        if "Enabled" in attributes:
            attributes["Enabled"] = attributes["Enabled"].lower()
        with self.store.lock:
            self._endpoint(ctx.params["EndpointArn"]).attributes.update(attributes)
        return {}

    def delete_endpoint(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["EndpointArn"]
        check_arn(arn, "EndpointArn", ":endpoint/")
        with self.store.lock:
            self._state_of(arn).endpoints.pop(arn, None)  # deleting twice is no error, as on AWS
        return {}

    def list_endpoints_by_platform_application(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            app = self._application(ctx.params["PlatformApplicationArn"])
            endpoints = sorted((e for e in self._state_of(app.arn).endpoints.values() if e.application_arn == app.arn),
                               key=lambda e: e.arn)
            items = [{"EndpointArn": e.arn, "Attributes": dict(e.attributes)} for e in endpoints]
        return page(items, ctx.params.get("NextToken"), "Endpoints", f"ListEndpointsByPlatformApplication:{app.arn}")

    # -- lookups ------------------------------------------------------------------------------
    def _application(self, arn: str) -> PlatformApplication:
        check_arn(arn, "PlatformApplicationArn", ":app/")
        state = self._state_of(arn)
        app = state.applications.get(arn)
        if app is None:
            raise not_found("PlatformApplication does not exist")
        return app
