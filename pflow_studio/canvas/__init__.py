"""The canvas: a NodeGraphQt view over the workflow model, with undoable editing (see `canvas.Canvas`)."""

from pflow_studio.canvas.canvas import NODE_TYPE_MIME, Canvas
from pflow_studio.canvas.clipboard import MIME_TYPE as NODES_MIME_TYPE
from pflow_studio.canvas.commands import UNSET

__all__ = ["NODES_MIME_TYPE", "NODE_TYPE_MIME", "UNSET", "Canvas"]
