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
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build"
images="${TMPDIR:-/tmp}/deadbox-bench"
work="${TMPDIR:-/tmp}/deadbox-bench-examine"
rounds=3
srcs="/usr /var/lib"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -b) build=$2; shift 2 ;;
    -i) images=$2; shift 2 ;;
    -w) work=$2; shift 2 ;;
    -r) rounds=$2; shift 2 ;;
    -s) srcs=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
deadbox="$build/src/cli/deadbox"
[[ -x "$deadbox" ]] || { echo "no $deadbox: build the deadbox target first" >&2; exit 2; }
mkdir -p "$work" "$images"
raw="$images/bench.raw"
offset_sectors=2048
offset_bytes=$((offset_sectors * 512))

if [[ ! -s "$raw" ]]; then
  # Staging copy: mkfs.ext4 -d needs one root; unreadable files are skipped, not fatal.
  stage="$images/stage"
  rm -rf "$stage" && mkdir -p "$stage"
  for s in $srcs; do
    mkdir -p "$stage$(dirname "$s")"
    cp -a --reflink=auto "$s" "$stage$s" 2>/dev/null || true
  done
  kib=$(du -sk "$stage" | cut -f1)
  fs_mib=$(( kib / 1024 * 13 / 10 + 256 ))
  truncate -s $(( (fs_mib + 2) * 1024 * 1024 )) "$raw.tmp"
  printf 'label: gpt\nstart=%d, size=%d, type=L\n' "$offset_sectors" $((fs_mib * 2048)) |
    sfdisk -q "$raw.tmp"
  mkfs.ext4 -q -F -E offset=$offset_bytes -d "$stage" "$raw.tmp" "${fs_mib}M"
  rm -rf "$stage"
  mv "$raw.tmp" "$raw"
fi

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
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$t")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t")
  echo "$label $wall $rss" >>"$work/results.txt"
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

# Median wall time and peak RSS per label (sort, not gawk's asort: Debian's awk is mawk).
summary=$(for k in $(awk '{print $1}' "$work/results.txt" | sort -u); do
  awk -v k="$k" '$1==k {print $2, $3}' "$work/results.txt" | sort -n |
    awk -v k="$k" '{w[NR]=$1; if ($2>r) r=$2} END {printf "%s %.3f %d\n", k, w[int((NR+1)/2)], r}'
done)
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
