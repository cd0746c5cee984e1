"""Services outside the tables (stubs, plugins, user services) are authorized as the
`iam_action` they declare, else as `<prefix>:<Operation>`, on `*`."""

from __future__ import annotations

import json

from botocore.credentials import Credentials

from pytest_cloudmock.api import Action
from tests.gateway.signed import json_call
from tests.gateway.widgets import WidgetService


class ReadableWidgets(WidgetService):
    """GetWidget declares `myservice:ReadWidget`; the others declare nothing."""

    def actions(self) -> list[Action]:
        return [Action(op, "POST", "myservice:ReadWidget" if op == "GetWidget" else "") for op in self.OPERATIONS]


def test_declared_and_default_actions(aws, client):
    aws.registry.register(ReadableWidgets())
    iam = client("iam")
    iam.create_user(UserName="w")
    iam.put_user_policy(UserName="w", PolicyName="p", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "myservice:ReadWidget", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="w")["AccessKey"]
    creds = Credentials(key["AccessKeyId"], key["SecretAccessKey"])
    aws.iam.set_mode("enforce")
    try:
        got = json_call(aws.endpoint, "MyService_20260101.GetWidget", {"WidgetId": "x"}, "myservice",
                        credentials=creds)
        listed = json_call(aws.endpoint, "MyService_20260101.ListWidgets", {}, "myservice", credentials=creds)
    finally:
        aws.iam.set_mode("off")
        aws.registry.unregister("myservice")
    assert got.status == 404  # authorized: the widget is just not there
    assert listed.status == 400
    assert json.loads(listed.body) == {
        "__type": "AccessDeniedException",
        "message": "User: arn:aws:iam::123456789012:user/w is not authorized to perform: myservice:ListWidgets "
                   "because no identity-based policy allows the myservice:ListWidgets action"}
