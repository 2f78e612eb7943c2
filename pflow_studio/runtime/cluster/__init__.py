"""The ipyparallel Map runner. Client side: `runner` (ClusterRunner), `map_run` (one map), `memory` (what
the runner keeps between maps), `chunks` (sizing and encoding), `liveness` (engines and controller),
`notices` and `errors` (what it tells and raises). `engine_side` is the code engines run and the reader
of what they send back. Qt-free; ipyparallel is imported only when a Map runs on a cluster."""
