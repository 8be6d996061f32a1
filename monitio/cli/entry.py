"""The `monitio` executable's entry point: `--version` answers before anything else is imported.

>>> import sys
>>> sys.argv = ["monitio", "--version"]
>>> main()
monitio 0.1.0
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from monitio import __version__

        sys.stdout.write(f"monitio {__version__}\n")
        return
    from monitio.cli.main import main as run

    run()
