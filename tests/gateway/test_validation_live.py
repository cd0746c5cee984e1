"""Every operation of every Tier 1 model, sent without its required members, gets a 4xx.

Each request is what an SDK would send with parameter validation off: botocore's
own serializer writes generated valid params minus the required members that are
not URI labels, SigV4-signed, over a real socket to the gateway. The answer must
be a 4xx (never a 5xx) with the service's validation error; where the missing
members change which operation the request routes to (S3 subresources such as
`?uploadId`, or `?analytics` without `id`, which is ListBucketAnalyticsConfigurations),
only the other operation's 4xx is asserted, or its 501 when the service does not
implement that one.
"""

from __future__ import annotations

import http.client
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import create_request_object, prepare_request_dict
from botocore.model import OperationModel, ServiceModel
from botocore.serialize import create_serializer

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.models import service_model
from pytest_cloudmock.services.sqs.wire_models import json_model, query_model
from pytest_cloudmock.validation.errors import family_code
from tests.codecs.shapegen import GenOptions, generate

from .signed import CREDS

SEED = 20261203
_OPTIONS = GenOptions(special_floats=False)


@dataclass(frozen=True)
class Tier1:
    service: str
    protocol: str
    model: Callable[[], ServiceModel]
    code: Callable[[OperationModel], str]


TIER1 = [
    Tier1("s3", "rest-xml", lambda: service_model("s3"), lambda op: family_code(op, "rest-xml")),
    Tier1("sqs", "json", json_model, lambda op: "MissingParameter"),
    Tier1("sqs", "query", query_model, lambda op: "MissingParameter"),
    Tier1("sns", "query", lambda: service_model("sns"), lambda op: "ValidationError"),
    Tier1("sts", "query", lambda: service_model("sts"), lambda op: "ValidationError"),
    Tier1("iam", "query", lambda: service_model("iam"), lambda op: "ValidationError"),
]


def without_required(op: OperationModel, rng: random.Random) -> tuple[dict, list[str]]:
    """Valid generated params less every required member that is not a URI or host label.

    A generated `Content-Length` header would not match the body: it is left out.
    """
    shape = op.input_shape
    params = generate(shape, rng, _OPTIONS)
    removed = [
        name for name in shape.required_members
        if shape.members[name].serialization.get("location") != "uri"
        and not shape.members[name].serialization.get("hostLabel")
    ]
    for name, member in shape.members.items():
        if name in removed or member.serialization.get("name", "").lower() == "content-length":
            params.pop(name, None)
    return params, removed


def send(gateway: Gateway, tier: Tier1, op: OperationModel, params: dict) -> tuple[int, str, bytes]:
    """Serialize with botocore, sign, send; returns status, error code and body."""
    request_dict = create_serializer(tier.protocol, include_validation=False).serialize_to_request(params, op)
    prepare_request_dict(request_dict, endpoint_url=gateway.endpoint)
    request = create_request_object(request_dict)
    signer = S3SigV4Auth if tier.service == "s3" else SigV4Auth
    signer(CREDS, op.service_model.signing_name or tier.service, "us-east-1").add_auth(request)
    prepared = request.prepare()
    url = urlsplit(prepared.url)
    body = prepared.body.read() if hasattr(prepared.body, "read") else prepared.body or b""
    gateway_url = urlsplit(gateway.endpoint)  # a host prefix (`{RequestRoute}.`) still reaches us
    conn = http.client.HTTPConnection(gateway_url.hostname, gateway_url.port, timeout=10)
    try:
        target = url.path + (f"?{url.query}" if url.query else "")
        conn.request(prepared.method, target, body=body, headers=dict(prepared.headers.items()))
        resp = conn.getresponse()
        raw = resp.read()
    finally:
        conn.close()
    return resp.status, error_code(raw), raw


def error_code(body: bytes) -> str:
    """The code of a JSON (`__type`) or XML (`<Code>`) error body."""
    text = body.decode("utf-8", "replace")
    if text.startswith("{"):
        return json.loads(text).get("__type", "").rpartition("#")[2]
    found = re.search(r"<Code>([^<]*)</Code>", text)
    return found[1] if found else ""


@pytest.mark.parametrize("tier", TIER1, ids=lambda t: f"{t.service}-{t.protocol}")
def test_every_operation_without_its_required_members_gets_a_4xx(aws: Gateway, tier: Tier1):
    model = tier.model()
    problems, checked, rerouted = [], 0, 0
    for name in model.operation_names:
        op = model.operation_model(name)
        if op.input_shape is None:
            continue
        params, removed = without_required(op, random.Random(f"{SEED}:{tier.service}:{name}"))
        if not removed:
            continue
        before = aws.request_log.last_seq
        status, code, body = send(aws, tier, op, params)
        routed = [r.operation for r in aws.request_log.since(before)]
        checked += 1
        if routed != [name] and status == 501 and code == "NotImplemented":
            rerouted += 1  # routed to an operation the service does not implement (S3 List*Configurations)
        elif not 400 <= status < 500:
            problems.append(f"{name} (without {removed}): {status} {body[:300]!r}")
        elif routed != [name]:
            rerouted += 1  # another operation answered (its own 4xx)
        elif op.http.get("method") != "HEAD" and code != tier.code(op):
            problems.append(f"{name} (without {removed}): {status} {code}, expected {tier.code(op)}: {body[:300]!r}")
    assert checked, "no operation has a required member to leave out"
    assert not problems, f"{len(problems)} of {checked} operations ({rerouted} rerouted):\n" + "\n".join(problems)
