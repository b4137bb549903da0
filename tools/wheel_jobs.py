#!/usr/bin/env python3
"""Print the wheels.yml build jobs, one a line, for tools/check_dist.sh to feed to
``cibuildwheel --print-build-identifiers``: NAME PLATFORM ARCHS SKIP (spaces in the
name as ``~``, an empty skip as ``-``).  Needs ruamel.yaml (installed with cibuildwheel).

Usage: python tools/wheel_jobs.py .github/workflows/wheels.yml
"""

import sys

from ruamel.yaml import YAML

jobs = YAML(typ="safe").load(open(sys.argv[1]))["jobs"]["wheels"]["strategy"]["matrix"]["include"]
for job in jobs:
    print(job["name"].replace(" ", "~"), job["platform"], job["archs"], job["skip"] or "-")
