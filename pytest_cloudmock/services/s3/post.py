"""Browser-based uploads: `POST /bucket` with a multipart form and a signed policy.

The form is parsed by werkzeug (large files spool to disk); the policy's
expiration and conditions (`eq`, `starts-with`, `content-length-range`, exact
matches) are checked as S3 checks them, and every form field must be covered by
a condition. Answers 204 (default), 200, 201 with a `PostResponse` document, or
a 303 redirect to `success_action_redirect`.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict
from werkzeug.formparser import FormDataParser
from werkzeug.http import parse_options_header

from ...api import AWSError, RequestContext
from ...protocols import xml_writer
from ...protocols.rest_xml import parse_xml
from . import checksums, errors
from .blob import read_blob

# Fields the policy need not mention (S3's list), lower case.
_UNCHECKED = {"policy", "x-amz-signature", "signature", "awsaccesskeyid", "file"}
_CONTENT_FIELDS = {
    "cache-control": "CacheControl",
    "content-type": "ContentType",
    "content-disposition": "ContentDisposition",
    "content-encoding": "ContentEncoding",
    "expires": "Expires",
}


def read_form(ctx: RequestContext) -> tuple[dict[str, str], Any]:
    """(fields with lower-case names, the uploaded file) of a form POST."""
    wire = ctx.wire
    assert wire is not None
    mimetype, options = parse_options_header(wire.headers.get("Content-Type", ""))
    stream = wire.stream if wire.stream is not None else io.BytesIO(wire.body)
    _, form, files = FormDataParser(silent=False).parse(stream, mimetype, wire.content_length, options)
    fields = {k.lower(): v for k, v in MultiDict(form).items()}
    upload = files.get("file")
    if upload is None:
        raise errors.invalid_argument("POST requires exactly one file upload per request.",
                                      "file", 0)
    if "key" not in fields:
        raise errors.invalid_argument(
            "Bucket POST must contain a field named 'key'.  If it is specified, please check the "
            "order of the fields.", "key", "")
    fields["key"] = fields["key"].replace("${filename}", upload.filename or "")
    return fields, upload


def _policy_failed(condition: Any) -> AWSError:
    return errors.access_denied(
        f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}"
    )


def check_policy(fields: dict[str, str], bucket: str, size: int, now: datetime) -> None:
    """S3's policy checks: signature fields present, not expired, every condition met."""
    encoded = fields.get("policy")
    if encoded is None:
        return  # an anonymous POST to a public bucket
    try:
        policy = json.loads(base64.b64decode(encoded))
    except (binascii.Error, ValueError):
        raise AWSError("InvalidPolicyDocument", "Invalid Policy: Invalid JSON.") from None
    expiration = policy.get("expiration")
    if expiration:
        deadline = datetime.fromisoformat(expiration.replace("Z", "+00:00"))
        if deadline < now:
            raise errors.access_denied("Invalid according to Policy: Policy expired.")
    values = {**fields, "bucket": bucket}
    covered = set()
    for condition in policy.get("conditions", []):
        if isinstance(condition, dict):
            for name, expected in condition.items():
                covered.add(name.lower())
                if values.get(name.lower()) != expected:
                    raise _policy_failed(["eq", f"${name}", expected])
            continue
        op, *args = condition
        op = op.lower()
        if op == "content-length-range":
            low, high = int(args[0]), int(args[1])
            if size > high:
                raise AWSError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size",
                               ProposedSize=str(size), MaxSizeAllowed=str(high))
            if size < low:
                raise AWSError("EntityTooSmall", "Your proposed upload is smaller than the minimum "
                               "allowed size", ProposedSize=str(size), MinSizeAllowed=str(low))
            continue
        name = args[0].lstrip("$").lower()
        covered.add(name)
        actual = values.get(name, "")
        if (op == "eq" and actual != args[1]) or (op == "starts-with" and not actual.startswith(args[1])):
            raise _policy_failed(condition)
    extra = [k for k in fields if k not in covered and k not in _UNCHECKED and not k.startswith("x-ignore-")]
    if extra:
        raise errors.access_denied(f"Invalid according to Policy: Extra input fields: {extra[0]}")


def params_from_fields(fields: dict[str, str]) -> dict[str, Any]:
    """The PutObject-style params the form fields set."""
    params: dict[str, Any] = {
        "Metadata": {k[len("x-amz-meta-"):]: v for k, v in fields.items() if k.startswith("x-amz-meta-")},
    }
    for field, member in _CONTENT_FIELDS.items():
        if field in fields:
            params[member] = fields[field]
    for field, member in (("acl", "ACL"), ("x-amz-storage-class", "StorageClass"),
                          ("x-amz-server-side-encryption", "ServerSideEncryption"),
                          ("tagging", "Tagging")):
        if field in fields:
            params[member] = fields[field]
    for algorithm in checksums.ALGORITHMS:
        value = fields.get(checksums.header(algorithm))
        if value:
            params[checksums.member(algorithm)] = value
    return params


def read_file(upload: Any, algorithm: str | None) -> tuple[Any, bytes, dict[str, str]]:
    """(blob, md5, {algorithm: checksum}) of the uploaded file."""
    md5 = checksums.new_hasher("MD5")
    hashers = {algorithm: checksums.new_hasher(algorithm)} if algorithm else {}
    blob = read_blob(upload.stream, [md5, *hashers.values()])
    return blob, md5.digest(), {a: checksums.b64(h.digest()) for a, h in hashers.items()}


def tagging_from_xml(document: str) -> str:
    """A `tagging` form field (a `<Tagging>` document) as an `x-amz-tagging` header value."""
    try:
        root = parse_xml(document.encode())
    except ValueError:
        raise errors.malformed_xml() from None
    pairs = []
    for tag in root.iter():
        if tag.tag.rsplit("}", 1)[-1] == "Tag":
            parts = {c.tag.rsplit("}", 1)[-1]: c.text or "" for c in tag}
            pairs.append((parts.get("Key", ""), parts.get("Value", "")))
    return urlencode(pairs)


def post_response(location: str, bucket: str, key: str, etag: str) -> bytes:
    """The body of a `success_action_status=201` answer."""
    root = xml_writer.Element("PostResponse")
    for name, value in (("Location", location), ("Bucket", bucket), ("Key", key), ("ETag", etag)):
        xml_writer.text_element(root, name, value)
    return xml_writer.to_bytes(root)
