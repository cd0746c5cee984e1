"""Intrinsic functions on many inputs (hypothesis), straight through the evaluator, and the YAML
short forms read as the JSON long forms."""

from __future__ import annotations

import base64
import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.services.cloudformation.intrinsics import NO_VALUE, Evaluator, Scope
from pytest_cloudmock.services.cloudformation.template import parse

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


def evaluator(**parameters) -> Evaluator:
    return Evaluator(Scope(parameters=parameters, pseudo={"AWS::Region": "eu-west-1", "AWS::StackName": "s"},
                           condition_defs={"Yes": {"Fn::Equals": ["a", "a"]}}))


@given(delimiter=st.text(min_size=1, max_size=3), source=text)
def test_join_undoes_split(delimiter, source):
    ev = evaluator()
    parts = ev.resolve({"Fn::Split": [delimiter, source]})
    assert parts == source.split(delimiter)
    assert ev.resolve({"Fn::Join": [delimiter, {"Fn::Split": [delimiter, source]}]}) == source


@given(items=st.lists(text, min_size=1, max_size=8), data=st.data())
def test_select_picks_the_index(items, data):
    index = data.draw(st.integers(0, len(items) - 1))
    assert evaluator().resolve({"Fn::Select": [str(index), items]}) == items[index]
    with pytest.raises(AWSError):
        evaluator().resolve({"Fn::Select": [len(items), items]})


@given(literal=text.filter(lambda s: "${" not in s))
def test_sub_leaves_plain_text_and_unescapes_bang(literal):
    ev = evaluator(Name="x")
    assert ev.resolve({"Fn::Sub": literal}) == literal
    assert ev.resolve({"Fn::Sub": literal + "${!Name}-${Name}-${AWS::Region}"}) == literal + "${Name}-x-eu-west-1"


@given(value=text)
def test_base64_round_trips(value):
    assert base64.b64decode(evaluator().resolve({"Fn::Base64": value})).decode() == value


@given(prefix=st.integers(8, 24), count=st.integers(1, 16), bits=st.integers(2, 8))
def test_cidr_carves_distinct_subnets_of_the_block(prefix, count, bits):
    block = f"10.0.0.0/{prefix}"
    if 32 - bits < prefix or count > 2 ** (32 - bits - prefix):
        with pytest.raises(AWSError):
            evaluator().resolve({"Fn::Cidr": [block, count, bits]})
        return
    subnets = evaluator().resolve({"Fn::Cidr": [block, count, bits]})
    networks = [ipaddress.ip_network(s) for s in subnets]
    assert len(set(networks)) == count
    assert all(n.prefixlen == 32 - bits and n.subnet_of(ipaddress.ip_network(block)) for n in networks)


def test_conditions_and_no_value():
    ev = evaluator(Env="prod")
    assert ev.resolve({"A": {"Fn::If": ["Yes", "y", "n"]}, "B": {"Ref": "AWS::NoValue"},
                       "C": [1, {"Fn::If": ["Yes", {"Ref": "AWS::NoValue"}, 2]}]}) == {"A": "y", "C": [1]}
    assert ev.resolve({"Ref": "AWS::NoValue"}) is NO_VALUE
    assert ev.resolve({"Fn::And": [{"Condition": "Yes"}, {"Fn::Not": [{"Fn::Equals": [{"Ref": "Env"}, "dev"]}]}]})
    assert ev.resolve({"Fn::GetAZs": ""}) == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]


def test_yaml_short_forms_read_as_long_forms():
    yaml_body = """
Resources:
  A:
    Type: T
    Properties:
      X: !GetAtt B.Outputs.Name
      Y: !Sub ["${a}", {a: !Ref P}]
      Z: !If [C, !Select [0, !GetAZs ""], !Base64 "t"]
      W:
        Fn::ImportValue: !Sub "${AWS::StackName}-x"
      V: !Condition C
      D: 2012-10-17
"""
    assert parse(yaml_body)["Resources"]["A"]["Properties"] == {
        "X": {"Fn::GetAtt": ["B", "Outputs.Name"]},
        "Y": {"Fn::Sub": ["${a}", {"a": {"Ref": "P"}}]},
        "Z": {"Fn::If": ["C", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}, {"Fn::Base64": "t"}]},
        "W": {"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-x"}},
        "V": {"Condition": "C"},
        "D": "2012-10-17",
    }


FUNCTIONS = ["Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If", "Fn::Equals",
             "Fn::And", "Fn::Or", "Fn::Not", "Fn::FindInMap", "Fn::GetAZs", "Fn::Base64", "Fn::Cidr",
             "Fn::ImportValue", "Condition", "Fn::Length", "Fn::ToJsonString"]
scalars = st.one_of(st.sampled_from(["P", "Yes", "AWS::Region", "R", "10.0.0.0/16", ",", "${P}", "2"]), text,
                    st.integers(-3, 300), st.booleans(), st.none())
fragments = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.builds(lambda f, a: {f: a}, st.sampled_from(FUNCTIONS), inner),
    st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2)), max_leaves=12)


@given(fragment=fragments)
def test_any_fragment_evaluates_or_fails_with_a_template_error(fragment):
    ev = Evaluator(Scope(parameters={"P": "x"}, pseudo={"AWS::Region": "us-east-1"},
                         mappings={"M": {"a": {"b": "c"}}}, condition_defs={"Yes": {"Fn::Equals": [1, 1]}},
                         resource_names=frozenset({"R"}), ref=lambda name: "r-1",
                         get_att=lambda name, attribute: "attr"))
    try:
        ev.resolve(fragment)
    except AWSError as exc:
        assert exc.code == "ValidationError"
