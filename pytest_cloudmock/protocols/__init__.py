"""Wire codecs, one per AWS protocol, driven by botocore models.

`CODECS` is the one table of codecs: `(protocol, None)` names a protocol's generic
codec, `(protocol, service)` a service's subclass for the wire quirks its model does
not carry (kept in the service's own package). Entries are import strings, so no
codec module, and no service package, is imported until a request needs it.
"""

from __future__ import annotations

import importlib
from functools import cache

from ..wire import WireRequest
from .base import Codec

CODECS: dict[tuple[str, str | None], str] = {
    ("json", None): "pytest_cloudmock.protocols.json_:JsonCodec",
    ("rest-json", None): "pytest_cloudmock.protocols.rest_json:RestJsonCodec",
    ("query", None): "pytest_cloudmock.protocols.query:QueryCodec",
    ("ec2", None): "pytest_cloudmock.protocols.ec2:Ec2Codec",
    ("rest-xml", None): "pytest_cloudmock.protocols.rest_xml:RestXmlCodec",
    ("smithy-rpc-v2-cbor", None): "pytest_cloudmock.protocols.cbor:CborCodec",
    # services' wire quirks
    ("rest-xml", "s3"): "pytest_cloudmock.services.s3.wire:S3RestXmlCodec",
    ("rest-xml", "s3control"): "pytest_cloudmock.services.s3.wire:S3ControlRestXmlCodec",
    ("json", "sqs"): "pytest_cloudmock.services.sqs.wire:SqsJsonCodec",
    ("json", "dynamodb"): "pytest_cloudmock.services.dynamodb.wire:DynamoDbJsonCodec",
    ("json", "kinesis"): "pytest_cloudmock.services.kinesis.wire:KinesisJsonCodec",
    ("query", "sqs"): "pytest_cloudmock.services.sqs.wire:SqsQueryCodec",
}

PROTOCOLS = tuple(protocol for protocol, service in CODECS if service is None)

#: Services a request may name only by its Host (virtual-host buckets) or by being an
#: unsigned request (anonymous reads, browser form uploads), with the protocol whose
#: codec (`host_path`, `accepts_unsigned`) tells. The router asks them in this order.
HOST_ADDRESSED: dict[str, str] = {"s3": "rest-xml"}


@cache
def codec_for(protocol: str, service: str | None = None) -> Codec:
    """The shared codec for a protocol (as botocore spells it), or `service`'s own for it.

    A service without an entry of its own gets the protocol's generic codec instance.
    """
    if service is not None and (protocol, service) not in CODECS:
        return codec_for(protocol)
    module, _, cls = CODECS[(protocol, service)].partition(":")
    return getattr(importlib.import_module(module), cls)()


def detect_protocol(request: WireRequest, candidates: list[str]) -> str:
    """Which of a service's protocols a request came in (the first candidate if none claims it)."""
    if len(candidates) > 1:
        for name in candidates:
            if codec_for(name).matches(request):
                return name
    return candidates[0]


__all__ = ["CODECS", "HOST_ADDRESSED", "Codec", "PROTOCOLS", "codec_for", "detect_protocol"]
