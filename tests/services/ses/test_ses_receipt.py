"""Receipt rule sets, rules (ordered) and IP filters: stored and read back."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


def rule(name: str) -> dict:
    return {"Name": name, "Enabled": True, "Recipients": ["in@example.com"],
            "Actions": [{"AddHeaderAction": {"HeaderName": "X-Rule", "HeaderValue": name}}]}


def names(ses, rule_set: str = "rs") -> list[str]:
    return [r["Name"] for r in ses.describe_receipt_rule_set(RuleSetName=rule_set)["Rules"]]


def test_rules_are_ordered_and_reordered(ses) -> None:
    ses.create_receipt_rule_set(RuleSetName="rs")
    ses.create_receipt_rule(RuleSetName="rs", Rule=rule("a"))
    ses.create_receipt_rule(RuleSetName="rs", Rule=rule("c"), After="a")
    ses.create_receipt_rule(RuleSetName="rs", Rule=rule("b"), After="a")
    ses.create_receipt_rule(RuleSetName="rs", Rule=rule("first"))
    assert names(ses) == ["first", "a", "b", "c"]
    ses.reorder_receipt_rule_set(RuleSetName="rs", RuleNames=["c", "b", "a", "first"])
    assert names(ses) == ["c", "b", "a", "first"]
    ses.set_receipt_rule_position(RuleSetName="rs", RuleName="c", After="first")
    assert names(ses) == ["b", "a", "first", "c"]
    ses.set_receipt_rule_position(RuleSetName="rs", RuleName="c")
    assert names(ses) == ["c", "b", "a", "first"]
    with pytest.raises(ClientError) as caught:
        ses.set_receipt_rule_position(RuleSetName="rs", RuleName="c", After="zzz")
    assert caught.value.response["Error"]["Code"] == "RuleDoesNotExist"
    assert names(ses) == ["c", "b", "a", "first"]
    with pytest.raises(ClientError) as caught:
        ses.reorder_receipt_rule_set(RuleSetName="rs", RuleNames=["c", "b"])
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_rule_read_update_delete(ses) -> None:
    ses.create_receipt_rule_set(RuleSetName="rs")
    ses.create_receipt_rule(RuleSetName="rs", Rule=rule("a"))
    with pytest.raises(ClientError) as caught:
        ses.create_receipt_rule(RuleSetName="rs", Rule=rule("a"))
    assert caught.value.response["Error"]["Code"] == "AlreadyExists"
    got = ses.describe_receipt_rule(RuleSetName="rs", RuleName="a")["Rule"]
    assert got["Recipients"] == ["in@example.com"] and got["TlsPolicy"] == "Optional" and got["ScanEnabled"] is False
    ses.update_receipt_rule(RuleSetName="rs", Rule={**rule("a"), "ScanEnabled": True})
    assert ses.describe_receipt_rule(RuleSetName="rs", RuleName="a")["Rule"]["ScanEnabled"] is True
    ses.delete_receipt_rule(RuleSetName="rs", RuleName="a")
    with pytest.raises(ClientError) as caught:
        ses.describe_receipt_rule(RuleSetName="rs", RuleName="a")
    assert caught.value.response["Error"]["Code"] == "RuleDoesNotExist"
    with pytest.raises(ClientError) as caught:
        ses.create_receipt_rule(RuleSetName="nope", Rule=rule("a"))
    assert caught.value.response["Error"]["Code"] == "RuleSetDoesNotExist"


def test_active_rule_set_clone_and_delete(ses) -> None:
    assert "Metadata" not in ses.describe_active_receipt_rule_set()
    ses.create_receipt_rule_set(RuleSetName="rs")
    ses.create_receipt_rule(RuleSetName="rs", Rule=rule("a"))
    ses.clone_receipt_rule_set(RuleSetName="copy", OriginalRuleSetName="rs")
    assert names(ses, "copy") == ["a"]
    ses.set_active_receipt_rule_set(RuleSetName="copy")
    active = ses.describe_active_receipt_rule_set()
    assert active["Metadata"]["Name"] == "copy" and [r["Name"] for r in active["Rules"]] == ["a"]
    with pytest.raises(ClientError) as caught:
        ses.delete_receipt_rule_set(RuleSetName="copy")
    assert caught.value.response["Error"]["Code"] == "CannotDelete"
    ses.set_active_receipt_rule_set()
    ses.delete_receipt_rule_set(RuleSetName="copy")
    assert [r["Name"] for r in ses.list_receipt_rule_sets()["RuleSets"]] == ["rs"]
    with pytest.raises(ClientError) as caught:
        ses.set_active_receipt_rule_set(RuleSetName="gone")
    assert caught.value.response["Error"]["Code"] == "RuleSetDoesNotExist"


def test_ip_filters(ses) -> None:
    flt = {"Name": "office", "IpFilter": {"Policy": "Allow", "Cidr": "10.0.0.0/8"}}
    ses.create_receipt_filter(Filter=flt)
    with pytest.raises(ClientError) as caught:
        ses.create_receipt_filter(Filter=flt)
    assert caught.value.response["Error"]["Code"] == "AlreadyExists"
    assert ses.list_receipt_filters()["Filters"] == [flt]
    ses.delete_receipt_filter(FilterName="office")
    assert ses.list_receipt_filters()["Filters"] == []
