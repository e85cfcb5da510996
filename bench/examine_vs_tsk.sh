#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 6 benchmark: `deadbox examine` (timeline + extraction + parsing + checks + report, one
# walk) vs what it replaces with The Sleuth Kit alone: fls -r -m, mactime -b -d, and icat of
# the same files examine extracted (inodes from its manifest). Same image, same run, alternating
# rounds with a warm page cache.
#
#   bench/examine_vs_tsk.sh [-b BUILD_DIR] [-i IMAGE_DIR] [-w WORK_DIR] [-r ROUNDS] [-s "SRC_DIRS"]
#
# The image is timeline_vs_fls.sh's (IMAGE_DIR/bench.raw, default $TMPDIR/deadbox-bench: GPT, one
# ext4 partition at 1 MiB filled with mkfs.ext4 -d from SRC_DIRS, default "/usr /var/lib"), built
# here when absent; outputs (case folder, TSK outputs, timings) go to WORK_DIR, default
# $TMPDIR/deadbox-bench-examine, so the two scripts can run side by side.
# That shared image holds no /etc, so no root filesystem is identified: nothing is extracted
# (icat has nothing to copy) and every ELF sits in an "odd place" for the content scanner. For a
# system-like tree (root found, artifacts extracted), e.g.:
#   bench/examine_vs_tsk.sh -i /tmp/deadbox-bench-examine/sysimg -w /tmp/deadbox-bench-examine/sys \
#     -s "/etc /usr/bin /usr/sbin /usr/lib/x86_64-linux-gnu /usr/share /var/lib/dpkg /var/log"
# (TSK cannot run on the demo VM itself: Debian's TSK 4.11.1 has no XFS and no LVM.)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
images="${TMPDIR:-/tmp}/deadbox-bench"
work="${TMPDIR:-/tmp}/deadbox-bench-examine"
rounds=3
bench_options "-b -i -w -r -s" "$@"
deadbox="$build/src/cli/deadbox"
[[ -x "$deadbox" ]] || { echo "no $deadbox: build the deadbox target first" >&2; exit 2; }
mkdir -p "$work" "$images"
raw="$images/bench.raw"
source_image "$raw"

# The TSK side as one command: timeline, CSV, then one icat per file examine extracted
# (the list comes from a first examine run's manifest, so both sides copy the same files).
tsk="$work/tsk_pipeline"
cat >"$tsk" <<EOF
#!/bin/sh
set -e
out=\$1
rm -rf "\$out" && mkdir -p "\$out/files"
fls -r -m / -o $offset_sectors "$raw" > "\$out/bodyfile.txt"
mactime -b "\$out/bodyfile.txt" -d -y > "\$out/timeline.csv"
n=0
while read -r inode; do
  n=\$((n + 1))
  icat -o $offset_sectors "$raw" "\$inode" > "\$out/files/\$n"
done < "$work/icat_inodes.txt"
EOF
chmod +x "$tsk"

# run LABEL CMD… : wall seconds and peak RSS (KiB) from GNU time.
run() {
  local label=$1; shift
  local t="$work/time.txt"
  /usr/bin/time -v -o "$t" "$@" >/dev/null 2>"$work/err.$label" || {
    local rc=$?
    # examine exits 1 when it finds something at --fail-on (high): that is success here.
    [[ $label == deadbox_examine && $rc == 1 ]] || { echo "$label failed ($rc):" >&2; tail -5 "$work/err.$label" >&2; exit 1; }
  }
  record_time "$label" "$t" "$work/results.txt"
}

: >"$work/results.txt"
examine=("$deadbox" examine "$raw" -o "$work/case" --force --quiet)
run deadbox_examine "${examine[@]}"
# Regular, non-deleted files with content: what icat can copy by inode number.
python3 - "$work/case/artifacts/manifest.jsonl" >"$work/icat_inodes.txt" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r.get("extracted_as") and r.get("type") == "r" and not r.get("deleted") and r.get("inode"):
        print(r["inode"])
PY
for ((i = 1; i <= rounds; i++)); do
  run tsk_fls_mactime_icat "$tsk" "$work/tsk"
  run deadbox_examine "${examine[@]}"
done
sed -i '1d' "$work/results.txt"  # the manifest-producing run is a warm-up

# Median wall time (to the ms, as the ratio below uses it) and peak RSS per label.
summary=$(summarize "$work/results.txt" | awk '{printf "%s %.3f %d\n", $1, $2, $3}')
get() { echo "$summary" | awk -v k="$1" '$1==k {print $2}'; }
echo "image: $raw ($(du -h --apparent-size "$raw" | cut -f1) apparent)"
echo "rounds: $rounds (median wall s, peak RSS KiB)"
echo "$summary" | awk '{printf "  %-22s %8.3f s %8d KiB\n", $1, $2, $3}'
echo "deadbox examine: $(wc -l <"$work/case/timeline/bodyfile.txt") bodyfile lines," \
     "$(wc -l <"$work/case/artifacts/manifest.jsonl") manifest rows," \
     "$(wc -l <"$work/case/findings.jsonl") findings, report + records + JSONL timeline"
echo "TSK: $(wc -l <"$work/tsk/bodyfile.txt") bodyfile lines, $(wc -l <"$work/tsk/timeline.csv") CSV" \
     "lines, $(wc -l <"$work/icat_inodes.txt") files via icat (no hashes, no parsing, no checks)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
awk -v a="$(get deadbox_examine)" -v b="$(get tsk_fls_mactime_icat)" \
  'BEGIN {if (b>0) printf "ratio deadbox examine / (fls + mactime + icat): %.2f   (target < 1)\n", a/b}'
