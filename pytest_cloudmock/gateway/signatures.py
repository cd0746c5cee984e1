"""SigV4 signature verification (config `verify_signatures`), the way AWS checks.

The expected signature comes from botocore's own signer classes run over the
request as received: exactly the headers the client listed in `SignedHeaders`,
the client's own timestamp, the payload hash it sent in `X-Amz-Content-SHA256`
(S3 always sends one, so a streaming body is never read), S3's raw path versus
the other services' normalised one, and the query canonicalised by botocore.
Failures are AWS's errors for the service's family (S3, JSON/Coral, EC2, query).
S3's legacy SigV2 (`AWS AKID:sig`, `?AWSAccessKeyId=&Signature=`) is checked with
botocore's `HmacV1Auth`. Presigned S3 URLs past their expiry are the S3 service's
own check (it runs whether or not signatures are verified).

An unsigned request is denied with the family's own error, except what AWS serves
anonymously: operations the model marks `authtype: none` (STS
`AssumeRoleWithWebIdentity`/`...WithSAML`, Cognito's unauthenticated calls), S3
reads (GET, HEAD; bucket ACLs and policies are not evaluated, so every object
reads as public) and S3 form POST uploads, whose policy signature is checked here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import SplitResult, quote

from botocore.auth import (
    SIGV4_TIMESTAMP,
    HmacV1Auth,
    S3SigV4Auth,
    S3SigV4QueryAuth,
    SigV4Auth,
    SigV4QueryAuth,
)
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials as BotoCredentials
from werkzeug.datastructures import MultiDict
from werkzeug.formparser import FormDataParser
from werkzeug.http import parse_options_header

from ..api import AWSError
from ..identities import Identities
from ..wire import WireRequest
from .auth import Credentials
from .router import Route

MAX_SKEW_SECONDS = 15 * 60
_SIGNED_HEADERS = re.compile(r"SignedHeaders=([^,\s]*)")
_SIGNATURE = re.compile(r"Signature=([0-9a-fA-F]*)")
_INVALID_TOKEN = "The security token included in the request is invalid."
_EC2_AUTH = "AWS was not able to validate the provided access credentials"
_MISMATCH = "The request signature we calculated does not match the signature you provided. "
# AWS's common-errors text for MissingAuthenticationToken (query APIs); the JSON front end's
# and EC2's exact wording for an unsigned request is not documented: the same text is used.
_MISSING = "The request must contain either a valid (registered) AWS access key ID or X.509 certificate."
_ANONYMOUS_S3_METHODS = ("GET", "HEAD", "OPTIONS")

# family -> failure -> (code, message, status); "" takes the message the check words itself.
_ERRORS: dict[str, dict[str, tuple[str, str, int]]] = {
    "s3": {
        "unknown_key": ("InvalidAccessKeyId",
                        "The AWS Access Key Id you provided does not exist in our records.", 403),
        "mismatch": ("SignatureDoesNotMatch", _MISMATCH + "Check your key and signing method.", 403),
        "skewed": ("RequestTimeTooSkewed",
                   "The difference between the request time and the current time is too large.", 403),
        "bad_token": ("InvalidToken", "The provided token is malformed or otherwise invalid.", 400),
        "expired_token": ("ExpiredToken", "The provided token has expired.", 400),
        "missing": ("AccessDenied", "Access Denied", 403),
    },
    "query": {
        "unknown_key": ("InvalidClientTokenId", _INVALID_TOKEN, 403),
        "mismatch": ("SignatureDoesNotMatch", _MISMATCH + "Check your AWS Secret Access Key and signing "
                     "method. Consult the service documentation for details.", 403),
        "skewed": ("SignatureDoesNotMatch", "", 403),
        "bad_token": ("InvalidClientTokenId", _INVALID_TOKEN, 403),
        "expired_token": ("ExpiredToken", "The security token included in the request is expired", 403),
        "missing": ("MissingAuthenticationToken", _MISSING, 403),
    },
    "ec2": {
        "unknown_key": ("AuthFailure", _EC2_AUTH, 401),
        "mismatch": ("AuthFailure", _EC2_AUTH, 401),
        "skewed": ("RequestExpired", "Request has expired.", 400),
        "bad_token": ("AuthFailure", _EC2_AUTH, 401),
        "expired_token": ("RequestExpired", "Request has expired.", 400),
        "missing": ("MissingAuthenticationToken", _MISSING, 401),
    },
}
_ERRORS["coral"] = {  # the JSON services' front end names the same failures its own way
    **_ERRORS["query"],
    "unknown_key": ("UnrecognizedClientException", _INVALID_TOKEN, 403),
    "mismatch": ("InvalidSignatureException", _ERRORS["query"]["mismatch"][1], 403),
    "skewed": ("InvalidSignatureException", "", 403),
    "bad_token": ("UnrecognizedClientException", _INVALID_TOKEN, 403),
    "expired_token": ("ExpiredTokenException", "The security token included in the request is expired", 403),
    "missing": ("MissingAuthenticationTokenException", _MISSING, 403),
}


class SignatureVerifier:
    """Checks the signature of every request that carries credentials."""

    def __init__(self, identities: Identities, secret_keys: Mapping[str, str]) -> None:
        self.identities = identities
        self.secret_keys = dict(secret_keys)

    def verify(self, request: WireRequest, route: Route) -> None:
        """Return if the request is unsigned or correctly signed; else raise AWS's error.

        `request` is as received, which SigV4 signs; SigV2 signs S3's path-style
        resource, which is `route.request` (a path-style view of virtual-host requests).
        """
        creds = route.credentials
        family = _family(route, creds)
        if not creds.present:
            self._unsigned(request, route, family)
            return
        secret, token, expiration = self._secret(creds.access_key_id, family)
        _check_token(request, creds, token, expiration, family, self.identities.clock.now())
        if not creds.presigned:  # presigned URLs expire instead (the S3 service checks)
            _check_clock(_header_timestamp(request), family)
        if not creds.sigv4:
            provided, string_to_sign, expected = _sign_v2(route.request, creds, secret)
            if not hmac.compare_digest(expected, provided):
                raise _error(family, "mismatch", AWSAccessKeyId=creds.access_key_id,
                             StringToSign=string_to_sign, SignatureProvided=provided)
            return
        if creds.presigned:
            provided = request.query_value("X-Amz-Signature") or ""
            signed = request.query_value("X-Amz-SignedHeaders") or ""
            timestamp = request.query_value("X-Amz-Date") or ""
        else:
            header = request.headers.get("Authorization", "")
            provided = _first(_SIGNATURE, header)
            signed = _first(_SIGNED_HEADERS, header)
            timestamp = _header_timestamp(request)
            if family == "s3" and "X-Amz-Content-SHA256" not in request.headers:
                raise AWSError("InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
        canonical, string_to_sign, expected = _sign(
            request, request.path, creds, secret, signed, timestamp, family == "s3"
        )
        if not hmac.compare_digest(expected, provided.lower()):
            raise _error(  # S3 shows its working, which is what makes a mismatch debuggable
                family, "mismatch", AWSAccessKeyId=creds.access_key_id, StringToSign=string_to_sign,
                SignatureProvided=provided, CanonicalRequest=canonical,
            )

    def _unsigned(self, request: WireRequest, route: Route, family: str) -> None:
        """Let through what AWS serves anonymously; deny the rest with the family's error."""
        if route.model is not None and route.operation in route.model.operation_names:
            op = route.model.operation_model(route.operation)
            if op.auth_type == "none" or "smithy.api#noAuth" in (op.auth or []):
                return
        if family == "s3":
            if request.method in _ANONYMOUS_S3_METHODS:
                return
            if request.method == "POST" and "multipart/form-data" in request.headers.get("Content-Type", ""):
                self._verify_post_policy(request)
                return
        raise _error(family, "missing")

    def _verify_post_policy(self, request: WireRequest) -> None:
        """An S3 form POST: its policy must be signed (SigV4 or SigV2) by a known key."""
        fields = _form_fields(request)
        policy = fields.get("policy", "")
        if not policy:
            raise _error("s3", "missing")
        credential = fields.get("x-amz-credential", "")
        if credential:
            parts = credential.split("/")
            if len(parts) != 5:
                raise AWSError("InvalidArgument", "Invalid credential in the form", 400)
            secret, token, expiration = self._secret(parts[0], "s3")
            key = _signing_key(secret, parts[1], parts[2], parts[3])
            expected = hmac.new(key, policy.encode(), hashlib.sha256).hexdigest()
            provided, access_key = fields.get("x-amz-signature", "").lower(), parts[0]
        else:
            access_key = fields.get("awsaccesskeyid", "")
            if not access_key:
                raise _error("s3", "missing")
            secret, token, expiration = self._secret(access_key, "s3")
            expected = base64.b64encode(hmac.new(secret.encode(), policy.encode(), hashlib.sha1).digest()).decode()
            provided = fields.get("signature", "")
        if not hmac.compare_digest(fields.get("x-amz-security-token", "").encode(), token.encode()):
            raise _error("s3", "bad_token")
        if expiration is not None and self.identities.clock.now() > expiration:
            raise _error("s3", "expired_token")
        if not hmac.compare_digest(expected.encode(), provided.encode()):
            raise _error("s3", "mismatch", AWSAccessKeyId=access_key, StringToSign=policy,
                         SignatureProvided=provided)

    def _secret(self, access_key_id: str, family: str) -> tuple[str, str, float | None]:
        """The secret, session token and expiry of a known access key, or AWS's unknown-key error."""
        issued = self.identities.issued(access_key_id)
        if issued is not None:
            return issued.secret_access_key, issued.session_token, issued.expiration
        secret = self.secret_keys.get(access_key_id)
        if secret is None:
            raise _error(family, "unknown_key", AWSAccessKeyId=access_key_id)
        return secret, "", None


def _form_fields(request: WireRequest) -> dict[str, str]:
    """The text fields of a multipart form body, lower-cased; the stream is rewound for S3."""
    stream = request.stream
    if stream is None or not stream.seekable():
        raise _error("s3", "missing")  # cannot read the form without consuming it
    mimetype, options = parse_options_header(request.headers.get("Content-Type", ""))
    try:
        _, form, _ = FormDataParser(silent=False).parse(stream, mimetype, request.content_length, options)
    except ValueError as exc:
        raise AWSError("MalformedPOSTRequest", "The body of your POST request is not well-formed "
                       "multipart/form-data.", 400) from exc
    finally:
        stream.seek(0)
    return {k.lower(): v for k, v in MultiDict(form).items()}


def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _sign(
    request: WireRequest, path: str, creds: Credentials, secret: str, signed: str, timestamp: str, s3: bool
) -> tuple[str, str, str]:
    """Canonical request, string to sign and SigV4 signature botocore computes for the request."""
    signer_class = (
        (_ReceivedS3Query if creds.presigned else _ReceivedS3)
        if s3
        else (_ReceivedQuery if creds.presigned else _Received)
    )
    signer = signer_class(BotoCredentials(creds.access_key_id, secret), creds.service, creds.region)
    params = [
        (key, value)
        for key, values in request.query.items()
        if key != "X-Amz-Signature"
        for value in values
    ]
    aws_request = AWSRequest(
        method=request.method,
        url=f"http://{request.host or 'localhost'}{path}",
        params=params,
        data=b"" if s3 else request.body,  # S3's payload hash is its header (or UNSIGNED-PAYLOAD)
    )
    headers = HTTPHeaders()
    for name in filter(None, signed.lower().split(";")):
        for value in request.headers.getlist(name):
            headers[name] = value
    aws_request.context.update(
        timestamp=timestamp,
        signed_headers=headers,
        payload_hash=request.headers.get("X-Amz-Content-SHA256"),
    )
    canonical = signer.canonical_request(aws_request)
    string_to_sign = signer.string_to_sign(aws_request, canonical)
    return canonical, string_to_sign, signer.signature(string_to_sign, aws_request)


def _sign_v2(request: WireRequest, creds: Credentials, secret: str) -> tuple[str, str, str]:
    """Provided signature, string to sign and expected signature of an S3 SigV2 request.

    botocore's `HmacV1Auth` over the request as received: its `Date` (or, presigned,
    `Expires`), content and `x-amz-*` headers (or query parameters, presigned), and the
    path-style resource with the sub-resources S3 signs.
    """
    headers = HTTPHeaders()
    for name, value in request.headers.items():
        if name.lower() in ("content-md5", "content-type") or name.lower().startswith("x-amz-"):
            headers[name.lower()] = value
    if creds.presigned:
        provided = request.query_value("Signature") or ""
        date = request.query_value("Expires") or ""
        for name, values in request.query.items():
            if name.lower().startswith("x-amz-"):
                for value in values:
                    headers[name.lower()] = value
    else:
        provided = request.headers.get("Authorization", "").rpartition(":")[2]
        date = "" if "x-amz-date" in headers else request.headers.get("Date", "")
    query = "&".join(
        key if value == "" else f"{key}={quote(value, safe='')}"
        for key, values in request.query.items()
        for value in values
    )
    resource = request.path  # path style (the route's view of virtual-host requests); a bucket is `/b/`
    if resource.count("/") == 1 and resource != "/":
        resource += "/"
    signer = _ReceivedV2(BotoCredentials(creds.access_key_id, secret), date)
    string_to_sign = signer.canonical_string(
        request.method, SplitResult("http", request.host, resource, query, ""), headers, auth_path=resource
    )
    return provided, string_to_sign, signer.sign_string(string_to_sign)


class _ReceivedV2(HmacV1Auth):
    """botocore's SigV2 signer dated as the request is, not now."""

    def __init__(self, credentials: BotoCredentials, date: str) -> None:
        super().__init__(credentials)
        self._date = date

    def _get_date(self) -> str:
        return self._date


class _AsReceived:
    """Signer mixin: sign the listed headers as received and the payload hash as sent."""

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        return request.context["signed_headers"]

    def payload(self, request: AWSRequest) -> str:
        return request.context["payload_hash"] or super().payload(request)  # type: ignore[misc]


class _Received(_AsReceived, SigV4Auth):
    pass


class _ReceivedQuery(_AsReceived, SigV4QueryAuth):
    pass


class _ReceivedS3(_AsReceived, S3SigV4Auth):
    pass


class _ReceivedS3Query(_AsReceived, S3SigV4QueryAuth):
    pass


def _family(route: Route, creds: Credentials) -> str:
    """Whose errors (and, for S3, whose signing rules: raw paths) apply: s3, ec2, coral or query."""
    model = route.model
    if (model.signature_version in ("s3", "s3v4")) if model is not None else creds.service == "s3":
        return "s3"
    if route.protocol == "ec2":
        return "ec2"
    coral = route.protocol in ("json", "rest-json", "smithy-rpc-v2-cbor")
    return "coral" if coral and not (model is not None and model.is_query_compatible) else "query"


def auth_error(route: Route, failure: str) -> AWSError:
    """The error the route's protocol family answers for an authentication failure
    (`expired_token`, `unknown_key`, ...), also when signatures are not verified."""
    return _error(_family(route, route.credentials), failure)


def _error(family: str, failure: str, message: str = "", **s3_fields: str) -> AWSError:
    """AWS's error for a failure; S3 also names the details (`s3_fields`)."""
    code, fixed, status = _ERRORS[family][failure]
    return AWSError(code, fixed or message, status, **(s3_fields if family == "s3" else {}))


def _first(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    return match[1] if match else ""


def _header_timestamp(request: WireRequest) -> str:
    """The request's timestamp in SigV4 form: `X-Amz-Date`, else the `Date` header (SigV2's)."""
    stamp = request.headers.get("X-Amz-Date", "")
    if _is_sigv4_stamp(stamp):
        return stamp
    try:
        date = parsedate_to_datetime(stamp or request.headers.get("Date", ""))
    except (TypeError, ValueError):
        return stamp
    return date.astimezone(timezone.utc).strftime(SIGV4_TIMESTAMP)


def _is_sigv4_stamp(stamp: str) -> bool:
    return len(stamp) == 16 and stamp[8] == "T" and stamp.endswith("Z")


def _check_clock(timestamp: str, family: str) -> None:
    """AWS refuses a header-signed request more than 15 minutes off the server's clock."""
    try:
        signed_at = datetime.strptime(timestamp, SIGV4_TIMESTAMP).replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        return  # an unreadable timestamp cannot match the signature either
    now = time.time()  # clients sign with the machine's clock: skew is measured against it
    if abs(now - signed_at) <= MAX_SKEW_SECONDS:
        return
    if signed_at < now:
        message = (f"Signature expired: {timestamp} is now earlier than "
                   f"{_stamp(now - MAX_SKEW_SECONDS)} ({_stamp(now)} - 15 min.)")
    else:
        message = (f"Signature not yet current: {timestamp} is still later than "
                   f"{_stamp(now + MAX_SKEW_SECONDS)} ({_stamp(now)} + 15 min.)")
    raise _error(family, "skewed", message, RequestTime=timestamp, ServerTime=_stamp(now),
                 MaxAllowedSkewMilliseconds=str(MAX_SKEW_SECONDS * 1000))


def _check_token(
    request: WireRequest, creds: Credentials, token: str, expiration: float | None, family: str, now: float
) -> None:
    """The session token must be the one issued with the key (none for long-term keys), unexpired
    on the gateway clock (`now`)."""
    sent = (request.query_value("X-Amz-Security-Token") if creds.presigned else None) or request.headers.get(
        "X-Amz-Security-Token", ""
    )
    if not hmac.compare_digest(sent.encode(), token.encode()):
        raise _error(family, "bad_token")
    if expiration is not None and now > expiration:
        raise _error(family, "expired_token")


def _stamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime(SIGV4_TIMESTAMP)
