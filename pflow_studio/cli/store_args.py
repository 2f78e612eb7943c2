"""The element store options shared by `pflow-studio run` and `pflow-studio cache`."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from pflow_studio.runtime.element_store.location import DEFAULT_MAX_BYTES, ENV_VAR, parse_size
from pflow_studio.runtime.element_store.store import ElementStore


def add_store_arguments(parser: argparse.ArgumentParser) -> None:
    """--cache-dir and --cache-size."""
    parser.add_argument("--cache-dir", metavar="DIR",
                        help=f"the element store's directory (default: ${ENV_VAR}, else the user's cache directory)")
    parser.add_argument("--cache-size", metavar="SIZE", type=_size, default=DEFAULT_MAX_BYTES,
                        help="the element store's size cap, e.g. 500M or 2G (default 2G); the least recently "
                             "used elements go first")


def open_store(args: argparse.Namespace, warn: Callable[[str], None]) -> ElementStore:
    """The element store the options name (opened lazily: nothing is touched until it is used)."""
    return ElementStore(args.cache_dir, max_bytes=args.cache_size, warn=warn)


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
