"""ListKeys pages are cut from an index in created order (ties in order of arrival); only keys
the clock may change are ticked first. Checked against a plain model whatever the clock did."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.gateway import Gateway

BASE = 1_700_000_000.0
DAY = 86400.0
OPS = st.lists(st.one_of(
    st.tuples(st.just("create"), st.integers(0, 9), st.sampled_from([0.0, 0.0, 5.0, -50.0])),
    st.tuples(st.just("schedule"), st.integers(0, 9), st.just(0.0)),
    st.tuples(st.just("cancel"), st.integers(0, 9), st.just(0.0)),
    st.tuples(st.just("rotate"), st.integers(0, 9), st.just(0.0)),
    st.tuples(st.just("advance"), st.just(0), st.sampled_from([8 * DAY, 100 * DAY])),
), min_size=1, max_size=25)


def _walk(kms: Any, size: int) -> list[str]:
    seen, marker = [], None
    while True:
        out = kms.list_keys(Limit=size, **({"Marker": marker} if marker else {}))
        seen += [k["KeyId"] for k in out["Keys"]]
        marker = out.get("NextMarker")
        if not marker:
            return seen


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS, size=st.sampled_from([1, 2, 3, 100]))
def test_key_pages_match_a_model(aws: Gateway, kms: Any, ops: list[tuple], size: int) -> None:
    aws.reset()
    now = BASE
    aws.clock.freeze(now)
    model: dict[str, list[Any]] = {}  # key id -> [created, arrival, deletion date]
    made: list[str] = []
    try:
        for arrival, (op, index, arg) in enumerate([("create", 0, 0.0), *ops]):
            if op in ("create", "advance"):
                now += arg
                aws.clock.set(now)
            for gone in [k for k, (_, _, at) in model.items() if at is not None and now >= at]:
                del model[gone]
            key = made[index % len(made)] if made else None
            try:
                if op == "create":
                    key = kms.create_key()["KeyMetadata"]["KeyId"]
                    made.append(key)
                    model[key] = [now, arrival, None]
                elif op == "schedule":
                    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
                    model[key][2] = now + 7 * DAY
                elif op == "cancel":
                    kms.cancel_key_deletion(KeyId=key)
                    model[key][2] = None
                elif op == "rotate":
                    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=90)
            except kms.exceptions.ClientError:
                pass  # gone, pending deletion already or not: the listing must still agree
        assert _walk(kms, size) == sorted(model, key=lambda k: model[k][:2])
    finally:
        aws.clock.reset()
        aws.reset()
