#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install / make uninstall into a scratch DESTDIR.  Needs no namespace
# and no root, so it does not source lib.sh (which re-executes under unshare
# and mounts a bpffs); it follows the same protocol: one line per test
# "[name] PASS|FAIL (why)|SKIP (why)", then "N passed, N failed, N skipped",
# exit 1 on a failure.  TESTS="test_a" runs a subset.
#
# The expected tree is derived from the sources (what exists in the tree),
# not from the Makefile, so a rule that forgets a file fails here.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d /tmp/shim6-install.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
SKIP_CODE=249
N_PASS=0 N_FAIL=0 N_SKIP=0
REASON=

fail() { REASON=$*; return 1; }
skip() { REASON=$*; return $SKIP_CODE; }

# PREFIX=/usr so that the unit's /usr/local paths must be rewritten.
PREFIX=/usr
mk() { make -C "$TOP" --no-print-directory -s "$@" PREFIX=$PREFIX >"$TMP/make.log" 2>&1; }

expected_files() {
	local f
	echo "$PREFIX/sbin/shim6ctl"
	ls "$TOP"/ctl/shim6d/*.c >/dev/null 2>&1 && echo "$PREFIX/sbin/shim6d"
	for f in "$TOP"/bpf/*.bpf.c; do echo "$PREFIX/lib/shim6/$(basename "$f" .c).o"; done
	for f in "$TOP"/docs/man/*.8; do echo "$PREFIX/share/man/man8/$(basename "$f")"; done
	for f in "$TOP"/docs/man/*.5; do echo "$PREFIX/share/man/man5/$(basename "$f")"; done
	echo "$PREFIX/share/doc/shim6/README.md"
	[ -f "$TOP/ctl/shim6d/shim6d.service" ] && echo "$PREFIX/lib/systemd/system/shim6d.service"
	[ -f "$TOP/ctl/shim6d/shim6d.conf.example" ] && echo "/etc/shim6/shim6d.conf"
	return 0
}

# The tree install produces is exactly the expected list, nothing more.
test_install_tree() {
	local d=$TMP/t1 f
	mk install DESTDIR="$d" || fail "make install failed: $(tail -n3 "$TMP/make.log")" || return
	expected_files | sort >"$TMP/want"
	(cd "$d" && find . -type f -o -type l | sed 's|^\.||' | sort) >"$TMP/got"
	diff -u "$TMP/want" "$TMP/got" >"$TMP/diff" ||
		fail "installed tree differs: $(grep '^[-+]/' "$TMP/diff" | tr '\n' ' ')" || return
	[ -x "$d$PREFIX/sbin/shim6ctl" ] || fail "shim6ctl not executable" || return
	"$d$PREFIX/sbin/shim6ctl" -V >/dev/null || fail "installed shim6ctl -V failed" || return
	for f in "$d$PREFIX"/lib/shim6/*.bpf.o; do
		# ELF, machine 247 (EM_BPF) at offset 18, little endian
		[ "$(od -An -tu2 -j18 -N2 "$f" | tr -d ' ')" = 247 ] || fail "$f is not a BPF ELF object" || return
	done
	if [ -f "$d$PREFIX/lib/systemd/system/shim6d.service" ]; then
		grep -q "ExecStart=$PREFIX/sbin/shim6d " "$d$PREFIX/lib/systemd/system/shim6d.service" ||
			fail "unit does not start $PREFIX/sbin/shim6d" || return
		! grep -q /usr/local/ "$d$PREFIX/lib/systemd/system/shim6d.service" ||
			fail "unit still names /usr/local with PREFIX=$PREFIX" || return
	fi
	if [ -f "$d$PREFIX/sbin/shim6d" ] && [ -f "$d/etc/shim6/shim6d.conf" ]; then
		"$d$PREFIX/sbin/shim6d" --config "$d/etc/shim6/shim6d.conf" --check-config ||
			fail "installed shim6d.conf does not pass shim6d --check-config" || return
	fi
	return 0
}

# Every man page renders without a groff warning.
test_man_pages() {
	local f w
	command -v man >/dev/null || skip "man not installed" || return
	ls "$TOP"/docs/man/*.[58] >/dev/null 2>&1 || fail "no man pages in docs/man" || return
	for f in "$TOP"/docs/man/*.[58]; do
		w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -l "$f" 2>&1 >/dev/null)
		[ -z "$w" ] || fail "$(basename "$f"): $w" || return
	done
}

# uninstall leaves no file and none of the directories install created for shim6.
test_uninstall_empty() {
	local d=$TMP/t2 left
	mk install DESTDIR="$d" || fail "make install failed" || return
	mk uninstall DESTDIR="$d" || fail "make uninstall failed: $(tail -n3 "$TMP/make.log")" || return
	left=$(cd "$d" && find . -type f -o -type l)
	[ -z "$left" ] || fail "left behind: $(echo $left)" || return
	for left in "$PREFIX/lib/shim6" "$PREFIX/share/doc/shim6" /etc/shim6; do
		[ ! -e "$d$left" ] || fail "directory $left left behind" || return
	done
}

# An administrator's edited config survives a second install.
test_install_keeps_config() {
	local d=$TMP/t3
	[ -f "$TOP/ctl/shim6d/shim6d.conf.example" ] ||
		skip "ctl/shim6d/shim6d.conf.example not in this tree (shim6d not merged)" || return
	mk install DESTDIR="$d" || fail "make install failed" || return
	echo "# edited by the administrator" >>"$d/etc/shim6/shim6d.conf"
	mk install DESTDIR="$d" || fail "second make install failed" || return
	grep -q "edited by the administrator" "$d/etc/shim6/shim6d.conf" ||
		fail "second install overwrote /etc/shim6/shim6d.conf"
}

# make deb: the package holds the install tree (man pages gzipped), its
# Depends: name packages that exist here, dpkg installs it into a scratch
# root and purges it without a trace.
test_deb() {
	local r=$TMP/deb-root deb f pkg
	command -v dpkg-deb >/dev/null && command -v dpkg-shlibdeps >/dev/null && command -v fakeroot >/dev/null ||
		skip "dpkg-dev or fakeroot not installed" || return
	deb=$("$TOP/scripts/deb.sh" "$TMP/debs" 2>"$TMP/deb.log") || fail "deb.sh failed: $(tail -n2 "$TMP/deb.log")" || return
	[ -f "$deb" ] || fail "deb.sh printed no package path" || return
	expected_files | sed -E 's|^(.*/man/man[0-9]/.*\.[0-9])$|\1.gz|' | sort >"$TMP/deb-want"
	dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sed 's|^\.||' | sort >"$TMP/deb-got"
	diff -u "$TMP/deb-want" "$TMP/deb-got" >"$TMP/deb-diff" ||
		fail "package contents differ: $(grep '^[-+]/' "$TMP/deb-diff" | tr '\n' ' ')" || return
	for pkg in $(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/ //g'); do
		dpkg-query -W "$pkg" >/dev/null 2>&1 || fail "Depends names $pkg, which is not a package here" || return
	done
	dpkg-deb -f "$deb" Depends | grep -q libbpf1 || fail "Depends lacks libbpf1" || return
	mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" && touch "$r/var/lib/dpkg/status"
	dpkg --root="$r" --force-depends --force-not-root -i "$deb" >"$TMP/dpkg.log" 2>&1 ||
		fail "dpkg -i failed: $(tail -n2 "$TMP/dpkg.log")" || return
	"$r/usr/sbin/shim6ctl" -V >/dev/null || fail "packaged shim6ctl -V failed" || return
	dpkg --root="$r" --force-not-root -P shim6 >"$TMP/dpkg.log" 2>&1 ||
		fail "dpkg -P failed: $(tail -n2 "$TMP/dpkg.log")" || return
	f=$(cd "$r" && find . \( -type f -o -type l \) -not -path './var/lib/dpkg/*')
	[ -z "$f" ] || fail "purge left: $(echo $f)"
}

ALL_TESTS="test_install_tree test_man_pages test_uninstall_empty test_install_keeps_config test_deb"
for t in ${TESTS:-$ALL_TESTS}; do
	REASON=
	"$t"
	rc=$?
	if [ $rc -eq 0 ]; then echo "[$t] PASS"; N_PASS=$((N_PASS + 1))
	elif [ $rc -eq $SKIP_CODE ]; then echo "[$t] SKIP ($REASON)"; N_SKIP=$((N_SKIP + 1))
	else echo "[$t] FAIL (${REASON:-exit status $rc})"; N_FAIL=$((N_FAIL + 1)); fi
done
echo "$N_PASS passed, $N_FAIL failed, $N_SKIP skipped"
[ $N_FAIL -eq 0 ]
