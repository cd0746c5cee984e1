"""TagFilters' semantics over many generated filters: every filter must hold (AND), a
filter's values are alternatives (OR), a filter without values matches any value."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TAGS = {
    "q-a": {"env": "prod", "team": "data"},
    "q-b": {"env": "dev", "team": ""},
    "q-c": {"env": "prod"},
    "q-d": {"owner": "x", "team": "web"},
    "q-e": {"env": "test", "owner": "y", "team": "data"},
}
KEYS = ["env", "team", "owner", "absent"]
VALUES = ["prod", "dev", "test", "data", "web", "", "x", "y", "none"]

filters = st.lists(
    st.fixed_dictionaries({"Key": st.sampled_from(KEYS)},
                          optional={"Values": st.lists(st.sampled_from(VALUES), max_size=3, unique=True)}),
    max_size=3, unique_by=lambda f: f["Key"])


def expected(tag_filters: list[dict[str, Any]]) -> set[str]:
    return {name for name, tags in TAGS.items()
            if all(f["Key"] in tags and (not f.get("Values") or tags[f["Key"]] in f["Values"]) for f in tag_filters)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tag_filters=filters)
def test_tag_filters_select_as_documented(queues: dict[str, str], tagging: Any,
                                          tag_filters: list[dict[str, Any]]) -> None:
    found = tagging.get_resources(TagFilters=tag_filters, ResourceTypeFilters=["sqs"])["ResourceTagMappingList"]
    names = {m["ResourceARN"].rsplit(":", 1)[1] for m in found}
    assert names == expected(tag_filters)
