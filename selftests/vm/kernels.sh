# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # K_* are read by vmtest.sh
# Sourced by vmtest.sh: find or fetch the guest kernels.
#
# A kernel is a directory KBASE holding boot/vmlinuz-KVER and
# lib/modules/KVER/ with a modules.dep, i.e. an unpacked Debian
# linux-image-* package after `depmod -b KBASE KVER`.  Debian kernels are
# fetched with `apt-get download` and unpacked with `dpkg-deb -x` into the
# kernel cache, so the host's /boot, /lib/modules and bootloader are never
# touched (installing the package would run update-initramfs and
# update-grub hooks for a kernel the host never boots).
#
# kernel_prepare NAME sets K_BASE K_VER K_IMG K_MDIR K_DESC and returns
#   0  ready
#   1  not available (K_WHY says why; the caller decides skip or fail)
#   2  error while preparing it (message printed)

VM_DIR=${VM_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}

# Default cache: outside .output so that `make clean` does not cost a
# 70-100 MB download per kernel.
kernel_cache_dir() {
	if [ -n "${VMTEST_CACHE:-}" ]; then
		echo "$VMTEST_CACHE"
	elif [ "$(id -u)" -eq 0 ]; then
		echo /var/cache/shim6-vm
	else
		echo "${XDG_CACHE_HOME:-$HOME/.cache}/shim6-vm"
	fi
}

# kernel_conf NAME: print "PACKAGE NEED" for a short name from kernels.conf.
kernel_conf() {
	awk -v n="$1" '!/^[[:space:]]*(#|$)/ && $1 == n { print $2, $3; found = 1; exit }
		END { exit !found }' "$VM_DIR/kernels.conf"
}

kernel_need() {
	local c
	if [ -d "$1" ]; then echo required; return; fi
	c=$(kernel_conf "$1") || { echo required; return; }
	echo "${c#* }"
}

# kernel_from_dir DIR: use an unpacked kernel tree (must hold exactly one).
kernel_from_dir() {
	local base=$1 imgs
	shopt -s nullglob
	imgs=("$base"/boot/vmlinuz-*)
	shopt -u nullglob
	if [ ${#imgs[@]} -ne 1 ]; then
		K_WHY="$base/boot holds ${#imgs[@]} vmlinuz-* images, need exactly one"
		return 1
	fi
	K_BASE=$base
	K_IMG=${imgs[0]}
	K_VER=${K_IMG##*/vmlinuz-}
	K_MDIR=$base/lib/modules/$K_VER
	if [ ! -f "$K_MDIR/modules.dep" ]; then
		K_WHY="$K_MDIR/modules.dep missing (run: depmod -b $base $K_VER)"
		return 1
	fi
	return 0
}

# apt_resolve META: print "PACKAGE VERSION" of the image package behind a meta
# package (or of META itself if it is already a versioned image package).
apt_resolve() {
	local meta=$1 real ver
	real=$(apt-cache depends --no-recommends --no-suggests "$meta" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
	[ -n "$real" ] || real=$meta
	ver=$(apt-cache policy "$real" 2>/dev/null | awk '$1 == "Candidate:" { print $2; exit }')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || return 1
	echo "$real $ver"
}

# kernel_fetch PACKAGE VERSION DIR: download and unpack into DIR (atomic).
kernel_fetch() {
	local pkg=$1 ver=$2 dir=$3 tmp deb kver opts=()
	tmp=$(mktemp -d "${dir%/*}/.fetch.XXXXXX") || return 2
	[ "$(id -u)" -eq 0 ] && opts=(-o APT::Sandbox::User=root)
	echo "vmtest: downloading $pkg $ver (apt-get download)"
	if ! (cd "$tmp" && apt-get download -q=2 "${opts[@]}" "$pkg=$ver"); then
		echo "vmtest: apt-get download $pkg=$ver failed" >&2
		rm -rf "$tmp"
		return 2
	fi
	deb=$(ls "$tmp"/*.deb)
	if ! dpkg-deb -x "$deb" "$tmp/root"; then
		echo "vmtest: dpkg-deb -x $deb failed" >&2
		rm -rf "$tmp"
		return 2
	fi
	kver=$(ls "$tmp/root/lib/modules")
	# Debian generates modules.dep in the package's postinst; we are the postinst.
	if ! depmod -b "$tmp/root" "$kver"; then
		echo "vmtest: depmod -b $tmp/root $kver failed" >&2
		rm -rf "$tmp"
		return 2
	fi
	rm -f "$deb"
	rm -rf "$dir"
	mv "$tmp/root" "$dir" && rmdir "$tmp" && touch "$dir/.ready"
}

kernel_prepare() {
	local name=$1 cache conf meta res pkg ver dir
	K_WHY='' K_DESC=''
	if [ -d "$name" ]; then
		kernel_from_dir "$(cd "$name" && pwd)" || return 1
		K_DESC="$K_VER from $K_BASE"
		return 0
	fi
	conf=$(kernel_conf "$name") || {
		K_WHY="unknown kernel '$name' (not in selftests/vm/kernels.conf, not a directory)"
		return 1
	}
	meta=${conf%% *}
	cache=$(kernel_cache_dir)
	mkdir -p "$cache" || { echo "vmtest: cannot create kernel cache $cache" >&2; return 2; }

	if ! res=$(apt_resolve "$meta"); then
		# Stale or empty package lists on a fresh machine: refresh once.
		if [ "$(id -u)" -eq 0 ] && [ -z "${VMTEST_APT_UPDATED:-}" ]; then
			echo "vmtest: apt has no candidate for $meta, running apt-get update"
			apt-get update -qq >/dev/null 2>&1 || true
			VMTEST_APT_UPDATED=1
			res=$(apt_resolve "$meta") || true
		fi
	fi
	if [ -z "$res" ]; then
		# Offline: fall back to whatever was fetched earlier for this name.
		dir=$(ls -d "$cache/$name"_* 2>/dev/null | sort -V | tail -n1)
		if [ -n "$dir" ] && kernel_from_dir "$dir"; then
			K_DESC="$K_VER (cached; apt has no candidate for $meta now)"
			return 0
		fi
		K_WHY="apt has no installable candidate for $meta (apt-cache policy $meta)"
		return 1
	fi
	pkg=${res% *} ver=${res#* }
	dir=$cache/${name}_${pkg}_${ver}
	(
		flock 9
		[ -f "$dir/.ready" ] && exit 0
		kernel_fetch "$pkg" "$ver" "$dir"
	) 9>"$cache/.lock" || return 2
	kernel_from_dir "$dir" || return 2
	K_DESC="$K_VER ($pkg $ver)"
	return 0
}
