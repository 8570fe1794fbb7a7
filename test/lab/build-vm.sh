#!/bin/bash
# Builds the arm64 VM boot set of the lab, cached by a hash of this file: a Debian bookworm arm64 rootfs as a raw
# ext4 template disk, the Debian arm64 kernel, and a tiny busybox initrd made natively (no kernel package is
# installed under emulation: that took 15 minutes in research/lab.md).
# Usage: build-vm.sh OUT_DIR MIRROR
#  OUT/template.img  raw ext4 (VMs run on qcow2 overlays of it)   OUT/vmlinuz  OUT/initrd.gz
#  OUT/repo-debs     arm64 packages the VMs lack, for the lab apt repo     OUT/KERNEL (the kernel release)
# debootstrap's second stage runs arm64 binaries through qemu-user-static: binfmt_misc is enabled for that only,
# and put back as it was at the end.
set -euo pipefail
OUT=$1
MIRROR=${2:-http://deb.debian.org/debian}
SUITE=bookworm
# The container base's list, plus udev (a real kernel) and kmod; ufw pulls in python3.
INCLUDE=openssh-server,openssh-sftp-server,systemd,systemd-sysv,libpam-systemd,dbus,udev,iproute2,iputils-ping,procps,sudo,kmod,ca-certificates,curl,gnupg,iptables,ufw,python3,less
REPO_PKGS="wireguard-tools wireguard-go nftables hello"
# Modules the initrd needs to find and mount the root disk (virtio-blk, ext4), in load order.
INITRD_MODULES="virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk crc16 mbcache jbd2 crc32c_generic ext4"

TMP=$OUT.tmp
rm -rf "$TMP"
mkdir -p "$TMP"
R=$TMP/rootfs
start=$(date +%s)

# --- binfmt for qemu-aarch64, only while building ---
mounted_binfmt=0 enabled_binfmt=0
cleanup() {
  [ "$enabled_binfmt" = 1 ] && update-binfmts --disable qemu-aarch64 >/dev/null 2>&1 || true
  [ "$mounted_binfmt" = 1 ] && umount /proc/sys/fs/binfmt_misc 2>/dev/null || true
}
trap cleanup EXIT
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  mounted_binfmt=1
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || ! grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64; then
  update-binfmts --enable qemu-aarch64
  enabled_binfmt=1
fi

# --- rootfs: the slow, emulated part, kept as a stage of its own so a failure after it does not redo it ---
STAGE=$OUT.debootstrap
if [ ! -f "$STAGE/DONE" ]; then
  rm -rf "$STAGE"
  mkdir -p "$STAGE/repo-debs"
  debootstrap --variant=minbase --arch=arm64 --include=$INCLUDE $SUITE "$STAGE/rootfs" "$MIRROR" > "$STAGE/debootstrap.log" 2>&1 || {
    tail -30 "$STAGE/debootstrap.log" >&2; exit 1; }
  echo "debootstrap arm64: $(( $(date +%s) - start )) s" >&2
  rm -f "$STAGE"/rootfs/var/cache/apt/archives/*.deb
  chroot "$STAGE/rootfs" apt-get -qq update
  chroot "$STAGE/rootfs" env DEBIAN_FRONTEND=noninteractive apt-get -qq -y --download-only --no-install-recommends install $REPO_PKGS
  mv "$STAGE"/rootfs/var/cache/apt/archives/*.deb "$STAGE/repo-debs/"
  touch "$STAGE/DONE"
  echo "arm64 repo debs: $(( $(date +%s) - start )) s" >&2
fi
cp -a "$STAGE/rootfs" "$R"
cp -a "$STAGE/repo-debs" "$TMP/repo-debs"

# --- kernel and busybox, downloaded with this machine's apt pointed at arm64 (native, fast) ---
A=$TMP/apt
mkdir -p "$A/lists/partial" "$A/archives/partial" "$A/dl"
echo "deb $MIRROR $SUITE main" > "$A/sources.list"
APT=(apt-get -q -o Dir::State::Lists="$A/lists" -o Dir::Cache="$A" -o Dir::Cache::archives="$A/archives"
     -o Dir::Etc::SourceList="$A/sources.list" -o Dir::Etc::SourceParts=/dev/null -o Dir::State::status=/dev/null
     -o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
"${APT[@]}" update >/dev/null
KPKG=$(apt-cache -o Dir::State::Lists="$A/lists" -o Dir::Cache="$A" -o Dir::Etc::SourceList="$A/sources.list" \
  -o Dir::Etc::SourceParts=/dev/null -o Dir::State::status=/dev/null -o APT::Architecture=arm64 \
  depends linux-image-arm64 | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-arm64\)$/\1/p' | head -1)
[ -n "$KPKG" ] || { echo "cannot resolve linux-image-arm64" >&2; exit 1; }
( cd "$A/dl" && "${APT[@]}" download "$KPKG:arm64" "busybox-static:arm64" >/dev/null )
KV=${KPKG#linux-image-}
echo "$KV" > "$TMP/KERNEL"
K=$TMP/kernel
dpkg-deb -x "$A"/dl/linux-image-*.deb "$K"    # not into the rootfs: tar would replace its /lib -> usr/lib link
dpkg-deb -x "$A"/dl/busybox-static_*.deb "$TMP/busybox"
cp "$K/boot/vmlinuz-$KV" "$TMP/vmlinuz"
mkdir -p "$R/usr/lib/modules"
cp -a "$K/lib/modules/$KV" "$R/usr/lib/modules/"
depmod -b "$R" "$KV"
echo "kernel $KV: $(( $(date +%s) - start )) s" >&2

# --- initrd: busybox + the root disk's modules; mounts /dev/vda and switches to it ---
I=$TMP/initrd
mkdir -p "$I/bin" "$I/proc" "$I/sys" "$I/dev" "$I/newroot" "$I/lib/modules"
cp "$TMP/busybox/bin/busybox" "$I/bin/busybox"
for m in $INITRD_MODULES; do
  f=$(find "$K/lib/modules/$KV" -name "$m.ko*" | head -1)
  [ -n "$f" ] || { echo "module $m not found" >&2; exit 1; }
  case "$f" in
    *.xz) xz -dc "$f" > "$I/lib/modules/$m.ko" ;;
    *.zst) zstd -qdc "$f" > "$I/lib/modules/$m.ko" ;;
    *) cp "$f" "$I/lib/modules/$m.ko" ;;
  esac
done
cat > "$I/init" <<INIT
#!/bin/busybox sh
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $INITRD_MODULES; do insmod /lib/modules/\$m.ko 2>/dev/null; done
i=0
while [ ! -b /dev/vda ] && [ \$i -lt 200 ]; do sleep 0.05; i=\$((i + 1)); done
mount -t ext4 -o rw /dev/vda /newroot || { echo "initrd: cannot mount /dev/vda"; exec sh; }
umount /proc /sys
mount --move /dev /newroot/dev
exec switch_root /newroot /sbin/init
INIT
chmod 755 "$I/init"
( cd "$I" && find . | cpio -o -H newc --quiet | gzip -9 ) > "$TMP/initrd.gz"

# --- the rootfs as a VM: identity per VM (from QEMU fw_cfg), NIC named enP7s7, networkd, no apt timers ---
rm -f "$R"/var/cache/apt/archives/*.deb
rm -rf "$R"/var/lib/apt/lists/*
: > "$R/etc/apt/sources.list"
rm -f "$R"/etc/ssh/ssh_host_*
: > "$R/etc/machine-id"        # empty: systemd makes a new one on each VM's first boot
mkdir -p "$R/var/lib/dbus"
ln -sf /etc/machine-id "$R/var/lib/dbus/machine-id"
: > "$R/etc/resolv.conf"
rm -f "$R/etc/hostname"
echo '/dev/vda / ext4 defaults 0 1' > "$R/etc/fstab"
chroot "$R" useradd -m -s /bin/bash -G sudo spark
echo 'spark:spark-pass' | chroot "$R" chpasswd
mkdir -p -m 700 "$R/root/.ssh" "$R/home/spark/.ssh"
chroot "$R" chown spark:spark /home/spark/.ssh
mkdir -p "$R/etc/systemd/network" "$R/usr/local/sbin" "$R/var/log/journal"
printf '# sparkbook lab: the one virtio NIC gets a DGX Spark-like name\n[Match]\nDriver=virtio_net\n\n[Link]\nName=enP7s7\n' \
  > "$R/etc/systemd/network/10-lab.link"
cat > "$R/usr/local/sbin/lab-identity" <<'SCRIPT'
#!/bin/sh
# sparkbook lab: unpack this VM's identity (hostname, host keys, authorized_keys, network, apt source) from the
# tar the lab hands QEMU as fw_cfg opt/sparkbook/identity. Runs once, before udev, networkd and sshd.
set -e
modprobe qemu_fw_cfg 2>/dev/null || true
f=/sys/firmware/qemu_fw_cfg/by_name/opt/sparkbook/identity/raw
i=0
while [ ! -r "$f" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
tar -x -C / -f "$f"
hostname "$(cat /etc/hostname)"
touch /var/lib/lab-identity.done
SCRIPT
chmod 755 "$R/usr/local/sbin/lab-identity"
cat > "$R/etc/systemd/system/lab-identity.service" <<'UNIT'
[Unit]
Description=sparkbook lab: this VM's identity from QEMU fw_cfg
DefaultDependencies=no
After=systemd-remount-fs.service
Before=systemd-udev-trigger.service systemd-networkd.service ssh.service sysinit.target
ConditionPathExists=!/var/lib/lab-identity.done

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/lab-identity

[Install]
WantedBy=sysinit.target
UNIT
systemctl --root="$R" enable lab-identity.service systemd-networkd.service >/dev/null 2>&1
systemctl --root="$R" mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service >/dev/null 2>&1 || true

mkfs.ext4 -q -F -L root -d "$R" "$TMP/template.img" 3G
rm -rf "$R" "$K" "$I" "$A" "$TMP/busybox"
echo "$(date -u +%FT%TZ) $SUITE arm64 $KV" > "$TMP/BUILT"
rm -rf "$OUT"
mv "$TMP" "$OUT"
rm -rf "$STAGE"
echo "vm image: $(( $(date +%s) - start )) s, $(du -sh "$OUT" | cut -f1)" >&2
