#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's test command: install Debian packages, build, build the fixture images with
# the real tools (cached in build/fixtures), run every test. Run from a clean clone.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 1200
