"""Per-call cost does not grow with unrelated metrics, alarms or data points: a metric's samples in
a time window are found by a seek (still aggregated in put order), alarms are kept in name order
(DescribeAlarms seeks its page) and listed under the metrics they watch (PutMetricData judges
those only, in creation order), ListMetrics seeks to its namespace. Hypothesis compares each with
filtering everything as before."""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.paging import offset_page
from pytest_cloudmock.services.cloudwatch.base import metric_key
from pytest_cloudmock.services.cloudwatch.metrics import RETENTION
from pytest_cloudmock.services.cloudwatch.watching import remember, watch

from ...work import calls_made

_FIXED = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _state(aws):
    service = aws.registry.get("cloudwatch")
    return service, service.store.get("123456789012", "us-east-1")


@_FIXED
@given(points=st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["Count", "Seconds"]),
                                 st.sampled_from([1, 60])), max_size=25),
       window=st.tuples(st.integers(-5, 45), st.integers(0, 50)), unit=st.sampled_from([None, "Count"]))
def test_a_window_of_samples_equals_filtering_them_all(aws, cw, frozen, points, window, unit):
    aws.reset()
    now = aws.clock.now()
    for minutes, point_unit, resolution in points:  # out of time order, two units, seconds and minutes
        cw.put_metric_data(Namespace="NS", MetricData=[{
            "MetricName": "m", "Value": float(minutes), "Unit": point_unit, "StorageResolution": resolution,
            "Timestamp": datetime.fromtimestamp(now - minutes * 61, timezone.utc)}])
    service, state = _state(aws)
    key = metric_key("NS", "m", None)
    start, end = now - window[1] * 60, now - window[0] * 60
    everything = state.samples.get(key, [])
    expected = [s for s in everything if s.timestamp >= now - RETENTION and start <= s.timestamp < end
                and (unit is None or s.unit == unit)]
    assert service.samples("123456789012", "us-east-1", key, now, unit, start, end) == expected
    assert service.samples("123456789012", "us-east-1", key, now, unit) == [
        s for s in everything if unit is None or s.unit == unit]


_ALARMS = st.lists(st.tuples(st.text("ab-", min_size=1, max_size=3), st.booleans(),
                             st.sampled_from(["OK", "ALARM", None]), st.booleans()),
                   max_size=10, unique_by=lambda a: a[0])


@_FIXED
@given(alarms=_ALARMS, prefix=st.sampled_from([None, "a", "b-"]), names=st.sampled_from([None, ["a", "b", "a"]]),
       state_value=st.sampled_from([None, "OK", "ALARM"]), types=st.sampled_from([None, ["CompositeAlarm"],
                                                                                    ["MetricAlarm", "CompositeAlarm"]]),
       action=st.sampled_from([None, "arn:aws:sns"]), size=st.integers(1, 4))
def test_describe_alarms_pages_equal_offset_pages_of_the_filtered_list(aws, cw, alarms, prefix, names, state_value,
                                                                       types, action, size):
    aws.reset()
    topic = "arn:aws:sns:us-east-1:123456789012:t"
    cw.put_metric_alarm(AlarmName="base", MetricName="m", Namespace="NS", Statistic="Sum", Period=60,
                        EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
    for name, is_composite, forced, with_action in alarms:
        actions = {"AlarmActions": [topic]} if with_action else {}
        if is_composite:
            cw.put_composite_alarm(AlarmName=name, AlarmRule="ALARM(base)", **actions)
        else:
            cw.put_metric_alarm(AlarmName=name, MetricName="m", Namespace="NS", Statistic="Sum", Period=60,
                                EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold",
                                **actions)
        if forced:
            cw.set_alarm_state(AlarmName=name, StateValue=forced, StateReason="test")
    if prefix and names:
        names = None
    _, state = _state(aws)
    kinds = types or ["MetricAlarm"]
    chosen = [a.name for a in sorted(state.alarms.values(), key=lambda a: a.name)
              if a.kind in kinds and (not names or a.name in names) and a.name.startswith(prefix or "")
              and (not state_value or a.state == state_value)
              and (not action or any(arn.startswith(action) for arn in a.config.get("AlarmActions") or []))]
    expected, token = [], None
    while True:
        page, token = offset_page(chosen, token, size, bad_token=AssertionError, scope="DescribeAlarms")
        expected.append((page, token))
        if not token:
            break
    params = {k: v for k, v in (("AlarmNamePrefix", prefix), ("AlarmNames", names), ("StateValue", state_value),
                                ("AlarmTypes", types), ("ActionPrefix", action)) if v}
    pages, token = [], None
    while True:
        answer = cw.describe_alarms(MaxRecords=size, **params, **({"NextToken": token} if token else {}))
        token = answer.get("NextToken")
        described = answer["MetricAlarms"] + answer["CompositeAlarms"]
        pages.append((sorted(a["AlarmName"] for a in described), token))
        if not token:
            break
    assert pages == expected


@_FIXED
@given(metrics=st.lists(st.tuples(st.sampled_from(["A", "A/B", "B"]), st.sampled_from(["m", "n", "mm"]),
                                  st.sampled_from([None, "x", "y"])), max_size=12),
       namespace=st.sampled_from([None, "A", "B"]), name=st.sampled_from([None, "m", "mm"]),
       dimension=st.sampled_from([None, "d"]))
def test_list_metrics_equals_filtering_every_metric(aws, cw, metrics, namespace, name, dimension):
    aws.reset()
    for ns, metric, value in metrics:
        dims = [{"Name": "d", "Value": value}] if value else []
        cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": metric, "Dimensions": dims, "Value": 1.0}])
    params = {k: v for k, v in (("Namespace", namespace), ("MetricName", name)) if v}
    if dimension:
        params["Dimensions"] = [{"Name": dimension}]
    expected = sorted({(ns, m, (("d", v),) if v else ()) for ns, m, v in metrics
                       if (not namespace or ns == namespace) and (not name or m == name) and (not dimension or v)})
    got = [(m["Namespace"], m["MetricName"], tuple((d["Name"], d["Value"]) for d in m["Dimensions"]))
           for m in cw.list_metrics(**params)["Metrics"]]
    assert got == expected


def test_new_data_judges_the_alarms_watching_it_in_creation_order(aws, cw):
    for name in ("zeta", "alpha", "other"):
        cw.put_metric_alarm(AlarmName=name, MetricName="other" if name == "other" else "m", Namespace="NS",
                            Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=0.5,
                            ComparisonOperator="GreaterThanThreshold", TreatMissingData="notBreaching")
    cw.put_metric_data(Namespace="NS", MetricData=[{"MetricName": "m", "Value": 1.0}])
    history = cw.describe_alarm_history(HistoryItemType="StateUpdate", ScanBy="TimestampAscending")
    changed = [h["AlarmName"] for h in history["AlarmHistoryItems"] if "to ALARM" in h["HistorySummary"]]
    assert changed == ["zeta", "alpha"]
    cw.delete_alarms(AlarmNames=["zeta", "zeta"])  # named twice: deleted once
    assert [a["AlarmName"] for a in cw.describe_alarms_for_metric(Namespace="NS", MetricName="m")["MetricAlarms"]] \
        == ["alpha"]


def test_an_alarm_is_judged_again_when_its_state_was_set_or_its_window_moved(aws, cw, frozen):
    cw.put_metric_data(Namespace="NS", MetricData=[{"MetricName": "m", "Value": 5.0}])
    cw.put_metric_alarm(AlarmName="high", MetricName="m", Namespace="NS", Statistic="Sum", Period=60,
                        EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
    assert cw.describe_alarms(AlarmNames=["high"])["MetricAlarms"][0]["StateValue"] == "ALARM"
    cw.set_alarm_state(AlarmName="high", StateValue="OK", StateReason="by hand")
    cw.put_metric_alarm(AlarmName="other", MetricName="n", Namespace="NS", Statistic="Sum", Period=60,
                        EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
    assert cw.describe_alarms(AlarmNames=["high"])["MetricAlarms"][0]["StateValue"] == "ALARM"  # judged again
    frozen.advance(minutes=2)  # the datum left the window
    assert cw.describe_alarms(AlarmNames=["high"])["MetricAlarms"][0]["StateValue"] == "INSUFFICIENT_DATA"


_STEPS = st.lists(st.one_of(
    st.tuples(st.just("put"), st.sampled_from(["m", "n"]), st.sampled_from([0.0, 5.0])),
    st.tuples(st.just("alarm"), st.sampled_from(["a", "b", "c"]), st.sampled_from(["m", "n"]), st.integers(1, 2)),
    st.tuples(st.just("set"), st.sampled_from(["a", "b", "c"]), st.sampled_from(["OK", "ALARM"])),
    st.tuples(st.just("clock"), st.integers(-3, 3))), max_size=12)


@_FIXED
@given(steps=_STEPS)
def test_after_every_alarm_is_evaluated_each_state_is_what_its_data_says(aws, cw, frozen, steps):
    aws.reset()
    base = aws.clock.now()
    frozen.set(base)
    service, state = _state(aws)
    for step in steps:
        if step[0] == "put":
            cw.put_metric_data(Namespace="NS", MetricData=[{"MetricName": step[1], "Value": step[2]}])
            continue
        if step[0] == "set":
            if step[1] in state.alarms:
                cw.set_alarm_state(AlarmName=step[1], StateValue=step[2], StateReason="by hand")
            continue
        if step[0] == "alarm":  # PutMetricAlarm evaluates every alarm
            cw.put_metric_alarm(AlarmName=step[1], MetricName=step[2], Namespace="NS", Statistic="Sum", Period=60,
                                EvaluationPeriods=step[3], Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
        else:  # a clock move (back too) evaluates every alarm
            frozen.set(aws.clock.now() + step[1] * 60)
        now = aws.clock.now()
        for alarm in state.alarms.values():
            outcome = service.judge(alarm, "123456789012", "us-east-1", now)
            assert outcome is None or outcome[0] == alarm.state, (alarm.name, outcome, alarm.state)


@_FIXED
@given(changes=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["OK", "ALARM"])), max_size=12),
       kind=st.sampled_from([None, "StateUpdate", "ConfigurationUpdate"]), ascending=st.booleans())
def test_an_alarm_history_equals_filtering_the_whole_history(aws, cw, monkeypatch, changes, kind, ascending):
    from pytest_cloudmock.services.cloudwatch import evaluation

    monkeypatch.setattr(evaluation, "HISTORY_LIMIT", 6)  # the oldest items go
    aws.reset()
    for name in ("a", "b", "c"):
        cw.put_metric_alarm(AlarmName=name, MetricName="m", Namespace="NS", Statistic="Sum", Period=60,
                            EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
    for name, value in changes:
        cw.set_alarm_state(AlarmName=name, StateValue=value, StateReason="by hand")
    _, state = _state(aws)
    assert len(state.history) <= 6
    for name in ("a", "b", "c", "gone"):
        expected = [h["HistorySummary"] for h in state.history
                    if h["AlarmName"] == name and (not kind or h["HistoryItemType"] == kind)]
        params = {"AlarmName": name, "ScanBy": "TimestampAscending" if ascending else "TimestampDescending",
                  **({"HistoryItemType": kind} if kind else {})}
        got = [h["HistorySummary"] for h in cw.describe_alarm_history(**params)["AlarmHistoryItems"]]
        assert got == (expected if ascending else expected[::-1])
    chosen = [(h["AlarmName"], h["HistorySummary"]) for h in state.history if not kind or h["HistoryItemType"] == kind]
    expected_pages, token = [], None
    while True:
        page, token = offset_page(chosen if ascending else chosen[::-1], token, 2, bad_token=AssertionError,
                                  scope="DescribeAlarmHistory")
        expected_pages.append((page, token))
        if not token:
            break
    params = {"ScanBy": "TimestampAscending" if ascending else "TimestampDescending",
              **({"HistoryItemType": kind} if kind else {})}
    pages, token = [], None
    while True:
        answer = cw.describe_alarm_history(MaxRecords=2, **params, **({"NextToken": token} if token else {}))
        token = answer.get("NextToken")
        pages.append(([(h["AlarmName"], h["HistorySummary"]) for h in answer["AlarmHistoryItems"]], token))
        if not token:
            break
    assert pages == expected_pages


def test_calls_cost_the_same_beside_many_metrics_alarms_and_points(aws, cw):
    """Counted work (not time) of everyday calls, the same calls on the same data before and after
    10,000 other metrics, 10,000 older points of the metric read and 2,000 other alarms are added."""
    now = aws.clock.now()
    start, end = datetime.fromtimestamp(now - 3600, timezone.utc), datetime.fromtimestamp(now, timezone.utc)
    where = {"account_id": "123456789012", "region": "us-east-1"}

    def points(first: int, last: int) -> list[dict]:  # "hot", one a minute going back from now
        return [{"MetricName": "hot", "Value": 1.0, "Timestamp": datetime.fromtimestamp(now - 60 * j, timezone.utc)}
                for j in range(first, last)]

    def calls():
        call = aws.registry.call
        call("cloudwatch", "PutMetricAlarm", {
            "AlarmName": "mine", "MetricName": "put", "Namespace": "NS", "Statistic": "Sum", "Period": 60,
            "EvaluationPeriods": 1, "Threshold": 1.0, "ComparisonOperator": "GreaterThanThreshold"}, **where)
        call("cloudwatch", "PutMetricData", {"Namespace": "NS", "MetricData": [{"MetricName": "put", "Value": 1.0}]},
             **where)
        call("cloudwatch", "GetMetricStatistics", {"Namespace": "NS", "MetricName": "hot", "StartTime": start,
                                                   "EndTime": end, "Period": 60, "Statistics": ["Sum"]}, **where)
        call("cloudwatch", "DescribeAlarms", {"MaxRecords": 10}, **where)
        call("cloudwatch", "ListMetrics", {"Namespace": "NS", "MetricName": "hot"}, **where)

    cw.put_metric_data(Namespace="NS", MetricData=points(0, 60))  # the hour read
    for i in range(10):  # DescribeAlarms' page is full in both counts
        cw.put_metric_alarm(AlarmName=f"first{i}", MetricName="other", Namespace="NS", Statistic="Sum", Period=60,
                            EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
    small = calls_made(calls)
    for i in range(60, 10_060, 1000):  # 10,000 older points of the metric read, and 10,000 other metrics
        cw.put_metric_data(Namespace="NS", MetricData=points(i, i + 1000))
        cw.put_metric_data(Namespace="NS", MetricData=[{"MetricName": f"m{j}", "Value": 1.0}
                                                        for j in range(i, i + 1000)])
    cw.put_metric_alarm(AlarmName="a0000", MetricName="m0", Namespace="NS", Statistic="Sum", Period=60,
                        EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
    _, state = _state(aws)
    template = state.alarms["a0000"]
    for i in range(1, 2000):  # seeded through the store: each PutMetricAlarm judges every alarm
        name = f"a{i:04d}"
        config = {**template.config, "AlarmName": name, "MetricName": f"m{i}"}
        state.alarms[name] = alarm = type(template)(**{**vars(template), "name": name, "config": config, "seq": i})
        watch(state, alarm)
        remember(state, alarm, None)
    large = calls_made(calls)
    assert large < small * 1.2 + 200, (small, large)
