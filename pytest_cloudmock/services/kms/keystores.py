"""Custom key stores (CloudHSM and external): stored, connected and disconnected on request.
No HSM or proxy is contacted; keys in a connected store work like AWS_KMS keys."""

from __future__ import annotations

import os
from typing import Any

from ...api import AWSError, RequestContext
from .base import KmsBase, timestamp
from .state import CustomKeyStore

_SETTINGS = ("CloudHsmClusterId", "TrustAnchorCertificate", "XksProxyUriEndpoint", "XksProxyUriPath",
             "XksProxyVpcEndpointServiceName", "XksProxyVpcEndpointServiceOwner", "XksProxyConnectivity")


def _not_found(store_id: str) -> AWSError:
    return AWSError("CustomKeyStoreNotFoundException", f"Custom key store {store_id} does not exist.")


class KeyStoreOperations(KmsBase):

    def create_custom_key_store(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            if any(s.name == p["CustomKeyStoreName"] for s in state.custom_key_stores.values()):
                raise AWSError("CustomKeyStoreNameInUseException",
                               f"A custom key store named {p['CustomKeyStoreName']} already exists.")
            store_id = f"cks-{os.urandom(9).hex()[:17]}"
            settings = {k: p[k] for k in _SETTINGS if p.get(k) is not None}
            if p.get("XksProxyAuthenticationCredential"):
                settings["AccessKeyId"] = p["XksProxyAuthenticationCredential"]["AccessKeyId"]
            state.custom_key_stores[store_id] = CustomKeyStore(
                store_id, p["CustomKeyStoreName"], p.get("CustomKeyStoreType") or "AWS_CLOUDHSM",
                ctx.clock.now(), settings=settings)
        return {"CustomKeyStoreId": store_id}

    def _store(self, ctx: RequestContext) -> CustomKeyStore:
        store_id = ctx.params["CustomKeyStoreId"]
        found = self.store.for_ctx(ctx).custom_key_stores.get(store_id)
        if found is None:
            raise _not_found(store_id)
        return found

    def connect_custom_key_store(self, ctx: RequestContext) -> dict[str, Any]:
        cks = self._store(ctx)
        if cks.state not in ("DISCONNECTED", "CONNECTED"):
            raise AWSError("CustomKeyStoreInvalidStateException", f"Custom key store {cks.store_id} is {cks.state}.")
        cks.state = "CONNECTED"
        self._set_keys(ctx, cks.store_id, "Enabled")
        return {}

    def disconnect_custom_key_store(self, ctx: RequestContext) -> dict[str, Any]:
        cks = self._store(ctx)
        if cks.state != "CONNECTED":
            raise AWSError("CustomKeyStoreInvalidStateException", f"Custom key store {cks.store_id} is not connected.")
        cks.state = "DISCONNECTED"
        self._set_keys(ctx, cks.store_id, "Unavailable")
        return {}

    def _set_keys(self, ctx: RequestContext, store_id: str, new_state: str) -> None:
        """Keys in a disconnected store are Unavailable; they come back when it reconnects."""
        with self.store.lock:
            for key in self.store.for_ctx(ctx).keys.values():
                if key.custom_key_store_id == store_id and key.state in ("Enabled", "Unavailable"):
                    key.state = new_state

    def update_custom_key_store(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        cks = self._store(ctx)
        if cks.state == "CONNECTED" and any(p.get(k) for k in ("NewCustomKeyStoreName", "KeyStorePassword", *_SETTINGS)):
            raise AWSError("CustomKeyStoreInvalidStateException",
                           f"Disconnect custom key store {cks.store_id} before updating it.")
        with self.store.lock:
            if p.get("NewCustomKeyStoreName"):
                cks.name = p["NewCustomKeyStoreName"]
            cks.settings.update({k: p[k] for k in _SETTINGS if p.get(k) is not None})
        return {}

    def delete_custom_key_store(self, ctx: RequestContext) -> dict[str, Any]:
        cks = self._store(ctx)
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            if cks.state == "CONNECTED":
                raise AWSError("CustomKeyStoreInvalidStateException",
                               f"Disconnect custom key store {cks.store_id} before deleting it.")
            if any(k.custom_key_store_id == cks.store_id for k in state.keys.values()):
                raise AWSError("CustomKeyStoreHasCMKsException",
                               f"Custom key store {cks.store_id} still has KMS keys; delete them first.")
            del state.custom_key_stores[cks.store_id]
        return {}

    def describe_custom_key_stores(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        stores = sorted(list(self.store.for_ctx(ctx).custom_key_stores.values()), key=lambda s: s.created)
        if p.get("CustomKeyStoreId"):
            stores = [s for s in stores if s.store_id == p["CustomKeyStoreId"]] or _raise(_not_found(p["CustomKeyStoreId"]))
        if p.get("CustomKeyStoreName"):
            stores = [s for s in stores if s.name == p["CustomKeyStoreName"]] or _raise(_not_found(p["CustomKeyStoreName"]))
        page, more = self.page(ctx, [self._store_entry(s) for s in stores], "keystores")
        return {"CustomKeyStores": page, **more}

    @staticmethod
    def _store_entry(cks: CustomKeyStore) -> dict[str, Any]:
        entry: dict[str, Any] = {"CustomKeyStoreId": cks.store_id, "CustomKeyStoreName": cks.name,
                                 "ConnectionState": cks.state, "CreationDate": timestamp(cks.created),
                                 "CustomKeyStoreType": cks.store_type}
        settings = cks.settings
        if cks.store_type == "AWS_CLOUDHSM":
            entry.update({k: settings[k] for k in ("CloudHsmClusterId", "TrustAnchorCertificate") if k in settings})
        else:
            proxy = {"Connectivity": settings.get("XksProxyConnectivity"), "AccessKeyId": settings.get("AccessKeyId"),
                     "UriEndpoint": settings.get("XksProxyUriEndpoint"), "UriPath": settings.get("XksProxyUriPath"),
                     "VpcEndpointServiceName": settings.get("XksProxyVpcEndpointServiceName"),
                     "VpcEndpointServiceOwner": settings.get("XksProxyVpcEndpointServiceOwner")}
            entry["XksProxyConfiguration"] = {k: v for k, v in proxy.items() if v is not None}
        return entry


def _raise(error: AWSError) -> Any:
    raise error
