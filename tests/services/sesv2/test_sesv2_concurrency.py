"""Two stores (the shared SES core's and v2's own) under concurrent requests: one lock order,
so mixed operations from many threads never deadlock and lose nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from .conftest import arn


def test_mixed_operations_from_threads(sesv2, ses, verified, production, client):
    verified("sender@example.com", "example.com")
    sesv2.create_tenant(TenantName="t")
    sesv2.create_contact_list(ContactListName="l")

    def work(i: int) -> None:
        sesv2.create_configuration_set(ConfigurationSetName=f"cs{i}")
        sesv2.create_tenant_resource_association(TenantName="t", ResourceArn=arn(f"configuration-set/cs{i}"))
        sesv2.tag_resource(ResourceArn=arn("identity/example.com"), Tags=[{"Key": f"k{i}", "Value": "v"}])
        sesv2.create_contact(ContactListName="l", EmailAddress=f"c{i}@example.net")
        sesv2.send_email(FromEmailAddress="sender@example.com", Destination={"ToAddresses": [f"c{i}@example.net"]},
                         Content={"Simple": {"Subject": {"Data": str(i)}, "Body": {"Text": {"Data": "b"}}}},
                         ListManagementOptions={"ContactListName": "l"}, TenantName="t")
        sesv2.put_suppressed_destination(EmailAddress=f"s{i}@example.net", Reason="BOUNCE")

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(work, range(24)))
    assert len(ses.messages()) == 24
    assert len(sesv2.list_tenant_resources(TenantName="t")["TenantResources"]) == 24
    assert len(sesv2.list_tags_for_resource(ResourceArn=arn("identity/example.com"))["Tags"]) == 24
    assert len(sesv2.list_contacts(ContactListName="l")["Contacts"]) == 24
    assert len(sesv2.list_suppressed_destinations()["SuppressedDestinationSummaries"]) == 24
