"""The tag → find → untag round trip every adapter's resource type goes through."""

from __future__ import annotations

from typing import Any


def tag_find_untag(tagging: Any, arn: str, kind: str) -> None:
    """Tag `arn` through the Tagging API, find it by its type `kind` and by a tag, untag one key."""
    assert tagging.tag_resources(ResourceARNList=[arn], Tags={"env": "qa", "k": "v"})["FailedResourcesMap"] == {}
    found = tagging.get_resources(ResourceTypeFilters=[kind])["ResourceTagMappingList"]
    assert [(m["ResourceARN"], {t["Key"]: t["Value"] for t in m["Tags"]}) for m in found] == [
        (arn, {"env": "qa", "k": "v"})]
    assert tagging.untag_resources(ResourceARNList=[arn], TagKeys=["env"])["FailedResourcesMap"] == {}
    found = tagging.get_resources(TagFilters=[{"Key": "k"}])["ResourceTagMappingList"]
    assert [m["Tags"] for m in found] == [[{"Key": "k", "Value": "v"}]]
