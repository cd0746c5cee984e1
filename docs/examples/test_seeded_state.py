"""Seed expensive state once, start every test from it."""

import pytest


@pytest.fixture
def catalog(cloudmock_snapshot, cloudmock_client):
    def seed():  # runs once per session; later tests get a restored copy of its state
        s3 = cloudmock_client("s3")
        s3.create_bucket(Bucket="catalog")
        for n in range(50):
            s3.put_object(Bucket="catalog", Key=f"items/{n:03}.json", Body=b"{}")
        return "catalog"

    return cloudmock_snapshot(seed)


@pytest.mark.parametrize("doomed", ["items/000.json", "items/001.json"])
def test_deleting_one_item(catalog, cloudmock_client, doomed):
    s3 = cloudmock_client("s3")
    assert s3.list_objects_v2(Bucket=catalog)["KeyCount"] == 50  # the seed, untouched
    s3.delete_object(Bucket=catalog, Key=doomed)
    assert s3.list_objects_v2(Bucket=catalog)["KeyCount"] == 49
