"""The stub engine's promises, each shown over the wire where a client can see it."""

from __future__ import annotations

import random
import re
from datetime import datetime

import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from pytest_cloudmock.api import RequestContext
from pytest_cloudmock.config import Config, ConfigError
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.models import has_model
from pytest_cloudmock.stubs import StubService, builtin_entry, builtin_entry_names, infer_entry
from pytest_cloudmock.stubs.catalog import catalog_changes, config_entries
from pytest_cloudmock.stubs.schema import entry_from_dict
from tests.codecs.shapegen import GenOptions, generate

from .driver import minimal, put

SEED = 20261126

NO_VALIDATION = BotoConfig(parameter_validation=False, retries={"max_attempts": 1})


def ctx(service: str, operation: str, params: dict, account: str = "123456789012",
        region: str = "us-east-1") -> RequestContext:
    return RequestContext(service, operation, params, region, account, "AKIA", "req", "json")


def test_required_fields_are_validated_with_the_protocols_error(client):
    with pytest.raises(ClientError) as info:  # json
        client("ecr", config=NO_VALIDATION).create_repository()
    assert info.value.response["Error"]["Code"] == "InvalidParameterException"
    assert "repositoryName" in info.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as info:  # query
        client("rds", config=NO_VALIDATION).create_db_instance(DBInstanceIdentifier="db1")
    assert info.value.response["Error"]["Code"] == "MissingParameter"
    with pytest.raises(ClientError) as info:  # nested required member
        client("glue", config=NO_VALIDATION).create_database(DatabaseInput={"Description": "x"})
    assert info.value.response["Error"]["Message"] == (  # AWS's Coral wording and member path
        "1 validation error detected: Value null at 'databaseInput.name' failed to satisfy "
        "constraint: Member must not be null"
    )


def test_ids_are_generated_in_aws_formats(client):
    efs = client("efs").create_file_system(CreationToken="t1")
    assert re.fullmatch(r"fs-[0-9a-f]{17}", efs["FileSystemId"])
    assert efs["FileSystemArn"].endswith(":123456789012:file-system/" + efs["FileSystemId"])
    vpc = client("ec2").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]
    assert re.fullmatch(r"vpc-[0-9a-f]{17}", vpc["VpcId"]) and vpc["State"] == "available"
    cert = client("acm").request_certificate(DomainName="example.com")["CertificateArn"]
    assert re.fullmatch(r"arn:aws:acm:us-east-1:123456789012:certificate/[0-9a-f-]{36}", cert)
    zone = client("route53").create_hosted_zone(Name="example.com", CallerReference="r")["HostedZone"]
    assert re.fullmatch(r"/hostedzone/Z[0-9A-Z]{13}", zone["Id"])


def test_client_supplied_names_are_the_identifier_and_timestamps_are_set(client):
    eks = client("eks")
    made = eks.create_cluster(name="prod", roleArn="arn:aws:iam::123456789012:role/r",
                              resourcesVpcConfig={"subnetIds": ["subnet-1"]}, tags={"team": "a"})["cluster"]
    assert made["name"] == "prod" and made["arn"] == "arn:aws:eks:us-east-1:123456789012:cluster/prod"
    assert isinstance(made["createdAt"], datetime) and made["status"] == "ACTIVE"
    assert made["resourcesVpcConfig"]["subnetIds"] == ["subnet-1"] and made["tags"] == {"team": "a"}
    with pytest.raises(eks.exceptions.ResourceInUseException):
        eks.create_cluster(name="prod", roleArn="r", resourcesVpcConfig={})


@pytest.mark.parametrize("name", builtin_entry_names())
def test_outputs_have_only_the_output_shapes_members_with_their_types(name):
    """Seeded random valid inputs (shapegen) through every catalog entry, engine side:
    each create, describe and list output holds only members of its output shape,
    with the shape's types."""
    entry = builtin_entry(name)
    stub = StubService(entry)
    assert {a.name for a in stub.actions()} == set(entry.actions) | set(stub.service_model.operation_names)
    assert all(a.iam_action.endswith(":" + a.name) for a in stub.actions())
    rng = random.Random(f"{SEED}-{name}")
    options = GenOptions(special_floats=False, optional=0.5)
    for key in [k for k in entry.resource_types  # hand-written creates have their own tests
                if entry.action("create", k) and not entry.action("create", k).handler]:
        create = entry.action("create", key).name
        op = stub.service_model.operation_model(create)
        plan = stub.plan(create)
        made = []
        for i in range(3):
            params = generate(op.input_shape, rng, options) if op.input_shape else {}
            if plan.id_path:
                put(params, plan.id_path, f"conform-{i}", op.input_shape)
            params.update(parents_of(stub, key))
            out = stub.handle_request(ctx(name, create, params))
            conforms(out, op.output_shape, f"{name}.{create}")
            made.append(out)
        for kind in ("describe", "list"):
            spec = entry.action(kind, key)
            if spec is None:
                continue
            read = stub.service_model.operation_model(spec.name)
            params = minimal(read.input_shape) if read.input_shape else {}
            if stub.plan(spec.name).id_path:
                record = next(iter(stub.store.get("123456789012", "us-east-1").table(
                    entry.resource_types[key].name).values()))
                put(params, stub.plan(spec.name).id_path, record.id, read.input_shape)
            params.update(parents_of(stub, key))
            conforms(stub.handle_request(ctx(name, spec.name, params)), read.output_shape,
                     f"{name}.{spec.name}")


def parents_of(stub: StubService, key: str) -> dict[str, str]:
    """The members naming an existing chain of parents for a new resource of type `key`
    (parents are declared, and so created, before their children)."""
    rtype = stub.entry.resource_types[key]
    scope: dict[str, str] = {}
    state = stub.store.get("123456789012", "us-east-1")
    while rtype.parent:
        parent = stub.entry.resource_types[rtype.parent]
        record = next(iter(state.table(parent.name).values()))
        scope[rtype.parent_id] = scope.get(rtype.parent_id) or record.id
        if parent.parent_id:
            scope[parent.parent_id] = record.fields[parent.parent_id]
        rtype = parent
    return scope


_PY_TYPES = {"string": str, "boolean": bool, "integer": int, "long": int, "float": float,
             "double": float, "timestamp": datetime, "blob": bytes}


def conforms(value, shape, where):
    if shape is None:
        assert value in ({}, None), where
        return
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(value, dict), where
        for key, item in value.items():
            assert key in shape.members, f"{where}: {key} is not a member of {shape.name}"
            conforms(item, shape.members[key], f"{where}.{key}")
    elif kind == "list":
        assert isinstance(value, list), where
        for item in value:
            conforms(item, shape.member, where + "[]")
    elif kind == "map":
        assert isinstance(value, dict), where
        for item in value.values():
            conforms(item, shape.value, where + "{}")
    else:
        assert isinstance(value, _PY_TYPES[kind]) and not (kind != "boolean" and isinstance(value, bool)), (
            f"{where}: {value!r} is not a {kind}")


def test_pagination_uses_the_models_names_and_rejects_bad_tokens(client):
    rds = client("rds")
    for i in range(21):
        rds.create_db_instance(DBInstanceIdentifier=f"db{i:02}", DBInstanceClass="db.t3.micro", Engine="postgres")
    first = rds.describe_db_instances(MaxRecords=20)
    assert len(first["DBInstances"]) == 20 and first["Marker"]
    second = rds.describe_db_instances(MaxRecords=20, Marker=first["Marker"])
    assert [d["DBInstanceIdentifier"] for d in second["DBInstances"]] == ["db20"] and "Marker" not in second
    with pytest.raises(ClientError) as info:
        client("eks").list_clusters(nextToken="not-a-token")
    assert info.value.response["Error"]["Code"] in ("InvalidParameterException", "ValidationException")


def test_tags_round_trip_in_each_tag_format(client):
    ecr = client("ecr")  # list of {Key, Value}
    arn = ecr.create_repository(repositoryName="repo", tags=[{"Key": "a", "Value": "1"}])["repository"]["repositoryArn"]
    ecr.tag_resource(resourceArn=arn, tags=[{"Key": "b", "Value": "2"}])
    ecr.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert ecr.list_tags_for_resource(resourceArn=arn)["tags"] == [{"Key": "b", "Value": "2"}]
    eks = client("eks")  # map
    cluster = eks.create_cluster(name="c", roleArn="r", resourcesVpcConfig={})["cluster"]["arn"]
    eks.tag_resource(resourceArn=cluster, tags={"x": "y"})
    assert eks.list_tags_for_resource(resourceArn=cluster)["tags"] == {"x": "y"}
    with pytest.raises(ClientError) as info:
        eks.list_tags_for_resource(resourceArn="arn:aws:eks:us-east-1:123456789012:cluster/none")
    assert info.value.response["Error"]["Code"] == "NotFoundException"
    r53 = client("route53")  # one operation adds and removes; botocore strips `/hostedzone/`
    zone = r53.create_hosted_zone(Name="example.com", CallerReference="c")["HostedZone"]["Id"]
    r53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=zone,
                                 AddTags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    r53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=zone, RemoveTagKeys=["a"])
    tag_set = r53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zone)["ResourceTagSet"]
    assert tag_set["Tags"] == [{"Key": "b", "Value": "2"}]


def test_state_is_partitioned_by_account_and_resettable(gateway):
    stub = StubService(builtin_entry("athena"))
    stub.handle_request(ctx("athena", "CreateWorkGroup", {"Name": "wg"}))
    assert stub.handle_request(ctx("athena", "ListWorkGroups", {}, account="210987654321")) == {"WorkGroups": []}
    snap = stub.store.snapshot()
    stub.reset()
    assert stub.handle_request(ctx("athena", "ListWorkGroups", {}))["WorkGroups"] == []
    stub.store.restore(snap)
    assert [w["Name"] for w in stub.handle_request(ctx("athena", "ListWorkGroups", {}))["WorkGroups"]] == ["wg"]


def test_documentdb_and_neptune_clients_are_served_by_the_rds_entry(client):
    client("docdb").create_db_cluster(DBClusterIdentifier="docs", Engine="docdb")
    assert client("neptune").describe_db_clusters(DBClusterIdentifier="docs")["DBClusters"][0]["Status"] == "available"
    with pytest.raises(ClientError) as info:
        client("neptune").describe_db_clusters(DBClusterIdentifier="nope")
    assert info.value.response["Error"]["Code"] == "DBClusterNotFoundFault"


def test_catalog_installs_lazily_and_never_over_an_existing_service():
    from pytest_cloudmock.registry import Registry
    from pytest_cloudmock.services.base import ModelService

    class Mine(ModelService):
        name = "eks"

    registry = Registry()
    registry.register(Mine())
    before = builtin_entry.cache_info().currsize
    gw = Gateway(Config(), registry=registry)
    assert builtin_entry.cache_info().currsize == before  # nothing parsed at start-up
    assert isinstance(gw.registry.get("eks"), Mine)
    assert set(builtin_entry_names()) - {"eks"} <= set(gw.registry.names())
    assert isinstance(gw.registry.get("athena"), StubService)


@pytest.mark.parametrize(("stubs", "message"), [
    ("nope", "stubs: must be a list"),
    ([{"service": "x", "resources": {"w": {"idd": "X"}}}], "unknown key 'idd' (did you mean 'id'?)"),
    ([{"service": "x", "resources": {"w": {"id": "X", "actions": {"creat": "C"}}}}],
     "resources.w.actions: unknown key 'creat'"),
    ([{"servic": "x"}], "unknown key 'servic'"),
    ([{"service": "x", "protocol": "soap", "actions": {"A": {"response": {}}}}], "key 'protocol'"),
    ([{"service": "x", "resources": {"w": {"id": "X"}}}], "declares no actions"),
    ([{"service": "nosuchservice", "inferred": True}], "botocore has no model"),
])
def test_config_stub_errors_name_the_bad_key(stubs, message):
    with pytest.raises(ConfigError) as info:
        config_entries(stubs)
    assert message in str(info.value)


def test_config_stubs_are_served(boto_session):
    widget = {"service": "myservice", "protocol": "json", "target_prefix": "MyService_20260101",
              "resources": {"widget": {"id": "WidgetId", "fields": ["WidgetName"],
                                       "actions": {"create": {"op": "CreateWidget", "required": ["WidgetName"]},
                                                   "describe": "DescribeWidget"}}}}
    with Gateway(Config(stubs=[widget, {"service": "mediastore", "inferred": True}])) as gw:
        from .test_myservice import call

        status, made = call(gw.endpoint, "CreateWidget", {"WidgetName": "w"})
        assert status == 200 and call(gw.endpoint, "DescribeWidget", made)[1]["WidgetName"] == "w"
        store = boto_session.client("mediastore", endpoint_url=gw.endpoint)
        store.create_container(ContainerName="c1")
        assert store.describe_container(ContainerName="c1")["Container"]["Name"] == "c1"
        assert gw.registry.get("mediastore").entry.inferred


def test_inferred_entries_say_so():
    entry = infer_entry("mediastore")
    assert entry.inferred and "INFERRED" in entry.description
    assert {a.kind for a in entry.actions.values()} >= {"create", "describe", "list", "delete", "tag"}


def test_overrides_answer_one_action_and_are_undone(client, aws):
    eks = client("eks")
    eks.create_cluster(name="real", roleArn="r", resourcesVpcConfig={})
    with catalog_changes(aws) as catalog:
        catalog.override("eks", "DescribeCluster", {"cluster": {"name": "fixed", "status": "FAILED"}})
        catalog.override("eks", "ListClusters", lambda c: {"clusters": [c.region]})
        assert eks.describe_cluster(name="real")["cluster"] == {"name": "fixed", "status": "FAILED"}
        assert eks.list_clusters()["clusters"] == ["us-east-1"]
        assert eks.create_cluster(name="b", roleArn="r", resourcesVpcConfig={})["cluster"]["name"] == "b"
    assert eks.describe_cluster(name="real")["cluster"]["status"] == "ACTIVE"
    assert sorted(eks.list_clusters()["clusters"]) == ["b", "real"]


def test_schema_reads_the_docs_entry_as_data():
    entry = entry_from_dict({
        "service": "myservice", "protocol": "json", "target_prefix": "MyService_20260101",
        "resources": {"widget": {"id": "WidgetId", "arn": "arn:aws:myservice:{region}:{account}:widget/{id}",
                                 "fields": ["WidgetName"],
                                 "actions": {"create": {"op": "CreateWidget", "required": ["WidgetName"],
                                                        "output_fields": ["WidgetName"]},
                                             "describe": "DescribeWidget", "list": "ListWidgets",
                                             "delete": "DeleteWidget"}}},
    })
    assert sorted(entry.actions) == ["CreateWidget", "DeleteWidget", "DescribeWidget", "ListWidgets"]
    assert entry.actions["CreateWidget"].required[0].name == "WidgetName"
    assert entry.resource_types["widget"].name == "Widget"
    from .test_myservice import MYSERVICE

    python = {n: (a.kind, a.resource, [f.name for f in a.required], [f.name for f in a.output_fields])
              for n, a in MYSERVICE.actions.items()}
    data = {n: (a.kind, a.resource, [f.name for f in a.required], [f.name for f in a.output_fields])
            for n, a in entry.actions.items()}
    assert data == python  # the YAML form and the helpers' form are the same entry


def test_replace_remove_and_infer_are_undone(client, aws):
    inferred = next(n for n in ("mediastore", "lookoutequipment", "iotwireless", "braket")
                    if n not in builtin_entry_names())  # one the catalog does not serve yet
    with catalog_changes(aws) as catalog:
        catalog.replace({"service": "athena", "actions": {"ListWorkGroups": {"response": {"WorkGroups": []}}}})
        client("athena").create_work_group(Name="w")  # the rest of the model: classified
        assert client("athena").list_work_groups()["WorkGroups"] == []  # the entry's own answer
        catalog.remove("glue")
        assert "glue" not in catalog.names()
        catalog.infer(inferred)
        assert catalog.entry(inferred).inferred
        with pytest.raises(ValueError, match="use replace"):
            catalog.add({"service": "eks", "actions": {"X": {"response": {}}}})
    assert "glue" in aws.registry and inferred not in aws.registry
    client("athena").create_work_group(Name="w")  # the built-in entry again, with fresh state
    assert [w["Name"] for w in client("athena").list_work_groups()["WorkGroups"]] == ["w"]


def test_updates_move_the_update_time_and_statuses_come_from_the_enum(client):
    pipes = client("pipes")
    made = pipes.create_pipe(Name="p", Source="arn:aws:sqs:us-east-1:123456789012:q",
                             Target="arn:aws:sqs:us-east-1:123456789012:t", RoleArn="arn:aws:iam::123456789012:role/r")
    assert made["CurrentState"] == "RUNNING" and made["CreationTime"] == made["LastModifiedTime"]
    pipes.update_pipe(Name="p", RoleArn="arn:aws:iam::123456789012:role/r2", Description="new")
    after = pipes.describe_pipe(Name="p")
    assert after["LastModifiedTime"] > after["CreationTime"] and after["Description"] == "new"
    assert after["RoleArn"].endswith("role/r2")


def test_a_config_files_model_path_is_relative_to_the_file(tmp_path, boto_session):
    from .test_myservice import MODELS

    (tmp_path / "service-2.json").write_text((MODELS / "myservice/2026-01-01/service-2.json").read_text())
    (tmp_path / "cloudmock.yaml").write_text(
        "stubs:\n"
        "  - service: myservice\n"
        "    model: service-2.json\n"
        "    resources:\n"
        "      widget: {id: WidgetId, actions: {create: CreateWidget, describe: DescribeWidget}}\n"
    )
    with Gateway(Config.from_file(tmp_path / "cloudmock.yaml")) as gw:
        from pytest_cloudmock.stubs import boto3_session

        session = boto3_session(MODELS, region_name="us-east-1", aws_access_key_id="AKIA1", aws_secret_access_key="s")
        client = session.client("myservice", endpoint_url=gw.endpoint)
        made = client.create_widget(WidgetName="w")
        assert client.describe_widget(WidgetId=made["WidgetId"])["Widget"]["WidgetName"] == "w"
    assert not has_model("myservice")  # stopping the gateway forgets the model
