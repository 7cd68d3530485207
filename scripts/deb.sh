#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a binary Debian package of shim6 from `make install` (PREFIX=/usr):
#
#   scripts/deb.sh [OUTDIR]          (make deb; OUTDIR defaults to .output/deb)
#
# Why not debhelper: the tree has one non-recursive Makefile whose install rule
# is already tested (selftests/netns/test_install.sh); dpkg-deb over that tree
# gives the same files with no second description of them to keep in sync.
# Depends: come from dpkg-shlibdeps over the two binaries, so they name exactly
# the shared libraries they link (libbpf1, libssl3, libsodium23, ...), plus
# the tools shim6d runs at run time.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$TOP/.output/deb}
cd "$TOP"

for t in dpkg-deb dpkg-shlibdeps fakeroot; do
	command -v "$t" >/dev/null || { echo "deb.sh: $t not found (apt-get install dpkg-dev fakeroot)" >&2; exit 1; }
done

ARCH=$(dpkg --print-architecture)
# Debian versions must start with a digit: 0.1+git<describe> from the tree.
DESC=$(git describe --always --dirty 2>/dev/null || echo unknown)
VERSION=${DEB_VERSION:-0.1+git$(echo "$DESC" | tr -c 'A-Za-z0-9.+~\n' '.')}
STAGE=$(mktemp -d /tmp/shim6-deb.XXXXXX)
trap 'rm -rf "$STAGE"' EXIT
ROOT=$STAGE/root

make --no-print-directory -s install DESTDIR="$ROOT" PREFIX=/usr >/dev/null

# Debian policy: man pages compressed (the tree installs them plain).
find "$ROOT/usr/share/man" -type f -name '*.[0-9]' -exec gzip -9n {} +

# dpkg-shlibdeps wants a debian/control beside it; give it a minimal one in
# the scratch dir, never in the tree.
mkdir -p "$STAGE/debian" "$ROOT/DEBIAN"
printf 'Source: shim6\n\nPackage: shim6\nArchitecture: any\n' >"$STAGE/debian/control"
bins=()
for b in "$ROOT"/usr/sbin/*; do bins+=("$b"); done
shlibs=$(cd "$STAGE" && dpkg-shlibdeps -O "${bins[@]}" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

size=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
cat >"$ROOT/DEBIAN/control" <<EOF
Package: shim6
Version: $VERSION
Architecture: $ARCH
Maintainer: shim6 developers <shim6@localhost>
Installed-Size: $size
Depends: $shlibs, iproute2, ethtool
Recommends: bpftool
Section: net
Priority: optional
Homepage: https://www.rfc-editor.org/rfc/rfc5533
Description: host-based IPv6 multihoming (Shim6, REAP, HBA, CGA) with an eBPF data plane
 shim6 keeps TCP and UDP flows of a host with several IPv6 addresses alive when
 a path fails: applications keep their original addresses (ULIDs) while the
 packets move to another locator pair. RFC 5533 (Shim6), RFC 5534 (REAP),
 RFC 5535 (HBA) and RFC 3972 (CGA) on an unmodified kernel: shim6d is the
 controller, shim6ctl the command-line tool, the data plane is eBPF (tc, XDP).
EOF
# The config is the administrator's: dpkg keeps an edited one on upgrade.
[ ! -f "$ROOT/etc/shim6/shim6d.conf" ] || echo /etc/shim6/shim6d.conf >"$ROOT/DEBIAN/conffiles"

mkdir -p "$OUT"
deb=$OUT/shim6_${VERSION}_${ARCH}.deb
fakeroot dpkg-deb --build -Zxz "$ROOT" "$deb" >/dev/null
echo "$deb"
