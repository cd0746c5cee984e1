"""A real boto3 client whose HTTP round trip is answered in-process by our codecs.

Every handler botocore runs for a live call (S3's bucket-path rewrite, `Expect`,
checksums, copy-source quoting, parsing handlers) still runs: only the socket is
replaced, through botocore's `before-send` event. `answer(operation, params,
request)` plays the service: it returns a result dict or raises `AWSError`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from urllib3.response import HTTPResponse

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for
from pytest_cloudmock.wire import WireRequest, WireResponse

ENDPOINT = "http://127.0.0.1:4566"
REQUEST_ID = "0f5e4c1a-0000-4000-8000-00000000abcd"

Answer = Callable[[str, dict[str, Any], WireRequest], dict[str, Any]]

_session = boto3.Session(
    aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", region_name="us-east-1"
)


class Recorder:
    """What the last call looked like on our side."""

    operation: str | None = None
    params: dict[str, Any] | None = None
    request: WireRequest | None = None
    response: WireResponse | None = None


def wire_request(prepared: Any) -> WireRequest:
    """A botocore `AWSPreparedRequest` as the `WireRequest` our gateway would build."""
    parts = urlsplit(prepared.url)
    body = prepared.body
    if hasattr(body, "read"):
        body = body.read()
    url = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc)] + [
        (k, v.decode() if isinstance(v, bytes) else v) for k, v in prepared.headers.items()
    ]
    return WireRequest.from_parts(prepared.method, url, headers, body or b"")


def make_client(
    service: str,
    answer: Answer,
    recorder: Recorder | None = None,
    endpoint: str = ENDPOINT,
    **config: Any,
) -> Any:
    """A boto3 client for `service` answered by `answer` through our codec.

    No socket is opened, so `endpoint` may be https (botocore then sends streaming
    bodies `aws-chunked`, with trailing checksums).
    """
    model = service_model(service)
    codec = codec_for(model.protocol, service)
    recorder = recorder or Recorder()

    def send(request: Any, **_: Any) -> AWSResponse:
        wire = wire_request(request)
        recorder.request = wire
        recorder.operation = op_name = codec.find_operation(wire, model)
        op = model.operation_model(op_name) if op_name else None
        try:
            if op is None:
                raise AWSError("UnknownOperationException", "no operation", 400)
            recorder.params = params = codec.parse(wire, op)
            response = codec.serialize(answer(op_name, params, wire), op, REQUEST_ID)
        except AWSError as err:
            response = codec.serialize_error(err, model, op, REQUEST_ID)
        recorder.response = response
        body = response.body
        if not isinstance(body, (bytes, bytearray)):
            body = b"".join(body)
        raw = HTTPResponse(
            body=io.BytesIO(bytes(body)),
            headers=response.headers,
            status=response.status,
            preload_content=False,
        )
        return AWSResponse(request.url, response.status, response.headers, raw)

    client = _session.client(
        service,
        endpoint_url=endpoint,
        config=Config(retries={"max_attempts": 1}, **config),
    )
    client.meta.events.register_first("before-send", send)
    return client
