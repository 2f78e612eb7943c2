"""Cluster life: a Qt-free manager (ipyparallel + psutil) and the Qt dock on top of it."""
