"""WebSocket APIs: `$connect`, route selection with `$default`, two-way route responses,
`PostToConnection` from a function and from a test through `apigatewaymanagementapi`,
`GetConnection`, `DeleteConnection`, and `$disconnect`."""

from __future__ import annotations

import json

import pytest

from ..aws_errors import error_with_status
from .wsclient import Client, HandshakeRefused

HANDLER = """
import json, boto3
EVENTS = []
def handler(event, context):
    ctx = event["requestContext"]
    if ctx["routeKey"] == "$connect":
        if (event.get("queryStringParameters") or {}).get("deny"):
            return {"statusCode": 403}
        return {"statusCode": 200}
    if ctx["routeKey"] == "$disconnect":
        boto3.client("sqs").send_message(QueueUrl=QUEUE, MessageBody=json.dumps(
            {"gone": ctx["connectionId"], "code": ctx["disconnectStatusCode"]}))
        return {"statusCode": 200}
    if ctx["routeKey"] == "echo":
        return {"statusCode": 200, "body": json.dumps({"echo": json.loads(event["body"]), "route": ctx["routeKey"]})}
    boto3.client("apigatewaymanagementapi").post_to_connection(
        ConnectionId=ctx["connectionId"], Data=json.dumps({"pushed": event["body"]}).encode())
    return {"statusCode": 200}
"""


@pytest.fixture
def chat(v2, make_function, client, aws):
    queue = client("sqs").create_queue(QueueName="disconnects")["QueueUrl"]
    function = make_function("chat", HANDLER.replace("QUEUE", repr(queue)))
    # a process of its own: the function's boto3 finds the gateway through AWS_ENDPOINT_URL, as
    # deployed code finds AWS (the management API has no default endpoint)
    aws.registry.get("lambda").set_executor("subprocess")
    api = v2.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=function)
    target = f"integrations/{integration['IntegrationId']}"
    for key in ("$connect", "$disconnect", "$default"):
        v2.create_route(ApiId=api["ApiId"], RouteKey=key, Target=target)
    echo = v2.create_route(ApiId=api["ApiId"], RouteKey="echo", Target=target, RouteResponseSelectionExpression="$default")
    v2.create_route_response(ApiId=api["ApiId"], RouteId=echo["RouteId"], RouteResponseKey="$default")
    deployment = v2.create_deployment(ApiId=api["ApiId"])
    v2.create_stage(ApiId=api["ApiId"], StageName="prod", DeploymentId=deployment["DeploymentId"])
    return api, queue


def test_round_trip_route_response_and_push(chat, client, aws):
    api, _queue = chat
    assert api["ApiEndpoint"].startswith("ws://127.0.0.1:")
    ws = Client(api["ApiEndpoint"] + "/prod")
    try:
        ws.send(json.dumps({"action": "echo", "n": 1}))
        assert json.loads(ws.receive_text()) == {"echo": {"action": "echo", "n": 1}, "route": "echo"}
        ws.send("not json at all")  # no action: the $default route, whose function pushes back
        assert json.loads(ws.receive_text()) == {"pushed": "not json at all"}
    finally:
        ws.close()


def test_management_api_from_a_test(chat, client, aws, boto_session):
    api, queue = chat
    ws = Client(api["ApiEndpoint"] + "/prod")
    ws.send(json.dumps({"action": "whoami"}))
    pushed = json.loads(ws.receive_text())
    assert pushed == {"pushed": '{"action": "whoami"}'}
    [connection_id] = aws.registry.get("apigatewayv2").connection_ids()
    for endpoint in (aws.endpoint, f"{aws.endpoint}/prod"):
        management = boto_session.client("apigatewaymanagementapi", endpoint_url=endpoint)
        management.post_to_connection(ConnectionId=connection_id, Data=b"hello from the test")
        assert ws.receive_text() == "hello from the test"
        info = management.get_connection(ConnectionId=connection_id)
        assert info["Identity"]["SourceIp"] == "127.0.0.1" and info["ConnectedAt"] <= info["LastActiveAt"]
    management = boto_session.client("apigatewaymanagementapi", endpoint_url=aws.endpoint)
    management.delete_connection(ConnectionId=connection_id)
    opcode, _payload = ws.receive()
    assert opcode == 0x8  # the server closed the connection
    ws.sock.close()
    code, _message, status = error_with_status(management.post_to_connection, ConnectionId=connection_id, Data=b"x")
    assert (code, status) == ("GoneException", 410)
    aws.settle()
    sqs = client("sqs")
    # an earlier test's connection may say goodbye on the same queue, later than its test
    got = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=0, MaxNumberOfMessages=10)["Messages"]
    assert {"gone": connection_id, "code": 1000} in [json.loads(m["Body"]) for m in got]


def test_connect_route_can_refuse(chat):
    api, _queue = chat
    with pytest.raises(HandshakeRefused) as refused:
        Client(api["ApiEndpoint"] + "/prod?deny=1")
    assert refused.value.status == 403
    with pytest.raises(HandshakeRefused) as unknown:
        Client(api["ApiEndpoint"] + "/nostage")
    assert unknown.value.status == 403


def test_management_calls_on_an_api_host_reach_the_management_api(aws, boto_session):
    """AWS's shape of endpoint (`https://<api-id>.execute-api.<region>.amazonaws.com/<stage>`): the
    API's host, signed `@connections` calls."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    from pytest_cloudmock.wire import WireRequest

    host = "abc123.execute-api.us-east-1.amazonaws.com"
    signed = AWSRequest(method="POST", url=f"https://{host}/prod/@connections/conn1%3D", data=b"hi")
    SigV4Auth(boto_session.get_credentials(), "execute-api", "us-east-1").add_auth(signed)
    request = WireRequest.from_parts("POST", "/prod/@connections/conn1%3D", dict(signed.headers.items()), b"hi")
    route = aws.router.route(request)
    assert (route.service, route.operation) == ("apigatewaymanagementapi", "StagedPostToConnection")
    unsigned = WireRequest.from_parts("POST", "/prod/@connections/conn1%3D", {"Host": host}, b"hi")
    assert aws.router.route(unsigned).service == "apigateway"  # a deployed API's own path


CONNECT_AUTHORIZER = """
def handler(event, context):
    token = event["queryStringParameters"]["token"]
    effect = "Allow" if token == "good" else "Deny"
    return {"principalId": "p-" + token, "policyDocument": {"Version": "2012-10-17", "Statement": [
        {"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}]}}
"""


def test_connect_authorizer(v2, make_function):
    api = v2.create_api(Name="guarded", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    authorizer = v2.create_authorizer(ApiId=api["ApiId"], Name="q", AuthorizerType="REQUEST",
                                      AuthorizerUri=make_function("connect-auth", CONNECT_AUTHORIZER),
                                      IdentitySource=["route.request.querystring.token"])
    v2.create_route(ApiId=api["ApiId"], RouteKey="$connect", AuthorizationType="CUSTOM",
                    AuthorizerId=authorizer["AuthorizerId"])
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="MOCK")
    v2.create_route(ApiId=api["ApiId"], RouteKey="$default", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="live", AutoDeploy=True)
    for query, status in (("", 401), ("?token=bad", 403)):
        with pytest.raises(HandshakeRefused) as refused:
            Client(api["ApiEndpoint"] + "/live" + query)
        assert refused.value.status == status
    ws = Client(api["ApiEndpoint"] + "/live?token=good")
    ws.close()
