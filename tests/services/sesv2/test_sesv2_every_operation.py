"""Every operation of SES v2's botocore model answers (never NotImplemented, never a 5xx)."""

from __future__ import annotations

import pytest

from pytest_cloudmock.services.sesv2 import SesV2Service

from ..every_operation import call_every_operation
from ..service_fuzz import fuzz


def _without_endpoint_id(params, **_):
    # botocore resolves `EndpointId` to a SigV4a endpoint (needs awscrt, not installed) or, for a
    # generated value that is no host label, refuses it before sending: leave it out
    params.pop("EndpointId", None)


def test_every_operation_answers(sesv2, verified):
    verified("sender@example.com", "example.com")
    sesv2.create_configuration_set(ConfigurationSetName="existing")
    sesv2.create_contact_list(ContactListName="existing")
    sesv2.create_email_template(TemplateName="existing", TemplateContent={"Subject": "s", "Text": "t"})
    sesv2.meta.events.register("provide-client-params.sesv2.*", _without_endpoint_id)
    assert call_every_operation(sesv2, seed=23, rounds=2) == []


@pytest.mark.parametrize("seed", range(3))
def test_random_calls_never_crash(seed):
    """Straight into the service (no gateway: the shared core's operations answer 503)."""
    assert fuzz(SesV2Service(), rounds=6, seed=seed) == []
