"""Issue 11, item 3: no request can put CR, LF or NUL into a response header."""

from __future__ import annotations

import pytest
import requests
from botocore.exceptions import ClientError

from .rawhttp import exchange


@pytest.mark.parametrize("param", ["ResponseContentType", "ResponseContentDisposition", "ResponseCacheControl",
                                   "ResponseContentEncoding", "ResponseContentLanguage"])
def test_response_overrides_with_line_breaks_are_invalid_argument(client, param: str) -> None:
    s3 = client("s3")
    s3.create_bucket(Bucket="inject")
    s3.put_object(Bucket="inject", Key="k", Body=b"x")
    with pytest.raises(ClientError) as err:
        s3.get_object(Bucket="inject", Key="k", **{param: "text/plain\r\nSet-Cookie: stolen=1"})
    assert err.value.response["Error"]["Code"] == "InvalidArgument"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "set-cookie" not in {k.lower() for k in err.value.response["ResponseMetadata"]["HTTPHeaders"]}


def test_form_post_content_type_with_a_bare_cr_is_refused(client) -> None:
    s3 = client("s3")
    s3.create_bucket(Bucket="form-inject")
    post = s3.generate_presigned_post("form-inject", "k", Fields={"Content-Type": "text/plain\rX-Injected: 1"},
                                      Conditions=[{"Content-Type": "text/plain\rX-Injected: 1"}])
    answer = requests.post(post["url"], data=post["fields"], files={"file": b"x"}, timeout=5)
    assert answer.status_code == 400 and b"InvalidArgument" in answer.content
    assert "Contents" not in s3.list_objects_v2(Bucket="form-inject")


def test_request_header_with_a_bare_cr_is_400(aws) -> None:
    raw = (b"PUT /b/k HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\rX-Injected: 1\r\n"
           b"Content-Length: 1\r\n\r\nx")
    status, _, _, closed = exchange(aws.port, raw)
    assert (status, closed) == (400, True)
