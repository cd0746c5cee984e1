"""The worker pool: requests that arrive together are served together, never queued behind a
worker that another request has already claimed."""

from __future__ import annotations

import http.client
import threading

from pytest_cloudmock import Response, ServiceProfile
from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway

CALLERS = 3


class Rendezvous:
    """A raw service whose every call waits until CALLERS calls are inside it at once."""

    name = "rendezvous"
    profile = ServiceProfile(target_prefix="Rendezvous_1", raw_requests=True)

    def __init__(self) -> None:
        self.barrier = threading.Barrier(CALLERS, timeout=5)

    def actions(self):
        return []

    def handle_request(self, ctx):
        if ctx.operation == "Quick":
            return Response(b"{}", headers={"Content-Type": "application/x-amz-json-1.1"})
        self.barrier.wait()  # breaks (500) if a caller is stuck in the queue
        return Response(b"{}", headers={"Content-Type": "application/x-amz-json-1.1"})

    def health_check(self):
        return True

    def reset(self):
        pass


def call(port: int, statuses: list[int], operation: str = "Meet") -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/", b"{}", {"X-Amz-Target": f"Rendezvous_1.{operation}",
                                      "Content-Type": "application/x-amz-json-1.1"})
    statuses.append(conn.getresponse().status)
    conn.close()


def run_together(port: int, count: int, operation: str) -> list[int]:
    statuses: list[int] = []
    threads = [threading.Thread(target=call, args=(port, statuses, operation)) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    return statuses


def test_simultaneous_requests_each_get_a_worker():
    """Two idle workers and three requests at once: the third must start a worker, not wait
    (the pool once counted a worker idle until it dequeued, so it promised it twice)."""
    with Gateway(Config()) as gw:
        service = gw.registry.register(Rendezvous())
        assert run_together(gw.port, 2, "Quick") == [200, 200]  # two workers, both idle again
        assert run_together(gw.port, CALLERS, "Meet") == [200] * CALLERS
        for _ in range(10):  # and round after round, as workers go idle and are claimed again
            service.barrier.reset()
            assert run_together(gw.port, CALLERS, "Meet") == [200] * CALLERS
