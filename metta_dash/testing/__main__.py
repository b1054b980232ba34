"""Run the Dashboards API emulator: `python -m metta_dash.testing --port 8125`."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time

from metta_dash.testing.emulator import NO_BODY, Emulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m metta_dash.testing",
        description="A local emulator of the Datadog v1 Dashboards API, and of the two metrics endpoints "
        "`metta-dash metrics` reads (GET /api/v1/query, GET /api/v1/metrics/<name>; seed them with --metrics).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind (default: 0, any free port)")
    parser.add_argument(
        "--keys-from-env",
        action="store_true",
        help="accept only the keys in DD_API_KEY / DD_APP_KEY (default: any non-empty keys)",
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    parser.add_argument("--fail-status", type=int, help="answer the first requests with this status (429, 5xx)")
    parser.add_argument("--fail-count", type=int, default=1, help="how many requests --fail-status applies to")
    parser.add_argument("--fail-method", help="only requests with this method fail")
    parser.add_argument("--fail-path", help="only requests whose path matches this regular expression fail")
    parser.add_argument("--fail-reset", type=int, default=1, help="X-RateLimit-Reset seconds sent with 429")
    parser.add_argument("--fail-body", help="body sent as is instead of the answer (with --fail-status, or after "
                        "serving the request when --fail-serve is given): '' for an empty answer")
    parser.add_argument("--fail-serve", action="store_true",
                        help="serve the failing requests (they take effect), then send --fail-body instead")
    parser.add_argument("--fail-delay", type=float, default=0.0, help="seconds added to each failing request")
    parser.add_argument(
        "--metrics", metavar="FILE",
        help='seed the metrics endpoints from a JSON file {"name": [[seconds ago, value], ...], ...}; an empty '
        "list makes a known but silent metric, a name left out is unknown",
    )
    args = parser.parse_args(argv)
    seeded = _read_metrics(parser, args.metrics) if args.metrics else {}

    api_key = app_key = None
    if args.keys_from_env:
        api_key, app_key = os.environ.get("DD_API_KEY"), os.environ.get("DD_APP_KEY")
        if not api_key or not app_key:
            parser.error("--keys-from-env needs DD_API_KEY and DD_APP_KEY set")
    emulator = Emulator(api_key=api_key, app_key=app_key, host=args.host, port=args.port, latency=args.latency)
    now = time.time()
    for name, points in seeded.items():
        emulator.add_metric(name, [(now - ago, value) for ago, value in points])
    if args.fail_status or args.fail_serve or args.fail_delay:
        emulator.fail_next(
            None if args.fail_serve else (args.fail_status or None), args.fail_count, method=args.fail_method,
            path=args.fail_path, reset=args.fail_reset, delay=args.fail_delay,
            body=NO_BODY if args.fail_body is None else args.fail_body,
        )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with emulator:
        print(f"Datadog Dashboards API emulator listening on {emulator.url} (DD_API_URL={emulator.url})", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


def _read_metrics(parser: argparse.ArgumentParser, path: str) -> dict[str, list[tuple[float, float]]]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        parser.error(f"--metrics {path}: {error}")
    def valid(points: object) -> bool:
        return isinstance(points, list) and all(isinstance(p, list) and len(p) == 2 for p in points)

    if not isinstance(data, dict) or not all(valid(points) for points in data.values()):
        parser.error(f'--metrics {path}: expected {{"metric.name": [[seconds ago, value], ...], ...}}')
    return {str(name): [(float(ago), float(value)) for ago, value in points] for name, points in data.items()}


if __name__ == "__main__":
    sys.exit(main())
