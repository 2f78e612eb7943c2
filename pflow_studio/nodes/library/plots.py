"""Plot nodes: line, scatter, histogram and image plots of arrays, each output as a matplotlib `Figure`.
Category "Plots". Every plot has a title, axis labels and a size in inches (properties); a `title` input, when
given a value, titles the plot instead (e.g. each element of a Map with its parameter).

Figures are made with `matplotlib.figure.Figure` and drawn by the Agg canvas, never through pyplot: no global
state (no current figure, no backend choice, no figure manager keeping figures alive), so plot nodes running at
once never share a figure, need no display and never load a Qt backend, on engines as in the app. matplotlib
is imported when a plot is made, not when the library loads. A figure pickles to and from engines; the app's
viewers show it, "Save Figure" (`plot_files`) writes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pflow_studio.nodes.api import In, NodeError, NodeType, Out, Prop
from pflow_studio.nodes.library.arrays import as_array, numpy_errors

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

COLORMAPS = ("viridis", "plasma", "inferno", "magma", "cividis", "gray", "coolwarm", "RdBu_r", "turbo")
MARKERS = ("", "o", ".", "x", "+", "s")


def _labels() -> list[Prop]:
    return [Prop("title", str, "", doc="the title above the plot"), Prop("x_label", str, "", doc="the x axis label"),
            Prop("y_label", str, "", doc="the y axis label"),
            Prop("width", float, 6.4, minimum=1.0, maximum=40.0, doc="inches"),
            Prop("height", float, 4.8, minimum=1.0, maximum=40.0, doc="inches")]


TITLE = In("title", str, optional=True, doc="the title, e.g. naming a Map element's parameter; unset: the "
           "title property")


def new_figure(values: dict[str, Any], title: str | None = None) -> tuple[Figure, Axes]:
    """A figure of the node's size on an Agg canvas with one axes, labelled from the node's `values` and titled
    `title` (None: the title property)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(values["width"], values["height"]), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title(values["title"] if title is None else str(title))
    axes.set_xlabel(values["x_label"])
    axes.set_ylabel(values["y_label"])
    return figure, axes


def _real(value: Any, port: str, dims: tuple[int, ...]) -> Any:
    """An input as a real-valued array with one of `dims` dimensions, or a NodeError naming the port."""
    array = as_array(value, port)
    if array.dtype.kind not in "biuf":
        raise NodeError(f"input '{port}' must hold real numbers, not {array.dtype}")
    if array.ndim not in dims:
        wanted = " or ".join(f"{d}-D" for d in dims)
        raise NodeError(f"input '{port}' must be a {wanted} array, got shape {array.shape}")
    return array


class LinePlot(NodeType):
    """Lines of y against x (x: 0, 1, 2... when not connected); a 2-D y draws one line per column."""

    type_name = "plot.line"
    label = "Line Plot"
    category = "Plots"
    inputs = [In("y", "array"), In("x", "array", optional=True, doc="as long as y; unset: the indices"), TITLE]
    outputs = [Out("figure", "figure")]
    properties = [*_labels(), Prop("marker", str, "", choices=MARKERS, doc="a marker at each point", widget="combo")]

    def compute(self, y: Any, x: Any, title: str | None = None) -> dict[str, Any]:
        ys = _real(y, "y", (1, 2))
        figure, axes = new_figure(self.values, title)
        with numpy_errors("draw the lines"):
            if x is None:
                axes.plot(ys, marker=self.values["marker"] or None)
            else:
                axes.plot(_real(x, "x", (1,)), ys, marker=self.values["marker"] or None)
        return {"figure": figure}


class ScatterPlot(NodeType):
    """Points at (x, y), coloured by `color` values with a colour bar when that is connected."""

    type_name = "plot.scatter"
    label = "Scatter Plot"
    category = "Plots"
    inputs = [In("x", "array"), In("y", "array"), In("color", "array", optional=True, doc="a value per point"),
              TITLE]
    outputs = [Out("figure", "figure")]
    properties = [*_labels(), Prop("size", float, 20.0, minimum=0.0, doc="marker area in points squared"),
                  Prop("colormap", str, "viridis", choices=COLORMAPS, widget="combo")]

    def compute(self, x: Any, y: Any, color: Any, title: str | None = None) -> dict[str, Any]:
        xs, ys = _real(x, "x", (1,)), _real(y, "y", (1,))
        figure, axes = new_figure(self.values, title)
        with numpy_errors("draw the points"):
            if color is None:
                axes.scatter(xs, ys, s=self.values["size"])
            else:
                points = axes.scatter(xs, ys, s=self.values["size"], c=_real(color, "color", (1,)),
                                      cmap=self.values["colormap"])
                figure.colorbar(points, ax=axes)
        return {"figure": figure}


class Histogram(NodeType):
    """A histogram of all the values of an array."""

    type_name = "plot.histogram"
    label = "Histogram"
    category = "Plots"
    inputs = [In("values", "array"), TITLE]
    outputs = [Out("figure", "figure")]
    properties = [*_labels(), Prop("bins", int, 20, minimum=1, maximum=10_000, doc="how many bars"),
                  Prop("density", bool, False, doc="normalise to a probability density")]

    def compute(self, values: Any, title: str | None = None) -> dict[str, Any]:
        data = _real(values, "values", (0, 1, 2, 3))
        figure, axes = new_figure(self.values, title)
        with numpy_errors("draw the histogram"):
            axes.hist(data.ravel(), bins=self.values["bins"], density=self.values["density"])
        return {"figure": figure}


class ImagePlot(NodeType):
    """A 2-D array as an image with a colour bar (imshow); an H x W x 3 or 4 array is drawn as RGB(A) colours."""

    type_name = "plot.image"
    label = "Image Plot"
    category = "Plots"
    inputs = [In("image", "array"), TITLE]
    outputs = [Out("figure", "figure")]
    properties = [*_labels(), Prop("colormap", str, "viridis", choices=COLORMAPS, widget="combo"),
                  Prop("origin", str, "upper", choices=("upper", "lower"), doc="where row 0 goes", widget="combo")]

    def compute(self, image: Any, title: str | None = None) -> dict[str, Any]:
        data = _real(image, "image", (2, 3))
        if data.ndim == 3 and data.shape[2] not in (3, 4):
            raise NodeError(f"input 'image' must be 2-D or H x W x 3 / 4 (colours), got shape {data.shape}")
        figure, axes = new_figure(self.values, title)
        with numpy_errors("draw the image"):
            shown = axes.imshow(data, cmap=self.values["colormap"], origin=self.values["origin"])
            if data.ndim == 2:
                figure.colorbar(shown, ax=axes)
        return {"figure": figure}
