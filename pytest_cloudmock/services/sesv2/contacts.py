"""Contact lists, their topics and contacts; `ListManagementOptions` checks for sends."""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from ..ses.mime import bare_address
from .base import checked_address
from .errors import already_exists, bad_request, not_found
from .shared import SharedCore
from .state import Contact, ContactList

#: AWS allows one contact list per account and region (SES quotas page).
MAX_CONTACT_LISTS = 1


def no_list(name: str) -> Exception:
    return not_found(f"List with name {name} does not exist.")  # wording ours


def topic_names(topics: list[dict[str, Any]]) -> list[str]:
    return [t["TopicName"] for t in topics]


def effective_status(contact: Contact, contact_list: ContactList, topic: str, use_default: bool = True) -> str | None:
    """OPT_IN / OPT_OUT of `contact` for `topic` (unsubscribe-all wins; the topic's default when asked)."""
    if contact.unsubscribe_all:
        return "OPT_OUT"
    if topic in contact.topics:
        return contact.topics[topic]
    if not use_default:
        return None
    return next((t["DefaultSubscriptionStatus"] for t in contact_list.topics if t["TopicName"] == topic), None)


class ContactOperations(SharedCore):
    # -- lists -------------------------------------------------------------------------------------
    def contact_list(self, ctx: RequestContext, name: str) -> ContactList:
        found = self.state(ctx).contact_lists.get(name)
        if found is None:
            raise no_list(name)
        return found

    @staticmethod
    def _checked_topics(topics: list[dict[str, Any]]) -> list[dict[str, Any]]:
        names = topic_names(topics)
        if len(set(names)) != len(names):
            raise bad_request("Topic names must be unique within a contact list.")  # wording ours
        return [dict(t) for t in topics]

    def create_contact_list(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, now = p["ContactListName"], ctx.clock.utcnow()
        topics = self._checked_topics(p.get("Topics") or [])
        with self.store.lock:
            lists = self.state(ctx).contact_lists
            if name in lists:
                raise already_exists(f"List with name {name} already exists.")  # wording ours
            if len(lists) >= MAX_CONTACT_LISTS:
                # AWS answers BadRequestException here (the model also lists LimitExceeded); wording ours
                raise bad_request(f"A maximum of {MAX_CONTACT_LISTS} contact list is allowed per account.")
            lists[name] = ContactList(name, topics, p.get("Description"), now, now)
            self.set_tags(ctx, self.arn(ctx, f"contact-list/{name}"), p.get("Tags"))
        return {}

    def get_contact_list(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            cl = self.contact_list(ctx, ctx.params["ContactListName"])
            out: dict[str, Any] = {"ContactListName": cl.name, "Topics": [dict(t) for t in cl.topics],
                                   "CreatedTimestamp": cl.created, "LastUpdatedTimestamp": cl.updated,
                                   "Tags": self.tag_list(ctx, self.arn(ctx, f"contact-list/{cl.name}"))}
            if cl.description is not None:
                out["Description"] = cl.description
            return out

    def update_contact_list(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            cl = self.contact_list(ctx, p["ContactListName"])
            if "Topics" in p:
                cl.topics = self._checked_topics(p["Topics"])
                kept = set(topic_names(cl.topics))
                for contact in cl.contacts.values():  # preferences for removed topics go with them
                    contact.topics = {k: v for k, v in contact.topics.items() if k in kept}
            if "Description" in p:
                cl.description = p["Description"]
            cl.updated = ctx.clock.utcnow()
        return {}

    def delete_contact_list(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["ContactListName"]
        with self.store.lock:
            self.contact_list(ctx, name)
            del self.state(ctx).contact_lists[name]
            self.drop_tags(ctx, self.arn(ctx, f"contact-list/{name}"))
        return {}

    def list_contact_lists(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            items = [{"ContactListName": cl.name, "LastUpdatedTimestamp": cl.updated}
                     for _, cl in sorted(self.state(ctx).contact_lists.items())]
        page, more = self.page(ctx, items, "contact-lists")
        return {"ContactLists": page, **more}

    # -- contacts ----------------------------------------------------------------------------------
    def contact(self, ctx: RequestContext) -> tuple[ContactList, Contact]:
        cl = self.contact_list(ctx, ctx.params["ContactListName"])
        address = ctx.params["EmailAddress"]
        found = cl.contacts.get(address.lower())
        if found is None:
            raise not_found(f"Contact {address} does not exist in list {cl.name}.")  # wording ours
        return cl, found

    @staticmethod
    def _preferences(cl: ContactList, given: list[dict[str, str]]) -> dict[str, str]:
        known = set(topic_names(cl.topics))
        for pref in given:
            if pref["TopicName"] not in known:
                raise bad_request(f"Topic {pref['TopicName']} does not exist in list {cl.name}.")  # wording ours
        return {pref["TopicName"]: pref["SubscriptionStatus"] for pref in given}

    def put_contact(self, cl: ContactList, address: str, params: dict[str, Any], now: Any) -> Contact:
        """Create or replace one contact (CreateContact, UpdateContact, contact-list imports)."""
        existing = cl.contacts.get(address.lower())
        contact = Contact(address, self._preferences(cl, params.get("TopicPreferences") or []),
                          bool(params.get("UnsubscribeAll", False)), params.get("AttributesData"),
                          existing.created if existing else now, now)
        cl.contacts[address.lower()] = contact
        return contact

    def create_contact(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            cl = self.contact_list(ctx, p["ContactListName"])
            if checked_address(p["EmailAddress"]).lower() in cl.contacts:
                raise already_exists(f"Contact already exists in list {cl.name}.")  # wording ours
            self.put_contact(cl, p["EmailAddress"], p, ctx.clock.utcnow())
        return {}

    @staticmethod
    def _describe_contact(cl: ContactList, contact: Contact) -> dict[str, Any]:
        return {
            "EmailAddress": contact.email,
            "TopicPreferences": [{"TopicName": k, "SubscriptionStatus": v} for k, v in contact.topics.items()],
            "TopicDefaultPreferences": [{"TopicName": t["TopicName"], "SubscriptionStatus": t["DefaultSubscriptionStatus"]}
                                        for t in cl.topics if t["TopicName"] not in contact.topics],
            "UnsubscribeAll": contact.unsubscribe_all,
        }

    def get_contact(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            cl, contact = self.contact(ctx)
            out = {"ContactListName": cl.name, **self._describe_contact(cl, contact),
                   "CreatedTimestamp": contact.created, "LastUpdatedTimestamp": contact.updated}
            if contact.attributes is not None:
                out["AttributesData"] = contact.attributes
            return out

    def update_contact(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            cl, contact = self.contact(ctx)
            merged = {"TopicPreferences": [{"TopicName": k, "SubscriptionStatus": v} for k, v in contact.topics.items()],
                      "UnsubscribeAll": contact.unsubscribe_all, "AttributesData": contact.attributes}
            merged.update({k: v for k, v in ctx.params.items() if k in merged})
            self.put_contact(cl, contact.email, merged, ctx.clock.utcnow())
        return {}

    def delete_contact(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            cl, contact = self.contact(ctx)
            del cl.contacts[contact.email.lower()]
        return {}

    def list_contacts(self, ctx: RequestContext) -> dict[str, Any]:
        """Contacts of a list, filtered AFTER paging as AWS does (a page may come back short or
        empty with a `NextToken`: the service team confirmed this in aws/aws-cli#8742)."""
        flt = ctx.params.get("Filter") or {}
        status, topic_filter = flt.get("FilteredStatus"), flt.get("TopicFilter") or {}
        with self.store.lock:
            cl = self.contact_list(ctx, ctx.params["ContactListName"])
            contacts = [c for _, c in sorted(cl.contacts.items())]
            page, more = self.page(ctx, contacts, f"contacts/{cl.name}", default=1000)
            chosen = [c for c in page if _matches(c, cl, status, topic_filter)]
            items = [{**self._describe_contact(cl, c), "LastUpdatedTimestamp": c.updated} for c in chosen]
        return {"Contacts": items, **more}

    # -- sends with ListManagementOptions ----------------------------------------------------------
    def subscribed(self, ctx: RequestContext, options: dict[str, Any], recipients: list[str]) -> list[str]:
        """The recipients a send with `ListManagementOptions` still goes to (others opted out);
        NotFoundException for a list or topic that does not exist."""
        with self.store.lock:
            cl = self.contact_list(ctx, options["ContactListName"])
            topic = options.get("TopicName")
            if topic is not None and topic not in topic_names(cl.topics):
                raise not_found(f"Topic {topic} does not exist in list {cl.name}.")  # wording ours
            kept = []
            for address in recipients:
                contact = cl.contacts.get(bare_address(address).lower())
                if contact is None:
                    kept.append(address)
                elif contact.unsubscribe_all:
                    continue
                elif topic is None or effective_status(contact, cl, topic) != "OPT_OUT":
                    kept.append(address)
            return kept


def _matches(contact: Contact, cl: ContactList, status: str | None, topic_filter: dict[str, Any]) -> bool:
    topic = topic_filter.get("TopicName")
    use_default = bool(topic_filter.get("UseDefaultIfPreferenceUnavailable", False))
    if topic is not None:
        got = effective_status(contact, cl, topic, use_default)
        return got is not None and (status is None or got == status)
    if status is None:
        return True
    statuses = {effective_status(contact, cl, t, use_default) for t in topic_names(cl.topics)}
    if status == "OPT_OUT" and contact.unsubscribe_all:
        return True
    return status in statuses
