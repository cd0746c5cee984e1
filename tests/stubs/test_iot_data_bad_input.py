"""IoT Data shadow documents nested deeper than the parser or the merge can walk: a 400, never a 500."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

TOO_DEEP = "JSON contains too many levels of nesting; maximum is 6"


@pytest.mark.parametrize("payload", [
    b"[" * 4000 + b"]" * 4000,  # under the 8 KB limit, deeper than json.loads recurses
    b'{"state":{"desired":{"a":' + b"[" * 700 + b"]" * 700 + b"}}}",  # arrays do not count for AWS's 6
    b'{"state":{"desired":' + b'{"a":' * 7 + b"1" + b"}" * 8 + b"}",  # AWS's documented limit
], ids=["arrays-4000-deep", "arrays-700-deep-in-state", "objects-8-deep"])
def test_too_deeply_nested_documents_are_refused(client, payload):
    iot = client("iot-data")
    with pytest.raises(ClientError) as info:
        iot.update_thing_shadow(thingName="lamp", payload=payload)
    response = info.value.response
    assert (response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]) == (
        400, "InvalidRequestException", TOO_DEEP)


def test_six_levels_and_nested_arrays_are_accepted(client):
    iot = client("iot-data")
    doc = {"state": {"desired": {"a": {"b": {"c": {"d": {"e": [[1, [2]]]}}}}}}}
    accepted = json.loads(iot.update_thing_shadow(thingName="lamp", payload=json.dumps(doc).encode())["payload"].read())
    assert accepted["state"] == doc["state"]
