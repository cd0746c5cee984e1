"""Contact lists, topics and contacts: CRUD, AWS's errors, ListContacts filters and paging."""

from __future__ import annotations

import pytest

from ..aws_errors import error_with_status

TOPICS = [
    {"TopicName": "news", "DisplayName": "News", "DefaultSubscriptionStatus": "OPT_IN"},
    {"TopicName": "deals", "DisplayName": "Deals", "Description": "offers", "DefaultSubscriptionStatus": "OPT_OUT"},
]


@pytest.fixture
def contact_list(sesv2):
    sesv2.create_contact_list(ContactListName="customers", Topics=TOPICS, Description="all of them",
                              Tags=[{"Key": "team", "Value": "growth"}])
    return "customers"


def test_contact_list_reads_back_and_updates(sesv2, contact_list):
    got = sesv2.get_contact_list(ContactListName=contact_list)
    assert got["Topics"] == TOPICS and got["Description"] == "all of them"
    assert got["Tags"] == [{"Key": "team", "Value": "growth"}]
    assert got["CreatedTimestamp"] == got["LastUpdatedTimestamp"]
    sesv2.update_contact_list(ContactListName=contact_list, Topics=TOPICS[:1], Description="fewer")
    got = sesv2.get_contact_list(ContactListName=contact_list)
    assert got["Topics"] == TOPICS[:1] and got["Description"] == "fewer"
    listed = sesv2.list_contact_lists()["ContactLists"]
    assert [c["ContactListName"] for c in listed] == [contact_list]


def test_contact_list_errors(sesv2, contact_list):
    code, _, status = error_with_status(sesv2.create_contact_list, ContactListName=contact_list)
    assert (code, status) == ("AlreadyExistsException", 400)
    # one contact list per account and region
    assert error_with_status(sesv2.create_contact_list, ContactListName="second")[0] == "BadRequestException"
    code, _, status = error_with_status(sesv2.get_contact_list, ContactListName="nope")
    assert (code, status) == ("NotFoundException", 404)
    assert error_with_status(sesv2.delete_contact_list, ContactListName="nope")[0] == "NotFoundException"
    dup = [TOPICS[0], TOPICS[0]]
    assert error_with_status(sesv2.update_contact_list, ContactListName=contact_list, Topics=dup)[0] == \
        "BadRequestException"


def test_contacts_crud_and_default_preferences(sesv2, contact_list):
    sesv2.create_contact(ContactListName=contact_list, EmailAddress="a@example.com",
                         TopicPreferences=[{"TopicName": "deals", "SubscriptionStatus": "OPT_IN"}],
                         AttributesData='{"plan": "pro"}')
    got = sesv2.get_contact(ContactListName=contact_list, EmailAddress="a@example.com")
    assert got["TopicPreferences"] == [{"TopicName": "deals", "SubscriptionStatus": "OPT_IN"}]
    assert got["TopicDefaultPreferences"] == [{"TopicName": "news", "SubscriptionStatus": "OPT_IN"}]
    assert got["UnsubscribeAll"] is False and got["AttributesData"] == '{"plan": "pro"}'
    assert error_with_status(sesv2.create_contact, ContactListName=contact_list,
                             EmailAddress="a@example.com")[0] == "AlreadyExistsException"
    sesv2.update_contact(ContactListName=contact_list, EmailAddress="a@example.com", UnsubscribeAll=True)
    got = sesv2.get_contact(ContactListName=contact_list, EmailAddress="a@example.com")
    assert got["UnsubscribeAll"] is True and got["AttributesData"] == '{"plan": "pro"}'  # kept
    sesv2.delete_contact(ContactListName=contact_list, EmailAddress="a@example.com")
    code, _, status = error_with_status(sesv2.get_contact, ContactListName=contact_list, EmailAddress="a@example.com")
    assert (code, status) == ("NotFoundException", 404)


def test_contact_with_unknown_topic_is_refused(sesv2, contact_list):
    code, message, _ = error_with_status(
        sesv2.create_contact, ContactListName=contact_list, EmailAddress="b@example.com",
        TopicPreferences=[{"TopicName": "ghost", "SubscriptionStatus": "OPT_IN"}])
    assert code == "BadRequestException" and "ghost" in message
    assert error_with_status(sesv2.create_contact, ContactListName="nope",
                             EmailAddress="b@example.com")[0] == "NotFoundException"


def test_list_contacts_filters(sesv2, contact_list):
    sesv2.create_contact(ContactListName=contact_list, EmailAddress="in@example.com",
                         TopicPreferences=[{"TopicName": "deals", "SubscriptionStatus": "OPT_IN"}])
    sesv2.create_contact(ContactListName=contact_list, EmailAddress="out@example.com",
                         TopicPreferences=[{"TopicName": "news", "SubscriptionStatus": "OPT_OUT"}])
    sesv2.create_contact(ContactListName=contact_list, EmailAddress="quiet@example.com")
    sesv2.create_contact(ContactListName=contact_list, EmailAddress="gone@example.com", UnsubscribeAll=True)

    def emails(**flt):
        return sorted(c["EmailAddress"] for c in sesv2.list_contacts(ContactListName=contact_list, **flt)["Contacts"])

    assert emails() == ["gone@example.com", "in@example.com", "out@example.com", "quiet@example.com"]
    deals_in = {"FilteredStatus": "OPT_IN", "TopicFilter": {"TopicName": "deals"}}
    assert emails(Filter=deals_in) == ["in@example.com"]
    news_in = {"FilteredStatus": "OPT_IN", "TopicFilter": {"TopicName": "news", "UseDefaultIfPreferenceUnavailable": True}}
    assert emails(Filter=news_in) == ["in@example.com", "quiet@example.com"]
    news_out = {"FilteredStatus": "OPT_OUT", "TopicFilter": {"TopicName": "news"}}
    assert emails(Filter=news_out) == ["gone@example.com", "out@example.com"]


def test_list_contacts_pages_with_opaque_tokens(sesv2, contact_list):
    for i in range(5):
        sesv2.create_contact(ContactListName=contact_list, EmailAddress=f"u{i}@example.com")
    seen, token = [], None
    while True:
        kwargs = {"NextToken": token} if token else {}
        got = sesv2.list_contacts(ContactListName=contact_list, PageSize=2, **kwargs)
        seen += [c["EmailAddress"] for c in got["Contacts"]]
        token = got.get("NextToken")
        if not token:
            break
    assert seen == [f"u{i}@example.com" for i in range(5)]
    code, _, _ = error_with_status(sesv2.list_contacts, ContactListName=contact_list, NextToken="garbage")
    assert code == "BadRequestException"


def test_deleting_a_topic_drops_preferences_for_it(sesv2, contact_list):
    sesv2.create_contact(ContactListName=contact_list, EmailAddress="a@example.com",
                         TopicPreferences=[{"TopicName": "deals", "SubscriptionStatus": "OPT_IN"}])
    sesv2.update_contact_list(ContactListName=contact_list, Topics=TOPICS[:1])
    got = sesv2.get_contact(ContactListName=contact_list, EmailAddress="a@example.com")
    assert got["TopicPreferences"] == []
