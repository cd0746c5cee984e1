"""Analytics, inventory, metrics and intelligent-tiering configurations: by id, listed in pages."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .conftest import error_of


def test_analytics_put_get_list_delete(s3_default, bucket):
    config = {"Id": "a1", "Filter": {"Prefix": "logs/"}, "StorageClassAnalysis": {}}
    s3_default.put_bucket_analytics_configuration(Bucket=bucket, Id="a1", AnalyticsConfiguration=config)
    got = s3_default.get_bucket_analytics_configuration(Bucket=bucket, Id="a1")
    assert got["AnalyticsConfiguration"]["Filter"] == {"Prefix": "logs/"}
    listed = s3_default.list_bucket_analytics_configurations(Bucket=bucket)
    assert [c["Id"] for c in listed["AnalyticsConfigurationList"]] == ["a1"]
    assert listed["IsTruncated"] is False
    s3_default.delete_bucket_analytics_configuration(Bucket=bucket, Id="a1")
    with pytest.raises(ClientError) as exc:
        s3_default.get_bucket_analytics_configuration(Bucket=bucket, Id="a1")
    assert error_of(exc) == ("NoSuchConfiguration", 404)
    with pytest.raises(ClientError) as exc:
        s3_default.delete_bucket_analytics_configuration(Bucket=bucket, Id="a1")
    assert error_of(exc) == ("NoSuchConfiguration", 404)


def test_metrics_list_pages_by_100_with_continuation_tokens(s3_default, bucket):
    for i in range(105):
        s3_default.put_bucket_metrics_configuration(
            Bucket=bucket, Id=f"m{i:03d}", MetricsConfiguration={"Id": f"m{i:03d}"})
    first = s3_default.list_bucket_metrics_configurations(Bucket=bucket)
    assert first["IsTruncated"] is True and len(first["MetricsConfigurationList"]) == 100
    second = s3_default.list_bucket_metrics_configurations(
        Bucket=bucket, ContinuationToken=first["NextContinuationToken"])
    assert [c["Id"] for c in second["MetricsConfigurationList"]] == [f"m{i:03d}" for i in range(100, 105)]
    assert second["ContinuationToken"] == first["NextContinuationToken"]
    assert second["IsTruncated"] is False and "NextContinuationToken" not in second
    with pytest.raises(ClientError) as exc:
        s3_default.list_bucket_metrics_configurations(Bucket=bucket, ContinuationToken="bogus")
    assert error_of(exc) == ("InvalidArgument", 400)


def test_inventory_validates_destination_and_id(s3_default, bucket):
    config = {
        "Id": "inv", "IsEnabled": True, "IncludedObjectVersions": "Current",
        "Destination": {"S3BucketDestination": {"Bucket": f"arn:aws:s3:::{bucket}", "Format": "CSV"}},
        "Schedule": {"Frequency": "Daily"},
    }
    s3_default.put_bucket_inventory_configuration(Bucket=bucket, Id="inv", InventoryConfiguration=config)
    got = s3_default.get_bucket_inventory_configuration(Bucket=bucket, Id="inv")["InventoryConfiguration"]
    assert got["Destination"]["S3BucketDestination"]["Format"] == "CSV"
    assert s3_default.list_bucket_inventory_configurations(Bucket=bucket)["InventoryConfigurationList"][0]["Id"] == "inv"
    with pytest.raises(ClientError) as exc:  # the body's Id must be the query's id
        s3_default.put_bucket_inventory_configuration(Bucket=bucket, Id="other", InventoryConfiguration=config)
    assert error_of(exc) == ("InvalidArgument", 400)


def test_intelligent_tiering_days_are_checked(s3_default, bucket):
    good = {"Id": "t", "Status": "Enabled", "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}]}
    s3_default.put_bucket_intelligent_tiering_configuration(
        Bucket=bucket, Id="t", IntelligentTieringConfiguration=good)
    listed = s3_default.list_bucket_intelligent_tiering_configurations(Bucket=bucket)
    assert listed["IntelligentTieringConfigurationList"][0]["Tierings"][0]["Days"] == 90
    bad = {**good, "Tierings": [{"Days": 30, "AccessTier": "ARCHIVE_ACCESS"}]}
    with pytest.raises(ClientError) as exc:
        s3_default.put_bucket_intelligent_tiering_configuration(
            Bucket=bucket, Id="t", IntelligentTieringConfiguration=bad)
    assert error_of(exc) == ("InvalidArgument", 400)
