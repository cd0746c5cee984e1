"""SES's errors (query protocol; codes from the `ses` model, messages from AWS's docs where known).

The sending core raises v1 codes; `for_api` gives a v2 caller SES v2's code for the same error.
"""

from __future__ import annotations

from ...api import AWSError


def invalid_parameter(message: str) -> AWSError:
    return AWSError("InvalidParameterValue", message, 400)


def invalid_policy() -> AWSError:
    return AWSError("InvalidPolicy", "Policy is not valid JSON or has no Statement.", 400)  # AWS's text unknown


def message_rejected(message: str) -> AWSError:
    return AWSError("MessageRejected", message, 400)


def template_not_found(name: str) -> AWSError:
    return AWSError("TemplateDoesNotExist", f"Template {name} does not exist.", 400, TemplateName=name)


def template_exists(name: str) -> AWSError:
    return AWSError("AlreadyExists", f"Template {name} already exists.", 400, Name=name)


def config_set_not_found(name: str) -> AWSError:
    return AWSError("ConfigurationSetDoesNotExist", f"Configuration set <{name}> does not exist.", 400,
                    ConfigurationSetName=name)


def config_set_exists(name: str) -> AWSError:
    return AWSError("ConfigurationSetAlreadyExists", f"Configuration set <{name}> already exists.", 400,
                    ConfigurationSetName=name)


def account_sending_paused() -> AWSError:
    # AWS's exact text is not documented
    return AWSError("AccountSendingPausedException", "Email sending is disabled for your entire Amazon SES account.", 400)


def config_set_sending_paused(name: str) -> AWSError:
    return AWSError("ConfigurationSetSendingPausedException",
                    f"Email sending is disabled for the configuration set {name}.", 400,  # AWS's text unknown
                    ConfigurationSetName=name)


def event_destination_not_found(config: str, name: str) -> AWSError:
    return AWSError("EventDestinationDoesNotExist",
                    f"No EventDestination found for {name} in configuration set {config}.", 400,  # AWS's text unknown
                    ConfigurationSetName=config, EventDestinationName=name)


def event_destination_exists(config: str, name: str) -> AWSError:
    return AWSError("EventDestinationAlreadyExists",
                    f"Event destination {name} already exists in configuration set {config}.", 400,  # AWS's text unknown
                    ConfigurationSetName=config, EventDestinationName=name)


def rule_set_not_found(name: str) -> AWSError:
    return AWSError("RuleSetDoesNotExist", f"Rule set does not exist: {name}", 400, Name=name)


def rule_not_found(name: str) -> AWSError:
    return AWSError("RuleDoesNotExist", f"Rule does not exist: {name}", 400, Name=name)


def already_exists(what: str, name: str) -> AWSError:
    return AWSError("AlreadyExists", f"{what} {name} already exists.", 400, Name=name)


def custom_template_not_found(name: str) -> AWSError:
    return AWSError("CustomVerificationEmailTemplateDoesNotExist",
                    f"No CustomVerificationEmailTemplate with name {name} exists.", 400,  # AWS's text unknown
                    CustomVerificationEmailTemplateName=name)


def custom_template_exists(name: str) -> AWSError:
    return AWSError("CustomVerificationEmailTemplateAlreadyExists",
                    f"Custom verification email template {name} already exists.", 400,  # AWS's text unknown
                    CustomVerificationEmailTemplateName=name)


#: v1 code -> SES v2's code for the same condition
_V2_CODES = {
    "TemplateDoesNotExist": "NotFoundException",
    "ConfigurationSetDoesNotExist": "NotFoundException",
    "CustomVerificationEmailTemplateDoesNotExist": "NotFoundException",
    "AccountSendingPausedException": "SendingPausedException",
    "ConfigurationSetSendingPausedException": "SendingPausedException",
    "InvalidParameterValue": "BadRequestException",
    "Throttling": "LimitExceededException",
    "AlreadyExists": "AlreadyExistsException",
}


def for_api(error: AWSError, api: str) -> AWSError:
    """The same error as the `api` ("ses" or "sesv2") answers it (v2: no v1-only fields)."""
    if api != "sesv2" or error.code not in _V2_CODES:
        return error
    status = 404 if _V2_CODES[error.code] == "NotFoundException" else 400
    return AWSError(_V2_CODES[error.code], error.message, status)
