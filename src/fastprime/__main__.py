"""``python -m fastprime``: the same command as the ``fastprime`` console script."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
