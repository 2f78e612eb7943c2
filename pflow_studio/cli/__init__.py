"""The headless command line: `pflow-studio run | cluster ...` (the app is opened by `pflow_studio.launcher`).

`main` (in `cli.main`) dispatches; `parser` builds the argument parser, `exit_codes` holds the exit
codes and the one-line error printer every command uses; `run`, `cluster` and `progress` are the
commands and the progress bar.
"""
