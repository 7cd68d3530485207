#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run test suites inside a VM on other kernels than the host's (`make vmtest`).
#
#   selftests/vm/vmtest.sh                  the suites in VMTEST_SUITES on each kernel
#   selftests/vm/vmtest.sh -- CMD [ARG...]  run CMD in the guest instead (from the
#                                           work tree, as root); its status is the guest's
#
# Environment (see selftests/vm/README.md):
#   VMTEST_KERNELS  kernels by short name from kernels.conf, or unpacked kernel
#                   directories (default "6.1 6.12"; optional ones are skipped
#                   when apt cannot provide them)
#   VMTEST_SUITES   suites (default "bpf netns"): run.sh's (unit asan bpf netns
#                   fuzzsmoke), netns/test_NAME (one netns script), smoke (the
#                   runner's own netns/veth/XDP/BPF_PROG_TEST_RUN check)
#   VMTEST_TESTS    glob passed on as TESTS (unit/asan/bpf test names)
#   VMTEST_TIMEOUT  seconds per boot before the guest counts as hung (default 3600)
#   VMTEST_ACCEL    tcg (default) or kvm;  VMTEST_SMP (2), VMTEST_MEM (2G)
#   VMTEST_VNG      auto (default: use vng when it is on PATH), 0 never, 1 always
#   VMTEST_CACHE    where fetched kernels are unpacked
#   VMTEST_DENYLIST deny-list file (default selftests/vm/DENYLIST.<kernel name>)
#   VMTEST_FAULT    test hook: "no9p" boots without the host root's 9p device
#   V=1             also print the kernel console
#
# Each guest's result lines are printed as they come; the last line sums all
# kernels: "N passed, N failed, N skipped".  Exit status: the guest's (the
# first non-zero one over the kernels); 124 if a guest hung, 125 if it crashed
# or never reached the tests (the reason is printed); 2 for a setup error.
set -uo pipefail

VM_DIR=$(cd "$(dirname "$0")" && pwd)
WORKDIR=$(cd "$VM_DIR/../.." && pwd)
cd "$WORKDIR" || exit 2
# shellcheck source=selftests/vm/kernels.sh
. "$VM_DIR/kernels.sh"

OUT=${OUTPUT:-.output}
KERNELS=${VMTEST_KERNELS:-6.1 6.12}
SUITES=${VMTEST_SUITES:-bpf netns}
TIMEOUT=${VMTEST_TIMEOUT:-3600}
ACCEL=${VMTEST_ACCEL:-tcg}
SMP=${VMTEST_SMP:-2}
MEM=${VMTEST_MEM:-2G}
USE_VNG=${VMTEST_VNG:-auto}

CMD=()
if [ $# -gt 0 ]; then
	[ "$1" = -- ] && shift
	CMD=("$@")
fi

die() { echo "vmtest: $*" >&2; exit 2; }

need_tools() {
	local t missing=()
	for t in "$@"; do command -v "$t" >/dev/null || missing+=("$t"); done
	[ ${#missing[@]} -eq 0 ] ||
		die "missing ${missing[*]} (scripts/install-deps.sh installs qemu-system-x86 busybox-static cpio kmod)"
}

if [ "$USE_VNG" = auto ]; then
	command -v vng >/dev/null && USE_VNG=1 || USE_VNG=0
fi
if [ "$USE_VNG" = 1 ]; then
	need_tools vng modprobe depmod timeout apt-get dpkg-deb
else
	need_tools qemu-system-x86_64 cpio modprobe depmod timeout apt-get dpkg-deb
	[ -x /bin/busybox ] || die "missing /bin/busybox (Debian package busybox-static)"
fi

# ---- initramfs -------------------------------------------------------------
# build_initramfs DIR: busybox, init.sh, vmtest.conf and the modules (with
# their dependencies, resolved against the guest kernel's tree) that the
# guest needs before it can reach its root: virtio-pci, 9p, overlay.
build_initramfs() {
	local dir=$1 root=$1/initramfs line path n=0 name seen=" "
	rm -rf "$root"
	mkdir -p "$root"/{bin,mods,proc,sys,dev} || return 1
	cp /bin/busybox "$root/bin/busybox" || return 1
	cp "$VM_DIR/init.sh" "$root/init" && chmod 0755 "$root/init" || return 1
	printf 'KVER=%q\nWORKDIR=%q\nRUNDIR=%q\n' "$K_VER" "$WORKDIR" "$RUNDIR" >"$root/vmtest.conf"
	: >"$root/mods/order"
	while read -r line; do
		case $line in
		builtin\ *) continue ;;
		insmod\ *) path=${line#insmod } path=${path%% *} ;;
		*) echo "vmtest: unexpected modprobe output: $line" >&2; return 1 ;;
		esac
		case $seen in *" $path "*) continue ;; esac
		seen+="$path "
		n=$((n + 1))
		name=$(printf '%02d-%s' "$n" "${path##*/}")
		case $path in
		*.ko.xz)  name=${name%.xz};  xz -dc "$path" >"$root/mods/$name" ;;
		*.ko.zst) name=${name%.zst}; zstd -qdc "$path" >"$root/mods/$name" ;;
		*.ko.gz)  name=${name%.gz};  gzip -dc "$path" >"$root/mods/$name" ;;
		*)        cp "$path" "$root/mods/$name" ;;
		esac || return 1
		echo "$name" >>"$root/mods/order"
	done < <(modprobe -d "$K_BASE" -S "$K_VER" --show-depends -a \
		virtio_pci 9pnet_virtio 9p overlay || echo "error modprobe")
	(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) >"$dir/initramfs.cpio" &&
		rm -rf "$root"
}

# ---- one boot ----------------------------------------------------------------
# watchdog QEMU_PID: at VMTEST_TIMEOUT, mark the run hung, have the guest kernel
# print its blocked tasks and CPU backtraces (sysrq keys through qemu's
# monitor; the console log keeps them), then quit qemu.
watchdog() {
	local pid=$1 i
	for ((i = 0; i < TIMEOUT; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 1
	done
	: >"$RUNDIR/hung"
	# 1<> opens the fifo without blocking even if qemu has just gone.
	{
		echo 'sendkey alt-sysrq-9'
		sleep 1
		echo 'sendkey alt-sysrq-w'
		sleep 3
		echo 'sendkey alt-sysrq-l'
		sleep 3
		echo 'quit'
	} 1<>"$RUNDIR/monitor.in"
}

# run_qemu: boot K_IMG with the initramfs; sets QRC (124 when hung).
run_qemu() {
	# shellcheck disable=SC2054 # commas belong to qemu's option syntax
	local accel=(-accel tcg,thread=multi -cpu max) fifo=$RUNDIR/out.fifo reader monreader vm wd
	[ "$ACCEL" = kvm ] && accel=(-accel kvm -cpu host)
	# shellcheck disable=SC2054
	local root9p=(
		-fsdev local,id=hostroot,path=/,readonly=on,security_model=none,multidevs=remap
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
	)
	[ "${VMTEST_FAULT:-}" = no9p ] && root9p=()
	QRC=2
	rm -f "$fifo" "$RUNDIR"/monitor.{in,out} "$RUNDIR/hung"
	mkfifo "$fifo" "$RUNDIR/monitor.in" "$RUNDIR/monitor.out" || return 2
	# ttyS1 (the guest's tests) streams through a fifo to our stdout and the
	# log, line by line (sed -u: no block buffering in between).
	sed -u 's/\r$//' <"$fifo" | tee "$RUNDIR/output.log" &
	reader=$!
	cat "$RUNDIR/monitor.out" >"$RUNDIR/monitor.log" &
	monreader=$!
	# timeout is the backstop should the watchdog's quit not end qemu.
	timeout -k 10 $((TIMEOUT + 60)) qemu-system-x86_64 -name "shim6-vmtest-$KNAME" \
		"${accel[@]}" -smp "$SMP" -m "$MEM" \
		-nodefaults -no-reboot -display none -monitor "pipe:$RUNDIR/monitor" \
		-kernel "$K_IMG" -initrd "$RUNDIR/initramfs.cpio" \
		-serial "file:$RUNDIR/console.log" -serial stdio \
		"${root9p[@]}" \
		-fsdev "local,id=kmods,path=$K_MDIR,readonly=on,security_model=none" \
		-device virtio-9p-pci,fsdev=kmods,mount_tag=kmods \
		-fsdev "local,id=workdir,path=$WORKDIR,security_model=none,multidevs=remap" \
		-device virtio-9p-pci,fsdev=workdir,mount_tag=workdir \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4 rdinit=/init" \
		</dev/null >"$fifo" 2>"$RUNDIR/qemu.err" &
	vm=$!
	watchdog "$vm" &
	wd=$!
	# An interrupted runner must not leave a VM behind.
	trap 'kill -TERM '"$vm $wd $monreader"' 2>/dev/null; wait '"$vm"'; exit 130' INT TERM
	wait "$vm"
	QRC=$?
	trap - INT TERM
	[ -e "$RUNDIR/hung" ] && QRC=124
	kill "$wd" "$monreader" 2>/dev/null
	wait "$reader" "$wd" "$monreader" 2>/dev/null
	rm -f "$fifo" "$RUNDIR"/monitor.{in,out}
}

run_vng() {
	# virtme-ng boots the kernel directory the way xdp-tools' CI does: a copy
	# of lib/modules/KVER plus arch/x86/boot/bzImage and .config.
	local kdir=$K_MDIR
	mkdir -p "$kdir/arch/x86/boot" 2>/dev/null &&
		ln -sf "$K_IMG" "$kdir/arch/x86/boot/bzImage" &&
		{ [ -e "$kdir/.config" ] || cp "$K_BASE/boot/config-$K_VER" "$kdir/.config" 2>/dev/null; }
	timeout -k 10 "$TIMEOUT" vng --run "$kdir" --user root --cpus "$SMP" --memory "$MEM" \
		--cwd "$WORKDIR" --rwdir "$WORKDIR" \
		--exec "bash selftests/vm/guest.sh $(printf %q "$RUNDIR"); echo \$? > $(printf %q "$RUNDIR/rc")" \
		</dev/null 2>"$RUNDIR/qemu.err" | sed -u 's/\r$//' | tee "$RUNDIR/output.log"
	QRC=${PIPESTATUS[0]}
}

# The "smoke" suite's test-only XDP program (selftests/vm/progs/), built here
# because the Makefile builds only shim6's own bpf/*.bpf.c.
build_smoke_obj() {
	mkdir -p "$OUT/vm" &&
		"${CLANG:-clang-19}" -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror -I. \
			-c selftests/vm/progs/vm_smoke.bpf.c -o "$OUT/vm/vm_smoke.bpf.o"
}
if [ ${#CMD[@]} -eq 0 ] && [[ " $SUITES " == *" smoke "* ]]; then
	build_smoke_obj || die "cannot build selftests/vm/progs/vm_smoke.bpf.c"
fi

# ---- the legs ----------------------------------------------------------------
tp=0 tf=0 ts=0 status=0

leg_fail() {
	local code=$1; shift
	echo "[vm/$KNAME] FAIL ($*)"
	tf=$((tf + 1))
	[ "$status" -ne 0 ] || status=$code
}

# explain_no_status: the guest wrote no exit status; say why.
explain_no_status() {
	local con=$RUNDIR/console.log why
	why=$(grep -h -m1 -o 'vmtest-error: .*' "$RUNDIR/output.log" "$con" 2>/dev/null | head -n1)
	if [ -n "$why" ]; then
		leg_fail 125 "guest could not run the tests: ${why#vmtest-error: }"
	elif grep -q -E 'Kernel panic|BUG:|Oops|general protection fault' "$con" 2>/dev/null; then
		leg_fail 125 "guest kernel crashed: $(grep -m1 -o -E '(Kernel panic|BUG:|Oops|general protection fault).*' "$con")"
	elif [ "$QRC" -gt 128 ] && [ ! -s "$RUNDIR/qemu.err" ]; then
		leg_fail 125 "qemu was killed by signal $((QRC - 128))"
	elif [ "$QRC" -ne 0 ]; then
		leg_fail 125 "qemu exited $QRC: $(tail -n1 "$RUNDIR/qemu.err" 2>/dev/null)"
	else
		leg_fail 125 "guest powered off without writing an exit status"
	fi
}

run_leg() {
	local rc t0 last p f s
	t0=$(date +%s)
	RUNDIR=$OUT/vm/$KNAME
	mkdir -p "$RUNDIR" || die "cannot create $RUNDIR"
	rm -f "$RUNDIR"/{rc,cmd,console.log,output.log,qemu.err,monitor.log}
	printf 'VMTEST_KNAME=%q\nVMTEST_SUITES=%q\nVMTEST_TESTS=%q\nVMTEST_DENYLIST=%q\nOUTPUT=%q\n' \
		"$KNAME" "$SUITES" "${VMTEST_TESTS:-}" \
		"${VMTEST_DENYLIST:-selftests/vm/DENYLIST.$KNAME}" "$OUT" >"$RUNDIR/env"
	[ ${#CMD[@]} -gt 0 ] && printf '%s\0' "${CMD[@]}" >"$RUNDIR/cmd"

	if [ "$USE_VNG" = 1 ]; then
		echo "== vm $KNAME: $K_DESC, vng"
		run_vng
	else
		build_initramfs "$RUNDIR" || die "cannot build the initramfs for $K_VER"
		echo "== vm $KNAME: $K_DESC, qemu $ACCEL -smp $SMP -m $MEM, timeout ${TIMEOUT}s"
		run_qemu
	fi
	[ "${V:-0}" = 1 ] && { echo "-- kernel console ($RUNDIR/console.log):"; cat "$RUNDIR/console.log"; }

	if [ "$QRC" -eq 124 ] || [ "$QRC" -eq 137 ]; then
		echo "-- last kernel console lines, with the guest's blocked tasks and CPU backtraces ($RUNDIR/console.log):"
		tail -n 80 "$RUNDIR/console.log" 2>/dev/null
		leg_fail 124 "guest did not finish within ${TIMEOUT}s (hung?); VMTEST_TIMEOUT raises the limit"
		return
	fi
	if [ ! -s "$RUNDIR/rc" ]; then
		echo "-- last kernel console lines ($RUNDIR/console.log):"
		tail -n 20 "$RUNDIR/console.log" 2>/dev/null
		explain_no_status
		return
	fi
	rc=$(cat "$RUNDIR/rc")
	echo "vmtest: $KNAME: guest exited $rc after $(($(date +%s) - t0)) s"
	grep -q -E '^(WARNING:|BUG:)' "$RUNDIR/console.log" 2>/dev/null &&
		echo "vmtest: $KNAME: kernel warnings in $RUNDIR/console.log"
	[ "$rc" -ne 0 ] && [ "$status" -eq 0 ] && status=$rc

	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$RUNDIR/output.log" | tail -n1)
	if [ -n "$last" ]; then
		read -r p _ f _ s _ <<<"${last//,/}"
		tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			tf=$((tf + 1))
		fi
	elif [ "$rc" -ne 0 ]; then
		tf=$((tf + 1))
	elif [ ${#CMD[@]} -gt 0 ]; then
		tp=$((tp + 1)) # a plain command that succeeded counts as one pass
	fi
}

for k in $KERNELS; do
	KNAME=$k
	[ -d "$k" ] && KNAME=$(basename "$(cd "$k" && pwd)")
	need=$(kernel_need "$k")
	kernel_prepare "$k"
	case $? in
	0) run_leg ;;
	1)
		if [ "$need" = optional ]; then
			echo "[vm/$KNAME] SKIP ($K_WHY)"
			ts=$((ts + 1))
		else
			leg_fail 2 "$K_WHY"
		fi
		;;
	*) leg_fail 2 "cannot prepare kernel $KNAME" ;;
	esac
done

echo "$tp passed, $tf failed, $ts skipped"
[ "$status" -eq 0 ] && [ "$tf" -gt 0 ] && status=1
exit "$status"
