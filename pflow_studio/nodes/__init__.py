"""The node API and the built-in node library. Imports no Qt: engines run it headless."""

from pflow_studio.nodes.api import NO_DEFAULT, In, NodeError, NodeType, Out, Prop

__all__ = ["NO_DEFAULT", "In", "NodeError", "NodeType", "Out", "Prop"]
