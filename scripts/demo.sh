#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's demo command: install, build, generate the demo VM (seed 000: a Redis-abused
# CentOS 7 VM running a miner) as a qcow2, and examine it into ./case-demo.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDEADBOX_BUILD_TESTS=OFF -DDEADBOX_BUILD_BENCHMARKS=OFF
cmake --build build -j"$(nproc)" --target deadbox
python3 fixtures/build_fixtures.py --out build/fixtures --only demo_centos_miner
image=build/fixtures/demo_centos_miner/disk.qcow2
set +e
./build/src/cli/deadbox examine "$image" -o case-demo --force
rc=$?
set -e
echo
echo "deadbox examine exited with $rc (1 = high-severity findings, see README 'Exit codes')."
echo "Report: $(pwd)/case-demo/report.html"
echo "Timeline: $(pwd)/case-demo/timeline/   Artifacts: $(pwd)/case-demo/artifacts/"
[ "$rc" -le 1 ]
