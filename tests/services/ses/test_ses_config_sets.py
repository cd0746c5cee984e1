"""Configuration sets: lifecycle, event destinations, tracking, delivery and reputation options."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .test_ses_sending import simple

TOPIC = "arn:aws:sns:us-east-1:123456789012:events"


def test_configuration_set_lifecycle(ses) -> None:
    ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
    with pytest.raises(ClientError) as caught:
        ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
    assert caught.value.response["Error"]["Code"] == "ConfigurationSetAlreadyExists"
    with pytest.raises(ClientError) as caught:
        ses.create_configuration_set(ConfigurationSet={"Name": "bad name!"})
    assert caught.value.response["Error"]["Code"] == "InvalidConfigurationSet"
    assert ses.list_configuration_sets()["ConfigurationSets"] == [{"Name": "cs"}]
    ses.delete_configuration_set(ConfigurationSetName="cs")
    with pytest.raises(ClientError) as caught:
        ses.describe_configuration_set(ConfigurationSetName="cs")
    assert caught.value.response["Error"]["Code"] == "ConfigurationSetDoesNotExist"


def test_event_destinations_and_options_read_back(ses) -> None:
    ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
    dest = {"Name": "d", "Enabled": True, "MatchingEventTypes": ["send", "bounce"], "SNSDestination": {"TopicARN": TOPIC}}
    ses.create_configuration_set_event_destination(ConfigurationSetName="cs", EventDestination=dest)
    with pytest.raises(ClientError) as caught:
        ses.create_configuration_set_event_destination(ConfigurationSetName="cs", EventDestination=dest)
    assert caught.value.response["Error"]["Code"] == "EventDestinationAlreadyExists"
    cw = {"Name": "d", "Enabled": False, "MatchingEventTypes": ["delivery"], "CloudWatchDestination": {
        "DimensionConfigurations": [{"DimensionName": "campaign", "DimensionValueSource": "messageTag",
                                     "DefaultDimensionValue": "none"}]}}
    ses.update_configuration_set_event_destination(ConfigurationSetName="cs", EventDestination=cw)
    ses.create_configuration_set_tracking_options(ConfigurationSetName="cs",
                                                  TrackingOptions={"CustomRedirectDomain": "t.example.com"})
    with pytest.raises(ClientError) as caught:
        ses.create_configuration_set_tracking_options(ConfigurationSetName="cs",
                                                      TrackingOptions={"CustomRedirectDomain": "x.example.com"})
    assert caught.value.response["Error"]["Code"] == "TrackingOptionsAlreadyExistsException"
    ses.put_configuration_set_delivery_options(ConfigurationSetName="cs", DeliveryOptions={"TlsPolicy": "Require"})
    ses.update_configuration_set_reputation_metrics_enabled(ConfigurationSetName="cs", Enabled=True)
    got = ses.describe_configuration_set(ConfigurationSetName="cs", ConfigurationSetAttributeNames=[
        "eventDestinations", "trackingOptions", "deliveryOptions", "reputationOptions"])
    assert got["EventDestinations"] == [cw]
    assert got["TrackingOptions"] == {"CustomRedirectDomain": "t.example.com"}
    assert got["DeliveryOptions"] == {"TlsPolicy": "Require"}
    assert got["ReputationOptions"] == {"SendingEnabled": True, "ReputationMetricsEnabled": True}
    assert "EventDestinations" not in ses.describe_configuration_set(ConfigurationSetName="cs")
    ses.delete_configuration_set_tracking_options(ConfigurationSetName="cs")
    with pytest.raises(ClientError) as caught:
        ses.delete_configuration_set_tracking_options(ConfigurationSetName="cs")
    assert caught.value.response["Error"]["Code"] == "TrackingOptionsDoesNotExistException"
    ses.delete_configuration_set_event_destination(ConfigurationSetName="cs", EventDestinationName="d")
    with pytest.raises(ClientError) as caught:
        ses.delete_configuration_set_event_destination(ConfigurationSetName="cs", EventDestinationName="d")
    assert caught.value.response["Error"]["Code"] == "EventDestinationDoesNotExist"


def test_a_destination_needs_exactly_one_target(ses) -> None:
    ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
    with pytest.raises(ClientError) as caught:
        ses.create_configuration_set_event_destination(ConfigurationSetName="cs", EventDestination={
            "Name": "d", "MatchingEventTypes": ["send"]})
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_sending_through_a_paused_or_missing_configuration_set(ses, ses_service, sender) -> None:
    with pytest.raises(ClientError) as caught:
        simple(ses, sender, "success@simulator.amazonses.com", ConfigurationSetName="nope")
    assert caught.value.response["Error"]["Code"] == "ConfigurationSetDoesNotExist"
    ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
    ses.update_configuration_set_sending_enabled(ConfigurationSetName="cs", Enabled=False)
    with pytest.raises(ClientError) as caught:
        simple(ses, sender, "success@simulator.amazonses.com", ConfigurationSetName="cs")
    assert caught.value.response["Error"]["Code"] == "ConfigurationSetSendingPausedException"
    ses.update_configuration_set_sending_enabled(ConfigurationSetName="cs", Enabled=True)
    simple(ses, sender, "success@simulator.amazonses.com", ConfigurationSetName="cs")
    assert ses_service.messages()[0].configuration_set == "cs"
