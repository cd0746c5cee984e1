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
