"""CloudFormation's errors, in AWS's codes and wording (query protocol, `ValidationError` family)."""

from __future__ import annotations

import re

from ...api import AWSError


def validation(message: str) -> AWSError:
    """The `ValidationError` CloudFormation answers for almost every bad request."""
    return AWSError("ValidationError", message, 400)


def template_format(message: str) -> AWSError:
    """A template that cannot be read or is malformed: "Template format error: ..."."""
    return validation(f"Template format error: {message}")


def template_error(message: str) -> AWSError:
    """A template whose functions cannot be evaluated: "Template error: ..."."""
    return validation(f"Template error: {message}")


def stack_not_found(name: str) -> AWSError:
    return validation(f"Stack with id {name} does not exist")


def stack_exists(name: str) -> AWSError:
    return AWSError("AlreadyExistsException", f"Stack [{name}] already exists", 400)


def change_set_not_found(name: str) -> AWSError:
    return AWSError("ChangeSetNotFound", f"ChangeSet [{name}] does not exist", 404)


def stack_set_not_found(name: str) -> AWSError:
    return AWSError("StackSetNotFoundException", f"StackSet {name} not found", 404)


def no_updates() -> AWSError:
    return validation("No updates are to be performed.")


def insufficient_capabilities(capability: str) -> AWSError:
    return AWSError("InsufficientCapabilitiesException",
                    f"Requires capabilities : [{capability}]", 400)


class ResourceFailure(Exception):
    """A resource operation failed; `reason` becomes the stack event's status reason."""

    def __init__(self, reason: str, physical_id: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        #: What exists despite the failure (a custom resource's answer names it): rollback deletes it.
        self.physical_id = physical_id


_NAME = re.compile(r"[a-zA-Z][-a-zA-Z0-9]*")


def check_stack_name(name: str, member: str = "stackName") -> None:
    """A new stack's (or stack set's) name, as CloudFormation's own validation words it."""
    if not _NAME.fullmatch(name):
        raise validation(f"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: "
                         "Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*")
    if len(name) > 128:
        raise validation(f"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: "
                         "Member must have length less than or equal to 128")
