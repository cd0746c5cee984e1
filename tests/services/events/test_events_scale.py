"""Per-call cost does not grow with unrelated rules: an event is matched against the rules of its
own bus only (still routed in rule creation order), scheduled rules are looked at only when one
may fire (or the clock was set back), and ListRules seeks its page in the rules kept in (bus, name)
order. Hypothesis compares the pages with offset pages of the filtered, sorted list."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.paging import offset_page

from ...work import calls_made
from ..aws_errors import error_of

_RULES = st.lists(st.tuples(st.sampled_from(["default", "b1", "b1.x"]), st.text("ab-", min_size=1, max_size=3)),
                  max_size=12, unique=True)


def _all_pages(events, **params):
    pages, token = [], None
    while True:
        answer = events.list_rules(**params, **({"NextToken": token} if token else {}))
        pages.append(([r["Name"] for r in answer["Rules"]], answer.get("NextToken")))
        token = answer.get("NextToken")
        if not token:
            return pages


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=_RULES, bus=st.sampled_from(["default", "b1", "b1.x"]), prefix=st.sampled_from(["", "a", "b-", "ab"]),
       size=st.integers(1, 4))
def test_list_rules_pages_equal_offset_pages_of_the_filtered_list(aws, events, rules, bus, prefix, size):
    aws.reset()
    for name in ("b1", "b1.x"):
        events.create_event_bus(Name=name)
    for bus_name, name in rules:
        events.put_rule(Name=name, EventBusName=bus_name, EventPattern='{"source": ["s"]}')
    chosen = sorted(n for b, n in rules if b == bus and n.startswith(prefix))
    expected, token = [], None
    while True:
        page, token = offset_page(chosen, token, size, bad_token=AssertionError, scope="rules")
        expected.append((page, token))
        if not token:
            break
    filters = {"NamePrefix": prefix} if prefix else {}
    assert _all_pages(events, EventBusName=bus, Limit=size, **filters) == expected


def test_an_event_goes_to_its_bus_rules_in_creation_order(events, queue, drain):
    url, arn = queue("routed")
    events.create_event_bus(Name="other")
    for name in ("zeta", "alpha", "mid"):
        events.put_rule(Name=name, EventPattern='{"source": ["shop"]}')
        events.put_targets(Rule=name, Targets=[{"Id": "q", "Arn": arn, "Input": json.dumps(name)}])
        events.put_rule(Name=name, EventBusName="other", EventPattern='{"source": ["shop"]}')
        events.put_targets(Rule=name, EventBusName="other", Targets=[{"Id": "q", "Arn": arn, "Input": '"other"'}])
    events.put_events(Entries=[{"Source": "shop", "DetailType": "order", "Detail": "{}"}])
    assert drain(url) == ["zeta", "alpha", "mid"]


def test_deleting_a_bus_deletes_its_rules_only(events):
    for bus in ("a", "a.b"):
        events.create_event_bus(Name=bus)
        events.put_rule(Name="r", EventBusName=bus, EventPattern='{"source": ["s"]}')
    events.delete_event_bus(Name="a")
    assert [r["Name"] for r in events.list_rules(EventBusName="a.b")["Rules"]] == ["r"]


def test_rules_are_tagged_by_their_arn(events):
    events.create_event_bus(Name="custom")
    arn = events.put_rule(Name="r", EventBusName="custom", EventPattern='{"source": ["s"]}')["RuleArn"]
    events.tag_resource(ResourceARN=arn, Tags=[{"Key": "k", "Value": "v"}])
    assert events.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "k", "Value": "v"}]
    other_region = arn.replace("us-east-1", "eu-west-1")
    assert error_of(events.list_tags_for_resource, ResourceARN=other_region)[0] == "ResourceNotFoundException"
    assert error_of(events.list_tags_for_resource, ResourceARN=arn.replace("/r", "/nope"))[0] == \
        "ResourceNotFoundException"


def test_a_clock_set_back_reckons_rules_made_later_from_the_new_time(events, queue, drain, frozen):
    url, arn = queue("back")
    events.list_rules()  # the firing round looks at the (no) scheduled rules at 10:00
    frozen.advance(hours=5)  # 15:00: the rule first fires at 16:00
    events.put_rule(Name="hourly", ScheduleExpression="cron(0 * * * ? *)")
    events.put_targets(Rule="hourly", Targets=[{"Id": "q", "Arn": arn, "Input": "{}"}])
    frozen.set("2026-01-05T11:00:00Z")  # set back: reckoned from the new time, it fires at 12:00
    frozen.advance(minutes=61)
    assert len(drain(url)) == 1


def test_a_rule_enabled_again_fires_from_then(events, queue, drain, frozen):
    url, arn = queue("again")
    events.put_rule(Name="top", ScheduleExpression="cron(0 * * * ? *)", State="DISABLED")
    events.put_targets(Rule="top", Targets=[{"Id": "q", "Arn": arn, "Input": "{}"}])
    frozen.advance(hours=2)
    events.enable_rule(Name="top")
    frozen.advance(minutes=59)  # 12:59
    assert drain(url) == []
    frozen.advance(minutes=1)
    assert len(drain(url)) == 1


def test_calls_cost_the_same_beside_thousands_of_rules(events, aws):
    """Counted work (not time): routing an event and a page of rules beside 5,000 rules of another bus."""
    events.create_event_bus(Name="other")
    events.put_rule(Name="mine", EventPattern='{"source": ["me"]}')
    entries = [{"Source": "me", "DetailType": "t", "Detail": "{}"}]
    where = {"account_id": "123456789012", "region": "us-east-1"}

    def calls() -> None:
        aws.registry.call("events", "PutEvents", {"Entries": entries}, **where)
        aws.registry.call("events", "ListRules", {"Limit": 5}, **where)

    small = calls_made(calls)
    state = aws.registry.get("events").store.get("123456789012", "us-east-1")
    template = state.rules[("default", "mine")]
    for i in range(5000):  # seeded through the store: 5,000 API calls would take seconds
        name = f"r{i:05d}"
        state.rules[("other", name)] = type(template)(**{**vars(template), "name": name, "bus": "other"})
    state.rules[("default", "timer")] = type(template)(**{**vars(template), "name": "timer", "pattern": None,
                                                          "schedule": "rate(1 day)", "next_fire": None})
    state.wake = None
    large = calls_made(calls)
    assert large < small * 1.2 + 100, (small, large)  # looking at 5,000 rules per call was ~10 ms


_PATTERNS = st.sampled_from([
    {"source": ["a"]}, {"source": ["a", "b"]}, {"source": [{"prefix": "a"}]}, {"source": ["a", {"prefix": "b"}]},
    {"source": [1]}, {"source": [None]}, {"detail-type": ["t"]}, {"$or": [{"source": ["a"]}, {"detail-type": ["t"]}]},
    {"source": {"x": ["a"]}}, {"source": [{"exists": False}]}, {"source": [{"anything-but": "a"}]},
])
_EVENTS = st.fixed_dictionaries({"detail-type": st.sampled_from(["t", "u"])}, optional={
    "source": st.one_of(st.sampled_from(["a", "b", "c", "ab"]), st.lists(st.sampled_from(["a", "b"]), max_size=2),
                        st.just(1), st.none(), st.just({"x": "a"}))})


@settings(max_examples=300, deadline=None)
@given(patterns=st.lists(_PATTERNS, max_size=8), changed=st.lists(_PATTERNS, max_size=3), event=_EVENTS)
def test_the_rules_an_event_is_matched_against_include_every_match(patterns, changed, event):
    from pytest_cloudmock.patterns import matches
    from pytest_cloudmock.services.events import EventsService
    from pytest_cloudmock.services.events.state import EventsState, Rule

    service, state = EventsService(), EventsState()
    for i, pattern in enumerate(patterns + changed):
        name = f"r{i % max(len(patterns), 1)}"  # the changed patterns replace earlier ones, as PutRule does
        rule = state.rules.get(("default", name)) or Rule(name, "default", name, seq=i)
        state.rules[("default", name)] = rule
        service.index_rule(state, rule, keep=False)
        rule.pattern = pattern
        service.index_rule(state, rule, keep=True)
    every = {r.name for r in service.bus_rules(state, "default") if matches(r.pattern, event)}
    assert {r.name for r in service.routed_rules(state, "default", event) if matches(r.pattern, event)} == every


def test_rules_changed_or_deleted_leave_the_source_index(aws, events, queue, drain):
    url, arn = queue("sources")
    events.create_event_bus(Name="gone")
    events.put_rule(Name="r", EventBusName="gone", EventPattern='{"source": ["a"]}')
    events.put_rule(Name="r", EventPattern='{"source": ["a"]}')
    events.put_targets(Rule="r", Targets=[{"Id": "q", "Arn": arn, "Input": '"r"'}])
    events.put_rule(Name="r", EventPattern='{"source": ["b"]}')  # now only source b
    events.put_events(Entries=[{"Source": s, "DetailType": "t", "Detail": "{}"} for s in ("a", "b")])
    assert drain(url) == ["r"]
    events.delete_event_bus(Name="gone")
    events.remove_targets(Rule="r", Ids=["q"])
    events.delete_rule(Name="r")
    assert aws.registry.get("events").store.get("123456789012", "us-east-1").by_source == {}


def test_an_archive_size_is_kept_as_events_come_and_expire(aws, events, frozen):
    bus_arn = events.describe_event_bus()["Arn"]
    events.create_archive(ArchiveName="short", EventSourceArn=bus_arn, RetentionDays=1)
    events.put_events(Entries=[{"Source": "shop", "DetailType": "order", "Detail": '{"n": 1}'}])
    frozen.advance(hours=23)
    events.put_events(Entries=[{"Source": "shop", "DetailType": "order", "Detail": '{"n": 22}'}] * 2)
    archive = aws.registry.get("events").store.get("123456789012", "us-east-1").archives["short"]

    def size() -> int:
        return sum(len(json.dumps(event)) for _, event in archive.events)

    assert events.describe_archive(ArchiveName="short")["SizeBytes"] == size() > 0
    frozen.advance(hours=2)  # the first event expired
    described = events.describe_archive(ArchiveName="short")
    assert (described["EventCount"], described["SizeBytes"]) == (2, size())
