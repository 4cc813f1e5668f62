"""``python -m mako_engine``: the ``mako-engine`` command line (see :mod:`mako_engine.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
