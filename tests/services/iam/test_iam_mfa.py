"""Virtual MFA devices: TOTP codes computed from the seed IAM hands out."""

from __future__ import annotations

import base64

import pytest

from pytest_cloudmock.services.iam import totp

from ..aws_errors import error_with_status

ACCOUNT = "123456789012"


@pytest.fixture
def iam(client):
    return client("iam")




def test_totp_matches_rfc_6238():
    seed = base64.b32encode(b"12345678901234567890").decode()
    # RFC 6238 appendix B, SHA-1, T=59 s -> 94287082 (8 digits): the last 6 digits.
    assert totp.code(seed, 59 // 30) == "287082"
    assert totp.code(seed, 1111111109 // 30) == "081804"


def codes(seed: bytes, now: float) -> tuple[str, str]:
    step = int(now // 30)
    return totp.code(seed.decode(), step - 1), totp.code(seed.decode(), step)


def test_virtual_mfa_lifecycle(iam, frozen):
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="phone", Path="/team/",
                                           Tags=[{"Key": "k", "Value": "v"}])["VirtualMFADevice"]
    serial = device["SerialNumber"]
    assert serial == f"arn:aws:iam::{ACCOUNT}:mfa/team/phone"
    assert len(device["Base32StringSeed"]) == 64 and device["QRCodePNG"].startswith(b"\x89PNG")
    assert error_with_status(iam.create_virtual_mfa_device, VirtualMFADeviceName="phone", Path="/team/")[::2] == (
        "EntityAlreadyExists", 409)
    iam.create_user(UserName="mfa-user")
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"] == []

    code, message, status = error_with_status(iam.enable_mfa_device, UserName="mfa-user", SerialNumber=serial,
                                              AuthenticationCode1="000000", AuthenticationCode2="000000")
    assert (code, status) == ("InvalidAuthenticationCode", 403)
    first, second = codes(device["Base32StringSeed"], frozen.now())
    iam.enable_mfa_device(UserName="mfa-user", SerialNumber=serial,
                          AuthenticationCode1=first, AuthenticationCode2=second)
    listed = iam.list_mfa_devices(UserName="mfa-user")["MFADevices"]
    assert [(d["UserName"], d["SerialNumber"]) for d in listed] == [("mfa-user", serial)]
    assigned = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert assigned[0]["User"]["UserName"] == "mfa-user" and "EnableDate" in assigned[0]
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"] == []
    assert iam.get_mfa_device(SerialNumber=serial)["UserName"] == "mfa-user"
    assert iam.get_account_summary()["SummaryMap"]["MFADevicesInUse"] == 1

    frozen.advance(120)
    first, second = codes(device["Base32StringSeed"], frozen.now())
    iam.resync_mfa_device(UserName="mfa-user", SerialNumber=serial,
                          AuthenticationCode1=first, AuthenticationCode2=second)
    assert error_with_status(iam.resync_mfa_device, UserName="mfa-user", SerialNumber=serial,
                             AuthenticationCode1=second, AuthenticationCode2=first)[0] == "InvalidAuthenticationCode"
    assert error_with_status(iam.delete_virtual_mfa_device, SerialNumber=serial)[::2] == ("DeleteConflict", 409)
    assert error_with_status(iam.delete_user, UserName="mfa-user")[0] == "DeleteConflict"

    iam.deactivate_mfa_device(UserName="mfa-user", SerialNumber=serial)
    assert iam.list_mfa_devices(UserName="mfa-user")["MFADevices"] == []
    iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": "k2", "Value": "v2"}])
    assert len(iam.list_mfa_device_tags(SerialNumber=serial)["Tags"]) == 2
    iam.delete_virtual_mfa_device(SerialNumber=serial)
    for call, kwargs in [(iam.delete_virtual_mfa_device, {}), (iam.get_mfa_device, {}),
                         (iam.deactivate_mfa_device, {"UserName": "mfa-user"})]:
        assert error_with_status(call, SerialNumber=serial, **kwargs)[::2] == ("NoSuchEntity", 404)
    assert error_with_status(iam.enable_mfa_device, UserName="nobody", SerialNumber=serial,
                             AuthenticationCode1=first, AuthenticationCode2=second)[1] == (
        "The user with name nobody cannot be found.")
