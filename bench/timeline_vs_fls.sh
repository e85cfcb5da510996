#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Timeline benchmark against the anchor: deadbox timeline vs fls -r -m (same image, alternating
# rounds, page cache warm), CSV vs fls+mactime, and the E01/qcow2 renders vs raw.
#
#   bench/timeline_vs_fls.sh [-b BUILD_DIR] [-w WORK_DIR] [-r ROUNDS] [-s "SRC_DIRS"] [--no-e01]
#
# Builds WORK_DIR/bench.raw once (GPT, one ext4 partition at 1 MiB filled with mkfs.ext4 -d from
# SRC_DIRS, default "/usr /var/lib"), plus bench.qcow2 and bench.E01, and reuses them later.
# DEADBOX_BENCH_TOOL=walk times build/bench/deadbox_bench_walk (image → fs → walk → writer, no
# inventory) instead of `deadbox timeline`.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
work="${TMPDIR:-/tmp}/deadbox-bench"
rounds=3
e01=1
bench_options "-b -w -r -s --no-e01" "$@"
mkdir -p "$work"
raw="$work/bench.raw"
source_image "$raw"
[[ -s "$work/bench.qcow2" ]] || qemu-img convert -O qcow2 "$raw" "$work/bench.qcow2"
if [[ $e01 == 1 && ! -s "$work/bench.E01" ]]; then
  ewfacquire -u -q -t "$work/bench" -c deflate:fast -S 64GiB -f encase6 -o 0 "$raw" >/dev/null
fi

# One wrapper so every variant is a plain command line: deadbox_tl IMAGE FORMAT.
tl="$work/deadbox_tl"
if [[ "${DEADBOX_BENCH_TOOL:-cli}" == walk ]]; then
  printf '#!/bin/sh\nexec "%s" "$1" %d "$2"\n' "$build/bench/deadbox_bench_walk" "$offset_bytes" >"$tl"
else
  printf '#!/bin/sh\nexec "%s" timeline -q --format "$2" "$1"\n' "$build/src/cli/deadbox" >"$tl"
fi
chmod +x "$tl"

# run LABEL CMD… : wall seconds and peak RSS (KiB) from GNU time, output to /dev/null.
run() {
  local label=$1; shift
  /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.$label" 2>/dev/null
  record_time "$label" "$work/time.txt" "$work/results.txt"
}

: >"$work/results.txt"
entries=$(fls -r -m / -o $offset_sectors "$raw" | wc -l)
for ((i = 1; i <= rounds; i++)); do
  run fls_body fls -r -m / -o $offset_sectors "$raw"
  run deadbox_body "$tl" "$raw" body
  run fls_mactime bash -c "fls -r -m / -o $offset_sectors '$raw' > '$work/fls.body' && mactime -b '$work/fls.body' -d -y > /dev/null"
  run deadbox_csv "$tl" "$raw" csv
  run deadbox_body_qcow2 "$tl" "$work/bench.qcow2" body
  if [[ $e01 == 1 ]]; then
    run deadbox_body_e01 "$tl" "$work/bench.E01" body
    run fls_body_e01 fls -r -m / -o $offset_sectors "$work/bench.E01"
  fi
done

summary=$(summarize "$work/results.txt")  # median wall time and peak RSS per label
echo "image: $raw ($entries fls lines; $(du -h --apparent-size "$raw" | cut -f1) apparent)"
echo "tool: ${DEADBOX_BENCH_TOOL:-cli}; rounds: $rounds (median wall s, peak RSS KiB)"
echo "$summary" | awk '{printf "  %-20s %8.3f s %8d KiB\n", $1, $2, $3}'
get() { echo "$summary" | awk -v k="$1" '$1==k {print $2}'; }
ratio() { awk -v a="$(get "$1")" -v b="$(get "$2")" 'BEGIN {if (b>0) printf "%.2f", a/b; else print "n/a"}'; }
echo "ratio deadbox body / fls -r -m:          $(ratio deadbox_body fls_body)   (target <= 0.50)"
echo "ratio deadbox csv / (fls + mactime -d):   $(ratio deadbox_csv fls_mactime)   (target <= 0.20)"
echo "ratio deadbox qcow2 / deadbox raw:        $(ratio deadbox_body_qcow2 deadbox_body)"
[[ $e01 == 1 ]] && echo "ratio deadbox E01 / deadbox raw:          $(ratio deadbox_body_e01 deadbox_body)   (target <= 1.5)"
[[ $e01 == 1 ]] && echo "ratio fls E01 / fls raw:                  $(ratio fls_body_e01 fls_body)"
echo "lines: deadbox body $(wc -l <"$work/out.deadbox_body"), fls $(wc -l <"$work/out.fls_body")"
