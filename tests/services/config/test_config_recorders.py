"""Recorder and delivery channel lifecycle, with AWS's errors."""

from __future__ import annotations

from ..aws_errors import error_of
from .conftest import ROLE


def test_recorder_lifecycle_and_errors(config, client, frozen):
    assert error_of(config.start_configuration_recorder, ConfigurationRecorderName="default") == (
        "NoSuchConfigurationRecorderException",
        "Cannot find configuration recorder with the specified name 'default'.")
    assert error_of(config.put_delivery_channel, DeliveryChannel={"s3BucketName": "b"})[0] == (
        "NoAvailableConfigurationRecorderException")
    config.put_configuration_recorder(ConfigurationRecorder={"name": "default", "roleARN": ROLE})
    assert error_of(config.put_configuration_recorder,
                    ConfigurationRecorder={"name": "second", "roleARN": ROLE}) == (
        "MaxNumberOfConfigurationRecordersExceededException",
        "Failed to put configuration recorder 'second' because the maximum number of configuration recorders: "
        "1 is reached.")
    assert error_of(config.put_configuration_recorder, ConfigurationRecorder={"name": "default"})[0] == (
        "InvalidRoleException")
    assert error_of(config.put_configuration_recorder, ConfigurationRecorder={
        "name": "default", "roleARN": ROLE,
        "recordingGroup": {"allSupported": True, "resourceTypes": ["AWS::S3::Bucket"]}})[0] == (
        "InvalidRecordingGroupException")
    assert error_of(config.start_configuration_recorder, ConfigurationRecorderName="default") == (
        "NoAvailableDeliveryChannelException", "Delivery channel is not available to start configuration recorder.")
    assert error_of(config.put_delivery_channel, DeliveryChannel={"s3BucketName": "missing-bucket"})[0] == (
        "NoSuchBucketException")
    client("s3").create_bucket(Bucket="config-bucket")
    config.put_delivery_channel(DeliveryChannel={"s3BucketName": "config-bucket"})
    assert error_of(config.put_delivery_channel, DeliveryChannel={"name": "other", "s3BucketName": "config-bucket"}
                    )[0] == "MaxNumberOfDeliveryChannelsExceededException"
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    status = config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"][0]
    assert status["recording"] is True and status["lastStartTime"] == frozen.utcnow()
    assert error_of(config.delete_delivery_channel, DeliveryChannelName="default")[0] == (
        "LastDeliveryChannelDeleteFailedException")
    frozen.advance(30)
    config.stop_configuration_recorder(ConfigurationRecorderName="default")
    status = config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"][0]
    assert status["recording"] is False and (status["lastStopTime"] - status["lastStartTime"]).seconds == 30
    config.delete_delivery_channel(DeliveryChannelName="default")
    config.delete_configuration_recorder(ConfigurationRecorderName="default")
    assert config.describe_configuration_recorders()["ConfigurationRecorders"] == []
    assert error_of(config.describe_configuration_recorders, ConfigurationRecorderNames=["default"])[0] == (
        "NoSuchConfigurationRecorderException")
    assert error_of(config.delete_delivery_channel, DeliveryChannelName="default")[0] == (
        "NoSuchDeliveryChannelException")


def test_recorder_described_with_defaults(config):
    config.put_configuration_recorder(ConfigurationRecorder={"roleARN": ROLE})
    recorder = config.describe_configuration_recorders()["ConfigurationRecorders"][0]
    assert recorder["name"] == "default" and recorder["roleARN"] == ROLE
    assert recorder["recordingGroup"]["allSupported"] is True
    assert recorder["recordingMode"]["recordingFrequency"] == "CONTINUOUS"
    summaries = config.list_configuration_recorders()["ConfigurationRecorderSummaries"]
    assert summaries == [{"arn": recorder["arn"], "name": "default", "recordingScope": "PAID"}]


def test_deliver_config_snapshot_writes_to_the_bucket(recording, client):
    snapshot = recording.deliver_config_snapshot(deliveryChannelName="default")["configSnapshotId"]
    keys = [o["Key"] for o in client("s3").list_objects_v2(Bucket="config-delivery")["Contents"]]
    assert len(keys) == 1 and snapshot in keys[0] and keys[0].startswith("AWSLogs/")
    status = recording.describe_delivery_channel_status()["DeliveryChannelsStatus"][0]
    assert status["configSnapshotDeliveryInfo"]["lastStatus"] == "SUCCESS"


def test_retention(config):
    got = config.put_retention_configuration(RetentionPeriodInDays=90)["RetentionConfiguration"]
    assert got == {"Name": "default", "RetentionPeriodInDays": 90}
    assert config.describe_retention_configurations()["RetentionConfigurations"] == [got]
    config.delete_retention_configuration(RetentionConfigurationName="default")
    assert error_of(config.delete_retention_configuration, RetentionConfigurationName="default")[0] == (
        "NoSuchRetentionConfigurationException")
