"""EC2 clients against the session gateway (state reset after each test)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def ec2(client: Any) -> Any:
    return client("ec2")


@pytest.fixture
def ec2_resource(aws: Any, boto_session: Any) -> Any:
    return boto_session.resource("ec2", endpoint_url=aws.endpoint)


@pytest.fixture
def vpc(ec2: Any) -> dict[str, Any]:
    """A fresh 10.0.0.0/16 VPC."""
    return ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]


@pytest.fixture
def subnet(ec2: Any, vpc: dict[str, Any]) -> dict[str, Any]:
    """A /24 subnet of `vpc` in us-east-1a."""
    return ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]


@pytest.fixture
def ami(ec2: Any) -> str:
    """The built-in Amazon Linux 2023 x86_64 image."""
    images = ec2.describe_images(Owners=["amazon"], Filters=[
        {"Name": "name", "Values": ["al2023-ami-*-x86_64"]}])["Images"]
    return images[0]["ImageId"]
