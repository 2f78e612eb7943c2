"""The Cluster dock: the Qt face of the cluster manager (panel, engine table, leftovers banner, worker)."""
