"""The ipyparallel Map runner: the client side (`runner`, `map_run`, `chunks`) and the code engines run
(`engine_side`). Qt-free; ipyparallel is imported only when a Map runs on a cluster."""
