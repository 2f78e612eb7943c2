"""The built-in node library. `MODULES` lists the modules whose node types are registered."""

from pflow_studio.nodes.library import (
    arithmetic,
    array_files,
    arrays,
    constants,
    control_flow,
    control_flow_lists,
    files,
    lists,
    plot_files,
    plots,
    python_code,
    strings,
)

MODULES = [constants, arithmetic, strings, lists, python_code, files, control_flow, control_flow_lists, arrays,
           array_files, plots, plot_files]
