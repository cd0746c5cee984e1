"""SNS list pages: opaque tokens scoped to their list, SNS's own bad-token error."""

from __future__ import annotations

from ..aws_errors import error_with_status


def test_list_tokens_are_scoped_and_bad_ones_are_invalid_parameter(client):
    sns = client("sns")
    for i in range(101):
        sns.create_topic(Name=f"t{i:03d}")
    first = sns.list_topics()
    assert len(first["Topics"]) == 100
    code, _, status = error_with_status(sns.list_subscriptions, NextToken=first["NextToken"])
    assert (code, status) == ("InvalidParameter", 400)
    assert error_with_status(sns.list_topics, NextToken="garbage")[0] == "InvalidParameter"
