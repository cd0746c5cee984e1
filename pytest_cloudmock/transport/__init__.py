"""How boto3 clients in the test process reach the gateway, and the real-AWS guard.

`attach(gateway)` makes every botocore client created from then on answer
requests for the gateway's port in-process (`inprocess`), skipping the socket
and HTTP parsing but nothing after them, and refuse requests to real AWS
endpoints (`aws_guard`). `detach` undoes it. Subprocesses, other SDKs, raw HTTP
and aiobotocore keep using the gateway's HTTP server.
"""

from __future__ import annotations

from .aws_guard import RealAWSRequestBlocked, is_real_aws_host
from .clients import Attachment, attach, attachments, detach

__all__ = ["Attachment", "RealAWSRequestBlocked", "attach", "attachments", "detach", "is_real_aws_host"]
