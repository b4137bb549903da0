#!/usr/bin/env python3
"""Write cibuildwheel's test step from a pyproject.toml, for tools/check_dist.sh to run it
as cibuildwheel does: the test-sources, one a line, and the test-command, joined with
``&&`` and with ``{project}``/``{package}`` replaced by ``.``.

Usage: python tools/cibw_test_step.py PYPROJECT SOURCES_OUT COMMAND_OUT   (Python >= 3.11)
"""

import sys

import tomllib

cibw = tomllib.load(open(sys.argv[1], "rb"))["tool"]["cibuildwheel"]
commands = cibw["test-command"]
commands = [commands] if isinstance(commands, str) else commands
open(sys.argv[2], "w").write("\n".join(cibw.get("test-sources", [])) + "\n")
open(sys.argv[3], "w").write(" && ".join(commands).replace("{project}", ".").replace("{package}", "."))
