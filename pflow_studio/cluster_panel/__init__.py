"""Cluster life: the Qt-free manager (ipyparallel + psutil) in this package's modules, used by the CLI,
the Map runners and the app; the Qt dock on top of it in the `dock` subpackage."""
