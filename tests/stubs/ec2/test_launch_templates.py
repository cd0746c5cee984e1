"""Launch templates, their versions, and instances launched from them."""

from __future__ import annotations

from tests.services.aws_errors import error_of


def test_versions_and_the_default(ec2, ami):
    made = ec2.create_launch_template(LaunchTemplateName="web", VersionDescription="first", LaunchTemplateData={
        "ImageId": ami, "InstanceType": "t3.micro"})["LaunchTemplate"]
    template_id = made["LaunchTemplateId"]
    assert template_id.startswith("lt-") and (made["DefaultVersionNumber"], made["LatestVersionNumber"]) == (1, 1)
    assert error_of(ec2.create_launch_template, LaunchTemplateName="web", LaunchTemplateData={"ImageId": ami})[0] == \
        "InvalidLaunchTemplateName.AlreadyExistsException"
    second = ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion="1", LaunchTemplateData={
        "InstanceType": "t3.small"})["LaunchTemplateVersion"]
    assert second["VersionNumber"] == 2 and second["LaunchTemplateData"] == {"ImageId": ami, "InstanceType": "t3.small"}
    latest, = ec2.describe_launch_template_versions(LaunchTemplateName="web", Versions=["$Latest"])[
        "LaunchTemplateVersions"]
    assert latest["VersionNumber"] == 2 and not latest["DefaultVersion"]
    ec2.modify_launch_template(LaunchTemplateId=template_id, DefaultVersion="2")
    described, = ec2.describe_launch_templates(LaunchTemplateNames=["web"])["LaunchTemplates"]
    assert (described["DefaultVersionNumber"], described["LatestVersionNumber"]) == (2, 2)
    result = ec2.delete_launch_template_versions(LaunchTemplateId=template_id, Versions=["1", "2"])
    assert [v["VersionNumber"] for v in result["SuccessfullyDeletedLaunchTemplateVersions"]] == [1]
    assert result["UnsuccessfullyDeletedLaunchTemplateVersions"][0]["ResponseError"]["Code"] == \
        "launchTemplateVersionDefaultVersion"
    ec2.delete_launch_template(LaunchTemplateName="web")
    assert error_of(ec2.describe_launch_templates, LaunchTemplateIds=[template_id]) == (
        "InvalidLaunchTemplateId.NotFound",
        f"The specified launch template, with template ID {template_id}, does not exist.")


def test_instances_from_a_template(ec2, ami, subnet):
    template_id = ec2.create_launch_template(LaunchTemplateName="app", LaunchTemplateData={
        "ImageId": ami, "InstanceType": "t3.micro", "NetworkInterfaces": [{"DeviceIndex": 0, "SubnetId": subnet[
            "SubnetId"]}], "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "app", "Value": "y"}]}]
    })["LaunchTemplate"]["LaunchTemplateId"]
    instance, = ec2.run_instances(MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": template_id},
                                  InstanceType="t3.small")["Instances"]
    assert instance["ImageId"] == ami and instance["InstanceType"] == "t3.small"  # the request wins
    assert instance["SubnetId"] == subnet["SubnetId"]
    assert {t["Key"]: t["Value"] for t in instance["Tags"]} == {
        "app": "y", "aws:ec2launchtemplate:id": template_id, "aws:ec2launchtemplate:version": "1"}
    assert error_of(ec2.run_instances, MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateName": "nope"}) == (
        "InvalidLaunchTemplateName.NotFoundException",
        "The specified launch template, with template name nope, does not exist.")
