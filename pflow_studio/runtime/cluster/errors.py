"""The one hierarchy of cluster errors, shared by the Map runner and the cluster manager.

`ClusterError` is what the CLI, the dock and the app catch: a cluster action or a Map on the cluster that
could not be done; its message says why (and what to do) in one line. The runner raises the subclasses.
"""


class ClusterError(RuntimeError):
    """A cluster action, or a Map on the cluster, that could not be done; the message says why."""


class NoEngines(ClusterError):
    """No engine was connected long enough to run the Map."""


class ControllerLost(ClusterError):
    """The cluster's controller stopped answering."""


class BodyNotSendable(ClusterError):
    """The Map body cannot be serialized for the engines."""


class EnginesUnfit(ClusterError):
    """Engines that cannot run the Map's code (pflow_studio missing or of another version, another Python or
    cloudpickle); raised before any element is sent (`precheck`)."""
