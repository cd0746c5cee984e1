"""Service-linked roles: the role each AWS service names for itself, under
`/aws-service-role/<service principal>/`, and their deletion tasks.

`SERVICE_ROLES` holds the role names AWS documents for common services; any
other `*.amazonaws.com` principal gets `AWSServiceRoleFor` + its first label
in CamelCase (an approximation, said so in the docs).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from .. import _credentials as creds
from .base import IamBase, no_such_entity
from .state import Role, stamp
from .tags import invalid_input

SERVICE_ROLES: dict[str, str] = {
    "autoscaling.amazonaws.com": "AWSServiceRoleForAutoScaling",
    "backup.amazonaws.com": "AWSServiceRoleForBackup",
    "cloudtrail.amazonaws.com": "AWSServiceRoleForCloudTrail",
    "config.amazonaws.com": "AWSServiceRoleForConfig",
    "dynamodb.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable",
    "ecs.amazonaws.com": "AWSServiceRoleForECS",
    "ecs.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_ECSService",
    "eks.amazonaws.com": "AWSServiceRoleForAmazonEKS",
    "eks-nodegroup.amazonaws.com": "AWSServiceRoleForAmazonEKSNodegroup",
    "elasticache.amazonaws.com": "AWSServiceRoleForElastiCache",
    "elasticbeanstalk.amazonaws.com": "AWSServiceRoleForElasticBeanstalk",
    "elasticloadbalancing.amazonaws.com": "AWSServiceRoleForElasticLoadBalancing",
    "elasticmapreduce.amazonaws.com": "AWSServiceRoleForEMRCleanup",
    "es.amazonaws.com": "AWSServiceRoleForAmazonElasticsearchService",
    "opensearchservice.amazonaws.com": "AWSServiceRoleForAmazonOpenSearchService",
    "globalaccelerator.amazonaws.com": "AWSServiceRoleForGlobalAccelerator",
    "guardduty.amazonaws.com": "AWSServiceRoleForAmazonGuardDuty",
    "kafka.amazonaws.com": "AWSServiceRoleForKafka",
    "lambda.amazonaws.com": "AWSServiceRoleForLambda",
    "organizations.amazonaws.com": "AWSServiceRoleForOrganizations",
    "rds.amazonaws.com": "AWSServiceRoleForRDS",
    "redshift.amazonaws.com": "AWSServiceRoleForRedshift",
    "replicator.lambda.amazonaws.com": "AWSServiceRoleForLambdaReplicator",
    "securityhub.amazonaws.com": "AWSServiceRoleForSecurityHub",
    "spot.amazonaws.com": "AWSServiceRoleForEC2Spot",
    "spotfleet.amazonaws.com": "AWSServiceRoleForEC2SpotFleet",
    "ssm.amazonaws.com": "AWSServiceRoleForAmazonSSM",
    "sso.amazonaws.com": "AWSServiceRoleForSSO",
    "support.amazonaws.com": "AWSServiceRoleForSupport",
    "transitgateway.amazonaws.com": "AWSServiceRoleForVPCTransitGateway",
    "trustedadvisor.amazonaws.com": "AWSServiceRoleForTrustedAdvisor",
}
SLR_PATH = "/aws-service-role/"


def role_name_for(service: str) -> str:
    """The role name a service gives its service-linked role."""
    if service in SERVICE_ROLES:
        return SERVICE_ROLES[service]
    if not service.endswith(".amazonaws.com"):
        raise invalid_input(f"Invalid service name: {service}")  # AWS's exact wording is not documented
    label = service.removesuffix(".amazonaws.com").split(".")[0]
    return "AWSServiceRoleFor" + "".join(part.capitalize() for part in label.split("-"))


def is_service_linked(role: Role) -> bool:
    return role.path.startswith(SLR_PATH)


def unmodifiable(role: Role) -> AWSError:
    """The error for changing a service-linked role with the ordinary role operations."""
    return AWSError("UnmodifiableEntity", f"Cannot perform the operation on the protected role '{role.name}' - "
                    "this role is only modifiable by AWS", 400)  # wording as seen from AWS, not documented


class ServiceLinkedRoles(IamBase):
    """CreateServiceLinkedRole, DeleteServiceLinkedRole and the deletion status."""

    def create_service_linked_role(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        service = p["AWSServiceName"]
        name = role_name_for(service)
        if p.get("CustomSuffix"):
            if "_" in name:  # roles already named per resource type take no suffix
                raise invalid_input(f"Custom suffix is not allowed for {service}")  # wording not documented
            name = f"{name}_{p['CustomSuffix']}"
        roles = self._state(ctx).roles
        if name.lower() in roles:
            raise invalid_input(f"Service role name {name} has been taken in this account, please try a "
                                "different suffix.")
        path = f"{SLR_PATH}{service}/"
        trust = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": [service]}, "Action": ["sts:AssumeRole"]}]})
        role = Role(name, path, creds.unique_id("AROA"), self._arn(ctx, "role", path, name),
                    created=stamp(ctx.clock), trust_policy=trust, description=p.get("Description"))
        roles[name.lower()] = role
        return {"Role": self._role_out(role)}

    def delete_service_linked_role(self, ctx: RequestContext) -> dict[str, Any]:
        role = self._role(ctx, ctx.params["RoleName"])
        if not is_service_linked(role):
            raise invalid_input(f"Role {role.name} is not a service-linked role.")  # wording not documented
        del self._state(ctx).roles[role.name.lower()]
        self._forget_uses(ctx, role)
        service = role.path[len(SLR_PATH):].rstrip("/")
        task = f"task{SLR_PATH}{service}/{role.name}/{uuid.uuid4()}"
        self._state(ctx).deletion_tasks[task] = {"Status": "SUCCEEDED"}
        return {"DeletionTaskId": task}

    def get_service_linked_role_deletion_status(self, ctx: RequestContext) -> dict[str, Any]:
        task_id = ctx.params["DeletionTaskId"]
        status = self._state(ctx).deletion_tasks.get(task_id)
        if status is None:
            if not task_id.startswith("task/"):
                raise invalid_input(f"Invalid deletion task id: {task_id}")  # wording not documented
            raise no_such_entity(f"Deletion task {task_id} cannot be found.")  # wording not documented
        return dict(status)
