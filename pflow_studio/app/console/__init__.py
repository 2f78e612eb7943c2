""""Open in console": a Jupyter Qt console on an in-process IPython kernel, in a dock of the main window.

`dock.open_in_console(window, names, title)` binds values to names there (the dock and its kernel are made on
first use: qtconsole and ipykernel are imported then, never at the app's start); `names` says what an element's
or a node's outputs bind (`value`, `outputs`, `inputs`, each port by its name); `dock.end_console(window)` ends the
kernel when the window closes.
"""
