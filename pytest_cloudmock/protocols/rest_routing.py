"""REST operation routing: which operation a request calls, and its URI labels.

`find_operation` matches method, path and query against every operation's
`http.requestUri` with werkzeug's URL map (built once per service model). Several
operations may share a path (`/{Bucket}/{Key+}`): the most specific wins,
i.e. the one whose static query keys (`?uploads`, `?list-type=2`) and required
query/header members (`uploadId`, `x-amz-copy-source`) the request carries, then
the one whose static context parameters match those the codec says the request
implies. An `x-id=Op` query parameter names the operation outright.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, unquote

from botocore.model import OperationModel, ServiceModel
from werkzeug.datastructures import EnvironHeaders, Headers
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, Map, MapAdapter, Rule

from ..wire import IndexedHeaders, WireRequest

_LABEL = re.compile(r"{([^}]+)}")
_RECENT_PATHS = 4096  # (method, path) matches a router remembers
_UNSEEN: Any = object()


class _Label(BaseConverter):
    """One path segment (or part of one), percent-decoded."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)


class _Greedy(BaseConverter):
    """A greedy `{Key+}` label: any characters, slashes included, percent-decoded."""

    regex = ".+?"
    part_isolating = False

    def to_python(self, value: str) -> str:
        return unquote(value)


class MatchRule(Rule):
    """A rule that only matches requests (the REST maps' and the admin API's).

    werkzeug compiles a URL builder (generated code) for every rule, which is most
    of the cost of a map; routing never builds URLs, so the builder is a stub.
    """

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., Any]:
        return _no_builder


def _no_builder(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError("cloudmock's REST rules only match, they do not build URLs")


def _url_map(templates: Iterable[str]) -> MapAdapter:
    """A werkzeug map over the templates, bound once (matching leaves an adapter unchanged)."""
    return Map(
        [MatchRule(t, endpoint=t) for t in sorted(templates)],
        converters={"label": _Label, "greedy": _Greedy},
        strict_slashes=False,
        merge_slashes=False,
    ).bind("localhost")


def _match(
    adapter: MapAdapter, path: str, method: str | None = None
) -> tuple[str, dict[str, str]] | None:
    """werkzeug's match of a raw path (a trailing slash also matches without it)."""
    paths = (path, path.rstrip("/") or "/") if path.endswith("/") and path != "/" else (path,)
    for candidate in paths:
        try:
            rule, values = adapter.match(candidate, method=method)
        except HTTPException:
            continue
        return str(rule), values
    return None


@dataclass(frozen=True)
class UriTemplate:
    """An operation's `requestUri`, split into a werkzeug rule and static query keys."""

    rule: str  # werkzeug rule with positional labels: /<label:p0>/<greedy:p1>
    labels: tuple[str, ...]  # model label names, in rule order (p0, p1, ...)
    query: tuple[tuple[str, str], ...]  # static query keys and required values ('' = any)

    @classmethod
    def parse(cls, request_uri: str) -> UriTemplate:
        path, _, query = request_uri.partition("?")
        labels: list[str] = []

        def label(match: re.Match[str]) -> str:
            name = match.group(1)
            greedy = name.endswith("+")
            labels.append(name.rstrip("+"))
            return f"<{'greedy' if greedy else 'label'}:p{len(labels) - 1}>"

        rule = _LABEL.sub(label, path)
        static = tuple(parse_qsl(query, keep_blank_values=True))
        return cls(rule, tuple(labels), static)

    def query_score(self, query: Mapping[str, list[str]]) -> int | None:
        """How many static query keys the request carries, or None if one is missing.

        `x-id` (the operation name newer SDKs add) is optional: absent it still matches.
        """
        score = 0
        for key, value in self.query:
            got = query.get(key)
            if got is None:
                if key == "x-id":
                    continue
                return None
            if value and value not in got:
                return None
            score += 1
        return score


@dataclass
class _Candidate:
    name: str
    template: UriTemplate
    required_query: tuple[str, ...]
    required_headers: tuple[str, ...]
    known_query: frozenset[str]
    claimed_query: frozenset[str]  # query keys not left to a `querystring` map member
    context: frozenset[str]  # static context parameters the model sets to true
    deprecated: bool
    order: int

    def score(
        self, request: WireRequest, header_names: Mapping[str, str], context: Mapping[str, bool]
    ) -> tuple[int, ...] | None:
        """How well the request fits (higher is better), or None if it cannot be this one."""
        static = self.template.query_score(request.query)
        if static is None:
            return None
        query = request.query
        present = sum(map(query.__contains__, self.required_query)) + sum(
            map(header_names.__contains__, self.required_headers)
        )
        complete = present == len(self.required_query) + len(self.required_headers)
        known = sum(map(self.known_query.__contains__, query))
        return (
            static,
            complete,
            present,
            known,
            sum((name in self.context) == on for name, on in context.items()),
            not self.deprecated,
            -self.order,
        )


@dataclass
class _Group:
    """The operations sharing one method and rule, and the one each request signature chose.

    A signature holds all `_Candidate.score` reads: the query keys (with the values of
    keys a template fixes, `list-type=2`), which required headers are present, and the
    static context.
    """

    valued: frozenset[str]  # query keys some template gives a value
    headers: tuple[str, ...]  # headers some candidate requires
    chosen: dict[tuple[Any, ...], str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, candidates: list[_Candidate]) -> _Group:
        valued = frozenset(k for c in candidates for k, v in c.template.query if v)
        headers = tuple(sorted({h for c in candidates for h in c.required_headers}))
        return cls(valued, headers)

    def signature(
        self, request: WireRequest, header_names: Mapping[str, str], context: Mapping[str, bool]
    ) -> tuple[Any, ...]:
        query = request.query
        return (
            tuple(sorted(query)),
            tuple((k, *query[k]) for k in self.valued if k in query) if self.valued else (),
            tuple(h in header_names for h in self.headers),
            tuple(context.items()),
        )


@dataclass
class _Router:
    """werkzeug maps (one per HTTP method, built on first use) over a service's URI templates."""

    templates: dict[str, set[str]] = field(default_factory=dict)
    candidates: dict[tuple[str, str], list[_Candidate]] = field(default_factory=dict)
    by_name: dict[str, _Candidate] = field(default_factory=dict)
    maps: dict[str, MapAdapter] = field(default_factory=dict)
    recent: dict[tuple[str, str], Any] = field(default_factory=dict)  # match() results
    groups: dict[tuple[str, str], _Group] = field(default_factory=dict)  # operations sharing a rule

    @classmethod
    def build(cls, model: ServiceModel) -> _Router:
        router = cls()
        for order, name in enumerate(model.operation_names):
            op = model.operation_model(name)
            method = op.http.get("method", "POST").upper()
            template = UriTemplate.parse(op.http.get("requestUri", "/"))
            candidate = _candidate(op, template, order)
            router.by_name[name] = candidate
            router.candidates.setdefault((method, template.rule), []).append(candidate)
            router.templates.setdefault(method, set()).add(template.rule)
        return router

    def match(self, request: WireRequest) -> tuple[str, dict[str, str]] | None:
        """The matching rule and its positional label values, or None.

        Results are kept per (method, path) (a few thousand, then forgotten): a
        request is matched once for `find_operation` and `parse`, and tests reuse paths.
        """
        key = (request.method, request.path)
        matched = self.recent.get(key, _UNSEEN)
        if matched is _UNSEEN:
            matched = None
            adapter = self.maps.get(request.method)
            if adapter is None and self.templates.get(request.method):
                adapter = self.maps[request.method] = _url_map(self.templates[request.method])
            if adapter is not None:
                matched = _match(adapter, request.path, request.method)
            if len(self.recent) >= _RECENT_PATHS:
                self.recent.clear()
            self.recent[key] = matched
        return matched

    def find(self, request: WireRequest, context: Mapping[str, bool]) -> str | None:
        matched = self.match(request)
        if matched is None:
            return None
        candidates = self.candidates[(request.method, matched[0])]
        explicit = request.query_value("x-id")
        if explicit and any(c.name == explicit for c in candidates):
            return explicit
        if len(candidates) == 1:
            only = candidates[0]
            return only.name if only.template.query_score(request.query) is not None else None
        header_names = lower_headers(request)
        # The choice depends only on what `_Candidate.score` reads: remembered per signature.
        group = self.groups.get((request.method, matched[0]))
        if group is None:
            group = self.groups[(request.method, matched[0])] = _Group.of(candidates)
        key = group.signature(request, header_names, context)
        found = group.chosen.get(key, _UNSEEN)
        if found is _UNSEEN:
            best: tuple[tuple[int, ...], str] | None = None
            for candidate in candidates:
                score = candidate.score(request, header_names, context)
                if score is not None and (best is None or score > best[0]):
                    best = (score, candidate.name)
            found = best[1] if best else None
            if len(group.chosen) >= _RECENT_PATHS:
                group.chosen.clear()
            group.chosen[key] = found
        return found

    def labels(self, request: WireRequest, operation: str) -> dict[str, str]:
        """The operation's URI label values in the request path (model names, decoded)."""
        template = self.by_name[operation].template
        if not template.labels:
            return {}
        matched = self.match(request)
        if matched is None or matched[0] != template.rule:
            matched = _match(_single_rule_map(template.rule), request.path)
        if matched is None:
            return {}
        return {template.labels[int(k[1:])]: v for k, v in matched[1].items()}


def _candidate(op: OperationModel, template: UriTemplate, order: int) -> _Candidate:
    shape = op.input_shape
    required_query: list[str] = []
    required_headers: list[str] = []
    known = {k for k, _ in template.query}
    claimed = set(known)
    if shape is not None:
        required = set(shape.required_members)
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
            if location == "querystring":
                known.add(wire_name)
                if member.type_name != "map":
                    claimed.add(wire_name)
                    if name in required:
                        required_query.append(wire_name)
            elif location == "header" and name in required:
                required_headers.append(wire_name.lower())
    return _Candidate(
        op.name,
        template,
        tuple(required_query),
        tuple(required_headers),
        frozenset(known),
        frozenset(claimed),
        frozenset(p.name for p in op.static_context_parameters if p.value is True),
        bool(op.deprecated),
        order,
    )


def signed_for(request: WireRequest, signing_name: str) -> bool:
    """Whether the request's SigV4 credential scope names `signing_name` (header or presigned)."""
    scope = lower_headers(request).get("authorization") or request.query_value("X-Amz-Credential")
    return f"/{signing_name}/aws4_request" in (scope or "")


@lru_cache(maxsize=256)
def _single_rule_map(rule: str) -> MapAdapter:
    return _url_map((rule,))


def lower_headers(request: WireRequest) -> dict[str, str]:
    """The request's headers by lower-cased name (the first of repeated ones).

    Built once per request and kept on it (for as long as `request.headers` is the
    same object): routing and every located member read this one dict.
    """
    headers = request.headers
    cached = request.__dict__.get("_lower_headers")
    if cached is not None and cached[0] is headers:
        return cached[1]
    out = headers_by_lower_name(headers)
    request.__dict__["_lower_headers"] = (headers, out)
    return out


def headers_by_lower_name(headers: Headers | Mapping[str, str]) -> dict[str, str]:
    """Headers by lower-cased name (the first value of a repeated header)."""
    if isinstance(headers, IndexedHeaders):
        return headers.lowered
    out: dict[str, str] = {}
    if isinstance(headers, EnvironHeaders):  # read the WSGI environ directly (same result)
        for key, value in headers.environ.items():
            name = _environ_header(key)
            if name is not None and (value or key[0] == "H"):
                out.setdefault(name, value)
        return out
    for key, value in headers.items():
        out.setdefault(key.lower(), value)
    return out


@lru_cache(maxsize=1024)
def _environ_header(key: str) -> str | None:
    """The lower-cased header a WSGI environ key holds, as werkzeug's `EnvironHeaders` reads it.

    `CONTENT_TYPE`/`CONTENT_LENGTH` count only when not empty, `HTTP_CONTENT_*` never.
    """
    if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        return key.replace("_", "-").lower()
    if key.startswith("HTTP_") and key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
        return key[5:].replace("_", "-").lower()
    return None


@lru_cache(maxsize=512)
def router_for(model: ServiceModel) -> _Router:
    """The (cached) router of a service model."""
    return _Router.build(model)


def find_operation(
    request: WireRequest, model: ServiceModel, context: Mapping[str, bool] | None = None
) -> str | None:
    """The operation a REST request calls (method + path + query + headers), or None.

    `context`: static context parameters the request implies (set or not), which
    break ties between operations sharing a URI.
    """
    return router_for(model).find(request, context or {})
