"""Virtual MFA devices: created with a Base32 seed, enabled for a user with two
consecutive TOTP codes computed from that seed, resynced, deactivated, deleted.

The `QRCodePNG` IAM returns is a valid PNG carrying the `otpauth://` URI in a
text chunk, not a drawn QR code (no QR encoder is a dependency).
"""

from __future__ import annotations

import struct
import zlib
from typing import Any
from urllib.parse import quote

from ...api import AWSError, RequestContext
from . import totp
from .base import IamBase, already_exists, check_path, delete_conflict, no_such_entity
from .paging import page
from .state import MfaDevice, User, stamp
from .tags import merge_tags, tags_out


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_text(text: str) -> bytes:
    """A 1x1 white PNG carrying `text` (tEXt chunk, keyword `otpauth`)."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"tEXt", b"otpauth\x00" + text.encode("latin-1", "replace"))
            + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff")) + _png_chunk(b"IEND", b""))


def invalid_code(serial: str) -> AWSError:
    # AWS's exact wording is not documented.
    return AWSError("InvalidAuthenticationCode", f"Authentication code for device {serial} is not valid.", 403)


class MfaOperations(IamBase):
    """Virtual MFA devices and their assignment to users."""

    def _mfa(self, ctx: RequestContext, serial: str) -> MfaDevice:
        device = self._state(ctx).mfa_devices.get(serial)
        if device is None:
            # AWS's exact wording is not documented.
            raise no_such_entity(f"VirtualMFADevice with serial number {serial} doesn't exist.")
        return device

    def _check_codes(self, ctx: RequestContext, device: MfaDevice) -> None:
        p = ctx.params
        if totp.consecutive_counter(device.seed, p["AuthenticationCode1"], p["AuthenticationCode2"],
                                    ctx.clock.now()) is None:
            raise invalid_code(device.serial)

    def _user_device(self, ctx: RequestContext) -> tuple[User, MfaDevice]:
        user = self._user(ctx, ctx.params["UserName"])
        device = self._mfa(ctx, ctx.params["SerialNumber"])
        if device.user != user.name.lower():  # AWS's exact wording is not documented
            raise no_such_entity(f"MFA Device with serial number {device.serial} is not enabled for user {user.name}.")
        return user, device

    def create_virtual_mfa_device(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        path = check_path(p.get("Path", "/"))
        serial = self._arn(ctx, "mfa", path, p["VirtualMFADeviceName"])
        devices = self._state(ctx).mfa_devices
        if serial in devices:
            raise already_exists("MFADevice entity at the same path and name already exists.")
        device = MfaDevice(serial, totp.new_seed(), created=stamp(ctx.clock),
                           tags=merge_tags([], p.get("Tags") or []))
        devices[serial] = device
        uri = f"otpauth://totp/{quote(p['VirtualMFADeviceName'])}@{ctx.account_id}?secret={device.seed}"
        return {"VirtualMFADevice": {"SerialNumber": serial, "Base32StringSeed": device.seed.encode(),
                                     "QRCodePNG": png_with_text(uri), **tags_out(device.tags)}}

    def enable_mfa_device(self, ctx: RequestContext) -> dict[str, Any]:
        user = self._user(ctx, ctx.params["UserName"])
        device = self._mfa(ctx, ctx.params["SerialNumber"])
        if device.user is not None:
            raise already_exists("MFA Device is already in use.")  # AWS's exact wording is not documented
        self._check_codes(ctx, device)
        device.user, device.enabled = user.name.lower(), stamp(ctx.clock)
        return {}

    def resync_mfa_device(self, ctx: RequestContext) -> dict[str, Any]:
        _, device = self._user_device(ctx)
        self._check_codes(ctx, device)
        return {}

    def deactivate_mfa_device(self, ctx: RequestContext) -> dict[str, Any]:
        if ctx.params.get("UserName") is not None:
            self._user_device(ctx)
        device = self._mfa(ctx, ctx.params["SerialNumber"])
        if device.user is None:  # AWS's exact wording is not documented
            raise no_such_entity(f"MFA Device with serial number {device.serial} is not enabled.")
        device.user, device.enabled = None, None
        return {}

    def delete_virtual_mfa_device(self, ctx: RequestContext) -> dict[str, Any]:
        device = self._mfa(ctx, ctx.params["SerialNumber"])
        if device.user is not None:
            raise delete_conflict("MFA Device is still in use.")  # AWS's exact wording is not documented
        del self._state(ctx).mfa_devices[device.serial]
        return {}

    def _enabled_out(self, ctx: RequestContext, device: MfaDevice) -> dict[str, Any]:
        user = self._state(ctx).users.get(device.user or "")
        return {"UserName": user.name if user else device.user, "SerialNumber": device.serial,
                "EnableDate": device.enabled}

    def list_mfa_devices(self, ctx: RequestContext) -> dict[str, Any]:
        if ctx.params.get("UserName") is None and ":user/" not in (ctx.identity.arn if ctx.identity else ""):
            devices: list[dict[str, Any]] = []  # the root user's devices: none are modelled
        else:
            user = self._named_or_calling_user(ctx)
            devices = [self._enabled_out(ctx, d) for d in self._state(ctx).mfa_devices.values()
                       if d.user == user.name.lower()]
        return page(devices, ctx.params, "MFADevices")

    def list_virtual_mfa_devices(self, ctx: RequestContext) -> dict[str, Any]:
        status = ctx.params.get("AssignmentStatus", "Any")
        out = []
        users = self._state(ctx).users
        for device in sorted(self._state(ctx).mfa_devices.values(), key=lambda d: d.serial):
            if (status == "Assigned" and device.user is None) or (status == "Unassigned" and device.user):
                continue
            entry: dict[str, Any] = {"SerialNumber": device.serial, **tags_out(device.tags)}
            if device.user is not None and device.user in users:
                entry.update(User=self._user_out(users[device.user], tags=False), EnableDate=device.enabled)
            out.append(entry)
        return page(out, ctx.params, "VirtualMFADevices")

    def get_mfa_device(self, ctx: RequestContext) -> dict[str, Any]:
        device = self._mfa(ctx, ctx.params["SerialNumber"])
        if ctx.params.get("UserName") is not None:
            self._user_device(ctx)
        out: dict[str, Any] = {"SerialNumber": device.serial}
        if device.user is not None:
            out.update(self._enabled_out(ctx, device))
        return out
