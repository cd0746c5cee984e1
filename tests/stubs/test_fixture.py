"""`cloudmock_catalog` through the real pytest plugin: an entry added in one test is
gone in the next (the two tests run in file order)."""

from __future__ import annotations

from .test_myservice import MYSERVICE, call


def test_first_adds_the_docs_widget_entry(cloudmock_catalog, cloudmock):
    service = cloudmock_catalog.add(MYSERVICE)
    assert "myservice" in cloudmock_catalog.names() and service.entry is MYSERVICE
    status, created = call(cloudmock.endpoint, "CreateWidget", {"WidgetName": "blue"})
    assert status == 200
    assert call(cloudmock.endpoint, "DescribeWidget", created)[1]["WidgetName"] == "blue"
    cloudmock_catalog.override("athena", "ListWorkGroups", {"WorkGroups": [{"Name": "fixed"}]})
    assert cloudmock.client("athena").list_work_groups()["WorkGroups"] == [{"Name": "fixed"}]


def test_second_no_longer_has_it(cloudmock_catalog, cloudmock):
    assert "myservice" not in cloudmock.registry
    status, error = call(cloudmock.endpoint, "CreateWidget", {"WidgetName": "blue"})
    assert status == 400 and "MyService_20260101" in str(error)
    assert cloudmock.client("athena").list_work_groups()["WorkGroups"] == []
