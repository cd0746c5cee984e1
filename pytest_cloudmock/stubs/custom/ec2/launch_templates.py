"""Launch templates with versions (`$Latest`, `$Default`, numbers; a new version from a
source version), and the data `RunInstances` takes from one."""

from __future__ import annotations

import copy
from typing import Any

from ...records import Record
from .common import Ec2, ec2_operation, invalid, new_id, public, tags_for
from .filters import field, matcher

FILTERS = {"launch-template-name": field("LaunchTemplateName"), "create-time": field("CreateTime")}
VERSION_FILTERS = {
    "image-id": field("LaunchTemplateData", "ImageId"), "instance-type": field("LaunchTemplateData", "InstanceType"),
    "key-name": field("LaunchTemplateData", "KeyName"), "is-default-version": field("DefaultVersion"),
}


def template_named(view: Ec2, template_id: Any, name: Any) -> Record:
    """The template a request names by id or name (AWS's not-found errors for each)."""
    if template_id:
        found = view.find("LaunchTemplate", template_id)
        if found is None:  # AWS's wording
            raise invalid(f"The specified launch template, with template ID {template_id}, does not exist.",
                          "InvalidLaunchTemplateId.NotFound")
        return found
    if not name:
        raise invalid("The request must contain the parameter LaunchTemplateName or LaunchTemplateId",
                      "MissingParameter")
    found = next((t for t in view.all("LaunchTemplate") if t.fields["LaunchTemplateName"] == name), None)
    if found is None:
        raise invalid(f"The specified launch template, with template name {name}, does not exist.",
                      "InvalidLaunchTemplateName.NotFoundException")
    return found


def version_of(template: Record, wanted: Any) -> dict[str, Any]:
    """A version by number, `$Latest` or `$Default` (the default one when none is named)."""
    versions = template.fields["_versions"]
    text = str(wanted) if wanted not in (None, "") else "$Default"
    number = (template.fields["LatestVersionNumber"] if text == "$Latest" else
              template.fields["DefaultVersionNumber"] if text == "$Default" else
              int(text) if text.isascii() and text.isdigit() else None)
    found = next((v for v in versions if v["VersionNumber"] == number), None)
    if found is None:  # AWS's wording not documented
        raise invalid(f"Could not find launch template version {text} for template {template.id}",
                      "InvalidLaunchTemplateId.VersionNotFound")
    return found


def _version(view: Ec2, template: Record, number: int, data: dict[str, Any], description: Any) -> dict[str, Any]:
    version = {"LaunchTemplateId": template.id, "LaunchTemplateName": template.fields["LaunchTemplateName"],
               "VersionNumber": number, "CreateTime": view.now,
               "CreatedBy": f"arn:{view.ctx.partition}:iam::{view.account}:root",
               "DefaultVersion": number == template.fields["DefaultVersionNumber"],
               "LaunchTemplateData": copy.deepcopy(data)}
    if description:
        version["VersionDescription"] = description
    return version


@ec2_operation
def create_launch_template(view: Ec2) -> dict[str, Any]:
    name = view.params.get("LaunchTemplateName") or ""
    if any(t.fields["LaunchTemplateName"] == name for t in view.all("LaunchTemplate")):  # AWS's wording
        raise invalid("Launch template name already in use.", "InvalidLaunchTemplateName.AlreadyExistsException")
    template_id = new_id("lt")
    template = view.add("LaunchTemplate", template_id, {
        "LaunchTemplateId": template_id, "LaunchTemplateName": name, "CreateTime": view.now,
        "CreatedBy": f"arn:{view.ctx.partition}:iam::{view.account}:root", "DefaultVersionNumber": 1,
        "LatestVersionNumber": 1, "_versions": []}, tags_for(view.params, "launch-template"))
    template.fields["_versions"].append(_version(view, template, 1, view.params.get("LaunchTemplateData") or {},
                                                 view.params.get("VersionDescription")))
    return {"LaunchTemplate": public(template)}


@ec2_operation
def create_launch_template_version(view: Ec2) -> dict[str, Any]:
    template = template_named(view, view.params.get("LaunchTemplateId"), view.params.get("LaunchTemplateName"))
    data = copy.deepcopy(view.params.get("LaunchTemplateData") or {})
    if view.params.get("SourceVersion"):
        data = {**copy.deepcopy(version_of(template, view.params["SourceVersion"])["LaunchTemplateData"]), **data}
    number = template.fields["LatestVersionNumber"] + 1
    template.fields["LatestVersionNumber"] = number
    version = _version(view, template, number, data, view.params.get("VersionDescription"))
    template.fields["_versions"].append(version)
    return {"LaunchTemplateVersion": copy.deepcopy(version)}


@ec2_operation
def describe_launch_templates(view: Ec2) -> dict[str, Any]:
    found = view.describe("LaunchTemplate", "LaunchTemplateIds", FILTERS, missing=lambda ids: invalid(
        f"The specified launch template, with template ID {ids[0]}, does not exist.",
        "InvalidLaunchTemplateId.NotFound"))
    names = view.params.get("LaunchTemplateNames")
    if names:
        named = [template_named(view, None, n) for n in names]
        found = [t for t in found if t in named]
    page, token = view.page([public(t) for t in found], ids_param="LaunchTemplateIds")
    return {"LaunchTemplates": page, "NextToken": token}


@ec2_operation
def describe_launch_template_versions(view: Ec2) -> dict[str, Any]:
    params = view.params
    template = template_named(view, params.get("LaunchTemplateId"), params.get("LaunchTemplateName"))
    if params.get("Versions"):
        versions = [version_of(template, v) for v in params["Versions"]]
    else:
        versions = list(template.fields["_versions"])
    low, high = _version_bound(params, "MinVersion"), _version_bound(params, "MaxVersion")
    versions = [v for v in versions if (low is None or v["VersionNumber"] >= low)
                and (high is None or v["VersionNumber"] <= high)]
    test = matcher(params.get("Filters"), VERSION_FILTERS)
    page, token = view.page([copy.deepcopy(v) for v in versions if test(v, {})])
    return {"LaunchTemplateVersions": page, "NextToken": token}


def _version_bound(params: dict[str, Any], member: str) -> int | None:
    """`MinVersion` / `MaxVersion` as a number (absent or empty: no bound)."""
    text = params.get(member)
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):  # our wording: AWS's is not documented
        raise invalid(f"Value ({text}) for parameter {member} is invalid. It must be a version number.")
    return int(text)


@ec2_operation
def modify_launch_template(view: Ec2) -> dict[str, Any]:
    template = template_named(view, view.params.get("LaunchTemplateId"), view.params.get("LaunchTemplateName"))
    if view.params.get("DefaultVersion"):
        chosen = version_of(template, view.params["DefaultVersion"])
        template.fields["DefaultVersionNumber"] = chosen["VersionNumber"]
        for version in template.fields["_versions"]:
            version["DefaultVersion"] = version is chosen
    return {"LaunchTemplate": public(template)}


@ec2_operation
def delete_launch_template(view: Ec2) -> dict[str, Any]:
    template = template_named(view, view.params.get("LaunchTemplateId"), view.params.get("LaunchTemplateName"))
    view.remove("LaunchTemplate", template.id)
    return {"LaunchTemplate": public(template)}


@ec2_operation
def delete_launch_template_versions(view: Ec2) -> dict[str, Any]:
    """Versions deleted one by one; the default one is refused (a per-version error, as AWS reports)."""
    template = template_named(view, view.params.get("LaunchTemplateId"), view.params.get("LaunchTemplateName"))
    named = {"LaunchTemplateId": template.id, "LaunchTemplateName": template.fields["LaunchTemplateName"]}
    done, failed = [], []
    for wanted in view.params.get("Versions") or []:
        number = int(wanted) if str(wanted).isdigit() else None
        version = next((v for v in template.fields["_versions"] if v["VersionNumber"] == number), None)
        if version is None:  # AWS's codes; wording not documented
            failed.append({**named, "VersionNumber": number or 0, "ResponseError": {
                "Code": "launchTemplateVersionDoesNotExist", "Message": f"The version {wanted} does not exist"}})
        elif version["DefaultVersion"]:
            failed.append({**named, "VersionNumber": number, "ResponseError": {
                "Code": "launchTemplateVersionDefaultVersion",
                "Message": "The default version of a launch template cannot be deleted"}})
        else:
            template.fields["_versions"].remove(version)
            done.append({**named, "VersionNumber": number})
    return {"SuccessfullyDeletedLaunchTemplateVersions": done, "UnsuccessfullyDeletedLaunchTemplateVersions": failed}


def launch_data(view: Ec2, spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The `RunInstances` members a `LaunchTemplate` spec gives, and the tags AWS puts on the
    instances it launches (`aws:ec2launchtemplate:id`/`version`)."""
    template = template_named(view, spec.get("LaunchTemplateId"), spec.get("LaunchTemplateName"))
    version = version_of(template, spec.get("Version"))
    tags = {"aws:ec2launchtemplate:id": template.id, "aws:ec2launchtemplate:version": str(version["VersionNumber"])}
    return copy.deepcopy(version["LaunchTemplateData"]), tags
