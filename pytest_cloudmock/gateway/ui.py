"""The state browser: `GET /ui` on the admin port, and the `GET /api/resources` it reads.

One static page (no build step, no outside assets) that lists the services, the
resources of each started service per account and region, and the request log, and
refreshes itself. `/api/resources` reads every store the way a snapshot does: each
collection a service state keeps (a dict or list field: `queues`, `tables`, `buckets`)
becomes a list of its keys, so a new service shows up with no code here.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request
from werkzeug.wrappers import Response as HttpResponse

if TYPE_CHECKING:
    from . import Gateway

MAX_NAMES = 200  # per collection: the page is for looking, /api/state is for taking


def resources(gateway: Gateway) -> list[dict[str, Any]]:
    """`[{service, account, region, collections: {field: {count, names}}}]` for every store partition."""
    out = []
    for service, store in sorted(gateway.stores().items()):
        with store.lock:
            partitions = list(store.partitions())
            summaries = [(key, _collections(state)) for key, state in partitions]
        for (account, region), collections in summaries:
            if collections:
                out.append({"service": service, "account": account, "region": region, "collections": collections})
    return out


def _collections(state: Any) -> dict[str, dict[str, Any]]:
    if dataclasses.is_dataclass(state):
        fields = [f.name for f in dataclasses.fields(state)]
    else:
        fields = [k for k in getattr(state, "__dict__", {}) if not k.startswith("_")]
    out = {}
    for name in fields:
        value = getattr(state, name, None)
        if isinstance(value, dict) and value:
            names = [str(k) for k in list(value)[:MAX_NAMES]]
        elif isinstance(value, (list, set, tuple)) and value and not isinstance(next(iter(value)), (int, float)):
            names = [_label(v) for v in list(value)[:MAX_NAMES]]
        else:
            continue
        out[name] = {"count": len(value), "names": names}
    return out


def _label(item: Any) -> str:
    for attr in ("name", "arn", "id", "key"):
        value = getattr(item, attr, None)
        if isinstance(value, str):
            return value
    return type(item).__name__


def page(request: Request) -> HttpResponse:
    """The state browser page."""
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; "
                                                            "style-src 'unsafe-inline'"})


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cloudmock state</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.25em .5em;text-align:left;
vertical-align:top}th{background:#f4f4f4}code{font-size:12px}.err{color:#b00}.muted{color:#888}
</style></head><body>
<h1>cloudmock <span class="muted" id="updated"></span></h1>
<h2>Services</h2><table id="services"><thead><tr><th>service</th><th>kind</th><th>started</th></tr></thead>
<tbody></tbody></table>
<h2>Resources</h2><table id="resources"><thead><tr><th>service</th><th>account</th><th>region</th>
<th>collection</th><th>count</th><th>names</th></tr></thead><tbody></tbody></table>
<h2>Requests <span class="muted">(latest 100)</span></h2><table id="requests"><thead><tr><th>time</th>
<th>service</th><th>operation</th><th>status</th><th>error</th><th>ms</th><th>account</th></tr></thead>
<tbody></tbody></table>
<script>
function cell(text, cls) { const td = document.createElement("td"); td.textContent = text;
  if (cls) td.className = cls; return td; }
function fill(id, rows) { const body = document.querySelector("#" + id + " tbody"); body.replaceChildren();
  for (const row of rows) { const tr = document.createElement("tr");
    for (const [text, cls] of row) tr.appendChild(cell(text, cls)); body.appendChild(tr); } }
const token = new URLSearchParams(location.hash.slice(1)).get("token");  // with admin_token set: /ui#token=...
async function get(path) { const headers = {"Accept": "application/json"};
  if (token) headers["X-Cloudmock-Admin-Token"] = token;
  const answer = await fetch(path, {headers});
  if (!answer.ok) throw new Error(path + ": " + answer.status); return answer.json(); }
async function refresh() {
  const [services, resources, requests] = await Promise.all(
    [get("/api/services"), get("/api/resources"), get("/api/requests?limit=100")]);
  fill("services", services.map(s => [[s.name], [s.kind || ""], [s.started ? "yes" : "no"]]));
  const rows = [];
  for (const r of resources) for (const [name, c] of Object.entries(r.collections))
    rows.push([[r.service], [r.account], [r.region], [name], [String(c.count)], [c.names.join(", ")]]);
  fill("resources", rows);
  fill("requests", requests.slice().reverse().map(q => [[String(q.time)], [q.service], [q.operation],
    [String(q.status), q.status >= 400 ? "err" : ""], [q.error_code || ""], [String(q.duration_ms)],
    [q.account_id]]));
  document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
}
refresh(); setInterval(refresh, 2000);
</script></body></html>
"""
