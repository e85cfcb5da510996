# SPDX-License-Identifier: Apache-2.0
# Sourced by the bench/*.sh scripts: their shared defaults and options, the GPT + ext4 bench
# image, GNU time records and medians. Sets here, build, srcs, offset_sectors, offset_bytes.
# shellcheck shell=bash

here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build"
srcs="/usr /var/lib"
offset_sectors=2048  # the ext4 partition starts at 1 MiB
offset_bytes=$((offset_sectors * 512))

# bench_options "ALLOWED" ARGS…: sets build (-b), images (-i), work (-w), rounds (-r),
# srcs (-s) and e01=0 (--no-e01) from ARGS; an option not in ALLOWED is an error (exit 2).
# shellcheck disable=SC2034  # the sourcing script reads them
bench_options() {
  local allowed=" $1 "
  shift
  while [[ $# -gt 0 ]]; do
    [[ $1 != *" "* && $allowed == *" $1 "* ]] || { echo "unknown option $1" >&2; exit 2; }
    case "$1" in
      -b) build=$2; shift 2 ;;
      -i) images=$2; shift 2 ;;
      -w) work=$2; shift 2 ;;
      -r) rounds=$2; shift 2 ;;
      -s) srcs=$2; shift 2 ;;
      --no-e01) e01=0; shift ;;
      *) echo "unknown option $1" >&2; exit 2 ;;
    esac
  done
}

# stage_sources STAGE "SRCS" [link]: copies each of SRCS into STAGE at its own path (mkfs.ext4
# -d needs one root); with link, hard links are tried first (no copy on the same filesystem).
# Unreadable files are skipped, not fatal.
stage_sources() {
  local stage=$1 s
  for s in $2; do
    mkdir -p "$stage$(dirname "$s")"
    { [[ ${3:-} == link ]] && cp -al "$s" "$stage$s" 2>/dev/null; } ||
      cp -a --reflink=auto "$s" "$stage$s" 2>/dev/null || true
  done
}

# build_gpt_ext4 RAW STAGE: writes RAW (via RAW.tmp, so a cut build is never reused): GPT, one
# ext4 partition at offset_sectors, 30 % + 256 MiB larger than STAGE, filled by mkfs.ext4 -d
# from STAGE; STAGE is removed.
build_gpt_ext4() {
  local raw=$1 stage=$2 kib fs_mib
  kib=$(du -sk "$stage" | cut -f1)
  fs_mib=$(( kib / 1024 * 13 / 10 + 256 ))
  truncate -s $(( (fs_mib + 2) * 1024 * 1024 )) "$raw.tmp"
  printf 'label: gpt\nstart=%d, size=%d, type=L\n' "$offset_sectors" $((fs_mib * 2048)) |
    sfdisk -q "$raw.tmp"
  mkfs.ext4 -q -F -E offset=$offset_bytes -d "$stage" "$raw.tmp" "${fs_mib}M"
  rm -rf "$stage"
  mv "$raw.tmp" "$raw"
}

# source_image RAW: builds RAW once from a staging copy of srcs (the timeline and examine
# benchmarks' image), staged next to it.
source_image() {
  local raw=$1 stage
  [[ ! -s "$raw" ]] || return 0
  stage="$(dirname "$raw")/stage"
  rm -rf "$stage" && mkdir -p "$stage"
  stage_sources "$stage" "$srcs"
  build_gpt_ext4 "$raw" "$stage"
}

# record_time LABEL TIME_FILE RESULTS: appends "LABEL wall_seconds peak_rss_kib" to RESULTS from
# a GNU `time -v` report.
record_time() {
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$2")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$2")
  echo "$1 $wall $rss" >>"$3"
}

# median VALUES…: the middle value (the lower one of an even count), numeric order.
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }

# summarize RESULTS: "label median_wall peak_rss" per label of RESULTS (record_time lines),
# labels sorted (portable awk: no gawk asort, Debian's awk is mawk).
summarize() {
  local label
  for label in $(cut -d' ' -f1 "$1" | sort -u); do
    # shellcheck disable=SC2046  # one word per wall time
    echo "$label $(median $(awk -v k="$label" '$1==k {print $2}' "$1"))" \
      "$(awk -v k="$label" '$1==k && $3>m {m=$3} END {print m}' "$1")"
  done
}
