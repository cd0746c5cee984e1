"""Buses, rules, targets, PutEvents entry validation, connections, API destinations, endpoints,
partner sources and tags: answers and AWS's errors."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from pytest_cloudmock.services.events import EventsService

from ..aws_errors import error_of
from ..every_operation import call_every_operation
from ..service_fuzz import fuzz


def test_default_bus_and_custom_buses(events):
    assert [b["Name"] for b in events.list_event_buses()["EventBuses"]] == ["default"]
    arn = events.create_event_bus(Name="orders", Description="d", Tags=[{"Key": "k", "Value": "v"}])["EventBusArn"]
    assert arn == "arn:aws:events:us-east-1:123456789012:event-bus/orders"
    assert error_of(events.create_event_bus, Name="orders") == (
        "ResourceAlreadyExistsException", "Event bus orders already exists.")
    assert events.describe_event_bus(Name=arn)["Description"] == "d"
    assert events.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "k", "Value": "v"}]
    assert [b["Name"] for b in events.list_event_buses(NamePrefix="or")["EventBuses"]] == ["orders"]
    events.delete_event_bus(Name="orders")
    assert error_of(events.describe_event_bus, Name="orders") == (
        "ResourceNotFoundException", "Event bus orders does not exist.")
    assert error_of(events.delete_event_bus, Name="default")[0] == "ValidationException"


def test_rules_and_targets(events):
    events.put_rule(Name="r", EventPattern='{"source": ["a"]}', Description="one")
    described = events.describe_rule(Name="r")
    assert described["Arn"] == "arn:aws:events:us-east-1:123456789012:rule/r"
    assert described["State"] == "ENABLED" and described["EventBusName"] == "default"
    target = {"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:q"}
    assert events.put_targets(Rule="r", Targets=[target])["FailedEntryCount"] == 0
    assert events.list_targets_by_rule(Rule="r")["Targets"] == [target]
    assert events.list_rule_names_by_target(TargetArn=target["Arn"])["RuleNames"] == ["r"]
    assert error_of(events.delete_rule, Name="r") == ("ValidationException", "Rule can't be deleted since it has targets.")
    many = [{"Id": f"t{i}", "Arn": target["Arn"]} for i in range(6)]
    assert error_of(events.put_targets, Rule="r", Targets=many)[0] == "LimitExceededException"
    both = {"Id": "b", "Arn": target["Arn"], "Input": "{}", "InputPath": "$.detail"}
    assert events.put_targets(Rule="r", Targets=[both])["FailedEntryCount"] == 1
    removed = events.remove_targets(Rule="r", Ids=["t", "nope"])
    assert removed["FailedEntryCount"] == 1 and removed["FailedEntries"][0]["TargetId"] == "nope"
    events.disable_rule(Name="r")
    assert events.list_rules(NamePrefix="r")["Rules"][0]["State"] == "DISABLED"
    events.delete_rule(Name="r")
    assert error_of(events.describe_rule, Name="r") == (
        "ResourceNotFoundException", "Rule r does not exist on EventBus default.")


def test_put_events_entry_errors(events):
    answer = events.put_events(Entries=[
        {"Source": "a", "DetailType": "t", "Detail": "{}"},
        {"DetailType": "t", "Detail": "{}"},
        {"Source": "a", "DetailType": "t", "Detail": "[1]"},
        {"Source": "a", "DetailType": "t", "Detail": "{}", "EventBusName": "missing"},
        {"Source": "aws.ec2", "DetailType": "t", "Detail": "{}"},
    ])
    assert answer["FailedEntryCount"] == 4
    first, *errors = answer["Entries"]
    assert "EventId" in first
    assert [(e["ErrorCode"], e["ErrorMessage"]) for e in errors] == [
        ("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument."),
        ("MalformedDetail", "Detail is malformed."),
        ("ResourceNotFoundException", "Event bus missing does not exist."),
        ("NotAuthorizedForSourceException", "Not authorized for the source."),
    ]


def test_put_events_limits(events):
    big = json.dumps({"x": "a" * (256 * 1024)})
    assert error_of(events.put_events, Entries=[{"Source": "a", "DetailType": "t", "Detail": big}]) == (
        "ValidationException", "Total size of the entries in the request is over the limit.")
    eleven = [{"Source": "a", "DetailType": "t", "Detail": "{}"}] * 11
    assert error_of(events.put_events, Entries=eleven)[0] == "ValidationException"


class _Recorder(BaseHTTPRequestHandler):
    """Records requests; answers `status`, and an OAuth token on /token."""

    seen: list[tuple[str, str, dict[str, str], bytes]] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        answer = b'{"access_token": "tok-1"}' if self.path == "/token" else b""
        self.send_response(200 if self.path == "/token" else self.status)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def http_sink():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.seen = []
    _Recorder.status = 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.seen
    server.shutdown()
    server.server_close()
    thread.join()


def test_api_destination_with_an_api_key_connection(events, http_sink, aws):
    url, seen = http_sink
    connection = events.create_connection(Name="c", AuthorizationType="API_KEY", AuthParameters={
        "ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "secret"}})
    assert connection["ConnectionState"] == "AUTHORIZED"
    described = events.describe_connection(Name="c")
    assert described["AuthParameters"] == {"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key"}}
    destination = events.create_api_destination(Name="d", ConnectionArn=connection["ConnectionArn"],
                                                InvocationEndpoint=f"{url}/hooks/*", HttpMethod="POST")
    events.put_rule(Name="r", EventPattern='{"source": ["a"]}')
    events.put_targets(Rule="r", Targets=[{
        "Id": "api", "Arn": destination["ApiDestinationArn"],
        "HttpParameters": {"PathParameterValues": ["orders"], "QueryStringParameters": {"q": "1"}},
        "InputTransformer": {"InputPathsMap": {"n": "$.detail.n"}, "InputTemplate": '{"n": <n>}'},
    }])
    events.put_events(Entries=[{"Source": "a", "DetailType": "t", "Detail": '{"n": 7}'}])
    aws.settle()
    [(method, path, headers, body)] = seen
    assert (method, path, json.loads(body)) == ("POST", "/hooks/orders?q=1", {"n": 7})
    assert headers["x-api-key"] == "secret"
    events.deauthorize_connection(Name="c")
    assert events.describe_connection(Name="c")["ConnectionState"] == "DEAUTHORIZED"


def test_api_destination_retries_server_errors_then_dead_letters(events, http_sink, queue, sqs, aws):
    url, seen = http_sink
    _Recorder.status = 503
    dlq_url, dlq_arn = queue("api-dlq")
    connection = events.create_connection(Name="oauth", AuthorizationType="OAUTH_CLIENT_CREDENTIALS", AuthParameters={
        "OAuthParameters": {"AuthorizationEndpoint": f"{url}/token", "HttpMethod": "POST",
                            "ClientParameters": {"ClientID": "id", "ClientSecret": "s"}}})
    destination = events.create_api_destination(Name="flaky", ConnectionArn=connection["ConnectionArn"],
                                                InvocationEndpoint=f"{url}/hook", HttpMethod="POST")
    events.put_rule(Name="r", EventPattern='{"source": ["a"]}')
    events.put_targets(Rule="r", Targets=[{"Id": "api", "Arn": destination["ApiDestinationArn"],
                                           "RetryPolicy": {"MaximumRetryAttempts": 2},
                                           "DeadLetterConfig": {"Arn": dlq_arn}}])
    events.put_events(Entries=[{"Source": "a", "DetailType": "t", "Detail": "{}"}])
    aws.settle()
    hooks = [headers for _, path, headers, _ in seen if path == "/hook"]
    assert len(hooks) == 3 and {h["authorization"] for h in hooks} == {"Bearer tok-1"}
    [message] = sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"])["Messages"]
    assert message["MessageAttributes"]["RETRY_ATTEMPTS"]["StringValue"] == "2"


def test_api_destination_off_this_machine_is_refused(events, queue, sqs, aws):
    dlq_url, dlq_arn = queue("remote-dlq")
    connection = events.create_connection(Name="c", AuthorizationType="BASIC", AuthParameters={
        "BasicAuthParameters": {"Username": "u", "Password": "p"}})
    destination = events.create_api_destination(Name="remote", ConnectionArn=connection["ConnectionArn"],
                                                InvocationEndpoint="https://example.com/hook", HttpMethod="POST")
    events.put_rule(Name="r", EventPattern='{"source": ["a"]}')
    events.put_targets(Rule="r", Targets=[{"Id": "api", "Arn": destination["ApiDestinationArn"],
                                           "DeadLetterConfig": {"Arn": dlq_arn}}])
    events.put_events(Entries=[{"Source": "a", "DetailType": "t", "Detail": "{}"}])
    aws.settle()
    [message] = sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"])["Messages"]
    assert "127.0.0.1" in message["MessageAttributes"]["ERROR_MESSAGE"]["StringValue"]


def test_endpoints_and_partner_sources(events, client):
    created = events.create_endpoint(
        Name="global", RoutingConfig={"FailoverConfig": {"Primary": {"HealthCheck": "arn:aws:route53:::healthcheck/abc"},
                                                         "Secondary": {"Route": "us-west-2"}}},
        EventBuses=[{"EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"},
                    {"EventBusArn": "arn:aws:events:us-west-2:123456789012:event-bus/default"}])
    assert created["State"] == "ACTIVE"
    assert events.describe_endpoint(Name="global")["EndpointId"]
    assert [e["Name"] for e in events.list_endpoints()["Endpoints"]] == ["global"]
    partner = client("events", aws_access_key_id="210987654321", aws_secret_access_key="x")
    partner.create_partner_event_source(Name="aws.partner/acme/orders", Account="123456789012")
    assert events.describe_event_source(Name="aws.partner/acme/orders")["State"] == "PENDING"
    events.create_event_bus(Name="aws.partner/acme/orders", EventSourceName="aws.partner/acme/orders")
    assert events.describe_event_source(Name="aws.partner/acme/orders")["State"] == "ACTIVE"
    sent = partner.put_partner_events(Entries=[{"Source": "aws.partner/acme/orders", "DetailType": "t",
                                               "Detail": "{}"}])
    assert sent["FailedEntryCount"] == 0


def test_every_operation_answers(events):
    events.create_event_bus(Name="existing")
    assert call_every_operation(events, seed=18, rounds=2) == []


def test_fuzzed_calls_never_crash():
    """Valid-shaped random calls straight into the service: results or AWS errors only."""
    assert fuzz(EventsService(), rounds=12, seed=18) == []


def test_put_rule_replaces_the_rule(events):
    events.put_rule(Name="r", EventPattern='{"source": ["a"]}', Description="first",
                    RoleArn="arn:aws:iam::123456789012:role/r")
    events.put_rule(Name="r", EventPattern='{"source": ["b"]}')
    described = events.describe_rule(Name="r")
    assert json.loads(described["EventPattern"]) == {"source": ["b"]}
    assert "Description" not in described and "RoleArn" not in described
