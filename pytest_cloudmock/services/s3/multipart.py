"""Multipart uploads: create, upload part (and part copy), complete, abort, list."""

from __future__ import annotations

import secrets
from itertools import pairwise
from typing import Any

from sortedcontainers import SortedDict

from ...api import AWSError, RequestContext
from . import checksums, errors
from .acl import owner
from .blob import Blob
from .bodies import read_body
from .common import S3Base
from .conditions import check_read, check_write
from .listing import check_encoding, page, url_encode, walk
from .objects import parse_copy_source
from .sse import unseal
from .store import Bucket, ObjectVersion, Part, Upload, timestamp
from .writes import commit, object_settings, write_output

MIN_PART_SIZE = 5 * 1024 * 1024
MAX_PART_NUMBER = 10000
_COPY_RANGE_PREFIX = "bytes="


def _check_part_number(number: int) -> None:
    if not 1 <= number <= MAX_PART_NUMBER:
        raise errors.invalid_argument(
            "Part number must be an integer between 1 and 10000, inclusive", "partNumber", number
        )


def _checksum_type(algorithm: str | None, requested: str | None) -> str | None:
    """The upload's checksum type: as asked (if the algorithm allows it), else S3's default."""
    if algorithm is None:
        if requested:
            raise AWSError("InvalidRequest", "The x-amz-checksum-type header can only be used with the "
                           "x-amz-checksum-algorithm header.")
        return None
    _, composite_ok, full_ok = checksums.ALGORITHMS[algorithm]
    kind = requested or ("FULL_OBJECT" if not composite_ok else "COMPOSITE")
    if (kind == "COMPOSITE" and not composite_ok) or (kind == "FULL_OBJECT" and not full_ok):
        raise AWSError("InvalidRequest", f"The {kind} checksum type cannot be used with the "
                       f"{algorithm.lower()} checksum algorithm.")
    return kind


class MultipartOps(S3Base):
    """The multipart upload operations."""

    def _upload(self, bucket: Bucket, upload_id: str, key: str) -> Upload:
        upload = bucket.uploads.get(upload_id)
        if upload is None or upload.key != key:
            raise errors.no_such_upload(upload_id)
        return upload

    def create_multipart_upload(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        algorithm = params.get("ChecksumAlgorithm")
        algorithm = checksums.check_algorithm(algorithm) if algorithm else None
        kind = _checksum_type(algorithm, params.get("ChecksumType"))
        upload = Upload(
            upload_id=secrets.token_urlsafe(48),
            key=params["Key"],
            owner=ctx.account_id,
            initiated=timestamp(ctx.clock),
            settings=object_settings(params, bucket, ctx),
            checksum_algorithm=algorithm,
            checksum_type=kind,
        )
        with self.store.lock:
            bucket.uploads[upload.upload_id] = upload
        out: dict[str, Any] = {"Bucket": bucket.name, "Key": upload.key, "UploadId": upload.upload_id,
                               **upload.settings["encryption"]}
        if algorithm:
            out.update(ChecksumAlgorithm=algorithm, ChecksumType=kind)
        return out

    def upload_part(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        _check_part_number(params["PartNumber"])
        upload = self._upload(bucket, params["UploadId"], params["Key"])
        given = checksums.given_checksums(params)
        if upload.checksum_algorithm and given and upload.checksum_algorithm not in given:
            raise AWSError(
                "InvalidRequest",
                f"Checksum Type mismatch occurred, expected checksum Type: "
                f"{upload.checksum_algorithm.lower()}, actual checksum Type: {next(iter(given)).lower()}",
            )
        body = read_body(ctx, algorithm=upload.checksum_algorithm)
        part = Part(params["PartNumber"], body.blob, body.etag, body.md5, checksums=body.checksums,
                    last_modified=timestamp(ctx.clock))
        with self.store.lock:
            self._upload(bucket, params["UploadId"], params["Key"]).parts[part.number] = part
        out: dict[str, Any] = {"ETag": part.etag, **upload.settings["encryption"]}
        out.update({f"Checksum{a}": v for a, v in part.checksums.items()})
        return out

    def upload_part_copy(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        _check_part_number(params["PartNumber"])
        upload = self._upload(bucket, params["UploadId"], params["Key"])
        src_bucket, src_key, src_version = parse_copy_source(params["CopySource"])
        source_bucket = self.bucket(ctx, src_bucket)
        source = self.current(source_bucket, src_key, src_version)
        check_read(source, params, prefix="CopySource")
        unseal(ctx, source_bucket, source)
        blob = source.blob
        copy_range = params.get("CopySourceRange")
        if copy_range:
            blob = blob.slice(*_copy_range(copy_range, source.size))
        md5 = checksums.new_hasher("MD5")
        algorithm = upload.checksum_algorithm
        hasher = checksums.new_hasher(algorithm) if algorithm else None
        for chunk in blob.chunks:
            md5.update(chunk)
            if hasher:
                hasher.update(chunk)
        sums = {algorithm: checksums.b64(hasher.digest())} if algorithm and hasher else {}
        digest = md5.digest()
        part = Part(params["PartNumber"], blob, f'"{digest.hex()}"', digest, checksums=sums,
                    last_modified=timestamp(ctx.clock))
        with self.store.lock:
            upload.parts[part.number] = part
        result: dict[str, Any] = {"ETag": part.etag, "LastModified": part.last_modified}
        result.update({f"Checksum{a}": v for a, v in sums.items()})
        out: dict[str, Any] = {"CopyPartResult": result}
        if source.version_id != "null":
            out["CopySourceVersionId"] = source.version_id
        return out

    def complete_multipart_upload(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        key = params["Key"]
        upload = self._upload(bucket, params["UploadId"], key)
        requested = (params.get("MultipartUpload") or {}).get("Parts") or []
        if not requested:
            raise errors.malformed_xml()
        parts = self._chosen_parts(upload, requested)
        blob = Blob.join(p.blob for p in parts)
        mpu_size = params.get("MpuObjectSize")
        if mpu_size is not None and mpu_size != blob.size:
            raise AWSError(
                "InvalidRequest",
                f"The provided 'x-amz-mp-object-size' header value {mpu_size} does not match what "
                f"was computed: {blob.size}",
            )
        sums, kind = self._object_checksums(upload, parts, blob, params)
        with self.store.lock:
            check_write(bucket.latest(key), params, key)
            if bucket.uploads.pop(upload.upload_id, None) is None:
                raise errors.no_such_upload(upload.upload_id)
            obj = ObjectVersion(
                key=key, blob=blob, etag=checksums.multipart_etag([p.md5 for p in parts]),
                owner=ctx.account_id, checksums=sums, checksum_type=kind, parts=parts,
                last_modified=timestamp(ctx.clock), **upload.settings,
            )
            commit(ctx, self.store, bucket, obj, "ObjectCreated:CompleteMultipartUpload")
        out = write_output(bucket, obj)
        host = ctx.endpoint or "http://s3.amazonaws.com"
        out.update(Location=f"{host}/{bucket.name}/{key}", Bucket=bucket.name, Key=key)
        return out

    @staticmethod
    def _chosen_parts(upload: Upload, requested: list[dict[str, Any]]) -> list[Part]:
        numbers = [item.get("PartNumber", 0) for item in requested]
        if any(a >= b for a, b in pairwise(numbers)):
            raise AWSError("InvalidPartOrder", "The list of parts was not in ascending order. "
                           "Parts must be ordered by part number.", UploadId=upload.upload_id)
        parts: list[Part] = []
        for i, (number, item) in enumerate(zip(numbers, requested, strict=True)):
            part = upload.parts.get(number)
            etag = (item.get("ETag") or "").strip('"')
            if part is None or etag != part.etag.strip('"'):
                raise AWSError(
                    "InvalidPart",
                    "One or more of the specified parts could not be found.  The part may not have "
                    "been uploaded, or the specified entity tag may not have matched the part's "
                    "entity tag.",
                    UploadId=upload.upload_id, PartNumber=str(number), ETag=item.get("ETag", ""),
                )
            if i < len(requested) - 1 and part.size < MIN_PART_SIZE:
                raise AWSError(
                    "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size",
                    ProposedSize=str(part.size), MinSizeAllowed=str(MIN_PART_SIZE),
                    PartNumber=str(number), ETag=part.etag.strip('"'),
                )
            for algorithm, value in checksums.given_checksums(item).items():
                if part.checksums.get(algorithm) != value:
                    raise AWSError(
                        "InvalidPart",
                        f"The upload was created using a {algorithm.lower()} checksum. The "
                        f"complete request must include the checksum for each part.",
                    )
            parts.append(part)
        return parts

    @staticmethod
    def _object_checksums(
        upload: Upload, parts: list[Part], blob: Blob, params: dict[str, Any]
    ) -> tuple[dict[str, str], str | None]:
        algorithm, kind = upload.checksum_algorithm, upload.checksum_type
        given = checksums.given_checksums(params)
        if algorithm is None:
            return {}, None
        if kind == "FULL_OBJECT":
            value = checksums.checksum_of(algorithm, blob.chunks)
            if given.get(algorithm, value) != value:
                raise checksums.mismatch(algorithm)
            return {algorithm: value}, kind
        if any(algorithm not in p.checksums for p in parts):
            raise AWSError("InvalidRequest", f"The upload was created using a {algorithm.lower()} "
                           "checksum. The complete request must include the checksum for each part.")
        value = checksums.composite(algorithm, [p.checksums[algorithm] for p in parts])
        if algorithm in given and given[algorithm] != value.rsplit("-", 1)[0] and given[algorithm] != value:
            raise checksums.mismatch(algorithm)
        return {algorithm: value}, kind

    def abort_multipart_upload(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        with self.store.lock:
            self._upload(bucket, params["UploadId"], params["Key"])
            del bucket.uploads[params["UploadId"]]
        return {}

    def list_parts(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        upload = self._upload(bucket, params["UploadId"], params["Key"])
        marker = params.get("PartNumberMarker") or 0
        limit = min(params.get("MaxParts", 1000), 1000)
        with self.store.lock:
            after = sorted((p for p in upload.parts.values() if p.number > marker),
                           key=lambda p: p.number)
        chosen = after[:limit]
        out: dict[str, Any] = {
            "Bucket": bucket.name, "Key": upload.key, "UploadId": upload.upload_id,
            "PartNumberMarker": marker, "MaxParts": limit, "IsTruncated": len(after) > limit,
            "Initiator": owner(upload.owner), "Owner": owner(upload.owner),
            "StorageClass": upload.settings["storage_class"],
            "Parts": [
                {"PartNumber": p.number, "LastModified": p.last_modified, "ETag": p.etag,
                 "Size": p.size, **{f"Checksum{a}": v for a, v in p.checksums.items()}}
                for p in chosen
            ],
        }
        if chosen:
            out["NextPartNumberMarker"] = chosen[-1].number
        if upload.checksum_algorithm:
            out.update(ChecksumAlgorithm=upload.checksum_algorithm, ChecksumType=upload.checksum_type)
        return out

    def list_multipart_uploads(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        encode = check_encoding(params)
        limit = min(params.get("MaxUploads", 1000), 1000)
        prefix, delimiter = params.get("Prefix", ""), params.get("Delimiter", "")
        key_marker = params.get("KeyMarker", "")
        with self.store.lock:
            uploads = sorted(bucket.uploads.values(), key=lambda u: (u.key, u.initiated))
        by_key: dict[str, list[Upload]] = {}
        for upload in uploads:
            by_key.setdefault(upload.key, []).append(upload)
        entries = walk(SortedDict(by_key), prefix, delimiter, key_marker, current_only=False)
        keys, prefixes, truncated, last = page(entries, limit)
        chosen = [u for k in keys for u in by_key[k]]
        out: dict[str, Any] = {
            "Bucket": bucket.name, "KeyMarker": key_marker, "UploadIdMarker": params.get("UploadIdMarker", ""),
            "MaxUploads": limit, "IsTruncated": truncated, "Prefix": prefix,
            "Uploads": [
                {"UploadId": u.upload_id, "Key": url_encode(u.key) if encode else u.key,
                 "Initiated": u.initiated, "StorageClass": u.settings["storage_class"],
                 "Owner": owner(u.owner), "Initiator": owner(u.owner),
                 **({"ChecksumAlgorithm": u.checksum_algorithm, "ChecksumType": u.checksum_type}
                    if u.checksum_algorithm else {})}
                for u in chosen
            ],
        }
        if delimiter:
            out["Delimiter"] = delimiter
        if encode:
            out["EncodingType"] = "url"
        if prefixes:
            out["CommonPrefixes"] = [{"Prefix": url_encode(p) if encode else p} for p in prefixes]
        if truncated and last is not None:
            out["NextKeyMarker"] = url_encode(last) if encode else last
            if chosen:
                out["NextUploadIdMarker"] = chosen[-1].upload_id
        return out


def _copy_range(value: str, size: int) -> tuple[int, int]:
    """A `CopySourceRange` (`bytes=first-last`, both required) as [start, end)."""
    first, _, last = value[len(_COPY_RANGE_PREFIX):].partition("-")
    if not value.startswith(_COPY_RANGE_PREFIX) or not first.isdigit() or not last.isdigit():
        raise AWSError("InvalidArgument", "The x-amz-copy-source-range value must be of the form "
                       "bytes=first-last where first and last are the zero-based offsets of the "
                       "first and last bytes to copy", ArgumentName="x-amz-copy-source-range",
                       ArgumentValue=value)
    start, end = int(first), int(last) + 1
    if start >= size or end > size or start >= end:
        # S3's answer for a range outside the source (to our best knowledge of its wording)
        raise AWSError("InvalidArgument", f"Range specified is not valid for source object of size: {size}",
                       ArgumentName="x-amz-copy-source-range", ArgumentValue=value)
    return start, end

