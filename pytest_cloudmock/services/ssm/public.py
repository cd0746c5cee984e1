"""A documented handful of AWS public parameters under `/aws/service/...` (read-only, in
every region). The AMI ids are fixed placeholders in AWS's format, not real images."""

from __future__ import annotations

REGIONS = ("us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1",
           "ap-northeast-1")


def public_parameters() -> dict[str, str]:
    amis = {
        "al2023-ami-kernel-default-x86_64": "ami-0a1b2c3d4e5f60001",
        "al2023-ami-kernel-default-arm64": "ami-0a1b2c3d4e5f60002",
        "amzn2-ami-hvm-x86_64-gp2": "ami-0a1b2c3d4e5f60003",
        "amzn2-ami-kernel-5.10-hvm-x86_64-gp2": "ami-0a1b2c3d4e5f60004",
    }
    out = {f"/aws/service/ami-amazon-linux-latest/{name}": ami for name, ami in amis.items()}
    for code in REGIONS:
        out[f"/aws/service/global-infrastructure/regions/{code}"] = code
    return out
