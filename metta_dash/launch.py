"""The `metta-dash` executable: a no-op `build` is answered from the last build's record before click and the
library are imported (see `noop_build`); everything else, and any doubt, goes to the CLI."""

from __future__ import annotations

import sys


def entry_point() -> None:
    from metta_dash import noop_build

    code = noop_build.replay(sys.argv[1:])
    if code is None:
        from metta_dash.cli import main

        code = main()
    sys.exit(code)
