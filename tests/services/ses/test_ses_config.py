"""The config file's `ses:` section."""

from __future__ import annotations

import boto3
import pytest

from pytest_cloudmock.config import Config, ConfigError
from pytest_cloudmock.gateway import Gateway


def test_auto_verify_from_the_config_file_verifies_new_identities() -> None:
    with Gateway(Config.from_dict({"ses": {"auto_verify": True}, "admin_port": None})) as gateway:
        ses = boto3.client("ses", endpoint_url=gateway.endpoint, region_name="us-east-1",
                           aws_access_key_id="test", aws_secret_access_key="test")
        ses.verify_email_identity(EmailAddress="a@example.com")
        status = ses.get_identity_verification_attributes(Identities=["a@example.com"])
        assert status["VerificationAttributes"]["a@example.com"]["VerificationStatus"] == "Success"


@pytest.mark.parametrize(("settings", "message"), [
    ({"autoverify": True}, "ses: unknown key 'autoverify' (did you mean 'auto_verify'?)"),
    ({"auto_verify": "yes"}, "ses.auto_verify must be true or false, not 'yes'"),
])
def test_bad_ses_settings_are_named(settings, message) -> None:
    with pytest.raises(ConfigError) as error:
        Config.from_dict({"ses": settings})
    assert str(error.value) == message
