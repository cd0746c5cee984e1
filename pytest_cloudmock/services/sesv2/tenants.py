"""Tenants, their resource associations, and reputation entities (stored).

A reputation entity is a resource (a tenant, or an identity, configuration set or
template associated with one) named by its ARN; its customer-managed status and policy
are stored, and SES's own status is always ENABLED here.
"""

from __future__ import annotations

import uuid
from typing import Any

from ...api import RequestContext
from .errors import already_exists, bad_request, not_found
from .shared import SharedCore
from .state import ReputationEntity, Tenant

#: ARN resource type -> `TenantResource.ResourceType`
RESOURCE_TYPES = {"identity": "EMAIL_IDENTITY", "configuration-set": "CONFIGURATION_SET", "template": "EMAIL_TEMPLATE"}


def resource_type(arn: str) -> str | None:
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "ses":
        return None
    return parts[5].split("/", 1)[0]


class TenantOperations(SharedCore):
    def resource_exists(self, ctx: RequestContext, arn: str) -> bool:
        """Whether the SES resource named by `arn` exists (the shared core answers for its own)."""
        kind, name = resource_type(arn) or "", arn.rsplit("/", 1)[-1]
        state = self.state(ctx)
        return {
            "contact-list": lambda: name in state.contact_lists,
            "dedicated-ip-pool": lambda: name in state.pools,
            "deliverability-test-report": lambda: name in state.reports,
            "multi-region-endpoint": lambda: name in state.endpoints,
            "tenant": lambda: any(t.arn == arn for t in state.tenants.values()),
        }.get(kind, lambda: self.shared_resource_exists(ctx, kind, name))()

    def shared_resource_exists(self, ctx: RequestContext, kind: str, name: str) -> bool:
        """Identities, configuration sets and (custom verification) templates: the shared core's."""
        with self.locked(ctx) as core:
            if kind == "identity":
                return self.ses(ctx).find_identity(core, name) is not None
            return name in {"configuration-set": core.configuration_sets, "template": core.templates,
                            "custom-verification-email-template": core.custom_verification_templates}.get(kind, {})

    def tenant(self, ctx: RequestContext, name: str) -> Tenant:
        found = self.state(ctx).tenants.get(name)
        if found is None:
            raise not_found(f"Tenant {name} does not exist.")  # wording ours
        return found

    def _describe_tenant(self, ctx: RequestContext, t: Tenant) -> dict[str, Any]:
        return {"TenantName": t.name, "TenantId": t.id, "TenantArn": t.arn, "CreatedTimestamp": t.created,
                "Tags": self.tag_list(ctx, t.arn), "SendingStatus": t.status}

    def create_tenant(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["TenantName"]
        tenant_id = "tn-" + uuid.uuid4().hex[:24]  # AWS's id format is not documented
        with self.locked(ctx):
            tenants = self.state(ctx).tenants
            if name in tenants:
                raise already_exists(f"Tenant {name} already exists.")  # wording ours
            tenant = tenants[name] = Tenant(name, tenant_id, self.arn(ctx, f"tenant/{name}/{tenant_id}"),
                                            ctx.clock.utcnow())
            self.set_tags(ctx, tenant.arn, ctx.params.get("Tags"))
            return self._describe_tenant(ctx, tenant)

    def get_tenant(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx):
            return {"Tenant": self._describe_tenant(ctx, self.tenant(ctx, ctx.params["TenantName"]))}

    def delete_tenant(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx):
            tenant = self.tenant(ctx, ctx.params["TenantName"])
            del self.state(ctx).tenants[tenant.name]
            self.state(ctx).reputation.pop(tenant.arn, None)
            self.drop_tags(ctx, tenant.arn)
        return {}

    def list_tenants(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx):
            items = [{"TenantName": t.name, "TenantId": t.id, "TenantArn": t.arn, "CreatedTimestamp": t.created}
                     for _, t in sorted(self.state(ctx).tenants.items())]
        page, more = self.page(ctx, items, "tenants")
        return {"Tenants": page, **more}

    def create_tenant_resource_association(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["ResourceArn"]
        if resource_type(arn) not in RESOURCE_TYPES:
            raise bad_request(f"Resource {arn} cannot be associated with a tenant.")  # wording ours
        with self.locked(ctx):
            tenant = self.tenant(ctx, ctx.params["TenantName"])
            if not self.resource_exists(ctx, arn):
                raise not_found(f"Resource {arn} does not exist.")  # wording ours
            if arn in tenant.resources:
                raise already_exists(f"Resource {arn} is already associated with tenant {tenant.name}.")  # ours
            tenant.resources[arn] = ctx.clock.utcnow()
        return {}

    def delete_tenant_resource_association(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["ResourceArn"]
        with self.locked(ctx):
            tenant = self.tenant(ctx, ctx.params["TenantName"])
            if tenant.resources.pop(arn, None) is None:
                raise not_found(f"Resource {arn} is not associated with tenant {tenant.name}.")  # wording ours
        return {}

    def list_tenant_resources(self, ctx: RequestContext) -> dict[str, Any]:
        wanted = (ctx.params.get("Filter") or {}).get("RESOURCE_TYPE")
        with self.locked(ctx):
            tenant = self.tenant(ctx, ctx.params["TenantName"])
            items = [{"ResourceType": RESOURCE_TYPES[resource_type(arn) or ""], "ResourceArn": arn}
                     for arn in sorted(tenant.resources)]
        items = [i for i in items if wanted is None or i["ResourceType"] == wanted]
        page, more = self.page(ctx, items, f"tenant-resources/{tenant.name}")
        return {"TenantResources": page, **more}

    def list_resource_tenants(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["ResourceArn"]
        with self.locked(ctx):
            if not self.resource_exists(ctx, arn):
                raise not_found(f"Resource {arn} does not exist.")  # wording ours
            items = [{"TenantName": t.name, "TenantId": t.id, "ResourceArn": arn, "AssociatedTimestamp": t.resources[arn]}
                     for _, t in sorted(self.state(ctx).tenants.items()) if arn in t.resources]
        page, more = self.page(ctx, items, f"resource-tenants/{arn}")
        return {"ResourceTenants": page, **more}

    def tenant_sending_status(self, ctx: RequestContext, name: str) -> str:
        """ENABLED / DISABLED of the tenant a send names (NotFoundException if none)."""
        with self.locked(ctx):
            tenant = self.tenant(ctx, name)
            entity = self.state(ctx).reputation.get(tenant.arn)
            return "DISABLED" if tenant.status == "DISABLED" or (entity and entity.customer_status == "DISABLED") \
                else "ENABLED"

    # -- reputation entities ---------------------------------------------------------------------
    def _entity_refs(self, ctx: RequestContext) -> list[str]:
        state = self.state(ctx)
        refs = {t.arn for t in state.tenants.values()}
        refs.update(arn for t in state.tenants.values() for arn in t.resources)
        refs.update(state.reputation)
        return sorted(refs)

    def _entity(self, ctx: RequestContext, reference: str, create: bool = False) -> ReputationEntity:
        state = self.state(ctx)
        entity = state.reputation.get(reference)
        if entity is None:
            if reference not in self._entity_refs(ctx) and not self.resource_exists(ctx, reference):
                raise not_found(f"Reputation entity {reference} does not exist.")  # wording ours
            entity = ReputationEntity(reference)
            if create:
                state.reputation[reference] = entity
        return entity

    @staticmethod
    def _describe_entity(entity: ReputationEntity) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ReputationEntityReference": entity.reference, "ReputationEntityType": "RESOURCE",
            "CustomerManagedStatus": {"Status": entity.customer_status},
            "AwsSesManagedStatus": {"Status": "ENABLED"},
            "SendingStatusAggregate": "DISABLED" if entity.customer_status == "DISABLED" else "ENABLED",
            "ReputationImpact": "LOW",
        }
        if entity.updated is not None:
            out["CustomerManagedStatus"]["LastUpdatedTimestamp"] = entity.updated
        if entity.policy is not None:
            out["ReputationManagementPolicy"] = entity.policy
        return out

    def get_reputation_entity(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx):
            return {"ReputationEntity": self._describe_entity(self._entity(ctx, ctx.params["ReputationEntityReference"]))}

    def list_reputation_entities(self, ctx: RequestContext) -> dict[str, Any]:
        flt = ctx.params.get("Filter") or {}
        with self.locked(ctx):
            entities = [self._describe_entity(self._entity(ctx, ref)) for ref in self._entity_refs(ctx)]
        checks = {"REPUTATION_IMPACT": "ReputationImpact", "SENDING_STATUS": "SendingStatusAggregate",
                  "ENTITY_TYPE": "ReputationEntityType"}
        for key, value in flt.items():
            if key in checks:
                entities = [e for e in entities if e[checks[key]] == value]
            elif key == "ENTITY_REFERENCE_PREFIX":
                entities = [e for e in entities if e["ReputationEntityReference"].startswith(value)]
        page, more = self.page(ctx, entities, "reputation")
        return {"ReputationEntities": page, **more}

    def update_reputation_entity_customer_managed_status(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx):
            entity = self._entity(ctx, ctx.params["ReputationEntityReference"], create=True)
            entity.customer_status = ctx.params["SendingStatus"]
            entity.updated = ctx.clock.utcnow()
        return {}

    def update_reputation_entity_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx):
            entity = self._entity(ctx, ctx.params["ReputationEntityReference"], create=True)
            entity.policy = ctx.params["ReputationEntityPolicy"]
        return {}
