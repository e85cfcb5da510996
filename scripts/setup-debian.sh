#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every Debian 12 package that deadbox's build, tests, fixtures and demo need.
# Idempotent; run as root (or through sudo).
set -euo pipefail
packages=(
  # build
  build-essential cmake pkg-config g++
  libtsk-dev libewf-dev libqcow-dev libvslvm-dev libfsxfs-dev
  rapidjson-dev libcli11-dev libgtest-dev googletest libbenchmark-dev
  libssl-dev zlib1g-dev liblzma-dev libbz2-dev libext2fs-dev libdeflate-dev
  # fixtures (real tools that build real images) and oracles
  e2fsprogs xfsprogs fdisk lvm2 qemu-utils ewf-tools sleuthkit
  python3 mmdebstrap
  # report rendering test (headless)
  chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
