"""Template properties fitted to an operation's input shape (`providers/shaped.py`)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudmock.services.cloudformation.providers.shaped import fit, members


def test_members_match_ignoring_case_and_unknown_properties_are_dropped() -> None:
    params = fit("apigateway", "PutIntegration", {
        "RestApiId": "a", "Type": "MOCK", "IntegrationHttpMethod": "POST", "Uri": "u", "NotAMember": 1,
        "RequestTemplates": {"application/json": "{}"}, "IntegrationResponses": [{"StatusCode": 200}]})
    assert params == {"restApiId": "a", "type": "MOCK", "integrationHttpMethod": "POST", "uri": "u",
                      "requestTemplates": {"application/json": "{}"}}
    assert "integrationHttpMethod" in members("apigateway", "PutIntegration")


def test_nested_structures_lists_and_maps_keep_map_keys_as_written() -> None:
    params = fit("apigateway", "CreateUsagePlan", {
        "ApiStages": [{"ApiId": "a", "Stage": "s", "Throttle": {"/pets/GET": {"BurstLimit": "5", "RateLimit": "2.5"}}}],
        "Quota": {"Limit": "100", "Period": "DAY"}})
    assert params == {"apiStages": [{"apiId": "a", "stage": "s",
                                     "throttle": {"/pets/GET": {"burstLimit": 5, "rateLimit": 2.5}}}],
                      "quota": {"limit": 100, "period": "DAY"}}


def test_renames_skips_documents_and_scalars() -> None:
    params = fit("cognito-idp", "CreateUserPool", {"UserPoolName": "p", "UserPoolTags": {"a": "b"},
                                                   "DeletionProtection": "ACTIVE"},
                 skip=("UserPoolTags",), UserPoolName="PoolName")
    assert params == {"PoolName": "p", "DeletionProtection": "ACTIVE"}
    policy = fit("apigateway", "CreateRestApi", {"Name": "n", "Policy": {"Version": "2012-10-17"}})
    assert policy["policy"] == '{"Version": "2012-10-17"}'  # a JSON document member given as an object
    assert fit("apigatewayv2", "CreateStage", {"ApiId": "a", "StageName": 7})["StageName"] == "7"


@given(number=st.integers(min_value=0, max_value=10**9), flag=st.booleans())
def test_template_numbers_and_booleans_as_text_become_the_members_types(number: int, flag: bool) -> None:
    params = fit("apigateway", "CreateAuthorizer", {
        "RestApiId": "a", "Name": "n", "Type": "TOKEN", "AuthorizerResultTtlInSeconds": str(number)})
    assert params["authorizerResultTtlInSeconds"] == number
    text = "true" if flag else "False"
    assert fit("apigateway", "CreateRequestValidator", {"RestApiId": "a", "ValidateRequestBody": text}) == {
        "restApiId": "a", "validateRequestBody": flag}


def test_a_value_that_cannot_be_the_members_type_raises_value_error() -> None:
    with pytest.raises(ValueError):
        fit("apigateway", "CreateAuthorizer", {"RestApiId": "a", "AuthorizerResultTtlInSeconds": "soon"})


def test_timestamps_from_template_text() -> None:
    params = fit("scheduler", "CreateSchedule", {"Name": "n", "StartDate": "2030-01-02T03:04:05Z"})
    assert params["StartDate"] == datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
