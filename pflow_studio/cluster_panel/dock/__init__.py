"""The Cluster dock, the Qt face of the cluster manager: `panel` (the `ClusterDock`: wiring, layout, status,
log), `actions` (its QActions and the manager call behind each), `widgets` (its controls), `questions` (its
confirmation dialogs), `table` (the engine table), `leftovers` (the banner for processes of earlier
sessions) and `worker` (the thread every manager call runs on)."""
