"""AWS Config's errors. The codes are AWS's exception names; where AWS's exact message
text is not documented the wording here is ours (marked "wording ours")."""

from __future__ import annotations

from ...api import AWSError


def error(code: str, message: str) -> AWSError:
    return AWSError(code, message, 400)


def validation(message: str) -> AWSError:
    return error("ValidationException", message)


def invalid_parameter(message: str) -> AWSError:
    return error("InvalidParameterValueException", message)


def bad_token() -> AWSError:
    return error("InvalidNextTokenException", "The nextToken provided is invalid")  # wording ours


def no_recorder(name: str) -> AWSError:
    return error("NoSuchConfigurationRecorderException",
                 f"Cannot find configuration recorder with the specified name '{name}'.")


def no_channel(name: str) -> AWSError:
    return error("NoSuchDeliveryChannelException",
                 f"Cannot find delivery channel with specified name '{name}'.")


def no_rule(name: str) -> AWSError:
    return error("NoSuchConfigRuleException",
                 f"The ConfigRule '{name}' provided in the request is invalid. Please check the configRule name.")


def no_aggregator(name: str) -> AWSError:
    return error("NoSuchConfigurationAggregatorException",
                 f"The configuration aggregator '{name}' does not exist.")  # wording ours


def no_pack(name: str) -> AWSError:
    return error("NoSuchConformancePackException",
                 f"Conformance pack '{name}' does not exist.")  # wording ours


def not_discovered(resource_type: str, resource_id: str) -> AWSError:
    return error("ResourceNotDiscoveredException",
                 f"Resource {resource_id} of resourceType:{resource_type} is unknown or has not been discovered")


def not_found(message: str) -> AWSError:
    return error("ResourceNotFoundException", message)
