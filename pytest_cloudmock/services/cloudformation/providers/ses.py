"""AWS::SES::* made through our SES: the v2 API (`sesv2`) for identities, configuration sets,
event destinations, templates, contact lists, dedicated IP pools and VDM; the v1 API
(`ses`) for email receiving (receipt rule sets, rules and filters), which v2 lacks.

Both APIs share one SES core, so a configuration set made here is seen by either.
"""

from __future__ import annotations

import re
from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    arn,
    changed,
    ignore_missing,
    name_or_generated,
    read_or_gone,
    resource_tags,
    tag_changes,
)
from .shaped import fit, read_back

_MISSING = ("NotFoundException",)  # sesv2
_V1_MISSING = ("RuleSetDoesNotExist", "RuleDoesNotExist", "ConfigurationSetDoesNotExist")


def _retag(ctx: ProviderContext, resource_arn: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Bring a v2 resource's tags from the old `Tags` property to the new one."""
    to_set, to_remove = tag_changes(old, new)
    if to_set:
        ctx.call("sesv2", "TagResource", {"ResourceArn": resource_arn,
                                          "Tags": [{"Key": k, "Value": v} for k, v in to_set.items()]})
    if to_remove:
        ctx.call("sesv2", "UntagResource", {"ResourceArn": resource_arn, "TagKeys": to_remove})


def _with_tags(ctx: ProviderContext, params: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    tags = resource_tags(ctx, properties)
    return {**params, "Tags": tags} if tags else params


def _upper_snake(value: str) -> str:
    """A v1-style enum value (`renderingFailure`, `emailHeader`) as v2 writes it (`RENDERING_FAILURE`)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", value).upper()


class EmailIdentityProvider(BaseProvider):
    """AWS::SES::EmailIdentity. `Ref`: the identity; `DkimDNSTokenName1..3`/`Value1..3` for a domain."""

    type_name = "AWS::SES::EmailIdentity"
    replaces = frozenset({"EmailIdentity"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        identity = str(properties["EmailIdentity"])
        params: dict[str, Any] = {"EmailIdentity": identity}
        signing = properties.get("DkimSigningAttributes") or {}
        if signing.get("DomainSigningSelector") or signing.get("DomainSigningPrivateKey"):
            params["DkimSigningAttributes"] = fit("sesv2", "CreateEmailIdentity", {"DkimSigningAttributes": signing}
                                                  )["DkimSigningAttributes"]
        ctx.call("sesv2", "CreateEmailIdentity", _with_tags(ctx, params, properties))
        self._settings(ctx, identity, {}, properties)
        return self.describe(ctx, identity, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self._settings(ctx, physical_id, old, new)
        if changed(old, new, "DkimSigningAttributes") and (new.get("DkimSigningAttributes") or {}).get(
                "NextSigningKeyLength"):
            ctx.call("sesv2", "PutEmailIdentityDkimSigningAttributes", {
                "EmailIdentity": physical_id, "SigningAttributesOrigin": "AWS_SES",
                "SigningAttributes": {"NextSigningKeyLength": new["DkimSigningAttributes"]["NextSigningKeyLength"]}})
        _retag(ctx, arn(ctx, "ses", f"identity/{physical_id}"), old, new)
        return self.describe(ctx, physical_id, new)

    @staticmethod
    def _settings(ctx: ProviderContext, identity: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        """The identity's settings each have a put call; changed ones (all on create) are sent."""
        for prop, operation in (("DkimAttributes", "PutEmailIdentityDkimAttributes"),
                                ("FeedbackAttributes", "PutEmailIdentityFeedbackAttributes"),
                                ("MailFromAttributes", "PutEmailIdentityMailFromAttributes"),
                                ("ConfigurationSetAttributes", "PutEmailIdentityConfigurationSetAttributes")):
            if changed(old, new, prop) and (new.get(prop) is not None or old.get(prop) is not None):
                ctx.call("sesv2", operation, fit("sesv2", operation, {**(new.get(prop) or {}),
                                                                      "EmailIdentity": identity}))

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("sesv2", "DeleteEmailIdentity", {"EmailIdentity": physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call("sesv2", "GetEmailIdentity", {"EmailIdentity": physical_id})
        attributes: dict[str, Any] = {}
        if "@" not in physical_id:
            for number, token in enumerate((found.get("DkimAttributes") or {}).get("Tokens") or [], start=1):
                attributes[f"DkimDNSTokenName{number}"] = f"{token}._domainkey.{physical_id}"
                attributes[f"DkimDNSTokenValue{number}"] = f"{token}.dkim.amazonses.com"
        return Created(physical_id, attributes)


#: Configuration-set option properties and the v2 call that sets each after creation.
_SET_OPTIONS = {option: f"PutConfigurationSet{option}" for option in (
    "TrackingOptions", "DeliveryOptions", "ReputationOptions", "SendingOptions", "SuppressionOptions",
    "VdmOptions", "ArchivingOptions")}


class ConfigurationSetProvider(BaseProvider):
    """AWS::SES::ConfigurationSet. `Ref`: the configuration set name."""

    type_name = "AWS::SES::ConfigurationSet"
    replaces = frozenset({"Name"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = name_or_generated(ctx, properties, "Name", max_length=64)
        params = fit("sesv2", "CreateConfigurationSet", properties, skip=("Name", "Tags"))
        ctx.call("sesv2", "CreateConfigurationSet", _with_tags(ctx, {**params, "ConfigurationSetName": name},
                                                               properties))
        return Created(name)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        for option, operation in _SET_OPTIONS.items():
            if not changed(old, new, option):
                continue
            value = new.get(option) or {}
            body = {option: value} if option == "VdmOptions" else value
            ctx.call("sesv2", operation, fit("sesv2", operation, {**body, "ConfigurationSetName": physical_id}))
        _retag(ctx, arn(ctx, "ses", f"configuration-set/{physical_id}"), old, new)
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("sesv2", "DeleteConfigurationSet", {"ConfigurationSetName": physical_id}),
                       *_MISSING)

    readable = frozenset({"Name", *_SET_OPTIONS, "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = read_or_gone(lambda: ctx.call("sesv2", "GetConfigurationSet", {"ConfigurationSetName": physical_id}),
                             *_MISSING)
        return None if found is None else read_back(found, tuple(self.readable), Name="ConfigurationSetName")


def _event_destination(destination: dict[str, Any]) -> dict[str, Any]:
    """The template's (v1-style) event destination as v2's `EventDestinationDefinition`."""
    body = dict(destination)
    body.pop("Name", None)
    if body.get("MatchingEventTypes"):
        body["MatchingEventTypes"] = [_upper_snake(str(t)) for t in body["MatchingEventTypes"]]
    dimensions = (body.get("CloudWatchDestination") or {}).get("DimensionConfigurations") or []
    for dimension in dimensions:
        if dimension.get("DimensionValueSource"):
            dimension["DimensionValueSource"] = _upper_snake(str(dimension["DimensionValueSource"]))
    params = fit("sesv2", "CreateConfigurationSetEventDestination", {"EventDestination": body})
    return params.get("EventDestination", {})


class ConfigurationSetEventDestinationProvider(BaseProvider):
    """AWS::SES::ConfigurationSetEventDestination. `Ref` and `Id`: the event destination's name."""

    type_name = "AWS::SES::ConfigurationSetEventDestination"
    replaces = frozenset({"ConfigurationSetName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        destination = properties["EventDestination"]
        name = name_or_generated(ctx, destination, "Name", max_length=64)
        ctx.call("sesv2", "CreateConfigurationSetEventDestination", {
            "ConfigurationSetName": properties["ConfigurationSetName"], "EventDestinationName": name,
            "EventDestination": _event_destination(destination)})
        return Created(name, {"Id": name})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        wanted = (new["EventDestination"] or {}).get("Name") or physical_id
        if wanted != physical_id:  # a renamed destination is a new one (the old goes once it is made)
            made = self.create(ctx, new)
            self.delete(ctx, physical_id, old)
            return made
        ctx.call("sesv2", "UpdateConfigurationSetEventDestination", {
            "ConfigurationSetName": new["ConfigurationSetName"], "EventDestinationName": physical_id,
            "EventDestination": _event_destination(new["EventDestination"])})
        return Created(physical_id, {"Id": physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("sesv2", "DeleteConfigurationSetEventDestination", {
            "ConfigurationSetName": properties["ConfigurationSetName"], "EventDestinationName": physical_id}),
                       *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"Id": physical_id})


def _template_name(properties: dict[str, Any]) -> str | None:
    return (properties.get("Template") or {}).get("TemplateName")


class TemplateProvider(BaseProvider):
    """AWS::SES::Template. `Ref` and `Id`: the template name.

    Only a new `Template.TemplateName` replaces the template (the schema's create-only
    property is that nested one; `replacing` tells the engine so): a new subject or body is
    an update in place.
    """

    type_name = "AWS::SES::Template"
    replaces = frozenset({"Template"})

    def replacing(self, old: dict[str, Any], new: dict[str, Any]) -> set[str]:
        """The changed properties that need a new template: `Template` only when renamed."""
        return {"Template"} if _template_name(old) != _template_name(new) else set()

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        template = properties.get("Template") or {}
        name = name_or_generated(ctx, template, "TemplateName", max_length=64)
        ctx.call("sesv2", "CreateEmailTemplate", _with_tags(ctx, {
            "TemplateName": name, "TemplateContent": self._content(template)}, properties))
        return Created(name, {"Id": name})

    @staticmethod
    def _content(template: dict[str, Any]) -> dict[str, str]:
        parts = {"Subject": template.get("SubjectPart"), "Text": template.get("TextPart"),
                 "Html": template.get("HtmlPart")}
        return {k: str(v) for k, v in parts.items() if v is not None}

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        ctx.call("sesv2", "UpdateEmailTemplate", {"TemplateName": physical_id,
                                                  "TemplateContent": self._content(new.get("Template") or {})})
        _retag(ctx, arn(ctx, "ses", f"template/{physical_id}"), old, new)
        return Created(physical_id, {"Id": physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("sesv2", "DeleteEmailTemplate", {"TemplateName": physical_id}), *_MISSING)

    readable = frozenset({"Template"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = read_or_gone(lambda: ctx.call("sesv2", "GetEmailTemplate", {"TemplateName": physical_id}), *_MISSING)
        if found is None:
            return None
        content = found.get("TemplateContent") or {}
        parts = {"SubjectPart": content.get("Subject"), "TextPart": content.get("Text"), "HtmlPart": content.get("Html")}
        return {"Template": {"TemplateName": physical_id, **{k: v for k, v in parts.items() if v is not None}}}

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"Id": physical_id})


class ContactListProvider(BaseProvider):
    """AWS::SES::ContactList. `Ref`: the contact list name."""

    type_name = "AWS::SES::ContactList"
    replaces = frozenset({"ContactListName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = name_or_generated(ctx, properties, "ContactListName", max_length=64)
        params = fit("sesv2", "CreateContactList", properties, skip=("ContactListName", "Tags"))
        ctx.call("sesv2", "CreateContactList", _with_tags(ctx, {**params, "ContactListName": name}, properties))
        return Created(name)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        if changed(old, new, "Topics", "Description"):
            params = fit("sesv2", "UpdateContactList", new, skip=("ContactListName", "Tags"))
            ctx.call("sesv2", "UpdateContactList", {"Topics": [], **params, "ContactListName": physical_id})
        _retag(ctx, arn(ctx, "ses", f"contact-list/{physical_id}"), old, new)
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("sesv2", "DeleteContactList", {"ContactListName": physical_id}), *_MISSING)


class DedicatedIpPoolProvider(BaseProvider):
    """AWS::SES::DedicatedIpPool. `Ref`: the pool name."""

    type_name = "AWS::SES::DedicatedIpPool"
    replaces = frozenset({"PoolName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = name_or_generated(ctx, properties, "PoolName", max_length=64)
        params: dict[str, Any] = {"PoolName": name}
        if properties.get("ScalingMode"):
            params["ScalingMode"] = properties["ScalingMode"]
        ctx.call("sesv2", "CreateDedicatedIpPool", _with_tags(ctx, params, properties))
        return Created(name)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        if changed(old, new, "ScalingMode") and new.get("ScalingMode"):
            ctx.call("sesv2", "PutDedicatedIpPoolScalingAttributes",
                     {"PoolName": physical_id, "ScalingMode": new["ScalingMode"]})
        _retag(ctx, arn(ctx, "ses", f"dedicated-ip-pool/{physical_id}"), old, new)
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("sesv2", "DeleteDedicatedIpPool", {"PoolName": physical_id}), *_MISSING)


class VdmAttributesProvider(BaseProvider):
    """AWS::SES::VdmAttributes: the account's Virtual Deliverability Manager settings.

    `Ref` and `VdmAttributesResourceId`: an id of the account's setting. Creating turns VDM
    on with the given dashboard and guardian settings; deleting turns it off (the handler's
    exact behaviour on delete is not documented).
    """

    type_name = "AWS::SES::VdmAttributes"

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        self._put(ctx, properties, "ENABLED")
        resource_id = f"{ctx.account_id}-{ctx.region}"  # AWS's id format is not documented
        return Created(resource_id, {"VdmAttributesResourceId": resource_id})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self._put(ctx, new, "ENABLED")
        return Created(physical_id, {"VdmAttributesResourceId": physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        self._put(ctx, {}, "DISABLED")

    @staticmethod
    def _put(ctx: ProviderContext, properties: dict[str, Any], enabled: str) -> None:
        settings = fit("sesv2", "PutAccountVdmAttributes", {"VdmAttributes": properties})["VdmAttributes"]
        ctx.call("sesv2", "PutAccountVdmAttributes", {"VdmAttributes": {**settings, "VdmEnabled": enabled}})

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"VdmAttributesResourceId": physical_id})


# -- email receiving (v1) ------------------------------------------------------------------

class ReceiptRuleSetProvider(BaseProvider):
    """AWS::SES::ReceiptRuleSet. `Ref` and `Id`: the rule set name."""

    type_name = "AWS::SES::ReceiptRuleSet"
    replaces = frozenset({"RuleSetName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = name_or_generated(ctx, properties, "RuleSetName", max_length=64)
        ctx.call("ses", "CreateReceiptRuleSet", {"RuleSetName": name})
        return Created(name, {"Id": name})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("ses", "DeleteReceiptRuleSet", {"RuleSetName": physical_id}), *_V1_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"Id": physical_id})


class ReceiptRuleProvider(BaseProvider):
    """AWS::SES::ReceiptRule. `Ref` and `Id`: the rule name."""

    type_name = "AWS::SES::ReceiptRule"
    replaces = frozenset({"RuleSetName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        rule = dict(properties["Rule"])
        rule["Name"] = name_or_generated(ctx, rule, "Name", max_length=64)
        params = fit("ses", "CreateReceiptRule", {**properties, "Rule": rule})
        ctx.call("ses", "CreateReceiptRule", params)
        return Created(rule["Name"], {"Id": rule["Name"]})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        wanted = (new["Rule"] or {}).get("Name") or physical_id
        if wanted != physical_id:  # a renamed rule is a new one (the old goes once it is made)
            made = self.create(ctx, new)
            self.delete(ctx, physical_id, old)
            return made
        rule = {**new["Rule"], "Name": physical_id}
        ctx.call("ses", "UpdateReceiptRule", fit("ses", "UpdateReceiptRule",
                                                 {"RuleSetName": new["RuleSetName"], "Rule": rule}))
        if changed(old, new, "After"):
            ctx.call("ses", "SetReceiptRulePosition", fit("ses", "SetReceiptRulePosition", {
                "RuleSetName": new["RuleSetName"], "RuleName": physical_id, "After": new.get("After")}))
        return Created(physical_id, {"Id": physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("ses", "DeleteReceiptRule", {
            "RuleSetName": properties["RuleSetName"], "RuleName": physical_id}), *_V1_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"Id": physical_id})


class ReceiptFilterProvider(BaseProvider):
    """AWS::SES::ReceiptFilter. `Ref` and `Id`: the filter name; every change makes a new filter."""

    type_name = "AWS::SES::ReceiptFilter"
    replaces = frozenset({"Filter"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        filter_ = dict(properties["Filter"])
        filter_["Name"] = name_or_generated(ctx, filter_, "Name", max_length=64)
        ctx.call("ses", "CreateReceiptFilter", fit("ses", "CreateReceiptFilter", {"Filter": filter_}))
        return Created(filter_["Name"], {"Id": filter_["Name"]})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        # DeleteReceiptFilter answers success for a filter that does not exist
        ctx.call("ses", "DeleteReceiptFilter", {"FilterName": physical_id})

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"Id": physical_id})
