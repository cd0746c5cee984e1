"""The Lambda API through boto3: functions, code, versions, aliases, layers, policies, settings."""

from __future__ import annotations

import io
import json
import re
import urllib.request
import zipfile

from pytest_cloudmock.services.lambda_ import lambda_zip

from ..aws_errors import error_with_status
from .conftest import ROLE, payload_of

LAYERED = """
import helper_from_layer

def handler(event, context):
    return helper_from_layer.greet(event["name"])
"""


def test_create_get_and_download_code(lam, make_function):
    code = lambda_zip("def handler(e, c):\n    return 1\n")
    make_function("dl", code, Tags={"team": "a"})
    got = lam.get_function(FunctionName="dl")
    assert got["Configuration"]["State"] == "Active" and got["Configuration"]["LastUpdateStatus"] == "Successful"
    assert got["Tags"] == {"team": "a"} and got["Code"]["RepositoryType"] == "S3"
    with urllib.request.urlopen(got["Code"]["Location"]) as response:  # noqa: S310 - the gateway's own URL
        assert response.read() == code
    code_, message, status = error_with_status(lam.create_function, FunctionName="dl", Runtime="python3.12",
                                               Role=ROLE, Handler="x.y", Code={"ZipFile": code})
    assert (code_, message, status) == ("ResourceConflictException", "Function already exist: dl", 409)
    code_, message, _ = error_with_status(lam.create_function, FunctionName="bad", Runtime="python3.12", Role=ROLE,
                                          Handler="x.y", Code={"ZipFile": b"not a zip"})
    assert code_ == "InvalidParameterValueException" and message.startswith("Could not unzip uploaded file.")


def test_code_from_our_s3(client, lam):
    s3 = client("s3")
    s3.create_bucket(Bucket="code")
    s3.put_object(Bucket="code", Key="fn.zip", Body=lambda_zip("def handler(e, c):\n    return 's3'\n"))
    lam.create_function(FunctionName="froms3", Runtime="python3.12", Role=ROLE, Handler="lambda_function.handler",
                        Code={"S3Bucket": "code", "S3Key": "fn.zip"})
    assert payload_of(lam.invoke(FunctionName="froms3")) == "s3"
    code, message, _ = error_with_status(lam.create_function, FunctionName="missing", Runtime="python3.12", Role=ROLE,
                                         Handler="a.b", Code={"S3Bucket": "code", "S3Key": "nope.zip"})
    assert code == "InvalidParameterValueException"
    assert message.startswith("Error occurred while GetObject. S3 Error Code: NoSuchKey.")


def test_waiters_and_update_status(lam, make_function):
    make_function("waited")
    lam.get_waiter("function_active_v2").wait(FunctionName="waited", WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    updated = lam.update_function_code(FunctionName="waited", ZipFile=lambda_zip("def handler(e, c):\n    return 2\n"))
    assert updated["LastUpdateStatus"] == "InProgress"
    lam.get_waiter("function_updated_v2").wait(FunctionName="waited", WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    assert payload_of(lam.invoke(FunctionName="waited")) == 2
    stale = lam.get_function(FunctionName="waited")["Configuration"]["RevisionId"]
    lam.update_function_configuration(FunctionName="waited", Description="new")
    code, _, status = error_with_status(lam.update_function_configuration, FunctionName="waited", Timeout=5,
                                        RevisionId=stale)
    assert (code, status) == ("PreconditionFailedException", 412)


def test_versions_and_weighted_aliases(lam, make_function):
    make_function("ver", "def handler(e, c):\n    return 'one'\n")
    v1 = lam.publish_version(FunctionName="ver")
    assert v1["Version"] == "1" and v1["FunctionArn"].endswith(":ver:1")
    assert lam.publish_version(FunctionName="ver")["Version"] == "1"  # unchanged code: same version
    lam.update_function_code(FunctionName="ver", ZipFile=lambda_zip("def handler(e, c):\n    return 'two'\n"))
    assert lam.publish_version(FunctionName="ver")["Version"] == "2"
    versions = [v["Version"] for v in lam.list_versions_by_function(FunctionName="ver")["Versions"]]
    assert versions == ["$LATEST", "1", "2"]
    out = lam.invoke(FunctionName="ver", Qualifier="1")
    assert (payload_of(out), out["ExecutedVersion"]) == ("one", "1")
    alias = lam.create_alias(FunctionName="ver", Name="live", FunctionVersion="1",
                             RoutingConfig={"AdditionalVersionWeights": {"2": 0.5}})
    assert alias["AliasArn"].endswith(":ver:live")
    executed = {lam.invoke(FunctionName="ver:live")["ExecutedVersion"] for _ in range(30)}
    assert executed == {"1", "2"}
    lam.update_alias(FunctionName="ver", Name="live", FunctionVersion="2", RoutingConfig={})
    assert lam.invoke(FunctionName="ver", Qualifier="live")["ExecutedVersion"] == "2"
    code, _, status = error_with_status(lam.create_alias, FunctionName="ver", Name="x", FunctionVersion="9")
    assert (code, status) == ("ResourceNotFoundException", 404)
    code, _, status = error_with_status(lam.delete_function, FunctionName="ver", Qualifier="2")
    assert (code, status) == ("ResourceConflictException", 409)
    assert [a["Name"] for a in lam.list_aliases(FunctionName="ver")["Aliases"]] == ["live"]


def test_layers_are_importable_and_shared_by_policy(lam, make_function):
    layer_zip = lambda_zip({"python/helper_from_layer.py": "def greet(n):\n    return f'hello {n}'\n"})
    layer = lam.publish_layer_version(LayerName="helpers", Content={"ZipFile": layer_zip},
                                      CompatibleRuntimes=["python3.12"])
    assert layer["Version"] == 1 and layer["LayerVersionArn"].endswith(":layer:helpers:1")
    with urllib.request.urlopen(layer["Content"]["Location"]) as response:  # noqa: S310
        assert response.read() == layer_zip
    make_function("layered", LAYERED, Layers=[layer["LayerVersionArn"]])
    assert payload_of(lam.invoke(FunctionName="layered", Payload=b'{"name": "ana"}')) == "hello ana"
    listed = lam.list_layers(CompatibleRuntime="python3.12")["Layers"]
    assert [item["LayerName"] for item in listed] == ["helpers"]
    assert lam.list_layer_versions(LayerName="helpers", CompatibleRuntime="nodejs20.x")["LayerVersions"] == []
    lam.add_layer_version_permission(LayerName="helpers", VersionNumber=1, StatementId="all",
                                     Action="lambda:GetLayerVersion", Principal="*")
    policy = json.loads(lam.get_layer_version_policy(LayerName="helpers", VersionNumber=1)["Policy"])
    assert policy["Statement"][0]["Principal"] == "*"
    lam.remove_layer_version_permission(LayerName="helpers", VersionNumber=1, StatementId="all")
    code, _, status = error_with_status(lam.get_layer_version_policy, LayerName="helpers", VersionNumber=1)
    assert (code, status) == ("ResourceNotFoundException", 404)


def test_permissions(lam, make_function):
    make_function("perm")
    code, message, _ = error_with_status(lam.get_policy, FunctionName="perm")
    assert (code, message) == ("ResourceNotFoundException", "The resource you requested does not exist.")
    added = lam.add_permission(FunctionName="perm", StatementId="s3", Action="lambda:InvokeFunction",
                               Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::bucket",
                               SourceAccount="123456789012")
    statement = json.loads(added["Statement"])
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert statement["Condition"]["ArnLike"] == {"AWS:SourceArn": "arn:aws:s3:::bucket"}
    policy = json.loads(lam.get_policy(FunctionName="perm")["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["s3"]
    code, _, status = error_with_status(lam.add_permission, FunctionName="perm", StatementId="s3",
                                        Action="lambda:InvokeFunction", Principal="sns.amazonaws.com")
    assert (code, status) == ("ResourceConflictException", 409)
    lam.remove_permission(FunctionName="perm", StatementId="s3")
    code, _, status = error_with_status(lam.remove_permission, FunctionName="perm", StatementId="s3")
    assert (code, status) == ("ResourceNotFoundException", 404)


def test_list_functions_paginates(lam, make_function):
    code = lambda_zip("def handler(e, c):\n    return 1\n")
    for i in range(7):
        make_function(f"page-{i}", code)
    pages = list(lam.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["Functions"]) for p in pages] == [3, 3, 1]
    assert [f["FunctionName"] for p in pages for f in p["Functions"]] == [f"page-{i}" for i in range(7)]


def test_settings_round_trip(lam, make_function):
    make_function("set")
    put = lam.put_function_concurrency(FunctionName="set", ReservedConcurrentExecutions=5)
    assert put["ReservedConcurrentExecutions"] == 5
    assert lam.get_function_concurrency(FunctionName="set")["ReservedConcurrentExecutions"] == 5
    lam.publish_version(FunctionName="set")
    pc = lam.put_provisioned_concurrency_config(FunctionName="set", Qualifier="1", ProvisionedConcurrentExecutions=2)
    assert pc["Status"] == "IN_PROGRESS"
    assert lam.get_provisioned_concurrency_config(FunctionName="set", Qualifier="1")["Status"] == "READY"
    url = lam.create_function_url_config(FunctionName="set", AuthType="NONE")
    # the URL a client can call on the gateway (AWS's is https://<id>.lambda-url.<region>.on.aws/)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/_aws/lambda-url/[a-z0-9]{32}/", url["FunctionUrl"])
    lam.put_function_event_invoke_config(FunctionName="set", MaximumRetryAttempts=0)
    assert lam.get_function_event_invoke_config(FunctionName="set")["MaximumRetryAttempts"] == 0
    csc = lam.create_code_signing_config(AllowedPublishers={"SigningProfileVersionArns": [
        "arn:aws:signer:us-east-1:123456789012:/signing-profiles/p/abcdef1234"]})["CodeSigningConfig"]
    lam.put_function_code_signing_config(FunctionName="set", CodeSigningConfigArn=csc["CodeSigningConfigArn"])
    assert lam.list_functions_by_code_signing_config(CodeSigningConfigArn=csc["CodeSigningConfigArn"])[
        "FunctionArns"] == ["arn:aws:lambda:us-east-1:123456789012:function:set"]
    arn = "arn:aws:lambda:us-east-1:123456789012:function:set"
    lam.tag_resource(Resource=arn, Tags={"a": "1", "b": "2"})
    lam.untag_resource(Resource=arn, TagKeys=["a"])
    assert lam.list_tags(Resource=arn)["Tags"] == {"b": "2"}
    settings = lam.get_account_settings()
    assert settings["AccountUsage"]["FunctionCount"] == 1
    assert settings["AccountLimit"]["UnreservedConcurrentExecutions"] == 995


def test_zip_helper_packs_a_folder(tmp_path):
    (tmp_path / "app.py").write_text("X = 1\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("Y = 2\n")
    names = sorted(zipfile.ZipFile(io.BytesIO(lambda_zip(tmp_path))).namelist())
    assert names == ["app.py", "pkg/mod.py"]


def test_image_functions_are_stored_but_cannot_be_pulled(lam):
    uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest"
    lam.create_function(FunctionName="img", PackageType="Image", Role=ROLE, Code={"ImageUri": uri})
    assert lam.get_function(FunctionName="img")["Code"]["ImageUri"] == uri
    code, message, status = error_with_status(lam.invoke, FunctionName="img")
    assert (code, status) == ("InvalidParameterValueException", 400) and uri in message


def test_semantic_checks_of_settings(lam, make_function):
    code, message, _ = error_with_status(lam.create_function, FunctionName="old", Runtime="python2.7", Role=ROLE,
                                         Handler="a.b", Code={"ZipFile": lambda_zip("x = 1")})
    assert code == "InvalidParameterValueException"
    assert message.startswith("The runtime parameter of python2.7 is no longer supported for creating or updating")
    make_function("env")
    code, message, _ = error_with_status(lam.update_function_configuration, FunctionName="env",
                                         Environment={"Variables": {"BIG": "x" * 5000}})
    assert code == "InvalidParameterValueException" and "exceeded the 4KB limit" in message
    code, message, _ = error_with_status(lam.create_function, FunctionName="nohandler", Runtime="python3.12",
                                         Role=ROLE, Code={"ZipFile": lambda_zip("x = 1")})
    assert code == "InvalidParameterValueException" and "Handler" in message
    code, message, _ = error_with_status(lam.create_event_source_mapping, FunctionName="env",
                                         EventSourceArn="arn:aws:sqs:us-east-1:123456789012:q",
                                         FilterCriteria={"Filters": [{"Pattern": "{not json"}]})
    assert code == "InvalidParameterValueException" and message.startswith("Invalid filter pattern definition.")
