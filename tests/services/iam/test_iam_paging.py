"""IAM's opaque `Marker`: scoped to its list, `ValidationError` otherwise."""

from __future__ import annotations

from ..aws_errors import error_with_status


def test_markers_page_their_own_list_only(client):
    iam = client("iam")
    for i in range(3):
        iam.create_user(UserName=f"u{i}")
        iam.create_group(GroupName=f"g{i}")
    first = iam.list_users(MaxItems=2)
    assert first["IsTruncated"] is True
    rest = iam.list_users(Marker=first["Marker"])
    assert [u["UserName"] for u in first["Users"] + rest["Users"]] == ["u0", "u1", "u2"]
    assert error_with_status(iam.list_groups, Marker=first["Marker"])[::2] == ("ValidationError", 400)
