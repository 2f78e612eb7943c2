"""`python -m pflow_studio` is the `pflow-studio` command."""

import sys

from pflow_studio.launcher import main

sys.exit(main())
