"""Services whose models put a host prefix before the endpoint (MWAA `api.`/`env.`, Location
`cp.maps.`/`geofencing.` ...): the plugin's fixtures leave the prefixes off, the in-process
transport serves them as sent, and either way the request reaches its service."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from botocore.config import Config as BotoConfig

from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.transport import attach, detach
from tests.conftest import REGION

FIXTURE_CONFIG = BotoConfig(retries={"total_max_attempts": 1, "mode": "standard"}, inject_host_prefix=False)
ROLE = "arn:aws:iam::123456789012:role/airflow"


def make_environment(mwaa) -> str:
    return mwaa.create_environment(
        Name="flows", ExecutionRoleArn=ROLE, SourceBucketArn="arn:aws:s3:::dags", DagS3Path="dags",
        NetworkConfiguration={"SubnetIds": ["subnet-1", "subnet-2"], "SecurityGroupIds": ["sg-1"]})["Arn"]


def test_mwaa_environments_and_their_tokens(client):
    mwaa = client("mwaa", config=FIXTURE_CONFIG)
    arn = make_environment(mwaa)
    assert arn == "arn:aws:airflow:us-east-1:123456789012:environment/flows"
    env = mwaa.get_environment(Name="flows")["Environment"]
    assert env["Status"] == "AVAILABLE" and env["ExecutionRoleArn"] == ROLE
    assert env["EnvironmentClass"] == "mw1.small" and env["MaxWorkers"] == 10 and env["Schedulers"] == 2
    assert mwaa.list_environments()["Environments"] == ["flows"]
    token = mwaa.create_cli_token(Name="flows")
    assert token["CliToken"] and token["WebServerHostname"] == env["WebserverUrl"]
    assert mwaa.create_web_login_token(Name="flows")["WebServerHostname"] == env["WebserverUrl"]
    assert mwaa.invoke_rest_api(Name="flows", Path="/dags", Method="GET")["RestApiStatusCode"] == 200
    for call in (mwaa.create_cli_token, mwaa.create_web_login_token):
        with pytest.raises(mwaa.exceptions.ResourceNotFoundException):
            call(Name="nope")
    mwaa.delete_environment(Name="flows")
    with pytest.raises(mwaa.exceptions.ResourceNotFoundException):
        mwaa.get_environment(Name="flows")


def test_location_resources_and_geofences(client):
    geo = client("location", config=FIXTURE_CONFIG)
    made = geo.create_map(MapName="m", Configuration={"Style": "VectorEsriStreets"})
    assert made["MapArn"] == "arn:aws:geo:us-east-1:123456789012:map/m"
    described = geo.describe_map(MapName="m")
    assert described["Configuration"] == {"Style": "VectorEsriStreets"} and described["Description"] == ""
    geo.create_geofence_collection(CollectionName="c")
    polygon = {"Polygon": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]}
    geo.put_geofence(CollectionName="c", GeofenceId="g1", Geometry=polygon)
    assert geo.get_geofence(CollectionName="c", GeofenceId="g1")["Geometry"] == polygon
    assert [e["GeofenceId"] for e in geo.list_geofences(CollectionName="c")["Entries"]] == ["g1"]
    with pytest.raises(geo.exceptions.ResourceNotFoundException):
        geo.put_geofence(CollectionName="none", GeofenceId="g1", Geometry=polygon)
    key = geo.create_key(KeyName="k", Restrictions={"AllowActions": ["geo:GetMap*"],
                                                     "AllowResources": [made["MapArn"]]})
    assert key["Key"].startswith("v1.public.") and geo.describe_key(KeyName="k")["Key"] == key["Key"]


@pytest.fixture(scope="module")
def inprocess() -> Iterator[Gateway]:
    gw = Gateway(Config(region=REGION)).start()
    attachment = attach(gw, transport="inprocess")
    yield gw
    detach(attachment)
    gw.stop()


def test_host_prefixes_as_sent_are_served_in_process(inprocess, boto_session):
    """botocore's default puts `api.`/`cp.maps.` before 127.0.0.1: no resolver knows those
    names, the in-process transport answers them."""
    mwaa = boto_session.client("mwaa", endpoint_url=inprocess.endpoint)
    geo = boto_session.client("location", endpoint_url=inprocess.endpoint)
    make_environment(mwaa)
    geo.create_map(MapName="m", Configuration={"Style": "VectorEsriStreets"})
    assert mwaa.list_environments()["Environments"] == ["flows"]
    assert [m["MapName"] for m in geo.list_maps()["Entries"]] == ["m"]
    inprocess.reset()


def test_location_device_positions(client):
    geo = client("location", config=FIXTURE_CONFIG)
    geo.create_tracker(TrackerName="t")  # PositionFiltering: TimeBased, AWS's default
    with pytest.raises(geo.exceptions.ResourceNotFoundException):
        geo.batch_update_device_position(TrackerName="none", Updates=[
            {"DeviceId": "d", "SampleTime": datetime(2026, 1, 1, tzinfo=timezone.utc), "Position": [0.0, 0.0]}])
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    updates = [{"DeviceId": "d1", "SampleTime": start + timedelta(seconds=s), "Position": [float(s), 1.0]}
               for s in (0, 10, 40, 90)] + [{"DeviceId": "d2", "SampleTime": start, "Position": [5.0, 5.0]}]
    assert geo.batch_update_device_position(TrackerName="t", Updates=updates)["Errors"] == []
    history = geo.get_device_position_history(TrackerName="t", DeviceId="d1")["DevicePositions"]
    assert [p["Position"] for p in history] == [[0.0, 1.0], [40.0, 1.0], [90.0, 1.0]]  # one per 30 s
    assert geo.get_device_position(TrackerName="t", DeviceId="d1")["Position"] == [90.0, 1.0]
    ranged = geo.get_device_position_history(TrackerName="t", DeviceId="d1", StartTimeInclusive=start + timedelta(seconds=40),
                                             EndTimeExclusive=start + timedelta(seconds=90))["DevicePositions"]
    assert [p["Position"] for p in ranged] == [[40.0, 1.0]]
    assert [(e["DeviceId"], e["Position"]) for e in geo.list_device_positions(TrackerName="t")["Entries"]] == [
        ("d1", [90.0, 1.0]), ("d2", [5.0, 5.0])]
    batch = geo.batch_get_device_position(TrackerName="t", DeviceIds=["d2", "d9"])
    assert [p["DeviceId"] for p in batch["DevicePositions"]] == ["d2"]
    assert [(e["DeviceId"], e["Error"]["Code"]) for e in batch["Errors"]] == [("d9", "ResourceNotFoundError")]
    geo.batch_delete_device_position_history(TrackerName="t", DeviceIds=["d1"])
    with pytest.raises(geo.exceptions.ResourceNotFoundException):
        geo.get_device_position(TrackerName="t", DeviceId="d1")
