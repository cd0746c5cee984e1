"""The real-AWS guard: botocore requests to AWS endpoints fail while a cloudmock session runs."""

from __future__ import annotations

REAL_AWS_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


class RealAWSRequestBlocked(RuntimeError):
    """A botocore client in the test process tried to call real AWS while cloudmock ran."""

    def __init__(self, service: str, operation: str, url: str) -> None:
        self.service, self.operation, self.url = service, operation, url
        super().__init__(
            f"cloudmock blocked a real AWS call: {service} {operation} to {url}. "
            "This client has no cloudmock endpoint: build it with the `cloudmock_client` fixture, "
            "or use the `cloudmock_env` fixture so clients made from the environment "
            "(AWS_ENDPOINT_URL) reach the gateway. To call AWS on purpose, run with "
            "--cloudmock-allow-real-aws or mark the test @pytest.mark.cloudmock(allow_real_aws=True)."
        )


def is_real_aws_host(host: str) -> bool:
    """True for an AWS endpoint host name (`sqs.us-east-1.amazonaws.com`, `sts.api.aws`, ...)."""
    host = host.lower().rstrip(".")
    return host.endswith(REAL_AWS_SUFFIXES) or host in ("amazonaws.com", "amazonaws.com.cn", "api.aws")


def event_names(event_name: str) -> tuple[str, str]:
    """(service id, operation) from a `before-send.<service-id>.<Operation>` event name."""
    parts = event_name.split(".")
    return (parts[1] if len(parts) > 2 else "?", parts[-1] if len(parts) > 2 else "?")
