"""The canvas: a NodeGraphQt view over the workflow model, with undoable editing through its
`WorkflowDocument` (see `canvas.Canvas` and `canvas.document`)."""

from pflow_studio.canvas.canvas import Canvas
from pflow_studio.canvas.clipboard import MIME_TYPE as NODES_MIME_TYPE
from pflow_studio.canvas.commands import UNSET
from pflow_studio.canvas.document import WorkflowDocument
from pflow_studio.canvas.gestures import NODE_TYPE_MIME

__all__ = ["NODES_MIME_TYPE", "NODE_TYPE_MIME", "UNSET", "Canvas", "WorkflowDocument"]
