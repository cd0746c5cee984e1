"""Per-call cost independent of account size: policy use counts kept as attachments change
(not recounted over every principal), user and role pages cut from a name index."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.indexes import NameIndexed
from pytest_cloudmock.services.iam import aws_managed
from pytest_cloudmock.services.iam.base import by_path, name_page
from pytest_cloudmock.services.iam.paging import page
from pytest_cloudmock.services.iam.state import User
from pytest_cloudmock.state_file import _Decoder, _Encoder

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
DOC = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
AWS_POLICY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
KINDS = ("User", "Group", "Role")

OPS = st.lists(st.one_of(
    st.tuples(st.sampled_from(["attach", "detach"]), st.sampled_from(KINDS), st.integers(0, 1), st.integers(0, 2)),
    st.tuples(st.just("boundary"), st.sampled_from(["User", "Role"]), st.integers(0, 1), st.integers(-1, 2)),
    st.tuples(st.just("delete"), st.sampled_from(KINDS), st.integers(0, 1), st.just(0)),
), max_size=25)


def _reference_counts(iam: Any, arn: str) -> tuple[int, int]:
    """Attachments and boundary uses of `arn`, counted over every principal through the API."""
    attached = boundary = 0
    for kind in KINDS:
        listed = getattr(iam, f"list_{kind.lower()}s")()[f"{kind}s"]
        for principal in listed:
            name = principal[f"{kind}Name"]
            arns = [a["PolicyArn"] for a in getattr(iam, f"list_attached_{kind.lower()}_policies")(
                **{f"{kind}Name": name})["AttachedPolicies"]]
            attached += arn in arns
            if kind != "Group":
                full = getattr(iam, f"get_{kind.lower()}")(**{f"{kind}Name": name})[kind]
                boundary += full.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn") == arn
    return attached, boundary


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_policy_use_counts_match_a_recount_over_every_principal(client: Any, ops: list[tuple]) -> None:
    iam = client("iam")
    for kind in KINDS:
        for existing in getattr(iam, f"list_{kind.lower()}s")()[f"{kind}s"]:  # a fresh account per example
            name = {f"{kind}Name": existing[f"{kind}Name"]}
            for a in getattr(iam, f"list_attached_{kind.lower()}_policies")(**name)["AttachedPolicies"]:
                getattr(iam, f"detach_{kind.lower()}_policy")(PolicyArn=a["PolicyArn"], **name)
            if kind == "Role" and existing["Path"].startswith("/aws-service-role/"):
                iam.delete_service_linked_role(**name)
            else:
                getattr(iam, f"delete_{kind.lower()}")(**name)
    for policy in iam.list_policies(Scope="Local")["Policies"]:
        iam.delete_policy(PolicyArn=policy["Arn"])
    arns = [iam.create_policy(PolicyName=f"p{i}", PolicyDocument=DOC)["Policy"]["Arn"] for i in range(2)]
    arns.append(AWS_POLICY)
    for i in range(2):
        iam.create_user(UserName=f"u{i}", **({"PermissionsBoundary": arns[0]} if i else {}))
        iam.create_group(GroupName=f"g{i}")
        iam.create_role(RoleName=f"r{i}", AssumeRolePolicyDocument=TRUST)
    linked = iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")["Role"]["RoleName"]
    iam.attach_role_policy(RoleName=linked, PolicyArn=arns[1])
    for op, kind, index, policy in ops:
        name = {f"{kind}Name": f"{kind[0].lower()}{index}"}
        try:
            if op in ("attach", "detach"):
                getattr(iam, f"{op}_{kind.lower()}_policy")(PolicyArn=arns[policy], **name)
            elif op == "boundary" and policy < 0:
                getattr(iam, f"delete_{kind.lower()}_permissions_boundary")(**name)
            elif op == "boundary":
                getattr(iam, f"put_{kind.lower()}_permissions_boundary")(PermissionsBoundary=arns[policy], **name)
            else:
                getattr(iam, f"delete_{kind.lower()}")(**name)
        except ClientError:
            pass  # gone already, not attached, or still in use: the counts must not move
    iam.delete_service_linked_role(RoleName=linked)
    attached_only = {p["Arn"] for p in iam.list_policies(OnlyAttached=True)["Policies"]}
    for arn in arns:
        policy = iam.get_policy(PolicyArn=arn)["Policy"]
        expected = _reference_counts(iam, arn)
        assert (policy["AttachmentCount"], policy["PermissionsBoundaryUsageCount"]) == expected
        assert (arn in attached_only) == bool(expected[0])


def _entity(name: str, path: str) -> User:
    return User(name, path, f"AIDA{name}", f"arn:aws:iam::123456789012:user{path}{name}", created=datetime(2024, 1, 1))


@settings(max_examples=200, deadline=None)
@given(entities=st.lists(st.tuples(st.text("aAbB_", min_size=1, max_size=3), st.sampled_from(["/", "/x/", "/x/y/"])),
                         max_size=20),
       deleted=st.sets(st.integers(0, 19)), prefix=st.sampled_from([None, "/", "/x/", "/x/y/", "/z/"]),
       max_items=st.integers(1, 6), start=st.integers(0, 8))
def test_name_page_is_the_page_of_every_entity_sorted_by_name(
        entities: list[tuple[str, str]], deleted: set[int], prefix: str | None, max_items: int, start: int) -> None:
    table: NameIndexed[Any] = NameIndexed()
    for name, path in entities:
        if name.lower() not in table:
            table[name.lower()] = _entity(name, path)
    for i, key in enumerate(list(table)):
        if i in deleted:
            table.pop(key) if i % 2 else table.__delitem__(key)
    table = copy.deepcopy(table) if start % 2 else _Decoder("test").decode(_Encoder().encode(table))
    params: dict[str, Any] = {"MaxItems": max_items, **({"PathPrefix": prefix} if prefix else {})}
    expected = page(by_path(list(table.values()), params), params, "Users")
    got = name_page(table, params, "Users", lambda e: e)
    assert got == expected
    while got.get("Marker"):  # the next pages agree too
        params["Marker"] = got["Marker"]
        expected, got = page(by_path(list(table.values()), params), params, "Users"), name_page(
            table, params, "Users", lambda e: e)
        assert got == expected


def test_user_pages_by_path_and_policy_entities(client: Any) -> None:
    iam = client("iam")
    for name in ("zed", "Alpha", "mid"):
        iam.create_user(UserName=name, Path="/team/" if name != "mid" else "/")
    assert [u["UserName"] for u in iam.list_users(MaxItems=2)["Users"]] == ["Alpha", "mid"]
    assert [u["UserName"] for u in iam.list_users(PathPrefix="/team/")["Users"]] == ["Alpha", "zed"]
    arn = iam.create_policy(PolicyName="shared", PolicyDocument=DOC)["Policy"]["Arn"]
    for name in ("zed", "Alpha"):
        iam.attach_user_policy(UserName=name, PolicyArn=arn)
    users = iam.list_entities_for_policy(PolicyArn=arn)["PolicyUsers"]
    assert [u["UserName"] for u in users] == ["Alpha", "zed"]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 2


def _policy_walk(iam: Any, size: int, **params: Any) -> list[str]:
    names, marker = [], None
    while True:
        out = iam.list_policies(MaxItems=size, **params, **({"Marker": marker} if marker else {}))
        names += [pol["Arn"] for pol in out["Policies"]]
        marker = out.get("Marker")
        assert out["IsTruncated"] == (marker is not None)
        if not marker:
            return names


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(policies=st.lists(st.tuples(st.sampled_from(["a", "B", "readonlyaccess", "Zed", "poweruser", "m"]),
                                   st.integers(0, 3), st.sampled_from(["/", "/team/", "/team/x/"]), st.booleans()),
                         max_size=12),
       size=st.sampled_from([1, 3, 1000]))
def test_policy_pages_merge_customer_and_aws_policies_as_a_sort_of_both(
        aws: Any, client: Any, policies: list[tuple[str, int, str, bool]], size: int) -> None:
    aws.reset()
    iam = client("iam")
    iam.create_user(UserName="holder")
    own: list[Any] = []
    for stem, n, path, attach in policies:
        name = f"{stem}{n}" if n else stem
        try:
            arn = iam.create_policy(PolicyName=name, Path=path, PolicyDocument=DOC)["Policy"]["Arn"]
        except ClientError:
            continue  # the same name, in any case
        own.append(SimpleNamespace(name=name, path=path, arn=arn, attached=attach))
        if attach:
            iam.attach_user_policy(UserName="holder", PolicyArn=arn)
    if own and not own[-1].attached:  # a deleted policy leaves the name index too
        iam.delete_policy(PolicyArn=own.pop().arn)
    iam.attach_user_policy(UserName="holder", PolicyArn=AWS_POLICY)
    managed = [SimpleNamespace(name=pol.name, path=pol.path, arn=pol.arn, attached=pol.arn == AWS_POLICY)
               for pol in (aws_managed.lookup(a) for a in aws_managed.all_arns()) if pol is not None]
    for scope, members in (("All", own + managed), ("Local", own), ("AWS", managed)):
        ordered = sorted(members, key=lambda pol: pol.name.lower())
        for prefix in (None, "/team/"):
            for only in (False, True):
                expected = [pol.arn for pol in ordered if pol.path.startswith(prefix or "/") and (pol.attached or not only)]
                params = {"Scope": scope, "OnlyAttached": only, **({"PathPrefix": prefix} if prefix else {})}
                assert _policy_walk(iam, size, **params) == expected
    aws.reset()
