"""Where things are in the repository, for tests."""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
"""The repository root (engines and subprocesses get it on PYTHONPATH)."""
EXAMPLES = ROOT / "resources" / "examples"
DOCS = ROOT / "docs"
