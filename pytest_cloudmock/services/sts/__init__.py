"""STS: caller identity and temporary credentials (see `service`); SAML responses
are read in `saml`, JSON Web Tokens in `tokens`."""

from .service import STS

SERVICE = STS

__all__ = ["SERVICE", "STS"]
