"""Properties of the pieces every deployed API leans on: path matching, token buckets,
JSONPath for mapping templates, patch operations."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudmock.services.apigateway.patch import apply_patch
from pytest_cloudmock.services.apigateway.proxy import match_path, match_resource
from pytest_cloudmock.services.apigateway.throttle import take_token
from pytest_cloudmock.services.apigateway.vtl import json_path

SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=8)
PATHS = st.lists(SEGMENT, min_size=1, max_size=5)


@given(PATHS, st.data())
def test_literal_beats_variable_beats_greedy(segments, data):
    path = "/" + "/".join(segments)
    i = data.draw(st.integers(0, len(segments) - 1))
    variable = segments[:i] + ["{v}"] + segments[i + 1:]
    resources = {
        "greedy": {"id": "greedy", "path": "/{proxy+}"},
        "variable": {"id": "variable", "path": "/" + "/".join(variable)},
        "literal": {"id": "literal", "path": path},
    }
    assert match_resource(resources, path)[0]["id"] == "literal"
    del resources["literal"]
    found, params = match_resource(resources, path)
    assert (found["id"], params) == ("variable", {"v": segments[i]})
    del resources["variable"]
    assert match_resource(resources, path) == (resources["greedy"], {"proxy": "/".join(segments)})


@given(PATHS, PATHS)
def test_a_template_matches_only_its_own_length(template, path):
    matched = match_path("/" + "/".join(template), "/" + "/".join(path))
    assert (matched is not None) == (template == path)


@given(st.integers(1, 20), st.integers(0, 40), st.floats(0.5, 50), st.floats(0, 10))
def test_a_bucket_admits_its_burst_then_its_rate(burst, requests, rate, seconds):
    buckets: dict = {}
    start = datetime(2026, 1, 1)
    admitted = sum(take_token(buckets, "k", {"burstLimit": burst, "rateLimit": rate}, start) for _ in range(requests))
    assert admitted == min(requests, burst)
    later = start + timedelta(seconds=seconds)
    elapsed = (later - start).total_seconds()  # what the clock can tell apart (microseconds)
    more = sum(take_token(buckets, "k", {"burstLimit": burst, "rateLimit": rate}, later) for _ in range(burst + 5))
    refilled = min(burst, burst - admitted + rate * elapsed)
    assert int(refilled - 1e-9) <= more <= int(refilled + 1e-9)


LEAVES = st.one_of(st.integers(), st.text(max_size=5), st.booleans(), st.none())
KEYS = st.text(alphabet="abcdefghij_", min_size=1, max_size=5)


@given(st.lists(KEYS, min_size=1, max_size=4), LEAVES)
def test_json_path_reaches_nested_members(keys, leaf):
    document: object = leaf
    for key in reversed(keys):
        document = {key: document}
    assert json_path(document, "$." + ".".join(keys)) == leaf
    assert json_path(document, "$" + "".join(f"['{k}']" for k in keys)) == leaf


@given(st.text(alphabet="abc/~", min_size=1, max_size=6), st.text(max_size=6))
def test_patch_paths_escape_slashes_and_tildes(key, value):
    item: dict = {"variables": {}}
    escaped = key.replace("~", "~0").replace("/", "~1")
    apply_patch(item, [{"op": "replace", "path": f"/variables/{escaped}", "value": value}], None)
    assert item["variables"] == {key: value}
    apply_patch(item, [{"op": "remove", "path": f"/variables/{escaped}"}], None)
    assert item["variables"] == {}
