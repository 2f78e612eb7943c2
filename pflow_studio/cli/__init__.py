"""The headless command line: `pflow-studio run | cluster | cache ...` (the app is opened by `pflow_studio.launcher`).

`main` (in `cli.main`) dispatches; `parser` builds the argument parser, `exit_codes` holds the exit
codes and the one-line error printer every command uses; `run` (with `plan`, `report`, `store_args`),
`cluster`, `cache` and `progress` are the commands, their parts and the progress bar.
"""
