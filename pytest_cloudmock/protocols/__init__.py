"""Wire codecs, one per AWS protocol, driven by botocore models."""

from __future__ import annotations

import importlib
from functools import cache

from ..wire import WireRequest
from .base import Codec

_CODECS = {
    "json": ("json_", "JsonCodec"),
    "rest-json": ("rest_json", "RestJsonCodec"),
    "query": ("query", "QueryCodec"),
    "ec2": ("ec2", "Ec2Codec"),
    "rest-xml": ("rest_xml", "RestXmlCodec"),
    "smithy-rpc-v2-cbor": ("cbor", "CborCodec"),
}

PROTOCOLS = tuple(_CODECS)


@cache
def codec_for(protocol: str) -> Codec:
    """The shared codec instance for a protocol name as botocore spells it."""
    module, cls = _CODECS[protocol]
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)()


def detect_protocol(request: WireRequest, candidates: list[str]) -> str:
    """Which of a service's protocols a request came in (the first candidate if none claims it)."""
    if len(candidates) > 1:
        for name in candidates:
            if codec_for(name).matches(request):
                return name
    return candidates[0]


__all__ = ["Codec", "PROTOCOLS", "codec_for", "detect_protocol"]
