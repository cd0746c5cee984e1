"""ListSecrets' default listing (no filters, created-date ascending) is cut from an index kept
in created order; the same pages, tokens and deletions as the filtered path, which looks at
every secret and sorts them, whatever the clock did (ties, time going back, expiries)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.gateway import Gateway

BASE = 1_700_000_000.0
DAY = 86400.0
OPS = st.lists(st.one_of(
    st.tuples(st.just("create"), st.integers(0, 7), st.sampled_from([0.0, 0.0, 5.0, -50.0])),
    st.tuples(st.just("delete"), st.integers(0, 7), st.booleans()),
    st.tuples(st.just("restore"), st.integers(0, 7), st.just(0)),
    st.tuples(st.just("advance"), st.just(0), st.sampled_from([8 * DAY, 31 * DAY])),
), max_size=30)


def _walk(sm: Any, size: int, **params: Any) -> list[tuple[list[str], str | None]]:
    pages, token = [], None
    while True:
        out = sm.list_secrets(MaxResults=size, **params, **({"NextToken": token} if token else {}))
        token = out.get("NextToken")
        pages.append(([s["Name"] for s in out["SecretList"]], token))
        if not token:
            return pages


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from([0.0, 0.0, 5.0, -50.0]), min_size=2, max_size=8), ops=OPS,
       size=st.sampled_from([1, 2, 3, 100]))
def test_default_listing_matches_the_sorted_scan(aws: Gateway, sm: Any, steps: list[float], ops: list[tuple],
                                                 size: int) -> None:
    aws.reset()
    now = BASE
    aws.clock.freeze(now)
    try:
        first = [("create", index, step) for index, step in enumerate(steps)]
        model: dict[str, list[Any]] = {}  # name -> [created, arrival, deleted at]: the plain reference
        for arrival, (op, index, arg) in enumerate(first + ops):
            name = f"s-{index}"
            if op in ("advance", "create"):
                now += arg
                aws.clock.set(now)
            for gone in [n for n, (_, _, at) in model.items() if at is not None and now >= at]:
                del model[gone]
            try:
                if op == "create":
                    sm.create_secret(Name=name, SecretString="v")
                    model[name] = [now, arrival, None]
                elif op == "delete":
                    sm.delete_secret(SecretId=name, **({"ForceDeleteWithoutRecovery": True} if arg
                                                       else {"RecoveryWindowInDays": 7}))
                    if arg:
                        del model[name]
                    elif model[name][2] is None:
                        model[name][2] = now + 7 * DAY
                elif op == "restore":
                    sm.restore_secret(SecretId=name)
                    model[name][2] = None
            except sm.exceptions.ClientError:
                pass  # exists, gone, or scheduled for deletion: the listings must still agree
        expected = sorted(model, key=lambda n: model[n][:2])
        for include in (False, True):
            fast = _walk(sm, size, IncludePlannedDeletion=include)
            scan = _walk(sm, size, IncludePlannedDeletion=include, Filters=[{"Key": "name", "Values": ["s-"]}])
            assert fast == scan
            assert [n for names, _ in fast for n in names] == [n for n in expected if include or model[n][2] is None]
    finally:
        aws.clock.reset()
        aws.reset()


def test_a_full_arn_finds_its_secret_and_a_foreign_suffix_does_not(sm: Any) -> None:
    arn = sm.create_secret(Name="db-pass", SecretString="v")["ARN"]
    sm.create_secret(Name="db", SecretString="w")
    assert sm.get_secret_value(SecretId=arn)["SecretString"] == "v"
    assert sm.get_secret_value(SecretId=arn.rsplit("-", 1)[0])["SecretString"] == "v"  # partial ARN
    other = arn.rsplit("-", 1)[0] + "-ZZZZZZ"
    try:
        sm.get_secret_value(SecretId=other)
        raise AssertionError("a full ARN with another suffix found a secret")
    except sm.exceptions.ResourceNotFoundException:
        pass
