"""The built-in node library. `MODULES` lists the modules whose node types are registered."""

from pflow_studio.nodes.library import constants

MODULES = [constants]
