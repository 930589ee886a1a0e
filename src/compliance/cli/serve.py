"""``compliance serve``: the review page over the findings store, on 127.0.0.1 by default."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from compliance.cli import EXIT_BAD_INPUT, EXIT_CLEAN
from compliance.cli.history import existing_store_or_report
from compliance.cli.review_options import add_store_option

EPILOG = """\
security:   binds to 127.0.0.1 unless --host says otherwise; every form carries a CSRF token,
            writes need a named reviewer and a reason; bodies over 16 KiB are refused.
exit codes: 0 stopped; 2 no such store, or bad usage.
example:    compliance serve --store compliance.db --port 8765
"""


def register(commands: Any) -> None:
    """Add ``serve`` to the subcommands."""
    parser = commands.add_parser(
        "serve",
        help="start the review page over the findings store (local web app)",
        description="Serve runs, projects and findings of the store; reviewers record "
        "waivers (已说明) and 整改 status with reason.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_store_option(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    import uvicorn

    from compliance.review.web.app import LOOPBACK, create_app

    store = existing_store_or_report(args.store)
    if store is None:
        return EXIT_BAD_INPUT
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {args.host}: reachable from other machines", file=sys.stderr)
    print(f"review page: http://{args.host}:{args.port}/ ({store.shown})", file=sys.stderr)
    try:
        hosts = LOOPBACK if args.host in LOOPBACK else (*LOOPBACK, args.host)
        uvicorn.run(
            create_app(store, hosts=hosts), host=args.host, port=args.port, log_level="warning"
        )
    finally:
        store.close()
    return EXIT_CLEAN
