#!/usr/bin/env bash
# setup.sh (Gradescope): runs once when Gradescope builds the autograder image, as root,
# with this zip unpacked in /autograder/source: install what the grading kit needs.
set -euo pipefail
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends make python3
/autograder/source/kit/tools/install-deps all
