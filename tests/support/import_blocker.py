"""Making packages unimportable in a subprocess or on engines: a `sitecustomize.py` that puts a finder
refusing them first on `sys.meta_path` (as on a machine where they are not installed)."""

from __future__ import annotations

import pathlib
import textwrap


def blocker_source(blocked: tuple[str, ...], error: str = "ModuleNotFoundError",
                   message: str = "No module named {name!r}") -> str:
    """Python source that makes the top-level packages `blocked` (and their submodules) unimportable in the
    interpreter that runs it: importing one raises `error` with `message` (formatted with the module's
    `name`; the defaults are what Python says of a package that is not installed)."""
    return textwrap.dedent(
        f"""
        import importlib.abc, sys

        BLOCKED = {blocked!r}

        class Blocker(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise {error}(f{message!r}, name=name)
                return None

        sys.meta_path.insert(0, Blocker())
        """
    )


def blocker_dir(parent: pathlib.Path, name: str, source: str) -> pathlib.Path:
    """A directory `parent/name` holding a `sitecustomize.py` of `source`: put it first on a process's
    PYTHONPATH."""
    directory = parent / name
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sitecustomize.py").write_text(source)
    return directory


def no_pflow_dir(parent: pathlib.Path) -> pathlib.Path:
    """A directory whose `sitecustomize.py` makes pflow_studio unimportable (as where it is not installed)."""
    return blocker_dir(parent, "pflow_blocker", blocker_source(("pflow_studio",)))
