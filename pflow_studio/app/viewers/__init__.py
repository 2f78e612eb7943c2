"""Viewers of result values: a registry chooses a widget by the value's type (registry.py, builtin.py), one module
per family (text, tables, tree, arrays, plots, images, frames), export to files (export.py), and the frame that
puts a viewer under a title with an Export button (frame.py)."""
