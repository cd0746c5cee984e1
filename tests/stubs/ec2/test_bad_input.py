"""EC2 input found by fuzzing that once answered 500: each now gets EC2's 400."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


@pytest.mark.parametrize("member", ["MinVersion", "MaxVersion"])
@pytest.mark.parametrize("value", ["iK", "1.5", "-1", "²"])
def test_a_version_bound_that_is_no_number_is_invalid(ec2, member, value) -> None:
    ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"InstanceType": "t3.micro"})
    with pytest.raises(ClientError) as info:
        ec2.describe_launch_template_versions(LaunchTemplateName="web", **{member: value})
    assert info.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_version_bounds_select_versions(ec2) -> None:
    ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"InstanceType": "t3.micro"})
    for _ in range(3):
        ec2.create_launch_template_version(LaunchTemplateName="web", LaunchTemplateData={"InstanceType": "t3.small"})
    versions = ec2.describe_launch_template_versions(LaunchTemplateName="web", MinVersion="2", MaxVersion="3")
    assert sorted(v["VersionNumber"] for v in versions["LaunchTemplateVersions"]) == [2, 3]


def test_a_superscript_digit_names_no_version(ec2) -> None:
    ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"InstanceType": "t3.micro"})
    with pytest.raises(ClientError) as info:
        ec2.describe_launch_template_versions(LaunchTemplateName="web", Versions=["²"])
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_huge_max_count_launches_what_the_vcpu_quota_allows(ec2, ami, subnet) -> None:
    # a /24 has room for 251 instances; 256 vCPUs hold 128 t3.micro (2 vCPUs each)
    launched = ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=2**31 - 1,
                                 SubnetId=subnet["SubnetId"])["Instances"]
    assert len(launched) == 128
    with pytest.raises(ClientError) as info:
        ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnet["SubnetId"])
    assert info.value.response["Error"]["Code"] == "VcpuLimitExceeded"
    ec2.stop_instances(InstanceIds=[launched[0]["InstanceId"]])  # a stopping instance frees its vCPUs
    assert len(ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=5,
                                 SubnetId=subnet["SubnetId"])["Instances"]) == 1
