"""Required members S3 checks itself (`required.py`): a missing top-level member gets the
gateway's validation message; a required element missing deeper inside an XML body is
`MalformedXML`. Sent with botocore's own parameter validation off, over both transports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.models import service_model
from pytest_cloudmock.services.s3.required import _plan

from .conftest import error_of, s3_config


@pytest.fixture
def loose(aws: Gateway, boto_session: Any) -> Iterator[Any]:
    """An S3 client that sends what it is given (no client-side validation)."""
    yield boto_session.client("s3", endpoint_url=aws.endpoint,
                              config=s3_config(parameter_validation=False))


@pytest.mark.parametrize(("call", "kwargs"), [
    ("delete_objects", {"Delete": {"Objects": [{"VersionId": "v"}]}}),  # an <Object> without <Key>
    ("put_bucket_tagging", {"Tagging": {"TagSet": [{"Key": "k"}]}}),  # a <Tag> without <Value>
    ("put_object_tagging", {"Key": "k", "Tagging": {"TagSet": [{"Value": "v"}]}}),  # nor <Key>
], ids=["object-without-key", "tag-without-value", "tag-without-key"])
def test_an_element_missing_inside_the_body_is_malformed_xml(loose: Any, bucket: str, call: str,
                                                             kwargs: dict[str, Any]) -> None:
    loose.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as exc:
        getattr(loose, call)(Bucket=bucket, **kwargs)
    assert error_of(exc) == ("MalformedXML", 400)
    assert loose.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == []  # nothing was written


def test_a_missing_top_level_member_names_it(loose: Any, bucket: str) -> None:
    with pytest.raises(ClientError) as exc:
        loose.put_bucket_tagging(Bucket=bucket)
    assert error_of(exc) == ("InvalidArgument", 400)
    assert exc.value.response["Error"]["Message"] == (
        "1 validation error detected: Value null at 'tagging' failed to satisfy constraint: "
        "Member must not be null")


def test_the_plan_looks_only_at_body_members_that_require_something() -> None:
    model = service_model("s3")
    assert _plan(model.operation_model("PutObject")) == (("Bucket", "Key"), ())
    required, deep = _plan(model.operation_model("DeleteObjects"))
    assert required == ("Bucket", "Delete") and [name for name, _ in deep] == ["Delete"]
    assert _plan(model.operation_model("PutObject")) is _plan(model.operation_model("PutObject"))
