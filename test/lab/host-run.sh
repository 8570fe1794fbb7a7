#!/bin/bash
# Supervises one lab container: systemd-nspawn --boot in a loop (exit 133 = `systemctl reboot` in the host),
# attaching the host's veth to the lab bridge on every boot. Started detached by the lab CLI, stopped by SIGTERM.
# Usage: host-run.sh HOST_DIR MACHINE HOSTNAME VETH BRIDGE CGROUP_REL
# HOST_DIR holds merged/ (the overlay root) and gets nspawn.pid and console.log.
set -u
D=$1 MACHINE=$2 HOST=$3 VETH=$4 BRIDGE=$5 CG=$6

# A cgroup of our own in every hierarchy nspawn uses: nspawn puts its supervisor/payload cgroups under the
# caller's, so two hosts started from one cgroup would share (and fight over) one payload cgroup.
roots=()
[ -f /sys/fs/cgroup/systemd/cgroup.procs ] && roots+=(/sys/fs/cgroup/systemd)
[ -f /sys/fs/cgroup/unified/cgroup.procs ] && roots+=(/sys/fs/cgroup/unified)
[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] && roots+=(/sys/fs/cgroup)
for r in "${roots[@]}"; do
  mkdir -p "$r/$CG" && echo $$ > "$r/$CG/cgroup.procs"
done

np=
stopping=0
trap 'stopping=1; [ -n "$np" ] && kill -TERM "$np" 2>/dev/null' TERM INT
while :; do
  systemd-nspawn -q -D "$D/merged" --boot --register=no --keep-unit \
    --machine="$MACHINE" --hostname="$HOST" --network-veth-extra="$VETH:enP7s7" \
    --bind=/dev/net/tun --console=pipe --resolv-conf=off --timezone=off --link-journal=no \
    </dev/null >>"$D/console.log" 2>&1 &
  np=$!
  echo "$np" > "$D/nspawn.pid"
  # nspawn creates the veth's outer end; it is ours to put on the bridge.
  for _ in $(seq 1 400); do
    ip link show "$VETH" >/dev/null 2>&1 && { ip link set "$VETH" master "$BRIDGE" up; break; }
    kill -0 "$np" 2>/dev/null || break
    sleep 0.05
  done
  # `wait` returns early when the TERM trap runs; keep waiting until nspawn has really gone.
  rc=0
  while :; do
    wait "$np"; rc=$?
    kill -0 "$np" 2>/dev/null || break
  done
  echo "$(date -u +%FT%TZ) systemd-nspawn exited with $rc" >>"$D/console.log"
  [ "$stopping" = 0 ] && [ "$rc" = 133 ] || break
done
rm -f "$D/nspawn.pid"
