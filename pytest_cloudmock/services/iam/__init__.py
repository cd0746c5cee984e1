"""IAM (query protocol, global per account): users, groups, roles, policies, keys.

Operations are grouped in mixins over `base.IamBase` (`principals`,
`policies`, `access_keys`, `instance_profiles`, `oidc`, `account`); the
per-kind inline/attached policy and tag operations are added by
`shared_operations.install`. Documents are validated in `documents`.
"""

from .access_keys import AccessKeyOperations
from .account import AccountOperations
from .instance_profiles import InstanceProfileOperations
from .oidc import OidcProviders
from .policies import PolicyOperations
from .principals import PrincipalOperations
from .shared_operations import install


class IAM(PrincipalOperations, PolicyOperations, AccessKeyOperations, InstanceProfileOperations,
          OidcProviders, AccountOperations):
    """The IAM service."""


install(IAM)
SERVICE = IAM

__all__ = ["IAM", "SERVICE"]
