"""Saving figures: "Save Figure" writes a plot node's figure as PNG or SVG. Category "Plots". Never cached (it
writes a file). Drawn by the Agg renderer (PNG) or matplotlib's SVG backend, chosen per call: no global state."""

from __future__ import annotations

import pathlib
from typing import Any

from pflow_studio.nodes.api import In, NodeError, NodeType, Out, Prop, as_path
from pflow_studio.nodes.library.files import file_errors
from pflow_studio.nodes.types import value_matches

FORMATS = ("png", "svg")


def figure_format(target: pathlib.Path, chosen: str) -> str:
    """The format to write: `chosen`, or with "auto" the file's suffix; a NodeError for any other suffix."""
    if chosen != "auto":
        return chosen
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise NodeError(f"cannot save '{target}': name it .png or .svg, or choose a format")
    return suffix


class SaveFigure(NodeType):
    """Write a figure to a PNG or SVG file (replacing it); outputs the path."""

    type_name = "plot.save"
    label = "Save Figure"
    category = "Plots"
    cacheable = False
    inputs = [In("figure", "figure"), In("path", "path")]
    outputs = [Out("path", "path")]
    properties = [Prop("format", str, "auto", choices=("auto", *FORMATS), doc="auto: by the file's suffix",
                       widget="combo"),
                  Prop("dpi", float, 100.0, minimum=10.0, maximum=1200.0, doc="dots per inch of a PNG")]

    def compute(self, figure: Any, path: Any) -> dict[str, Any]:
        target = as_path(path)
        if figure is None or not value_matches(figure, "figure"):
            raise NodeError(f"input 'figure' must be a figure (a plot node's output), not {type(figure).__name__}")
        kind = figure_format(target, self.values["format"])
        with file_errors(target, "save"), target.open("wb") as file:
            figure.savefig(file, format=kind, dpi=self.values["dpi"])
        return {"path": str(target)}
