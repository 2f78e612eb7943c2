"""Shared test helpers: node types and workflows to build, real clusters, process scanners, the canvas
and the main window. Test modules import from here, never from one another; the root conftest registers
the fixtures defined here."""
