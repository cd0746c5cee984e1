"""Stored v2 resources: dedicated IPs and pools, multi-region endpoints, tenants and reputation
entities, the Deliverability dashboard and tests, and tags on all of them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ..aws_errors import error_with_status
from .conftest import ACCOUNT, REGION, arn

SIMPLE = {"Simple": {"Subject": {"Data": "Hello"}, "Body": {"Text": {"Data": "hi"}}}}


def test_pools_and_ips(sesv2, service):
    sesv2.create_dedicated_ip_pool(PoolName="marketing", Tags=[{"Key": "k", "Value": "v"}])
    sesv2.create_dedicated_ip_pool(PoolName="auto", ScalingMode="MANAGED")
    assert sesv2.list_dedicated_ip_pools()["DedicatedIpPools"] == ["auto", "marketing"]
    assert sesv2.get_dedicated_ip_pool(PoolName="auto")["DedicatedIpPool"] == {"PoolName": "auto", "ScalingMode": "MANAGED"}
    assert error_with_status(sesv2.create_dedicated_ip_pool, PoolName="marketing")[0] == "AlreadyExistsException"
    assert error_with_status(sesv2.get_dedicated_ip_pool, PoolName="nope")[:3:2] == ("NotFoundException", 404)
    # a managed pool does not go back to standard; a standard one may become managed
    assert error_with_status(sesv2.put_dedicated_ip_pool_scaling_attributes, PoolName="auto",
                             ScalingMode="STANDARD")[0] == "BadRequestException"

    service.add_dedicated_ip(ACCOUNT, REGION, "198.51.100.1", warmup_percentage=40)
    got = sesv2.get_dedicated_ip(Ip="198.51.100.1")["DedicatedIp"]
    assert got == {"Ip": "198.51.100.1", "WarmupStatus": "IN_PROGRESS", "WarmupPercentage": 40}
    sesv2.put_dedicated_ip_in_pool(Ip="198.51.100.1", DestinationPoolName="marketing")
    sesv2.put_dedicated_ip_warmup_attributes(Ip="198.51.100.1", WarmupPercentage=100)
    assert sesv2.get_dedicated_ips(PoolName="marketing")["DedicatedIps"] == [
        {"Ip": "198.51.100.1", "WarmupStatus": "DONE", "WarmupPercentage": 100, "PoolName": "marketing"}]
    assert error_with_status(sesv2.put_dedicated_ip_in_pool, Ip="198.51.100.1",
                             DestinationPoolName="auto")[0] == "BadRequestException"
    assert error_with_status(sesv2.get_dedicated_ip, Ip="203.0.113.9")[0] == "NotFoundException"
    sesv2.delete_dedicated_ip_pool(PoolName="marketing")
    assert "PoolName" not in sesv2.get_dedicated_ip(Ip="198.51.100.1")["DedicatedIp"]


def test_multi_region_endpoints(sesv2):
    made = sesv2.create_multi_region_endpoint(EndpointName="global", Details={"RoutesDetails": [{"Region": "eu-west-1"}]})
    assert made["Status"] == "CREATING" and made["EndpointId"]
    got = sesv2.get_multi_region_endpoint(EndpointName="global")
    assert got["Routes"] == [{"Region": REGION}, {"Region": "eu-west-1"}] and got["Status"] == "READY"
    assert got["EndpointId"] == made["EndpointId"]
    assert error_with_status(sesv2.create_multi_region_endpoint, EndpointName="self",
                             Details={"RoutesDetails": [{"Region": REGION}]})[0] == "BadRequestException"
    assert error_with_status(sesv2.create_multi_region_endpoint, EndpointName="global",
                             Details={"RoutesDetails": [{"Region": "eu-west-1"}]})[0] == "AlreadyExistsException"
    listed = sesv2.list_multi_region_endpoints()["MultiRegionEndpoints"]
    assert [e["Regions"] for e in listed] == [[REGION, "eu-west-1"]]
    assert sesv2.delete_multi_region_endpoint(EndpointName="global")["Status"] == "DELETING"
    assert error_with_status(sesv2.get_multi_region_endpoint, EndpointName="global")[0] == "NotFoundException"


def test_tenants_and_reputation(sesv2):
    made = sesv2.create_tenant(TenantName="acme", Tags=[{"Key": "tier", "Value": "gold"}])
    assert made["TenantArn"] == arn(f"tenant/acme/{made['TenantId']}") and made["SendingStatus"] == "ENABLED"
    assert sesv2.get_tenant(TenantName="acme")["Tenant"]["Tags"] == [{"Key": "tier", "Value": "gold"}]
    assert error_with_status(sesv2.create_tenant, TenantName="acme")[0] == "AlreadyExistsException"
    assert [t["TenantName"] for t in sesv2.list_tenants()["Tenants"]] == ["acme"]

    pool_arn = arn("dedicated-ip-pool/none")
    assert error_with_status(sesv2.create_tenant_resource_association, TenantName="acme",
                             ResourceArn=pool_arn)[0] == "BadRequestException"
    assert error_with_status(sesv2.create_tenant_resource_association, TenantName="acme",
                             ResourceArn=arn("identity/nobody.example.com"))[0] == "NotFoundException"

    entity = sesv2.get_reputation_entity(ReputationEntityType="RESOURCE",
                                         ReputationEntityReference=made["TenantArn"])["ReputationEntity"]
    assert entity["SendingStatusAggregate"] == "ENABLED"
    sesv2.update_reputation_entity_customer_managed_status(
        ReputationEntityType="RESOURCE", ReputationEntityReference=made["TenantArn"], SendingStatus="DISABLED")
    sesv2.update_reputation_entity_policy(ReputationEntityType="RESOURCE", ReputationEntityReference=made["TenantArn"],
                                          ReputationEntityPolicy="arn:aws:ses:us-east-1:aws:reputation-policy/strict")
    entity = sesv2.get_reputation_entity(ReputationEntityType="RESOURCE",
                                         ReputationEntityReference=made["TenantArn"])["ReputationEntity"]
    assert entity["CustomerManagedStatus"]["Status"] == "DISABLED"
    assert entity["ReputationManagementPolicy"].endswith("strict")
    disabled = sesv2.list_reputation_entities(Filter={"SENDING_STATUS": "DISABLED"})["ReputationEntities"]
    assert [e["ReputationEntityReference"] for e in disabled] == [made["TenantArn"]]
    assert error_with_status(sesv2.get_reputation_entity, ReputationEntityType="RESOURCE",
                             ReputationEntityReference=arn("tenant/x/y"))[0] == "NotFoundException"
    sesv2.delete_tenant(TenantName="acme")
    assert error_with_status(sesv2.get_tenant, TenantName="acme")[0] == "NotFoundException"


def test_deliverability_dashboard_and_reports(sesv2):
    assert sesv2.get_deliverability_dashboard_options()["DashboardEnabled"] is False
    sesv2.put_deliverability_dashboard_option(DashboardEnabled=True, SubscribedDomains=[{"Domain": "example.com"}])
    got = sesv2.get_deliverability_dashboard_options()
    assert got["AccountStatus"] == "ACTIVE" and got["ActiveSubscribedDomains"][0]["Domain"] == "example.com"
    now = datetime.now(timezone.utc)
    report = sesv2.get_domain_statistics_report(Domain="example.com", StartDate=now - timedelta(days=2), EndDate=now)
    assert len(report["DailyVolumes"]) == 3 and report["OverallVolume"]["VolumeStatistics"]["InboxRawCount"] == 0
    assert error_with_status(sesv2.get_domain_statistics_report, Domain="other.com", StartDate=now,
                             EndDate=now)[0] == "NotFoundException"
    assert error_with_status(sesv2.list_domain_deliverability_campaigns, SubscribedDomain="example.com",
                             StartDate=now, EndDate=now - timedelta(days=1))[0] == "BadRequestException"
    assert sesv2.get_blacklist_reports(BlacklistItemNames=["198.51.100.1"])["BlacklistReport"] == {"198.51.100.1": []}


def test_email_address_insights(sesv2):
    good = sesv2.get_email_address_insights(EmailAddress="someone@example.com")["MailboxValidation"]
    assert good["IsValid"]["ConfidenceVerdict"] == "HIGH"
    bounce = sesv2.get_email_address_insights(EmailAddress="bounce@simulator.amazonses.com")["MailboxValidation"]
    assert bounce["Evaluations"]["MailboxExists"]["ConfidenceVerdict"] == "LOW"
    role = sesv2.get_email_address_insights(EmailAddress="support@example.com")["MailboxValidation"]
    assert role["Evaluations"]["IsRoleAddress"]["ConfidenceVerdict"] == "HIGH"


def test_tags_on_v2_resources(sesv2):
    sesv2.create_dedicated_ip_pool(PoolName="p")
    pool = arn("dedicated-ip-pool/p")
    sesv2.tag_resource(ResourceArn=pool, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    sesv2.untag_resource(ResourceArn=pool, TagKeys=["a"])
    assert sesv2.list_tags_for_resource(ResourceArn=pool)["Tags"] == [{"Key": "b", "Value": "2"}]
    code, _, status = error_with_status(sesv2.tag_resource, ResourceArn=arn("dedicated-ip-pool/ghost"),
                                        Tags=[{"Key": "a", "Value": "1"}])
    assert (code, status) == ("NotFoundException", 404)
    assert error_with_status(sesv2.list_tags_for_resource, ResourceArn="arn:aws:sqs:us-east-1:1:q")[0] == \
        "BadRequestException"
    sesv2.delete_dedicated_ip_pool(PoolName="p")
    sesv2.create_dedicated_ip_pool(PoolName="p")  # a new pool of the same name starts untagged
    assert sesv2.list_tags_for_resource(ResourceArn=pool)["Tags"] == []
