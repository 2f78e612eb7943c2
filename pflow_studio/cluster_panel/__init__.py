"""Cluster life: a Qt-free manager at the top of this package, the Qt dock in the `dock` subpackage.

The manager (imported by the CLI, the Map runners and the app; never imports Qt): `manager` (the
`ClusterManager`, the one entry point), `model` (what it reports), `launch` (starting controllers and
engines), `discovery` (finding clusters and leftovers), `teardown` (ending what a record owns),
`state_file` (the ownership record), `processes` (pid + create time), `engines` (per-engine facts),
`profiles` (IPython profiles) and `bounded` (calls with a time limit); `map_runner` gives a Map its runner
through the manager. The dock (`dock/`) is the Qt face on top of the manager.
"""
