"""IAM enforcement cost per request: the same signed request answered by the gateway app
in-process (no socket, no client), with `iam: off` and `iam: enforce`, in alternating
rounds of the same run. The caller is an IAM user with 10 policies (AWS managed, customer
managed, inline, one through a group, conditions and a policy variable among them).

Reported: the median per request in each mode and their difference; the median time spent
inside the IAM hook during those requests; and the hook alone in a tight loop (best of 5),
which other processes on a shared machine disturb least.

Requests: SQS GetQueueAttributes (identity policies only) and S3 GetObject (the bucket's
policy is read too; it is cached until a policy-changing call passes).

    python benchmarks/iam_bench.py [--calls 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import boto3  # noqa: E402
from botocore.awsrequest import AWSResponse  # noqa: E402

from pytest_cloudmock.config import Config  # noqa: E402
from pytest_cloudmock.gateway import Gateway  # noqa: E402
from pytest_cloudmock.wire import WireRequest  # noqa: E402

ACCOUNT = "123456789012"


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def setup(gw: Gateway) -> dict[str, str]:
    """A user with 10 policies; its access key."""
    kw = {"endpoint_url": gw.endpoint, "region_name": "us-east-1", "aws_access_key_id": ACCOUNT,
          "aws_secret_access_key": "x"}
    iam, s3, sqs = (boto3.client(s, **kw) for s in ("iam", "s3", "sqs"))
    s3.create_bucket(Bucket="bench")
    s3.put_object(Bucket="bench", Key="k", Body=b"x" * 100)
    s3.put_bucket_policy(Bucket="bench", Policy=_doc({"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket",
                                                      "Resource": "arn:aws:s3:::bench"}))
    sqs.create_queue(QueueName="bench")
    iam.create_user(UserName="bench")
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="bench")
    iam.put_group_policy(GroupName="devs", PolicyName="g", PolicyDocument=_doc(
        {"Effect": "Allow", "Action": "logs:*", "Resource": "*"}))
    for arn in ("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess",
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"):
        iam.attach_user_policy(UserName="bench", PolicyArn=arn)
    for i in range(3):
        arn = iam.create_policy(PolicyName=f"managed{i}", PolicyDocument=_doc(
            {"Effect": "Allow", "Action": [f"dynamodb:GetItem{i}", "dynamodb:Query"],
             "Resource": f"arn:aws:dynamodb:*:{ACCOUNT}:table/t{i}"},
            {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*",
             "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}))["Policy"]["Arn"]
        iam.attach_user_policy(UserName="bench", PolicyArn=arn)
    iam.put_user_policy(UserName="bench", PolicyName="home", PolicyDocument=_doc(
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bench/${aws:username}/*"}))
    iam.put_user_policy(UserName="bench", PolicyName="ip", PolicyDocument=_doc(
        {"Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"NotIpAddress": {"aws:SourceIp": ["127.0.0.0/8", "::1/128"]}}}))
    iam.put_user_policy(UserName="bench", PolicyName="tags", PolicyDocument=_doc(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}}}))
    listed = iam.list_attached_user_policies(UserName="bench")["AttachedPolicies"]
    inline = iam.list_user_policies(UserName="bench")["PolicyNames"]
    assert len(listed) + len(inline) + 1 == 10, (listed, inline)  # + the group's
    key = iam.create_access_key(UserName="bench")["AccessKey"]
    return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}


def captured(gw: Gateway, service: str, operation: str, creds: dict[str, str], **params: Any) -> WireRequest:
    """The signed request boto3 would send, as the gateway receives it."""
    client = boto3.client(service, endpoint_url=gw.endpoint, region_name="us-east-1", **creds)
    seen: list[Any] = []

    def capture(request: Any, **_: Any) -> AWSResponse:
        seen.append(request)
        raise _Captured

    client.meta.events.register("before-send", capture)
    with contextlib.suppress(_Captured):
        getattr(client, operation)(**params)
    request = seen[0]
    body = request.body if isinstance(request.body, bytes) else (request.body or b"").encode() \
        if isinstance(request.body, str) else b""
    url = request.url.split(gw.endpoint, 1)[1] or "/"
    headers = {k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}
    return WireRequest.from_parts(request.method, url, headers, body)


class _Captured(Exception):
    pass


def time_calls(gw: Gateway, request: WireRequest, host: str, calls: int) -> list[float]:
    samples = []
    handle = gw.app.handle
    for _ in range(calls):
        fresh = WireRequest.from_parts(request.method, request.path + _query(request), request.headers,
                                       request._body)
        started = time.perf_counter()
        response = handle(fresh, host)
        samples.append(time.perf_counter() - started)
    assert response.status == 200, (response.status, response.body)
    return samples


def _query(request: WireRequest) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode([(k, v) for k, vs in request.query.items() for v in vs]) if request.query else ""


def hook_time(gw: Gateway, request: WireRequest, host: str, calls: int) -> float:
    """Median µs spent in the IAM interceptor itself (enforce mode)."""
    gw.iam.set_mode("enforce")
    before = gw.iam.interceptor.before
    assert before is not None
    spent: list[float] = []

    def timed(ctx: Any) -> Any:
        started = time.perf_counter()
        try:
            return before(ctx)
        finally:
            spent.append(time.perf_counter() - started)

    gw.iam.interceptor.before = timed
    try:
        time_calls(gw, request, host, calls)
    finally:
        gw.iam.interceptor.before = before
    return statistics.median(spent) * 1e6


def hook_loop(gw: Gateway, request: WireRequest, host: str, calls: int) -> float:
    """µs per call of the IAM hook alone on one captured request, best of 5 tight loops (the
    least disturbed by other processes on a shared machine)."""
    gw.iam.set_mode("enforce")
    before = gw.iam.interceptor.before
    assert before is not None
    seen: list[Any] = []
    gw.iam.interceptor.before = lambda ctx: seen.append(ctx)
    try:
        time_calls(gw, request, host, 1)
    finally:
        gw.iam.interceptor.before = before
    ctx = seen[0]
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(calls):
            before(ctx)
        best = min(best, (time.perf_counter() - started) / calls)
    return best * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=300, help="calls per round and mode")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with Gateway(Config()) as gw:
        creds = setup(gw)
        host = gw.endpoint.split("://", 1)[1]
        queue = f"{gw.endpoint}/{ACCOUNT}/bench"
        requests = {
            "sqs GetQueueAttributes": captured(gw, "sqs", "get_queue_attributes", creds, QueueUrl=queue,
                                               AttributeNames=["All"]),
            "s3 GetObject (+ bucket policy)": captured(gw, "s3", "get_object", creds, Bucket="bench", Key="k"),
        }
        print(f"median µs per request, in-process app.handle, {args.rounds} alternating rounds of {args.calls} calls")
        for name, request in requests.items():
            medians: dict[str, list[float]] = {"off": [], "enforce": []}
            for mode in ("off", "enforce"):  # warm both modes' caches
                gw.iam.set_mode(mode)
                time_calls(gw, request, host, 100)
            for _ in range(args.rounds):
                for mode in ("off", "enforce"):
                    gw.iam.set_mode(mode) if gw.iam.mode != mode else None
                    medians[mode].append(statistics.median(time_calls(gw, request, host, args.calls)) * 1e6)
            off, on = statistics.median(medians["off"]), statistics.median(medians["enforce"])
            hook = hook_time(gw, request, host, args.calls * 5)
            alone = hook_loop(gw, request, host, args.calls * 5)
            print(f"  {name:32s} off {off:6.1f}  enforce {on:6.1f}  difference {on - off:5.1f}  "
                  f"in the IAM hook {hook:5.1f}  (hook alone, best loop {alone:5.1f})")
        assert not [d for d in gw.iam.denials() if d.enforced], gw.iam.denials()


if __name__ == "__main__":
    main()
