"""boto3 clients for services botocore does not ship, from botocore-format model files."""

from __future__ import annotations

import os
from typing import Any


def boto3_session(data_path: str | os.PathLike[str], **kwargs: Any) -> Any:
    """A boto3 `Session` that also loads models from `data_path`.

    `data_path` is laid out as botocore's own data directory,
    `<service>/<api-version>/service-2.json` (what `AWS_DATA_PATH` points at);
    `boto3_session("models").client("myservice", endpoint_url=...)` then works
    like any AWS client. Other keyword arguments go to `boto3.Session`.
    """
    import boto3
    import botocore.session

    core = botocore.session.Session()
    core.set_config_variable("data_path", os.fspath(data_path))
    return boto3.Session(botocore_session=core, **kwargs)
