#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Extraction benchmark (issue 4): `deadbox extract` of the default artifact set vs `icat` of the
# same files (one icat per inode, as a responder scripts it with TSK), same image, page cache warm.
#
#   bench/extract_vs_icat.sh [-b BUILD_DIR] [-w WORK_DIR] [-r ROUNDS] [-s "SRC_DIRS"]
#
# Builds WORK_DIR/extract.raw once (GPT, one ext4 partition at 1 MiB, mkfs.ext4 -d from a staging
# tree: hard-linked copies of SRC_DIRS, default "/usr /var/lib", a real copy of /etc, plus planted
# /var/log (auth.log, syslog, rotated and gzipped copies, wtmp/btmp), /boot (kernel, initrd,
# System.map, grub) and 20 users' homes with histories and ssh keys added to passwd), then reuses it.
# The icat list is deadbox's own manifest: every regular file it wrote (extracted_as, not deleted).
# The icat outputs are checked against the manifest's SHA-256 after timing.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
work="${TMPDIR:-/tmp}/deadbox-bench-extract"
rounds=1
bench_options "-b -w -r -s" "$@"
deadbox="$build/src/cli/deadbox"
mkdir -p "$work"
raw="$work/extract.raw"

# plant STAGE: the incident-relevant files a real server has and /usr does not.
plant() {
  local stage=$1
  python3 - "$stage" <<'EOF'
import gzip, os, random, struct, sys
stage = sys.argv[1]
rnd = random.Random(4)
def w(path, data, mode=0o644):
    p = os.path.join(stage, path.lstrip("/"))
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)
    os.chmod(p, mode)
def syslog_lines(n, prog, fmt):
    out = []
    for i in range(n):
        t = 1717200000 + i * 7
        out.append("Jun %2d %02d:%02d:%02d web01 %s[%d]: %s\n" % (
            1 + t // 86400 % 28, t // 3600 % 24, t // 60 % 60, t % 60, prog,
            1000 + i % 30000, fmt(i)))
    return "".join(out).encode()
ips = ["203.0.113.%d" % i for i in range(1, 255)]
auth = lambda i: ("Failed password for invalid user u%d from %s port %d ssh2" %
                  (i % 977, ips[i % 254], 30000 + i % 30000)) if i % 5 else \
                 ("Accepted publickey for admin from 192.168.10.23 port %d ssh2: ED25519 SHA256:x" % (40000 + i % 20000))
sysl = lambda i: "Started Session %d of user admin; unit=session-%d.scope rx=%x" % (i, i, rnd.getrandbits(64))
w("/var/log/auth.log", syslog_lines(200000, "sshd", auth), 0o640)
w("/var/log/auth.log.1", syslog_lines(150000, "sshd", auth), 0o640)
for k in (2, 3, 4):
    w("/var/log/auth.log.%d.gz" % k, gzip.compress(syslog_lines(100000, "sshd", auth), 6, mtime=0), 0o640)
w("/var/log/syslog", syslog_lines(400000, "systemd", sysl), 0o640)
w("/var/log/syslog.1", syslog_lines(300000, "systemd", sysl), 0o640)
for k in (2, 3, 4):
    w("/var/log/syslog.%d.gz" % k, gzip.compress(syslog_lines(200000, "systemd", sysl), 6, mtime=0), 0o640)
def utmp(n, typ):
    recs = []
    for i in range(n):
        recs.append(struct.pack("<hxxi32s4s32s256shhiii4i20x", typ, 1000 + i, b"pts/%d" % (i % 9),
                                b"ts/%d" % (i % 9), b"admin", ips[i % 254].encode(), 0, 0, 0,
                                1717200000 + i * 60, 0, 0, 0, 0, 0))
    return b"".join(recs)
w("/var/log/wtmp", utmp(60000, 7), 0o664)
w("/var/log/wtmp.1", utmp(60000, 7), 0o664)
w("/var/log/btmp", utmp(100000, 6), 0o600)
w("/var/log/lastlog", bytes(292 * 1100), 0o664)
w("/boot/vmlinuz-6.1.0-21-amd64", rnd.randbytes(8 << 20))
w("/boot/initrd.img-6.1.0-21-amd64", rnd.randbytes(48 << 20))
w("/boot/System.map-6.1.0-21-amd64", b"".join(b"ffffffff%08x T sym_%d\n" % (i * 16, i) for i in range(200000)))
w("/boot/config-6.1.0-21-amd64", b"".join(b"CONFIG_OPT_%d=y\n" % i for i in range(12000)))
w("/boot/grub/grub.cfg", b"menuentry 'Debian GNU/Linux' { linux /vmlinuz-6.1.0-21-amd64 root=/dev/sda1 }\n" * 20)
for i in range(250):
    w("/boot/grub/i386-pc/mod%03d.mod" % i, rnd.randbytes(4096 + 97 * i))
cmds = [b"ls -la", b"cd /var/www", b"sudo systemctl restart nginx", b"git pull", b"vim /etc/hosts",
        b"tail -f /var/log/syslog", b"curl -I https://example.org", b"ssh db01", b"df -h", b"top"]
users = []
for u in range(1, 21):
    name = "user%02d" % u
    users.append("%s:x:%d:%d:%s:/home/%s:/bin/bash\n" % (name, 1000 + u, 1000 + u, name, name))
    hist = b"\n".join(cmds[(u * k) % len(cmds)] for k in range(3000)) + b"\n"
    w("/home/%s/.bash_history" % name, hist, 0o600)
    w("/home/%s/.ssh/authorized_keys" % name, b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%s %s@laptop\n" % (rnd.randbytes(16).hex().encode(), name.encode()), 0o600)
    w("/home/%s/.profile" % name, b"export PATH=$HOME/bin:$PATH\n")
    w("/home/%s/.viminfo" % name, b"# viminfo\n" * 200, 0o600)
w("/root/.bash_history", b"\n".join(cmds * 500) + b"\n", 0o600)
with open(os.path.join(stage, "etc/passwd"), "a") as f:
    f.writelines(users)
EOF
}

if [[ ! -s "$raw" ]]; then
  stage="$work/stage"
  rm -rf "$stage" && mkdir -p "$stage"
  # Hard links cost no copy (same host filesystem); mkfs only reads them. /etc is copied for
  # real because passwd gets the bench users appended.
  stage_sources "$stage" "$srcs" link
  cp -a /etc "$stage/etc" 2>/dev/null || true
  rm -f "$stage/etc/passwd" && cp /etc/passwd "$stage/etc/passwd"
  plant "$stage"
  build_gpt_ext4 "$raw" "$stage"
fi

[[ -x "$deadbox" ]] || { echo "no $deadbox (build the deadbox target)" >&2; exit 2; }

# wall LABEL CMD…: GNU time's wall seconds.
wall() {
  local label=$1; shift
  /usr/bin/time -f "%e" -o "$work/time.$label" "$@" >/dev/null 2>"$work/err.$label" ||
    { echo "$label failed:" >&2; cat "$work/err.$label" >&2; exit 1; }
  cat "$work/time.$label"
}

cat "$raw" >/dev/null  # warm the page cache for both tools alike
results=()
for ((i = 1; i <= rounds; i++)); do
  out="$work/out"
  rm -rf "$out"
  t_deadbox=$(wall deadbox "$deadbox" extract -q "$raw" -o "$out")
  # The same files for icat: "inode<TAB>sha256<TAB>capped" of every regular file deadbox wrote.
  jq -r 'select(.extracted_as != null and .deleted == false and .type == "r")
         | [.inode, .sha256, (.notes | map(select(startswith("truncated"))) | length)] | @tsv' \
    "$out/manifest.jsonl" >"$work/list.tsv"
  icat_dir="$work/icat"
  rm -rf "$icat_dir" && mkdir -p "$icat_dir"
  cut -f1 "$work/list.tsv" | sort -un >"$work/inodes.txt"
  cat >"$work/icat_all.sh" <<EOF
#!/bin/sh
while read -r ino; do icat -o $offset_sectors "$raw" "\$ino" >"$icat_dir/\$ino"; done <"$work/inodes.txt"
EOF
  chmod +x "$work/icat_all.sh"
  t_icat=$(wall icat "$work/icat_all.sh")
  results+=("$t_deadbox $t_icat")
done

# Not timed: icat's bytes must be deadbox's bytes (capped files excepted).
mismatch=$(while IFS=$'\t' read -r ino sha capped; do
  [[ $capped == 0 ]] || continue
  [[ $(sha256sum <"$icat_dir/$ino" | cut -d' ' -f1) == "$sha" ]] || echo "$ino"
done <"$work/list.tsv" | wc -l)

files=$(wc -l <"$work/inodes.txt")
bytes=$(du -sb --apparent-size "$icat_dir" | cut -f1)
d=$(median $(for r in "${results[@]}"; do echo "${r% *}"; done))
c=$(median $(for r in "${results[@]}"; do echo "${r#* }"; done))
echo "image: $raw ($(du -h --apparent-size "$raw" | cut -f1) apparent, $(du -h "$raw" | cut -f1) used)"
echo "default set: $(wc -l <"$out/manifest.jsonl") manifest rows, $files regular files written, $bytes bytes (icat)"
echo "rounds: $rounds (median wall s)"
printf '  %-36s %8.2f s\n' "deadbox extract (default set)" "$d" "icat per inode (same files)" "$c"
awk -v a="$d" -v b="$c" 'BEGIN {if (b > 0) printf "ratio deadbox / icat: %.3f\n", a / b}'
echo "icat outputs differing from the manifest sha256: $mismatch"
