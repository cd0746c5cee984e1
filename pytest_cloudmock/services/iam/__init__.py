"""IAM (query protocol, global per account): users, groups, roles, policies, keys.

Operations are grouped in mixins over `base.IamBase` (`principals`,
`policies`, `access_keys`, `instance_profiles`, `oidc`, `saml`, `mfa`,
`certificates`, `service_linked`, `service_credentials`, `account`,
`account_settings`, `simulation`, `reports`, `federation`); the per-kind
inline/attached policy and tag operations are in `shared_operations`.
Documents are validated in `documents`.
"""

from .access_keys import AccessKeyOperations
from .account import AccountOperations
from .account_settings import AccountSettingsOperations
from .federation import FederationOperations
from .instance_profiles import InstanceProfileOperations
from .policies import PolicyOperations
from .principals import PrincipalOperations
from .reports import ReportOperations
from .service_credentials import ServiceCredentialOperations
from .service_linked import ServiceLinkedRoles
from .shared_operations import PrincipalPolicyOperations, TagOperations
from .simulation import SimulationOperations


class IAM(PrincipalOperations, PolicyOperations, PrincipalPolicyOperations, AccessKeyOperations,
          InstanceProfileOperations, TagOperations, AccountOperations, AccountSettingsOperations,
          ServiceLinkedRoles, ServiceCredentialOperations, SimulationOperations, ReportOperations,
          FederationOperations):
    """The IAM service."""


SERVICE = IAM

__all__ = ["IAM", "SERVICE"]
