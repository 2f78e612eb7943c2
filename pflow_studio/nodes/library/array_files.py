"""Array file nodes: load and save numpy's `.npy` files. Category "Arrays". Never cached: files change behind the
workflow's back. Only plain arrays: arrays of Python objects (which `.npy` would store as pickles, able to run
code when loaded) are refused both ways. A failure raises `NodeError` naming the path and the reason."""

from __future__ import annotations

from typing import Any

import numpy as np

from pflow_studio.nodes.api import In, NodeError, NodeType, Out, as_path
from pflow_studio.nodes.library.arrays import as_array
from pflow_studio.nodes.library.files import file_errors


class LoadNpy(NodeType):
    """The array stored in a .npy file."""

    type_name = "array.load_npy"
    label = "Load .npy"
    category = "Arrays"
    cacheable = False
    inputs = [In("path", "path")]
    outputs = [Out("array", "array")]

    def compute(self, path: Any) -> dict[str, Any]:
        target = as_path(path)
        try:
            with file_errors(target, "load"), target.open("rb") as file:
                if file.read(len(np.lib.format.MAGIC_PREFIX)) != np.lib.format.MAGIC_PREFIX:
                    raise NodeError(f"cannot load '{target}': it is not a .npy file")
                file.seek(0)
                return {"array": np.load(file, allow_pickle=False)}
        except ValueError as exc:
            reason = "it holds Python objects" if "allow_pickle" in str(exc) else str(exc).splitlines()[0]
            raise NodeError(f"cannot load '{target}': {reason}") from None


class SaveNpy(NodeType):
    """Write an array to a .npy file at exactly `path` (replacing it); outputs the path."""

    type_name = "array.save_npy"
    label = "Save .npy"
    category = "Arrays"
    cacheable = False
    inputs = [In("path", "path"), In("array", "array")]
    outputs = [Out("path", "path")]

    def compute(self, path: Any, array: Any) -> dict[str, Any]:
        target = as_path(path)
        data = as_array(array, "array")
        with file_errors(target, "save"), target.open("wb") as file:  # numpy would append ".npy" to a bare name
            np.save(file, data, allow_pickle=False)
        return {"path": str(target)}
