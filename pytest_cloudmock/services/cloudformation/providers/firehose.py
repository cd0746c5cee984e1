"""AWS::KinesisFirehose::DeliveryStream, made through our Firehose."""

from __future__ import annotations

from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    generated_name,
    ignore_missing,
    resource_tags,
    tag_changes,
)

_MISSING = ("ResourceNotFoundException",)

#: Destination properties: CloudFormation's name -> (create member, UpdateDestination member).
DESTINATIONS = {
    "S3DestinationConfiguration": ("S3DestinationConfiguration", "S3DestinationUpdate"),
    "ExtendedS3DestinationConfiguration": ("ExtendedS3DestinationConfiguration", "ExtendedS3DestinationUpdate"),
    "RedshiftDestinationConfiguration": ("RedshiftDestinationConfiguration", "RedshiftDestinationUpdate"),
    "ElasticsearchDestinationConfiguration": ("ElasticsearchDestinationConfiguration",
                                              "ElasticsearchDestinationUpdate"),
    "AmazonopensearchserviceDestinationConfiguration": ("AmazonopensearchserviceDestinationConfiguration",
                                                        "AmazonopensearchserviceDestinationUpdate"),
    "SplunkDestinationConfiguration": ("SplunkDestinationConfiguration", "SplunkDestinationUpdate"),
    "HttpEndpointDestinationConfiguration": ("HttpEndpointDestinationConfiguration",
                                             "HttpEndpointDestinationUpdate"),
}
_PASSED = ("KinesisStreamSourceConfiguration", "MSKSourceConfiguration",
           "DeliveryStreamEncryptionConfigurationInput")


class DeliveryStreamProvider(BaseProvider):
    """AWS::KinesisFirehose::DeliveryStream. `Ref`: the delivery stream name."""

    type_name = "AWS::KinesisFirehose::DeliveryStream"
    replaces = frozenset({
        "DeliveryStreamName", "DeliveryStreamType", "KinesisStreamSourceConfiguration", "MSKSourceConfiguration",
        "ElasticsearchDestinationConfiguration", "AmazonopensearchserviceDestinationConfiguration",
        "AmazonOpenSearchServerlessDestinationConfiguration", "DatabaseSourceConfiguration",
        "DirectPutSourceConfiguration", "IcebergDestinationConfiguration", "SnowflakeDestinationConfiguration",
    })

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("DeliveryStreamName") or generated_name(ctx, max_length=64)
        params: dict[str, Any] = {"DeliveryStreamName": name,
                                  "DeliveryStreamType": properties.get("DeliveryStreamType") or "DirectPut"}
        params.update({k: properties[k] for k in _PASSED if properties.get(k)})
        params.update({api: properties[key] for key, (api, _) in DESTINATIONS.items() if properties.get(key)})
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = tags
        ctx.call("firehose", "CreateDeliveryStream", params)
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        for key, (_, update_member) in DESTINATIONS.items():
            if new.get(key) != old.get(key) and new.get(key):
                found = ctx.call("firehose", "DescribeDeliveryStream", {"DeliveryStreamName": physical_id})
                description = found["DeliveryStreamDescription"]
                ctx.call("firehose", "UpdateDestination", {
                    "DeliveryStreamName": physical_id,
                    "CurrentDeliveryStreamVersionId": description["VersionId"],
                    "DestinationId": description["Destinations"][0]["DestinationId"],
                    update_member: new[key],
                })
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("firehose", "TagDeliveryStream", {"DeliveryStreamName": physical_id,
                                                       "Tags": [{"Key": k, "Value": v} for k, v in to_set.items()]})
        if to_remove:
            ctx.call("firehose", "UntagDeliveryStream", {"DeliveryStreamName": physical_id, "TagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("firehose", "DeleteDeliveryStream",
                                        {"DeliveryStreamName": physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call("firehose", "DescribeDeliveryStream", {"DeliveryStreamName": physical_id})
        return Created(physical_id, {"Arn": found["DeliveryStreamDescription"]["DeliveryStreamARN"]})
