"""Parameter Store through boto3: types, versions and selectors, SecureString through KMS,
hierarchies with pagination, labels, policies on the clock, public parameters, documents,
and every SSM operation answered."""

from __future__ import annotations

import json
from datetime import timedelta

from pytest_cloudmock.services.ssm import Parameter, ParameterVersion

from ..aws_errors import error_of
from ..every_operation import call_every_operation


def test_put_get_overwrite_and_selectors(ssm):
    put = ssm.put_parameter(Name="/app/db/url", Value="v1", Type="String")
    assert (put["Version"], put["Tier"]) == (1, "Standard")
    assert error_of(ssm.put_parameter, Name="/app/db/url", Value="v2", Type="String")[0] == "ParameterAlreadyExists"
    assert ssm.put_parameter(Name="/app/db/url", Value="v2", Overwrite=True)["Version"] == 2
    got = ssm.get_parameter(Name="/app/db/url")["Parameter"]
    assert (got["Value"], got["Version"], got["Type"]) == ("v2", 2, "String")
    assert got["ARN"].endswith(":parameter/app/db/url")
    old = ssm.get_parameter(Name="/app/db/url:1")["Parameter"]
    assert (old["Value"], old["Selector"]) == ("v1", ":1")
    assert error_of(ssm.get_parameter, Name="/app/db/url:9")[0] == "ParameterVersionNotFound"
    assert error_of(ssm.get_parameter, Name="/nope")[0] == "ParameterNotFound"
    out = ssm.get_parameters(Names=["/app/db/url", "/nope"])
    assert [p["Name"] for p in out["Parameters"]] == ["/app/db/url"] and out["InvalidParameters"] == ["/nope"]


def test_name_and_value_rules(ssm):
    assert error_of(ssm.put_parameter, Name="/aws/mine", Value="x", Type="String")[0] == "ValidationException"
    assert error_of(ssm.put_parameter, Name="/t", Value="abc", Type="String",
                    AllowedPattern="^[0-9]+$")[0] == "ParameterPatternMismatchException"
    assert error_of(ssm.put_parameter, Name="/t", Value="x" * 5000, Type="String")[0] == "ValidationException"
    assert ssm.put_parameter(Name="/t", Value="x" * 5000, Type="String", Tier="Advanced")["Tier"] == "Advanced"
    assert error_of(ssm.put_parameter, Name="/t", Value="y", Overwrite=True, Tier="Standard")[0] == "ValidationException"
    assert error_of(ssm.put_parameter, Name="/ami", Value="not-an-ami", Type="String",
                    DataType="aws:ec2:image")[0] == "ValidationException"
    ssm.put_parameter(Name="/ami", Value="ami-0123456789abcdef0", Type="String", DataType="aws:ec2:image")
    ssm.put_parameter(Name="/list", Value="a,b,c", Type="StringList")
    assert ssm.get_parameter(Name="/list")["Parameter"]["Type"] == "StringList"


def test_secure_string_decrypts_through_kms(ssm, kms):
    ssm.put_parameter(Name="/secret", Value="hunter2", Type="SecureString")
    hidden = ssm.get_parameter(Name="/secret")["Parameter"]["Value"]
    assert hidden != "hunter2"
    assert ssm.get_parameter(Name="/secret", WithDecryption=True)["Parameter"]["Value"] == "hunter2"
    assert kms.describe_key(KeyId="alias/aws/ssm")["KeyMetadata"]["KeyManager"] == "AWS"
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    ssm.put_parameter(Name="/mine", Value="v", Type="SecureString", KeyId=key)
    assert ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": ["/mine"]}])["Parameters"][0]["KeyId"] == key
    kms.disable_key(KeyId=key)
    code, message = error_of(ssm.get_parameter, Name="/mine", WithDecryption=True)
    assert code == "InvalidKeyId" and "DisabledException" in message
    assert ssm.get_parameter(Name="/mine")["Parameter"]["Value"]  # still readable encrypted
    assert error_of(ssm.put_parameter, Name="/other", Value="v", Type="SecureString", KeyId=key)[0] == "InvalidKeyId"


def test_hierarchy_of_a_thousand_parameters_pages(ssm, aws):
    # Seeded straight into the store (1,000 PutParameter calls would take seconds); read through boto3.
    state = aws.registry.get("ssm").store.get("123456789012", "us-east-1")
    for i in range(1000):
        name = f"/big/{i % 10}/p{i:04d}"
        state.parameters[name] = Parameter(name, [ParameterVersion(1, str(i), "String", aws.clock.now())])
    ssm.put_parameter(Name="/big/top", Value="t", Type="String")
    names, token = [], None
    pages = 0
    while True:
        kwargs = {"NextToken": token} if token else {}
        page = ssm.get_parameters_by_path(Path="/big", Recursive=True, MaxResults=10, **kwargs)
        names += [p["Name"] for p in page["Parameters"]]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert len(names) == 1001 == len(set(names)) and pages == 101
    one_level = ssm.get_parameters_by_path(Path="/big/")["Parameters"]
    assert [p["Name"] for p in one_level] == ["/big/top"]
    paginator = ssm.get_paginator("describe_parameters")
    described = [p["Name"] for page in paginator.paginate(
        ParameterFilters=[{"Key": "Path", "Option": "Recursive", "Values": ["/big/3"]}]) for p in page["Parameters"]]
    assert len(described) == 100


def test_filters_on_path_and_describe(ssm):
    ssm.put_parameter(Name="/f/a", Value="1", Type="String", Tags=[{"Key": "env", "Value": "prod"}])
    ssm.put_parameter(Name="/f/b", Value="2", Type="SecureString")
    by_type = ssm.get_parameters_by_path(Path="/f", ParameterFilters=[{"Key": "Type", "Values": ["SecureString"]}])
    assert [p["Name"] for p in by_type["Parameters"]] == ["/f/b"]
    tagged = ssm.describe_parameters(ParameterFilters=[{"Key": "tag:env", "Values": ["prod"]}])["Parameters"]
    assert [p["Name"] for p in tagged] == ["/f/a"]
    assert error_of(ssm.get_parameters_by_path, Path="/f",
                    ParameterFilters=[{"Key": "Name", "Values": ["x"]}])[0] == "InvalidFilterKey"


def test_labels_history_and_delete(ssm):
    for value in ("1", "2", "3"):
        ssm.put_parameter(Name="/l", Value=value, Type="String", Overwrite=True)
    out = ssm.label_parameter_version(Name="/l", ParameterVersion=1, Labels=["prod", "aws-bad", "123"])
    assert out["InvalidLabels"] == ["aws-bad", "123"]
    assert ssm.get_parameter(Name="/l:prod")["Parameter"]["Value"] == "1"
    ssm.label_parameter_version(Name="/l", ParameterVersion=3, Labels=["prod"])  # the label moves
    assert ssm.get_parameter(Name="/l:prod")["Parameter"]["Value"] == "3"
    labels = [f"l{i}" for i in range(9)]
    ssm.label_parameter_version(Name="/l", ParameterVersion=3, Labels=labels)
    assert error_of(ssm.label_parameter_version, Name="/l", ParameterVersion=3,
                    Labels=["one-too-many"])[0] == "ParameterVersionLabelLimitExceeded"
    history = ssm.get_parameter_history(Name="/l")["Parameters"]
    assert [h["Value"] for h in history] == ["1", "2", "3"] and "prod" in history[2]["Labels"]
    unlabeled = ssm.unlabel_parameter_version(Name="/l", ParameterVersion=3, Labels=["prod", "nope"])
    assert (unlabeled["RemovedLabels"], unlabeled["InvalidLabels"]) == (["prod"], ["nope"])
    ssm.delete_parameter(Name="/l")
    assert error_of(ssm.delete_parameter, Name="/l")[0] == "ParameterNotFound"
    ssm.put_parameter(Name="/d1", Value="x", Type="String")
    out = ssm.delete_parameters(Names=["/d1", "/d2"])
    assert (out["DeletedParameters"], out["InvalidParameters"]) == (["/d1"], ["/d2"])


def test_expiration_policy_on_the_gateway_clock(ssm, frozen):
    when = (frozen.utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    policy = json.dumps([{"Type": "Expiration", "Version": "1.0", "Attributes": {"Timestamp": when}}])
    ssm.put_parameter(Name="/exp", Value="x", Type="String", Tier="Advanced", Policies=policy)
    described = ssm.describe_parameters()["Parameters"][0]
    assert described["Policies"][0]["PolicyType"] == "Expiration"
    for name in ("/exp-delete", "/exp-tags", "/exp-batch"):
        ssm.put_parameter(Name=name, Value="x", Type="String", Tier="Advanced", Policies=policy)
    frozen.advance(days=2)
    assert error_of(ssm.get_parameter, Name="/exp")[0] == "ParameterNotFound"
    assert error_of(ssm.put_parameter, Name="/p", Value="x", Type="String", Policies=policy)[0] == "ValidationException"
    # an expired parameter is gone for every operation that names it
    assert error_of(ssm.delete_parameter, Name="/exp-delete")[0] == "ParameterNotFound"
    assert error_of(ssm.list_tags_for_resource, ResourceType="Parameter", ResourceId="/exp-tags")[0] == "InvalidResourceId"
    assert ssm.delete_parameters(Names=["/exp-batch"])["InvalidParameters"] == ["/exp-batch"]
    assert ssm.put_parameter(Name="/exp", Value="again", Type="String")["Version"] == 1  # no Overwrite needed


def test_public_parameters(ssm):
    ami = ssm.get_parameter(Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")["Parameter"]
    assert ami["Value"].startswith("ami-")
    regions = ssm.get_parameters_by_path(Path="/aws/service/global-infrastructure/regions", MaxResults=10)
    assert "us-east-1" in [p["Value"] for p in regions["Parameters"]]


def test_tags(ssm):
    ssm.put_parameter(Name="/tagged", Value="x", Type="String")
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/tagged", Tags=[{"Key": "a", "Value": "1"}])
    assert ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/tagged")["TagList"] == [
        {"Key": "a", "Value": "1"}]
    ssm.remove_tags_from_resource(ResourceType="Parameter", ResourceId="/tagged", TagKeys=["a"])
    assert ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/tagged")["TagList"] == []
    assert error_of(ssm.put_parameter, Name="/tagged", Value="y", Overwrite=True,
                    Tags=[{"Key": "a", "Value": "1"}])[0] == "ValidationException"


def test_documents_are_stored_and_versioned(ssm):
    content = json.dumps({"schemaVersion": "2.2", "mainSteps": []})
    ssm.create_document(Name="doc", Content=content, DocumentType="Command")
    assert error_of(ssm.create_document, Name="doc", Content=content)[0] == "DocumentAlreadyExists"
    newer = json.dumps({"schemaVersion": "2.2", "description": "v2", "mainSteps": []})
    assert ssm.update_document(Name="doc", Content=newer, DocumentVersion="$LATEST")["DocumentDescription"][
        "DocumentVersion"] == "2"
    assert ssm.get_document(Name="doc")["Content"] == content  # the default version is still 1
    ssm.update_document_default_version(Name="doc", DocumentVersion="2")
    assert ssm.get_document(Name="doc")["Content"] == newer
    assert [v["DocumentVersion"] for v in ssm.list_document_versions(Name="doc")["DocumentVersions"]] == ["1", "2"]
    assert [d["Name"] for d in ssm.list_documents()["DocumentIdentifiers"]] == ["doc"]
    ssm.delete_document(Name="doc")
    assert error_of(ssm.get_document, Name="doc")[0] == "InvalidDocument"


def test_shallow_areas_answer_minimally(ssm):
    assert ssm.describe_instance_information()["InstanceInformationList"] == []
    assert ssm.list_commands()["Commands"] == []


def test_every_operation_is_answered(ssm):
    assert call_every_operation(ssm, seed=17) == []
