"""pflow-studio: visual workflows that fan out over an IPython parallel cluster.

This package root imports no Qt: the workflow model (`pflow_studio.runtime`) and the node
library (`pflow_studio.nodes`) run on headless engines.
"""

__version__ = "0.1.0"
