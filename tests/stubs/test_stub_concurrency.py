"""The stub engine under concurrent writers and ARN lookups: never a 5xx.

CI runs 8 threads x 100 create/describe pairs; `CLOUDMOCK_SOAK=1` runs the issue's
8 x 2,000.
"""

from __future__ import annotations

import os
import threading

from botocore.config import Config
from botocore.exceptions import ClientError

PER_THREAD = 2000 if os.environ.get("CLOUDMOCK_SOAK") else 100


def test_create_and_arn_describe_from_eight_threads(aws, boto_session):
    client = boto_session.client(
        "acm", endpoint_url=aws.endpoint,
        config=Config(retries={"total_max_attempts": 1}, max_pool_connections=16),
    )
    failures: list[str] = []

    def work(n: int) -> None:
        for i in range(PER_THREAD):
            try:
                arn = client.request_certificate(DomainName=f"t{n}-{i}.example.com")["CertificateArn"]
                # describing by ARN walks the table while other threads insert into it
                assert client.describe_certificate(CertificateArn=arn)["Certificate"]["CertificateArn"] == arn
            except ClientError as err:
                failures.append(f"{err.response['ResponseMetadata']['HTTPStatusCode']} {err}")
                return

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert failures == []
    listed = client.get_paginator("list_certificates").paginate().build_full_result()
    assert len(listed["CertificateSummaryList"]) == 8 * PER_THREAD
