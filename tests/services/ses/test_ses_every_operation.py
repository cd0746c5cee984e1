"""Every operation of ses's botocore model answers (never NotImplemented, never a 5xx), and
random valid-shaped calls straight into the service never crash."""

from __future__ import annotations

import pytest

from pytest_cloudmock.services.ses import SesService

from ..every_operation import call_every_operation
from ..service_fuzz import fuzz


def test_every_operation_answers(ses, sender, production) -> None:
    ses.create_template(Template={"TemplateName": "t", "SubjectPart": "s {{a}}", "TextPart": "x"})
    ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
    ses.create_receipt_rule_set(RuleSetName="rs")
    assert call_every_operation(ses, seed=23, rounds=2) == []


@pytest.mark.parametrize("seed", range(3))
def test_random_calls_never_crash(seed: int) -> None:
    assert fuzz(SesService(), rounds=15, seed=seed) == []
