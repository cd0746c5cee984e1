"""Properties of paging with filters: whatever the contacts, page size and filter, walking every
page gives exactly the filtered list (AWS filters each page after paging, so pages may be short)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TOPICS = [{"TopicName": t, "DisplayName": t, "DefaultSubscriptionStatus": d} for t, d in (("a", "OPT_IN"), ("b", "OPT_OUT"))]
STATUS = st.sampled_from(["OPT_IN", "OPT_OUT"])
CONTACT = st.fixed_dictionaries({"prefs": st.dictionaries(st.sampled_from(["a", "b"]), STATUS, max_size=2),
                                 "unsubscribe_all": st.booleans()})
FILTER = st.one_of(st.none(), st.fixed_dictionaries(
    {"status": STATUS, "topic": st.sampled_from(["a", "b"]), "use_default": st.booleans()}))


def expected(contact, flt):
    if flt is None:
        return True
    if contact["unsubscribe_all"]:
        got = "OPT_OUT"
    elif flt["topic"] in contact["prefs"]:
        got = contact["prefs"][flt["topic"]]
    elif flt["use_default"]:
        got = {"a": "OPT_IN", "b": "OPT_OUT"}[flt["topic"]]
    else:
        return False
    return got == flt["status"]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contacts=st.lists(CONTACT, max_size=7), page_size=st.integers(1, 4), flt=FILTER)
def test_pages_of_a_filtered_listing_add_up(sesv2, contacts, page_size, flt):
    sesv2.create_contact_list(ContactListName="prop", Topics=TOPICS)
    try:
        for i, c in enumerate(contacts):
            sesv2.create_contact(ContactListName="prop", EmailAddress=f"c{i}@example.com", UnsubscribeAll=c["unsubscribe_all"],
                                 TopicPreferences=[{"TopicName": t, "SubscriptionStatus": s} for t, s in c["prefs"].items()])
        kwargs = {} if flt is None else {"Filter": {"FilteredStatus": flt["status"], "TopicFilter": {
            "TopicName": flt["topic"], "UseDefaultIfPreferenceUnavailable": flt["use_default"]}}}
        seen, token, pages = [], None, 0
        while True:
            got = sesv2.list_contacts(ContactListName="prop", PageSize=page_size,
                                      **kwargs, **({"NextToken": token} if token else {}))
            assert len(got["Contacts"]) <= page_size
            seen += [c["EmailAddress"] for c in got["Contacts"]]
            pages += 1
            token = got.get("NextToken")
            if not token:
                break
        assert seen == [f"c{i}@example.com" for i, c in enumerate(contacts) if expected(c, flt)]
        assert pages == max(1, -(-len(contacts) // page_size))
    finally:
        sesv2.delete_contact_list(ContactListName="prop")
