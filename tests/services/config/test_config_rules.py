"""Config rules, evaluations and compliance, conformance packs, tags."""

from __future__ import annotations

from datetime import datetime, timezone

from ..aws_errors import error_of

WHEN = datetime(2024, 1, 1, tzinfo=timezone.utc)
MANAGED = {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"}


def evaluation(resource_id, compliance):
    return {"ComplianceResourceType": "AWS::S3::Bucket", "ComplianceResourceId": resource_id,
            "ComplianceType": compliance, "OrderingTimestamp": WHEN}


def test_rules_need_a_recorder(config):
    assert error_of(config.put_config_rule, ConfigRule={"ConfigRuleName": "r", "Source": MANAGED})[0] == (
        "NoAvailableConfigurationRecorderException")


def test_rule_evaluations_and_compliance(recording):
    config = recording
    config.put_config_rule(ConfigRule={"ConfigRuleName": "versioning", "Source": MANAGED},
                           Tags=[{"Key": "owner", "Value": "sec"}])
    rule = config.describe_config_rules(ConfigRuleNames=["versioning"])["ConfigRules"][0]
    assert rule["ConfigRuleState"] == "ACTIVE" and rule["ConfigRuleArn"].endswith(rule["ConfigRuleId"])
    assert config.list_tags_for_resource(ResourceArn=rule["ConfigRuleArn"])["Tags"] == [
        {"Key": "owner", "Value": "sec"}]
    compliance = config.describe_compliance_by_config_rule()["ComplianceByConfigRules"]
    assert compliance == [{"ConfigRuleName": "versioning", "Compliance": {"ComplianceType": "INSUFFICIENT_DATA"}}]
    assert config.put_evaluations(ResultToken="versioning", Evaluations=[
        evaluation("a", "COMPLIANT"), evaluation("b", "NON_COMPLIANT")])["FailedEvaluations"] == []
    compliance = config.describe_compliance_by_config_rule()["ComplianceByConfigRules"][0]["Compliance"]
    assert compliance == {"ComplianceType": "NON_COMPLIANT",
                          "ComplianceContributorCount": {"CappedCount": 1, "CapExceeded": False}}
    details = config.get_compliance_details_by_config_rule(ConfigRuleName="versioning",
                                                           ComplianceTypes=["NON_COMPLIANT"])["EvaluationResults"]
    assert [d["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceId"] for d in details] == ["b"]
    by_resource = config.describe_compliance_by_resource(ResourceType="AWS::S3::Bucket")["ComplianceByResources"]
    assert [(r["ResourceId"], r["Compliance"]["ComplianceType"]) for r in by_resource] == [
        ("a", "COMPLIANT"), ("b", "NON_COMPLIANT")]
    summary = config.get_compliance_summary_by_resource_type(ResourceTypes=["AWS::S3::Bucket"])
    counts = summary["ComplianceSummariesByResourceType"][0]["ComplianceSummary"]
    assert counts["CompliantResourceCount"]["CappedCount"] == 1
    assert counts["NonCompliantResourceCount"]["CappedCount"] == 1
    assert error_of(config.put_evaluations, ResultToken="not-a-token", Evaluations=[])[0] == (
        "InvalidResultTokenException")
    config.delete_config_rule(ConfigRuleName="versioning")
    assert error_of(config.delete_config_rule, ConfigRuleName="versioning") == (
        "NoSuchConfigRuleException",
        "The ConfigRule 'versioning' provided in the request is invalid. Please check the configRule name.")


TEMPLATE = """
Resources:
  Versioning:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: s3-versioning
      Source:
        Owner: AWS
        SourceIdentifier: S3_BUCKET_VERSIONING_ENABLED
"""


def test_conformance_pack_rules_are_real_rules(recording):
    config = recording
    arn = config.put_conformance_pack(ConformancePackName="pack", TemplateBody=TEMPLATE)["ConformancePackArn"]
    assert config.describe_conformance_packs()["ConformancePackDetails"][0]["ConformancePackArn"] == arn
    rule = config.describe_conformance_pack_compliance(ConformancePackName="pack")[
        "ConformancePackRuleComplianceList"][0]["ConfigRuleName"]
    assert rule.startswith("s3-versioning-conformance-pack-")
    config.put_evaluations(ResultToken=rule, Evaluations=[evaluation("a", "NON_COMPLIANT")])
    summary = config.get_conformance_pack_compliance_summary(ConformancePackNames=["pack"])
    assert summary["ConformancePackComplianceSummaryList"] == [
        {"ConformancePackName": "pack", "ConformancePackComplianceStatus": "NON_COMPLIANT"}]
    assert error_of(config.put_conformance_pack, ConformancePackName="bad", TemplateBody="just words")[0] == (
        "ConformancePackTemplateValidationException")
    config.delete_conformance_pack(ConformancePackName="pack")
    assert config.describe_config_rules()["ConfigRules"] == []


def test_aggregators_answer_from_this_account(recording, client):
    client("s3").create_bucket(Bucket="agg-bucket")
    recording.put_configuration_aggregator(ConfigurationAggregatorName="agg", AccountAggregationSources=[
        {"AccountIds": ["123456789012"], "AllAwsRegions": True}])
    found = recording.list_aggregate_discovered_resources(ConfigurationAggregatorName="agg",
                                                          ResourceType="AWS::S3::Bucket")["ResourceIdentifiers"]
    assert {"SourceAccountId": "123456789012", "SourceRegion": "us-east-1", "ResourceId": "agg-bucket",
            "ResourceType": "AWS::S3::Bucket", "ResourceName": "agg-bucket"} in found
    assert error_of(recording.list_aggregate_discovered_resources, ConfigurationAggregatorName="none",
                    ResourceType="AWS::S3::Bucket")[0] == "NoSuchConfigurationAggregatorException"
