#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# /init of the VM runner's initramfs (copied there by vmtest.sh, which also
# writes /vmtest.conf and the /mods it needs).  Runs as PID 1 under busybox:
#
#   1. load the virtio/9p/overlay modules listed in /mods/order;
#   2. build the guest's root: the host's / over 9p (read-only) under a tmpfs
#      overlay, so the guest may write anywhere without touching the host; the
#      guest kernel's own module tree over 9p at /lib/modules/KVER; the work
#      tree over 9p read-write at its host path;
#   3. run selftests/vm/guest.sh chrooted there, its output on ttyS1 (the
#      runner's stdout; the kernel console is ttyS0, a log file);
#   4. write guest.sh's exit status to RUNDIR/rc in the work tree, power off.
#
# Any failure prints "vmtest-error: REASON" on both serial ports and powers
# off without writing rc; the runner turns that into its failure reason.
# shellcheck shell=sh disable=SC1091

/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox --install -s /bin
export PATH=/bin

. /vmtest.conf	# KVER WORKDIR RUNDIR

stty -F /dev/ttyS1 raw -echo 2>/dev/null
out() { echo "$*" >/dev/ttyS1; }
die() {
	echo "vmtest-error: $*"
	out "vmtest-error: $*"
	sync
	poweroff -f
	sleep 60	# poweroff -f does not return; never let PID 1 exit
}

for m in $(cat /mods/order); do
	insmod "/mods/$m" || die "insmod $m failed (kernel $KVER)"
done

R=/newroot
mkdir -p /lower /rw $R
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /lower ||
	die "cannot mount the host root over 9p (virtio tag hostroot)"
# trusted.* xattrs of the overlay's upper layer need a tmpfs, not rootfs.
{ mount -t tmpfs -o mode=0755 tmpfs /rw && mkdir -p /rw/upper /rw/work; } ||
	die "cannot mount the tmpfs for the overlay's upper layer"
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay $R ||
	die "cannot mount the overlay root (lowerdir 9p, upperdir tmpfs)"

mkdir -p "$R/lib/modules/$KVER"
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 kmods "$R/lib/modules/$KVER" ||
	die "cannot mount the guest kernel's modules over 9p (virtio tag kmods)"

mount -t proc proc $R/proc
mount -t sysfs sys $R/sys
mount -t devtmpfs dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts devpts $R/dev/pts
# udev's links, which bash's process substitution (/dev/fd/N) needs.
ln -sf /proc/self/fd $R/dev/fd
ln -sf /proc/self/fd/0 $R/dev/stdin
ln -sf /proc/self/fd/1 $R/dev/stdout
ln -sf /proc/self/fd/2 $R/dev/stderr
mount -t tmpfs tmpfs $R/dev/shm
for d in tmp run var/tmp; do mount -t tmpfs -o mode=1777 tmpfs "$R/$d"; done
# The work tree last: it may live under /tmp (CI clones there), which the
# tmpfs above would otherwise hide.
mkdir -p "$R$WORKDIR"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 workdir "$R$WORKDIR" ||
	die "cannot mount the work tree $WORKDIR read-write over 9p (virtio tag workdir)"
mount -t bpf bpf $R/sys/fs/bpf || die "cannot mount bpffs"
mount -t tracefs tracefs $R/sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs $R/sys/kernel/debug 2>/dev/null
mount -t cgroup2 cgroup2 $R/sys/fs/cgroup 2>/dev/null

# The kernel runs its module loader (veth, sch_ingress, ... on demand) with
# PID 1's root, which is this initramfs: send it into the guest root, where
# kmod's modprobe finds /lib/modules/KVER.
printf '#!/bin/busybox sh\nexec /bin/busybox chroot %s /sbin/modprobe "$@"\n' $R >/sbin-modprobe
chmod 0755 /sbin-modprobe
echo /sbin-modprobe >/proc/sys/kernel/modprobe
# All sysrq functions, for the runner's watchdog (blocked tasks, backtraces).
echo 1 >/proc/sys/kernel/sysrq
hostname vmtest

chroot $R /usr/bin/env -i \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root TERM=dumb LANG=C.UTF-8 \
	/bin/bash "$WORKDIR/selftests/vm/guest.sh" "$RUNDIR" </dev/null >/dev/ttyS1 2>&1
rc=$?

echo "$rc" >"$R$WORKDIR/$RUNDIR/rc" || die "cannot write the exit status to $WORKDIR/$RUNDIR/rc"
sync
umount "$R$WORKDIR" 2>/dev/null
poweroff -f
sleep 60
