"""Ec2Codec: EC2's request naming and list layout, and its response envelope."""

from __future__ import annotations

from datetime import datetime, timezone
from xml.etree import ElementTree

from wire_client import REQUEST_ID, Recorder, make_client

from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for
from pytest_cloudmock.wire import WireRequest

CODEC = codec_for("ec2")
EC2 = service_model("ec2")
NS = "{http://ec2.amazonaws.com/doc/2016-11-15/}"


def test_describe_instances_round_trip():
    recorder = Recorder()
    launched = datetime(2024, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
    reservations = [
        {
            "ReservationId": "r-1",
            "OwnerId": "123",
            "Instances": [
                {
                    "InstanceId": "i-1",
                    "LaunchTime": launched,
                    "State": {"Code": 16, "Name": "running"},
                    "Tags": [{"Key": "Name", "Value": "web"}],
                }
            ],
        }
    ]
    ec2 = make_client("ec2", lambda op, params, request: {"Reservations": reservations}, recorder)
    out = ec2.describe_instances(
        InstanceIds=["i-1", "i-2"],
        Filters=[{"Name": "tag:Name", "Values": ["web", "db"]}],
        MaxResults=10,
        DryRun=False,
    )
    assert recorder.params == {
        "InstanceIds": ["i-1", "i-2"],
        "Filters": [{"Name": "tag:Name", "Values": ["web", "db"]}],
        "MaxResults": 10,
        "DryRun": False,
    }
    assert out["Reservations"] == reservations
    assert out["ResponseMetadata"]["RequestId"] == REQUEST_ID
    root = ElementTree.fromstring(recorder.response.body)
    assert root.tag == f"{NS}DescribeInstancesResponse"
    assert [child.tag for child in root] == [f"{NS}requestId", f"{NS}reservationSet"]
    assert (
        root.find(f"{NS}reservationSet/{NS}item/{NS}instancesSet/{NS}item/{NS}instanceId").text
        == "i-1"
    )


def test_wire_names_are_capitalised_location_names():
    body = (
        "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2"
        "&Filter.1.Name=n&Filter.1.Value.1=v&DryRun=true&MaxResults=5"
    )
    request = WireRequest.from_parts(
        "POST", "/", {"Content-Type": "application/x-www-form-urlencoded"}, body
    )
    assert CODEC.find_operation(request, EC2) == "DescribeInstances"
    assert CODEC.parse(request, EC2.operation_model("DescribeInstances")) == {
        "InstanceIds": ["i-1", "i-2"],
        "Filters": [{"Name": "n", "Values": ["v"]}],
        "DryRun": True,
        "MaxResults": 5,
    }


def test_empty_lists_are_not_sent_and_no_output():
    recorder = Recorder()
    ec2 = make_client("ec2", lambda op, params, request: {}, recorder)
    ec2.describe_instances(InstanceIds=[])
    assert recorder.params == {}
    ec2.delete_key_pair(KeyName="k")
    root = ElementTree.fromstring(recorder.response.body)
    assert root.tag == f"{NS}DeleteKeyPairResponse" and root[0].text == REQUEST_ID
