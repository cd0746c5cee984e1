"""The state browser: the page on the admin port and the resources view it reads."""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.request

import pytest

from pytest_cloudmock.gateway import Gateway

from .test_admin import admin

BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)


def test_resources_lists_every_started_store_by_account_and_region(aws: Gateway, client) -> None:
    client("sqs").create_queue(QueueName="orders")
    client("sqs", region_name="eu-west-1").create_queue(QueueName="events")
    client("s3").create_bucket(Bucket="reports")
    status, found = admin(aws, "/api/resources")
    assert status == 200
    rows = {(r["service"], r["region"]): r["collections"] for r in found}
    assert [n.rsplit("/", 1)[-1] for n in rows[("sqs", "us-east-1")]["queues"]["names"]] == ["orders"]
    assert rows[("sqs", "eu-west-1")]["queues"]["count"] == 1
    s3 = next(c for (service, _), c in rows.items() if service == "s3")
    assert any("reports" in c["names"] for c in s3.values())


def test_the_page_reads_only_routes_that_answer(aws: Gateway) -> None:
    with urllib.request.urlopen(aws.admin_endpoint + "/ui", timeout=5) as answer:
        assert answer.headers["Content-Type"].startswith("text/html")
        html = answer.read().decode()
    paths = re.findall(r'get\("(/api/[^"]+)"\)', html)
    assert sorted(p.split("?")[0] for p in paths) == ["/api/requests", "/api/resources", "/api/services"]
    for path in paths:
        assert admin(aws, path)[0] == 200


@pytest.mark.skipif(BROWSER is None, reason="no headless browser (Debian's chromium) on this machine")
def test_a_headless_browser_renders_the_state(aws: Gateway, client) -> None:
    client("sqs").create_queue(QueueName="visible-in-browser")
    dom = subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                          "--dump-dom", aws.admin_endpoint + "/ui"], capture_output=True, text=True, timeout=60).stdout
    assert "visible-in-browser" in dom and "CreateQueue" in dom
