"""The SNS filter-policy language: AWS's validation errors, matching, and its algebra (hypothesis)."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cloudmock.services.sns import filter_policy as fp

ACCOUNT = "123456789012"


def attrs(**values: object) -> dict[str, dict[str, str]]:
    """Publish-style message attributes: str -> String, number -> Number, list -> String.Array."""
    out = {}
    for name, value in values.items():
        if isinstance(value, list):
            out[name] = {"DataType": "String.Array", "StringValue": json.dumps(value)}
        elif isinstance(value, (int, float)):
            out[name] = {"DataType": "Number", "StringValue": repr(value)}
        else:
            out[name] = {"DataType": "String", "StringValue": value}
    return out


def match_attrs(policy: dict, **values: object) -> bool:
    return fp.matches(fp.parse(json.dumps(policy)), fp.ATTRIBUTES, fp.PolicyInput(attrs(**values)), "")


def match_body(policy: dict, body: object) -> bool:
    return fp.matches(fp.parse(json.dumps(policy), fp.BODY), fp.BODY, fp.PolicyInput({}), json.dumps(body))


# -- validation --------------------------------------------------------------------------------
@pytest.mark.parametrize(("policy", "reason"), [
    ({"key": [["value"]]}, "Match value must be String, number, true, false, or null"),
    ({"key": [{"wrong-operator": True}]}, "Unrecognized match type wrong-operator"),
    ({"key": [{"suffix": "value", "prefix": "value2"}]}, "Only one key allowed in match expression"),
    ({"key": [{"suffix": 100}]}, "suffix match pattern must be a string"),
    ({"key": [{"suffix": None}]}, "suffix match pattern must be a string"),
    ({"key": [{"prefix": []}]}, "prefix match pattern must be a string"),
    ({"key": [{"equals-ignore-case": 1}]}, "equals-ignore-case match pattern must be a string"),
    ({"key": {"suffix": "value"}}, '"suffix" must be an object or an array'),
    ({"key": "value"}, '"key" must be an object or an array'),
    ({"key": [{"numeric": []}]}, "Invalid member in numeric match: ]"),
    ({"key": [{"numeric": ["operator"]}]}, "Unrecognized numeric range operator: operator"),
    ({"key": [{"numeric": [1, "<="]}]}, "Invalid member in numeric match: 1"),
    ({"key": [{"numeric": ["=", "000"]}]}, "Value of equals must be numeric"),
    ({"key": [{"numeric": [">="]}]}, "Value of >= must be numeric"),
    ({"key": [{"numeric": ["<", 100, ">", 10]}]}, "Too many elements in numeric expression"),
    ({"key": [{"numeric": [">=", 1, ">", 2]}]}, "Bad numeric range operator: >"),
    ({"key": [{"numeric": [">", 3, "<", 1]}]}, "Bottom must be less than top"),
    ({"key": [{"numeric": [">", 20, "<="]}]}, "Value of <= must be numeric"),
    ({"key": [{"numeric": [">", 20, 30]}]}, "Bad value in numeric range: 30"),
    ({"key": [{"numeric": [">", 20, "test"]}]}, "Bad numeric range operator: test"),
    ({"key": [{"numeric": [">", "20", "<", "30"]}]}, "Value of > must be numeric"),
    ({"key": [{"numeric": [">", 20, "<", "30"]}]}, "Value of < must be numeric"),
    ({"key": [{"numeric": [">", 20, "<", 30, "<", 50]}]}, "Too many terms in numeric range expression"),
    ({"key": [{"exists": None}]}, "exists match pattern must be either true or false."),
    ({"key": [{"exists": "no"}]}, "exists match pattern must be either true or false."),
    ({"key": [{"anything-but": {"wildcard": "x*"}}]}, "Unsupported anything-but pattern: wildcard"),
    ({"key": [{"anything-but": [True]}]}, "Inside anything but list, start|null|boolean is not supported."),
    ({"key": [{"cidr": "not-an-ip"}]}, "Malformed CIDR, one '/' required"),
    ({f"k{i}": ["v"] for i in range(6)}, "Filter policy can not have more than 5 keys"),
    ({"a": [str(i) for i in range(15)], "b": [str(i) for i in range(11)]}, "Filter policy is too complex"),
    ({"$or": [{"a": ["1"]}]}, "Or relationship must have at least 2 elements that are objects"),
])
def test_invalid_policies(policy, reason):
    with pytest.raises(fp.FilterPolicyError) as info:
        fp.parse(json.dumps(policy), fp.BODY)
    assert info.value.reason == reason


def test_nested_keys_only_in_body_scope():
    nested = json.dumps({"a": {"b": ["c"]}})
    assert fp.parse(nested, fp.BODY) == {"a": {"b": ["c"]}}
    with pytest.raises(fp.FilterPolicyError) as info:
        fp.parse(nested, fp.ATTRIBUTES)
    assert info.value.bare
    assert info.value.reason == "Filter policy scope MessageAttributes does not support nested filter policy"


def test_validation_errors_over_the_wire(client):
    sns = client("sns")
    topic = sns.create_topic(Name="validate")["TopicArn"]
    queue = f"arn:aws:sqs:us-east-1:{ACCOUNT}:q"
    bad = json.dumps({"key": [{"numeric": [">", 3, "<", 1]}]})
    with pytest.raises(ClientError) as info:
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue, Attributes={"FilterPolicy": bad})
    assert info.value.response["Error"] == {
        "Type": "Sender", "Code": "InvalidParameter",
        "Message": "Invalid parameter: Attributes Reason: FilterPolicy: Bottom must be less than top"}
    sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue)["SubscriptionArn"]
    with pytest.raises(ClientError) as info:
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue=bad)
    assert info.value.response["Error"]["Message"] == "Invalid parameter: FilterPolicy: Bottom must be less than top"
    with pytest.raises(ClientError) as info:
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy",
                                        AttributeValue=json.dumps({"a": {"b": ["c"]}}))
    assert info.value.response["Error"]["Message"] == (
        "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy")
    with pytest.raises(ClientError) as info:
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue="{oops")
    assert info.value.response["Error"]["Code"] == "InvalidParameter"


# -- matching ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("policy", "values", "expected"), [
    ({"c": ["red", "blue"]}, {"c": "blue"}, True),
    ({"c": ["red"]}, {"c": "Red"}, False),
    ({"c": [{"equals-ignore-case": "RED"}]}, {"c": "rEd"}, True),
    ({"c": [{"prefix": "ord-"}]}, {"c": "ord-1"}, True),
    ({"c": [{"suffix": ".png"}]}, {"c": "a.jpg"}, False),
    ({"c": [{"anything-but": "red"}]}, {"c": "blue"}, True),
    ({"c": [{"anything-but": ["red", "blue"]}]}, {"c": "blue"}, False),
    ({"c": [{"anything-but": "red"}]}, {}, False),  # anything-but needs the attribute
    ({"c": [{"anything-but": {"prefix": "tmp-"}}]}, {"c": "tmp-1"}, False),
    ({"c": [{"anything-but": {"prefix": "tmp-"}}]}, {"c": "keep"}, True),
    ({"c": [{"anything-but": {"suffix": ".tmp"}}]}, {"c": "a.tmp"}, False),
    ({"c": [{"anything-but": {"equals-ignore-case": "x"}}]}, {"c": "X"}, False),
    ({"n": [{"numeric": [">", 0, "<=", 100]}]}, {"n": 100}, True),
    ({"n": [{"numeric": [">", 0, "<=", 100]}]}, {"n": 100.5}, False),
    ({"n": [{"numeric": ["=", 3]}]}, {"n": 3.0}, True),
    ({"n": [5]}, {"n": 5}, True),
    ({"n": [5]}, {"n": "5"}, False),  # a number condition never matches a String attribute
    ({"n": ["5"]}, {"n": 5}, False),
    ({"c": [{"exists": True}]}, {"c": "x"}, True),
    ({"c": [{"exists": True}]}, {}, False),
    ({"c": [{"exists": False}]}, {}, True),
    ({"c": [{"exists": False}]}, {"c": "x"}, False),
    ({"a": ["sports"]}, {"a": ["news", "sports"]}, True),  # String.Array: any element
    ({"a": [{"numeric": [">", 10]}]}, {"a": [1, 20]}, True),
    ({"a": [True]}, {"a": [True]}, True),
    ({"ip": [{"cidr": "10.0.0.0/24"}]}, {"ip": "10.0.0.7"}, True),
    ({"ip": [{"cidr": "10.0.0.0/24"}]}, {"ip": "10.0.1.7"}, False),
    ({"a": ["1"], "b": ["2"]}, {"a": "1"}, False),  # keys are ANDed
    ({"a": ["1"], "$or": [{"b": ["2"]}, {"c": ["3"]}]}, {"a": "1", "c": "3"}, True),
    ({"a": ["1"], "$or": [{"b": ["2"]}, {"c": ["3"]}]}, {"a": "1"}, False),
])
def test_attribute_matching(policy, values, expected):
    assert match_attrs(policy, **values) is expected


def test_binary_attributes_are_invisible():
    binary = {"b": {"DataType": "Binary", "BinaryValue": b"\x00"}}
    assert fp.matches({"b": [{"exists": False}]}, fp.ATTRIBUTES, fp.PolicyInput(binary), "") is True


@pytest.mark.parametrize(("policy", "body", "expected"), [
    ({"order": {"status": ["paid"]}}, {"order": {"status": "paid"}}, True),
    ({"order": {"status": ["paid"]}}, {"order": {"status": "new"}}, False),
    ({"order": {"status": ["paid"]}}, {"order": [{"status": "new"}, {"status": "paid"}]}, True),
    ({"tags": ["a"]}, {"tags": ["b", "a"]}, True),
    ({"v": [None]}, {"v": None}, True),
    ({"v": [None]}, {}, False),
    ({"v": [False]}, {"v": False}, True),
    ({"v": [0]}, {"v": False}, False),
    ({"deep": {"er": {"est": [{"numeric": ["<", 0]}]}}}, {"deep": {"er": {"est": -1}}}, True),
    ({"obj": [{"exists": True}]}, {"obj": {"x": 1}}, False),  # exists matches leaves only
    ({"a": [{"exists": False}]}, {"b": 1}, True),
])
def test_body_matching(policy, body, expected):
    assert match_body(policy, body) is expected


def test_non_json_body_never_matches():
    assert fp.matches({"a": [{"exists": False}]}, fp.BODY, fp.PolicyInput({}), "plain text") is False
    assert fp.matches({"a": [{"exists": False}]}, fp.BODY, fp.PolicyInput({}), "[1, 2]") is False
    deep = "[" * 100_000 + "]" * 100_000  # deeper than the JSON parser goes: no match, no error
    assert fp.matches({"a": [{"exists": False}]}, fp.BODY, fp.PolicyInput({}), deep) is False


def test_one_message_read_once_for_every_subscription():
    """A fan-out's subscriptions share one PolicyInput: each body parsed once, the same answers."""
    shared = fp.PolicyInput(attrs(colour="blue", size=10))
    bodies = [json.dumps({"order": {"status": s}}) for s in ("paid", "new")]
    policies = [({"colour": ["blue"]}, fp.ATTRIBUTES), ({"size": [{"numeric": [">", 20]}]}, fp.ATTRIBUTES),
                ({"order": {"status": ["paid"]}}, fp.BODY), ({"order": {"status": ["new"]}}, fp.BODY)]
    for body in bodies * 2:
        for policy, scope in policies:
            parsed = fp.parse(json.dumps(policy), scope)
            fresh = fp.PolicyInput(attrs(colour="blue", size=10))
            assert fp.matches(parsed, scope, shared, body) == fp.matches(parsed, scope, fresh, body)
    assert shared.document(bodies[0]) is shared.document(bodies[0])
    assert shared.values() is shared.values() and shared.values() == {"colour": "blue", "size": 10.0}


# -- properties -------------------------------------------------------------------------------------
keys = st.sampled_from(["a", "b", "c"])
words = st.sampled_from(["", "x", "xy", "yx", "XY", "order-1", "order-2", "thing.tmp"])
numbers = st.integers(min_value=-1000, max_value=1000) | st.floats(
    min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda f: round(f, 3))
values = words | numbers
conditions = st.one_of(
    words, numbers,
    st.builds(lambda w: {"prefix": w}, words),
    st.builds(lambda w: {"suffix": w}, words),
    st.builds(lambda w: {"equals-ignore-case": w}, words),
    st.builds(lambda v: {"anything-but": v}, values),
    st.builds(lambda vs: {"anything-but": vs}, st.lists(values, min_size=1, max_size=3)),
    st.builds(lambda w: {"anything-but": {"prefix": w}}, words),
    st.builds(lambda op, n: {"numeric": [op, n]}, st.sampled_from(["<", "<=", "=", ">", ">="]), numbers),
    st.builds(lambda lo, width: {"numeric": [">=", lo, "<", lo + width]}, numbers, st.integers(1, 500)),
    st.builds(lambda b: {"exists": b}, st.booleans()),
)
rules = st.lists(conditions, min_size=1, max_size=3)
policies = st.dictionaries(keys, rules, min_size=1, max_size=3)
messages = st.dictionaries(keys, values, max_size=3)


def as_attributes(message: dict) -> dict:
    return attrs(**message)


@settings(max_examples=100, deadline=None)
@given(policies, messages)
def test_attribute_and_body_scopes_agree(policy, message):
    """The same flat data filtered as attributes and as a JSON body gives the same answer."""
    parsed = fp.parse(json.dumps(policy), fp.ATTRIBUTES)
    assert fp.matches(parsed, fp.ATTRIBUTES, fp.PolicyInput(as_attributes(message)), "") == fp.matches(
        parsed, fp.BODY, fp.PolicyInput({}), json.dumps(message))


@settings(max_examples=100, deadline=None)
@given(keys, rules, messages)
def test_values_of_one_key_are_ored(key, rule, message):
    whole = fp.matches({key: rule}, fp.BODY, fp.PolicyInput({}), json.dumps(message))
    assert whole == any(fp.matches({key: [c]}, fp.BODY, fp.PolicyInput({}), json.dumps(message)) for c in rule)


@settings(max_examples=100, deadline=None)
@given(policies, policies, messages)
def test_or_is_a_union_and_keys_are_an_intersection(left, right, message):
    body = json.dumps(message)
    one, other = fp.matches(left, fp.BODY, fp.PolicyInput({}), body), fp.matches(right, fp.BODY, fp.PolicyInput({}), body)
    assert fp.matches({"$or": [left, right]}, fp.BODY, fp.PolicyInput({}), body) == (one or other)
    if not set(left) & set(right):
        assert fp.matches({**left, **right}, fp.BODY, fp.PolicyInput({}), body) == (one and other)


@settings(max_examples=100, deadline=None)
@given(keys, st.lists(values, min_size=1, max_size=3), messages)
def test_anything_but_is_the_complement_of_exact_when_present(key, excluded, message):
    body = json.dumps(message)
    if key in message:
        assert fp.matches({key: [{"anything-but": excluded}]}, fp.BODY, fp.PolicyInput({}), body) != fp.matches(
            {key: excluded}, fp.BODY, fp.PolicyInput({}), body)
    else:
        assert not fp.matches({key: [{"anything-but": excluded}]}, fp.BODY, fp.PolicyInput({}), body)


@settings(max_examples=100, deadline=None)
@given(numbers, numbers, st.integers(1, 1000))
def test_numeric_ranges(value, low, width):
    high = low + width
    inside = fp.matches({"n": [{"numeric": [">", low, "<=", high]}]}, fp.BODY, fp.PolicyInput({}), json.dumps({"n": value}))
    assert inside == (low < value <= high)


@settings(max_examples=150, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
))
def test_any_json_is_accepted_or_rejected_cleanly(document):
    """Arbitrary JSON never crashes validation; what validates can be matched."""
    try:
        policy = fp.parse(json.dumps(document), fp.BODY)
    except fp.FilterPolicyError as err:
        assert err.reason
        return
    assert fp.matches(policy, fp.BODY, fp.PolicyInput({}), json.dumps({"a": 1})) in (True, False)
