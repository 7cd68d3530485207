#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install exactly the Debian packages shim6's build, tests, benchmarks and demo
# need, and only those that are missing.  Idempotent: prints what it installs,
# or nothing when everything is there.  The list and the reason for each
# package is in README.md ("Dependencies").
set -euo pipefail

PKGS=(
	# build
	make gcc clang-19 llvm-19 libclang-rt-19-dev pkg-config
	libbpf-dev bpftool libelf-dev zlib1g-dev
	libssl-dev libsodium-dev libjansson-dev libpcap-dev libmnl-dev libevent-dev
	# tests, demo, benchmarks
	iproute2 ethtool jq iperf3 procps util-linux coreutils tcpdump
	iputils-ping socat nftables
	# shim6d netns tests: TCP client/server and a bare-bytes Shim6 initiator
	python3
	# shim6d autoconf netns test: the router namespace's Router Advertisements
	radvd
	# make figures
	gnuplot-nox
	# VM runner
	qemu-system-x86 busybox-static cpio kmod xz-utils
	# make deb (dpkg-shlibdeps computes Depends:)
	dpkg-dev fakeroot
)

die() { echo "install-deps: $*" >&2; exit 1; }

command -v dpkg-query >/dev/null && command -v apt-get >/dev/null ||
	die "this script needs a Debian system with apt-get and dpkg (Debian 12 is what shim6 is tested on); install the packages listed in README.md by hand"

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" -eq 0 ] ||
	die "missing packages: ${missing[*]}; run as root (or: sudo apt-get install ${missing[*]})"

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The package lists of a fresh machine may be empty or stale.
apt-get update -qq || die "apt-get update failed"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
	die "apt-get install ${missing[*]} failed"
echo "install-deps: done"
