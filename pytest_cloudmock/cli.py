"""`cloudmock serve`: the gateway as a standalone server (AWS on 4566, admin on 4599)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .config import Config, ConfigError

if TYPE_CHECKING:
    from .gateway import Gateway

SERVE_PORT = 4566
SERVE_ADMIN_PORT = 4599


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cloudmock", description="A live, AWS-compatible endpoint.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the gateway in the foreground (Ctrl-C stops it)")
    serve.add_argument("--config", help="YAML config file")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help=f"AWS endpoint port (default {SERVE_PORT})")
    serve.add_argument("--admin-port", type=int, help=f"admin API port (default {SERVE_ADMIN_PORT})")
    serve.add_argument("--region", help="default region")
    serve.add_argument("--account-id", help="default account id")
    serve.add_argument("--state", metavar="FILE",
                       help="state file: loaded at start when it exists, saved on a clean stop")
    serve.add_argument("--ui", action="store_true",
                       help="open the state browser (always served at <admin endpoint>/ui) in a web browser")
    serve.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser


def serve_config(args: argparse.Namespace) -> Config:
    """Serve defaults (ports 4566/4599) < config file < `CLOUDMOCK_*` env < flags."""
    return Config.load(
        args.config,
        defaults={"port": SERVE_PORT, "admin_port": SERVE_ADMIN_PORT},
        host=args.host,
        port=args.port,
        admin_port=args.admin_port,
        region=args.region,
        account_id=args.account_id,
    )


def serve(args: argparse.Namespace) -> int:
    from .gateway import Gateway

    try:
        config = serve_config(args)
    except ConfigError as exc:
        print(f"cloudmock: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    gateway = Gateway(config)
    try:
        gateway.start()
    except OSError as exc:
        print(f"cloudmock: cannot listen: {exc}", file=sys.stderr)
        return 1
    if args.state and not _load_state(gateway, args.state):
        gateway.stop()
        return 2
    for line in banner(gateway, config):
        print(line, flush=True)
    if args.ui and gateway.admin_endpoint:
        import webbrowser

        if not webbrowser.open(gateway.admin_endpoint + "/ui"):
            print("cloudmock: no web browser to open here; open the state browser URL above", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        stop.wait()
    finally:
        if args.state:
            from .state_file import describe, write

            snapshot = gateway.snapshot()
            write(snapshot, args.state)
            print(f"cloudmock: state saved to {args.state} ({describe(snapshot)})", flush=True)
        gateway.stop()
        print("cloudmock: stopped", flush=True)
    return 0


def _load_state(gateway: Gateway, path: str) -> bool:
    """Load `path` when it exists (say what came in); False, with the reason, when it cannot be."""
    from pathlib import Path

    from .state_file import StateFileError, describe, load_snapshot, read

    if not Path(path).exists():
        print(f"cloudmock: state file {path} does not exist yet: starting empty, saving there on stop",
              flush=True)
        return True
    try:
        snapshot = load_snapshot(gateway, read(path), path)
    except StateFileError as exc:
        print(f"cloudmock: {exc}", file=sys.stderr)
        return False
    print(f"cloudmock: state loaded from {path}: {describe(snapshot)}", flush=True)
    return True


def banner(gateway: Gateway, config: Config) -> list[str]:
    """What `serve` prints at start: where it listens, where the config came from, what it serves."""
    from .plugins import plugin_manager

    names = gateway.registry.names()
    plugins = sorted(plugin_manager(gateway).plugins)
    return [
        f"cloudmock: AWS endpoint {gateway.endpoint}{_bound(config.host, gateway.port)}  "
        f"admin {gateway.admin_endpoint}{_admin_bound(gateway)}",
        f"cloudmock: config {config.source}; account {config.account_id}, region {config.region}",
        f"cloudmock: {len(names)} services" + (f"; plugins: {', '.join(plugins)}" if plugins else ""),
        *([f"cloudmock: state browser {gateway.admin_endpoint}/ui"] if gateway.admin_endpoint else []),
    ]


def _bound(host: str, port: int) -> str:
    """` (listening on HOST:PORT)` when the URL shown is not the address bound (0.0.0.0, ::)."""
    return f" (listening on {host}:{port})" if host in ("0.0.0.0", "::", "") else ""


def _admin_bound(gateway: Gateway) -> str:
    endpoint = gateway.admin_endpoint
    return _bound(gateway.config.admin_host, urlsplit(endpoint).port or 0) if endpoint else ""


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
