#!/bin/bash
# Builds the lab's read-only Debian bookworm base rootfs (amd64) and the .debs its apt repo serves; run by the lab CLI, cached by a hash of this file.
# Usage: build-base.sh OUT_DIR MIRROR
# OUT_DIR/rootfs: the base every container overlays; OUT_DIR/repo-debs: packages the hosts lack, for the local apt repo.
# Everything is built in OUT_DIR.tmp and renamed at the end, so a half-built base is never used.
set -euo pipefail
OUT=$1
MIRROR=${2:-http://deb.debian.org/debian}
ARCH=amd64
SUITE=bookworm
# What a DGX Spark-like host has installed before any test: sshd, systemd, sudo, networking tools, ufw/iptables.
# python3 comes with ufw; Ansible (the benchmark) needs it on the targets, sparkbook never uses it.
INCLUDE=openssh-server,openssh-sftp-server,systemd,systemd-sysv,libpam-systemd,dbus,iproute2,iputils-ping,procps,sudo,kmod,ca-certificates,curl,gnupg,iptables,ufw,python3,less
# Packages the tests install from the lab's apt repo (their missing dependencies are downloaded too).
REPO_PKGS="wireguard-tools wireguard-go nftables hello"

TMP=$OUT.tmp
rm -rf "$TMP"
mkdir -p "$TMP"
R=$TMP/rootfs
start=$(date +%s)
debootstrap --variant=minbase --arch=$ARCH --include=$INCLUDE $SUITE "$R" "$MIRROR" > "$TMP/debootstrap.log" 2>&1 || {
  tail -30 "$TMP/debootstrap.log" >&2; exit 1; }
echo "debootstrap: $(( $(date +%s) - start )) s" >&2

# The repo's packages: resolve against this exact rootfs so the download is the dependency closure it lacks.
mkdir -p "$TMP/repo-debs"
rm -f "$R"/var/cache/apt/archives/*.deb
chroot "$R" apt-get -qq update
chroot "$R" env DEBIAN_FRONTEND=noninteractive apt-get -qq -y --download-only --no-install-recommends install $REPO_PKGS
mv "$R"/var/cache/apt/archives/*.deb "$TMP/repo-debs/"
chroot "$R" apt-get clean
rm -rf "$R"/var/lib/apt/lists/*
# Hosts reach no mirror: their only source is the lab repo, written per host at creation.
: > "$R/etc/apt/sources.list"

# Identity is per host: no shared host keys, machine-id or resolv.conf from this machine.
rm -f "$R"/etc/ssh/ssh_host_*
: > "$R/etc/machine-id"
mkdir -p "$R/var/lib/dbus"
ln -sf /etc/machine-id "$R/var/lib/dbus/machine-id"
: > "$R/etc/resolv.conf"
rm -f "$R/etc/hostname"

# The non-root sudo user of a Spark; its password is the lab's documented ansible_become_password.
chroot "$R" useradd -m -s /bin/bash -G sudo spark
echo 'spark:spark-pass' | chroot "$R" chpasswd
mkdir -p -m 700 "$R/root/.ssh" "$R/home/spark/.ssh"
chroot "$R" chown spark:spark /home/spark/.ssh

# Networking by systemd-networkd (per-host .network file); no apt timers fighting the tests for the dpkg lock.
systemctl --root="$R" enable systemd-networkd.service >/dev/null 2>&1
systemctl --root="$R" mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service >/dev/null 2>&1 || true
# Persistent journal, so sshd's log survives a reboot of the host.
mkdir -p "$R/var/log/journal"

echo "$(date -u +%FT%TZ) $SUITE $ARCH" > "$TMP/BUILT"
rm -rf "$OUT"
mv "$TMP" "$OUT"
echo "base: $(( $(date +%s) - start )) s, $(du -sh "$OUT/rootfs" | cut -f1)" >&2
