"""Concurrent sends from several threads: every message captured once, the quota counted exactly."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from .test_ses_sending import simple


def test_parallel_sends_are_all_captured_and_counted(ses, ses_service, sender, production) -> None:
    def burst(worker: int) -> list[str]:
        return [simple(ses, sender, f"success+{worker}-{i}@simulator.amazonses.com") for i in range(20)]

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = [message_id for batch in pool.map(burst, range(6)) for message_id in batch]
    assert len(set(ids)) == 120
    assert sorted(m.message_id for m in ses_service.messages()) == sorted(ids)
    assert ses.get_send_quota()["SentLast24Hours"] == 120.0
    assert sum(p["DeliveryAttempts"] for p in ses.get_send_statistics()["SendDataPoints"]) == 120
