"""numpy arrays: a header (shape, dtype, then min / max / mean and the NaN count, computed on a worker thread
so ten million elements never hold up the window), a plot (1-D: a line; 2-D: a heatmap with a colour bar) and
a lazy table. An N-D array is shown one 2-D slice at a time, spin boxes choosing the index on the other axes."""

from __future__ import annotations

import concurrent.futures
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QTabWidget, QVBoxLayout, QWidget

from pflow_studio.app.viewers.plots import FigureView, heatmap_figure, line_figure
from pflow_studio.app.viewers.tables import LazyTableModel, LazyTableView

NUMERIC_KINDS = "biuf"
_WORKER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="array-stats")


def array_stats(array: Any) -> dict[str, Any]:
    """min, max, mean (NaN ignored) and the NaN count of a numeric array; {} for other dtypes."""
    import numpy as np

    if array.dtype.kind not in NUMERIC_KINDS or array.size == 0:
        return {}
    nans = int(np.count_nonzero(np.isnan(array))) if array.dtype.kind == "f" else 0
    if nans == array.size:
        return {"nan": nans}
    reduce = (np.nanmin, np.nanmax, np.nanmean) if nans else (np.min, np.max, np.mean)
    return {"min": reduce[0](array).item(), "max": reduce[1](array).item(), "mean": reduce[2](array).item(),
            "nan": nans}


def stats_text(stats: dict[str, Any]) -> str:
    parts = [f"{name} {stats[name]:.6g}" for name in ("min", "max", "mean") if name in stats]
    return "   ".join([*parts, f"NaN {stats['nan']:,}"]) if stats else ""


def shape_text(array: Any) -> str:
    return f"shape {' x '.join(f'{side:,}' for side in array.shape) or '()'}   dtype {array.dtype}"


def table_model(shown: Any, parent: Any = None) -> LazyTableModel:
    """A lazy table of a 0-, 1- or 2-D array (rows; columns for 2-D)."""
    if shown.ndim == 0:
        return LazyTableModel(1, ["value"], lambda _row, _column: shown[()], parent=parent)
    if shown.ndim == 1:
        return LazyTableModel(len(shown), ["value"], lambda row, _column: shown[row], parent=parent)
    return LazyTableModel(shown.shape[0], range(shown.shape[1]), lambda row, column: shown[row, column],
                          parent=parent)


class ArrayViewer(QWidget):
    """See the module docstring. `stats` is None until the worker has computed them."""

    open_value = Signal(str, object)

    def __init__(self, value: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.stats: dict[str, Any] | None = None
        self.header = QLabel(f"{shape_text(value)}   computing min / max / mean…", self)
        self.header.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.spins = [self._spin(axis) for axis in range(max(0, value.ndim - 2))]
        self.model: LazyTableModel | None = None
        self.plot: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        if self.spins:
            layout.addLayout(self._slice_bar())
        layout.addWidget(self.tabs, 1)
        self._future = _WORKER.submit(array_stats, value)
        self._poll = QTimer(self, interval=30)
        self._poll.timeout.connect(self._stats_ready)
        self._poll.start()
        self._show_slice()

    def _spin(self, axis: int) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(0, self.value.shape[axis] - 1)
        spin.setPrefix(f"axis {axis}: ")
        spin.valueChanged.connect(self._show_slice)
        return spin

    def _slice_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(QLabel("slice", self))
        for spin in self.spins:
            bar.addWidget(spin)
        bar.addStretch(1)
        return bar

    def shown(self) -> Any:
        """The part of the array on show: all of it up to 2-D, else the slice the spin boxes choose."""
        return self.value[tuple(spin.value() for spin in self.spins)] if self.spins else self.value

    def _show_slice(self) -> None:
        shown = self.shown()
        current = self.tabs.currentIndex()
        self.tabs.clear()
        self.plot = self._plot(shown)
        if self.plot is not None:
            self.tabs.addTab(self.plot, "Plot" if shown.ndim == 1 else "Heatmap")
        self.model = table_model(shown, self)
        self.table = LazyTableView(self.model, self)
        self.table.open_value.connect(self.open_value)
        self.tabs.addTab(self.table, "Table")
        self.tabs.setCurrentIndex(max(current, 0))

    def _plot(self, shown: Any) -> QWidget | None:
        if shown.dtype.kind not in NUMERIC_KINDS or shown.ndim not in (1, 2) or shown.size < 2:
            return None
        return FigureView(line_figure(shown) if shown.ndim == 1 else heatmap_figure(shown), self)

    def _stats_ready(self) -> None:
        if not self._future.done():
            return
        self._poll.stop()
        try:
            self.stats = self._future.result()
        except Exception as exc:  # e.g. an object array whose items do not compare
            self.stats = {}
            self.header.setText(f"{shape_text(self.value)}   ({exc})")
            return
        self.header.setText(f"{shape_text(self.value)}   {stats_text(self.stats)}")
