"""IPython profiles: where they live, creating a missing one, listing those that exist."""

from __future__ import annotations

import os
import pathlib

from IPython.core.profiledir import ProfileDir
from IPython.paths import get_ipython_dir

from pflow_studio.common.private_files import private_directory


def ipython_dir(explicit: str | os.PathLike | None = None) -> pathlib.Path:
    """The IPython directory: `explicit`, else $IPYTHONDIR, else ~/.ipython."""
    return pathlib.Path(explicit if explicit is not None else get_ipython_dir()).expanduser().resolve()


def profile_dir(profile: str, base: str | os.PathLike | None = None) -> pathlib.Path:
    """The directory of `profile` under the IPython directory, created (with security/ and log/) when missing."""
    if not profile or os.sep in profile or profile in (".", ".."):
        raise ValueError(f"not a profile name: {profile!r}")
    root = ipython_dir(base)
    private_directory(root)
    try:
        location = ProfileDir.find_profile_dir_by_name(str(root), profile).location
    except Exception:  # ProfileDirError: not there yet
        location = ProfileDir.create_profile_dir_by_name(str(root), profile).location
    return pathlib.Path(location)


def list_profiles(base: str | os.PathLike | None = None) -> list[str]:
    """Names of the profiles under the IPython directory, sorted; always includes 'default'."""
    root = ipython_dir(base)
    names = {"default"}
    if root.is_dir():
        names.update(p.name[len("profile_"):] for p in root.iterdir()
                     if p.is_dir() and p.name.startswith("profile_") and len(p.name) > len("profile_"))
    return sorted(names)
