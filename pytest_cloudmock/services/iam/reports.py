"""Access reports: service last accessed details (which services an entity's
policies grant, never accessed: the mock records no access by service), the
policies granting a service, Organizations access reports (stored jobs, no
Organizations behind them) and the human-readable summary of a policy."""

from __future__ import annotations

import uuid
from typing import Any

from ...api import RequestContext
from .base import IamBase, no_such_entity
from .documents import statements
from .paging import page
from .state import Job, ManagedPolicy, Principal, stamp
from .tags import invalid_input

SERVICE_NAMES = {
    "s3": "Amazon S3", "sqs": "Amazon SQS", "sns": "Amazon SNS", "iam": "AWS Identity and Access Management",
    "sts": "AWS Security Token Service", "dynamodb": "Amazon DynamoDB", "lambda": "AWS Lambda",
    "logs": "Amazon CloudWatch Logs", "kms": "AWS Key Management Service", "ec2": "Amazon EC2",
    "ssm": "AWS Systems Manager", "secretsmanager": "AWS Secrets Manager",
}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def namespaces(document: str) -> set[str]:
    """The service namespaces a document's Allow statements name in `Action`."""
    found = set()
    for statement in statements(document):
        if statement["Effect"] == "Allow":
            found.update(str(a).split(":")[0].lower() for a in _as_list(statement.get("Action", [])) if ":" in str(a))
    return found


def service_name(namespace: str) -> str:
    return SERVICE_NAMES.get(namespace, f"AWS {namespace}")


class ReportOperations(IamBase):
    """Last-accessed and Organizations access reports, and policy summaries."""

    def _entity_documents(self, ctx: RequestContext, arn: str) -> list[tuple[str, str, str, str]]:
        """(policy name, policy type, policy ARN or '', document) of an entity or a policy ARN."""
        if ":policy/" in arn:
            policy = self._policy(ctx, arn)
            return [(policy.name, "MANAGED", policy.arn, policy.versions[policy.default_version].document)]
        kind, _, name = arn.split(":", 5)[-1].partition("/") if arn.count(":") >= 5 else ("", "", "")
        state = self._state(ctx)
        table = {"user": state.users, "group": state.groups, "role": state.roles}.get(kind)
        entity: Principal | None = table.get(name.rsplit("/", 1)[-1].lower()) if table is not None else None
        if entity is None or entity.arn != arn:
            raise no_such_entity(f"The entity {arn} cannot be found.")  # AWS's exact wording is not documented
        out = [(n, "INLINE", "", d) for n, d in entity.inline_policies.items()]
        for policy_arn in entity.attached_policies:
            policy: ManagedPolicy = self._policy(ctx, policy_arn)
            out.append((policy.name, "MANAGED", policy.arn, policy.versions[policy.default_version].document))
        return out

    def _job(self, ctx: RequestContext, kind: str) -> Job:
        job = self._state(ctx).jobs.get(ctx.params["JobId"])
        if job is None or job.kind != kind:
            raise no_such_entity(f"No report job with id {ctx.params['JobId']} exists.")  # wording not documented
        return job

    def _new_job(self, ctx: RequestContext, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        job_id = str(uuid.uuid4())
        self._state(ctx).jobs[job_id] = Job(kind, params, created=stamp(ctx.clock))
        return {"JobId": job_id}

    # -- service last accessed ---------------------------------------------------------------
    def generate_service_last_accessed_details(self, ctx: RequestContext) -> dict[str, Any]:
        self._entity_documents(ctx, ctx.params["Arn"])
        return self._new_job(ctx, "last-accessed", {"Arn": ctx.params["Arn"],
                                                    "Granularity": ctx.params.get("Granularity", "SERVICE_LEVEL")})

    def get_service_last_accessed_details(self, ctx: RequestContext) -> dict[str, Any]:
        job = self._job(ctx, "last-accessed")
        found: set[str] = set()
        for *_, document in self._entity_documents(ctx, job.params["Arn"]):
            found |= namespaces(document)
        services = [{"ServiceName": service_name(ns), "ServiceNamespace": ns, "TotalAuthenticatedEntities": 0}
                    for ns in sorted(found)]
        return {"JobStatus": "COMPLETED", "JobType": job.params["Granularity"], "JobCreationDate": job.created,
                "JobCompletionDate": job.created, **page(services, ctx.params, "ServicesLastAccessed")}

    def get_service_last_accessed_details_with_entities(self, ctx: RequestContext) -> dict[str, Any]:
        job = self._job(ctx, "last-accessed")
        return {"JobStatus": "COMPLETED", "JobCreationDate": job.created, "JobCompletionDate": job.created,
                **page([], ctx.params, "EntityDetailsList")}

    def list_policies_granting_service_access(self, ctx: RequestContext) -> dict[str, Any]:
        documents = self._entity_documents(ctx, ctx.params["Arn"])
        kind = ctx.params["Arn"].split(":", 5)[-1].split("/")[0].upper()
        out = []
        for namespace in ctx.params["ServiceNamespaces"]:
            policies = []
            for name, policy_type, policy_arn, document in documents:
                if namespace.lower() in namespaces(document):
                    entry = {"PolicyName": name, "PolicyType": policy_type}
                    if policy_arn:
                        entry["PolicyArn"] = policy_arn
                    elif kind in ("USER", "GROUP", "ROLE"):
                        entry.update(EntityType=kind, EntityName=ctx.params["Arn"].rsplit("/", 1)[-1])
                    policies.append(entry)
            out.append({"ServiceNamespace": namespace, "Policies": policies})
        return {"PoliciesGrantingServiceAccess": out, "IsTruncated": False}

    # -- Organizations access reports --------------------------------------------------------
    def generate_organizations_access_report(self, ctx: RequestContext) -> dict[str, Any]:
        path = ctx.params["EntityPath"]
        if not path.startswith("o-"):
            raise invalid_input(f"Invalid entity path: {path}")  # AWS's exact wording is not documented
        return self._new_job(ctx, "organizations", dict(ctx.params))

    def get_organizations_access_report(self, ctx: RequestContext) -> dict[str, Any]:
        job = self._job(ctx, "organizations")
        return {"JobStatus": "COMPLETED", "JobCreationDate": job.created, "JobCompletionDate": job.created,
                "NumberOfServicesAccessible": 0, "NumberOfServicesNotAccessed": 0,
                **page([], ctx.params, "AccessDetails")}

    # -- human-readable summary --------------------------------------------------------------
    def get_human_readable_summary(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["EntityArn"]
        locale = ctx.params.get("Locale", "en")
        if locale not in ("en", "en-US", "en_US"):
            raise invalid_input(f"Locale {locale} is not supported.")  # AWS's exact wording is not documented
        lines = []
        for name, _, _, document in self._entity_documents(ctx, arn):
            for statement in statements(document):
                verb = "Allows" if statement["Effect"] == "Allow" else "Denies"
                actions = ", ".join(_as_list(statement.get("Action", statement.get("NotAction", []))))
                resources = ", ".join(_as_list(statement.get("Resource", statement.get("NotResource", "*"))))
                lines.append(f"{name}: {verb} {actions} on {resources}.")
        return {"SummaryContent": "\n".join(lines) or "No permissions.", "Locale": locale,
                "SummaryState": "AVAILABLE"}
