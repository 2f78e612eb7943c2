"""The element store: every Map element's outcome kept on disk between runs and processes.

`location` says where the store lives (the user's cache directory, `PFLOW_STUDIO_CACHE_DIR`, or a directory
given); `database` opens the SQLite file (private, WAL, set aside and rebuilt when damaged); `store` is the
`ElementStore`: elements by key (their values pickled), the Map runs that used them, size cap with
least-recently-used eviction; `writer` the thread that runs its writes in order while readers wait for
them. `runtime.stored_elements` is how a Map run uses it. Qt-free.
"""
