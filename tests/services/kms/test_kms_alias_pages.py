"""ListAliases pages are cut from the name-ordered alias map (only the page is formatted):
every alias once in name order, with or without KeyId, AWS managed aliases once used."""

from __future__ import annotations

import random
from typing import Any

import pytest


def _walk(kms: Any, size: int, **params: Any) -> list[dict[str, Any]]:
    seen, marker = [], None
    while True:
        out = kms.list_aliases(Limit=size, **params, **({"Marker": marker} if marker else {}))
        seen += out["Aliases"]
        assert out["Truncated"] == ("NextMarker" in out)
        marker = out.get("NextMarker")
        if not marker:
            return seen


@pytest.mark.parametrize("size", [1, 3, 100])
def test_alias_pages_in_name_order(kms: Any, size: int) -> None:
    keys = [kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(2)]
    names = [f"alias/a-{i:02d}" for i in range(9)]
    for i, name in enumerate(random.Random(size).sample(names, len(names))):
        kms.create_alias(AliasName=name, TargetKeyId=keys[i % 2])
    kms.encrypt(KeyId="alias/aws/secretsmanager", Plaintext=b"x")  # an AWS managed alias, made on first use
    listed = _walk(kms, size)
    assert [a["AliasName"] for a in listed] == sorted([*names, "alias/aws/secretsmanager"])
    assert all(a["AliasArn"].endswith(":" + a["AliasName"]) and "CreationDate" in a for a in listed)
    for key in keys:
        mine = _walk(kms, size, KeyId=key)
        assert [a["AliasName"] for a in mine] == [a["AliasName"] for a in listed if a.get("TargetKeyId") == key]
    kms.delete_alias(AliasName=names[0])
    assert [a["AliasName"] for a in _walk(kms, size)] == sorted([*names[1:], "alias/aws/secretsmanager"])
    for name in names[1:4]:
        kms.update_alias(AliasName=name, TargetKeyId=keys[1])
    after = _walk(kms, size)
    for key in keys:
        mine = _walk(kms, size, KeyId=key)
        assert [a["AliasName"] for a in mine] == [a["AliasName"] for a in after if a.get("TargetKeyId") == key]
    assert {a["AliasName"] for a in _walk(kms, size, KeyId=keys[1])} >= set(names[1:4])


def test_aliases_of_a_deleted_key_go_with_it(kms: Any, frozen: Any) -> None:
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    other = kms.create_key()["KeyMetadata"]["KeyId"]
    for name, target in (("alias/gone-a", key), ("alias/kept", other), ("alias/gone-b", key)):
        kms.create_alias(AliasName=name, TargetKeyId=target)
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    assert [a["AliasName"] for a in kms.list_aliases(KeyId=key)["Aliases"]] == ["alias/gone-a", "alias/gone-b"]
    frozen.advance(days=8)
    assert [k["KeyId"] for k in kms.list_keys()["Keys"]] == [other]  # the key expires, its aliases with it
    assert [a["AliasName"] for a in kms.list_aliases()["Aliases"]] == ["alias/kept"]
    kms.create_alias(AliasName="alias/gone-a", TargetKeyId=other)
    assert [a["AliasName"] for a in kms.list_aliases(KeyId=other)["Aliases"]] == ["alias/gone-a", "alias/kept"]
