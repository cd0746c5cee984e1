"""IAM (query protocol, global per account): users, groups, roles, policies, keys.

Operations are grouped in mixins over `base.IamBase` (`principals`,
`policies`, `access_keys`, `instance_profiles`, `oidc`, `account`); the
per-kind inline/attached policy and tag operations are in `shared_operations`.
Documents are validated in `documents`.
"""

from .access_keys import AccessKeyOperations
from .account import AccountOperations
from .instance_profiles import InstanceProfileOperations
from .policies import PolicyOperations
from .principals import PrincipalOperations
from .shared_operations import PrincipalPolicyOperations, TagOperations


class IAM(PrincipalOperations, PolicyOperations, PrincipalPolicyOperations, AccessKeyOperations,
          InstanceProfileOperations, TagOperations, AccountOperations):
    """The IAM service."""


SERVICE = IAM

__all__ = ["IAM", "SERVICE"]
