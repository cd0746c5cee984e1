"""SNS SMS settings over the gateway: attributes, opted-out numbers, the sandbox, origination numbers.

AWS does not document the wording of these errors: they are asserted by code (and status).
"""

from __future__ import annotations

import pytest

from ..aws_errors import error_of, error_with_status

ACCOUNT = "123456789012"


@pytest.fixture
def sns(client):
    return client("sns")


@pytest.fixture
def sns_state(aws):
    return aws.registry.get("sns").store.get(ACCOUNT, "us-east-1")


def test_sms_attributes_are_checked(sns):
    sns.set_sms_attributes(attributes={"MonthlySpendLimit": "10", "DeliveryStatusSuccessSamplingRate": "50"})
    assert sns.get_sms_attributes(attributes=["MonthlySpendLimit"])["attributes"] == {"MonthlySpendLimit": "10"}
    for bad in ({"Colour": "red"}, {"DefaultSMSType": "Urgent"}, {"MonthlySpendLimit": "lots"},
                {"DeliveryStatusSuccessSamplingRate": "101"}, {"DefaultSenderID": "123"}):
        assert error_of(sns.set_sms_attributes, attributes=bad)[0] == "InvalidParameter", bad
    assert sns.get_sms_attributes()["attributes"] == {"MonthlySpendLimit": "10", "DeliveryStatusSuccessSamplingRate": "50"}


def test_opted_out_numbers_check_list_page_and_opt_in(sns, sns_state):
    numbers = [f"+1555555{n:04d}" for n in range(150)]
    sns_state.opted_out.update(numbers)  # AWS adds numbers when a recipient replies STOP
    first = sns.list_phone_numbers_opted_out()
    assert len(first["phoneNumbers"]) == 100
    second = sns.list_phone_numbers_opted_out(nextToken=first["nextToken"])
    assert "nextToken" not in second and first["phoneNumbers"] + second["phoneNumbers"] == sorted(numbers)
    assert sns.check_if_phone_number_is_opted_out(phoneNumber=numbers[0])["isOptedOut"] is True
    sns.opt_in_phone_number(phoneNumber=numbers[0])
    assert sns.check_if_phone_number_is_opted_out(phoneNumber=numbers[0])["isOptedOut"] is False
    assert error_of(sns.check_if_phone_number_is_opted_out, phoneNumber="not-a-number")[0] == "InvalidParameter"
    assert error_of(sns.list_phone_numbers_opted_out, nextToken="garbage")[0] == "InvalidParameter"


def test_sms_to_an_opted_out_number_is_not_sent(sns, sns_state):
    sns_state.opted_out.add("+15555550100")
    sns.publish(PhoneNumber="+15555550100", Message="hi")
    sns.publish(PhoneNumber="+15555550101", Message="hi")
    assert [d.endpoint for d in sns_state.outbox] == ["+15555550101"]


def test_sandbox_numbers_create_verify_list_delete(sns, sns_state):
    assert sns.get_sms_sandbox_account_status()["IsInSandbox"] is True
    sns.create_sms_sandbox_phone_number(PhoneNumber="+15555550123", LanguageCode="en-GB")
    assert sns.list_sms_sandbox_phone_numbers()["PhoneNumbers"] == [{"PhoneNumber": "+15555550123", "Status": "Pending"}]
    otp = sns_state.outbox[-1].token  # the code SNS texted to the number
    assert sns_state.outbox[-1].endpoint == "+15555550123" and otp in sns_state.outbox[-1].message
    wrong = "000000" if otp != "000000" else "111111"
    assert error_of(sns.verify_sms_sandbox_phone_number, PhoneNumber="+15555550123", OneTimePassword=wrong)[0] == (
        "VerificationException")
    sns.verify_sms_sandbox_phone_number(PhoneNumber="+15555550123", OneTimePassword=otp)
    assert sns.list_sms_sandbox_phone_numbers()["PhoneNumbers"][0]["Status"] == "Verified"
    sns.delete_sms_sandbox_phone_number(PhoneNumber="+15555550123")
    assert sns.list_sms_sandbox_phone_numbers()["PhoneNumbers"] == []
    assert error_with_status(sns.delete_sms_sandbox_phone_number, PhoneNumber="+15555550123")[::2] == ("ResourceNotFound", 404)
    assert error_of(sns.verify_sms_sandbox_phone_number, PhoneNumber="+15555550199", OneTimePassword="123456")[0] == (
        "ResourceNotFound")


def test_sandbox_numbers_page_and_refuse_opted_out(sns, sns_state):
    for n in range(3):
        sns.create_sms_sandbox_phone_number(PhoneNumber=f"+1555555020{n}")
    first = sns.list_sms_sandbox_phone_numbers(MaxResults=2)
    rest = sns.list_sms_sandbox_phone_numbers(MaxResults=2, NextToken=first["NextToken"])
    assert [p["PhoneNumber"] for p in first["PhoneNumbers"] + rest["PhoneNumbers"]] == [f"+1555555020{n}" for n in range(3)]
    sns_state.opted_out.add("+15555550299")
    assert error_of(sns.create_sms_sandbox_phone_number, PhoneNumber="+15555550299")[0] == "OptedOut"


def test_origination_numbers(sns, sns_state):
    assert sns.list_origination_numbers()["PhoneNumbers"] == []
    sns_state.origination_numbers.append({"PhoneNumber": "+15555550000", "Status": "ACTIVE", "Iso2CountryCode": "US",
                                          "RouteType": "Transactional", "NumberCapabilities": ["SMS"]})
    assert sns.list_origination_numbers(MaxResults=5)["PhoneNumbers"][0]["PhoneNumber"] == "+15555550000"
