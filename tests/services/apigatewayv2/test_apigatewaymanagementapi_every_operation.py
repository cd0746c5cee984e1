"""Every operation of the API Gateway Management API's model answers (410 GoneException for
connections that are not open, never NotImplemented, never a 5xx)."""

from __future__ import annotations

from ..aws_errors import error_with_status
from ..every_operation import call_every_operation


def test_every_operation_answers(client):
    management = client("apigatewaymanagementapi")
    assert call_every_operation(management, seed=23, rounds=3) == []


def test_unknown_connection_is_gone(client):
    management = client("apigatewaymanagementapi")
    for call, extra in ((management.post_to_connection, {"Data": b"x"}), (management.get_connection, {}),
                        (management.delete_connection, {})):
        code, _message, status = error_with_status(call, ConnectionId="nosuchconnection=", **extra)
        assert (code, status) == ("GoneException", 410)
