#!/bin/bash
# Builds the lab's local apt repositories (served to the hosts over the lab bridge); run by the lab CLI, cached by hash.
# Usage: build-repo.sh keys KEYS_DIR
#          makes the two throwaway signing keys once (a GnuPG home); every repo build signs with them, so hosts
#          keep trusting the lab repo when a lab's repo is rebuilt (e.g. with arm64 packages added for VMs)
#        build-repo.sh repo OUT_DIR STANDIN_DIR KEYS_DIR DEBS_DIR...
#  OUT/www/debian/              flat repo "deb [signed-by=...lab key] http://BRIDGE:PORT/debian ./" with DEBS_DIR's packages
#  OUT/www/tailscale-standin/stable/debian/   a TEST STAND-IN for Tailscale's apt repository (suite bookworm, component main,
#                               amd64 + arm64), holding a fake `tailscale` package built from STANDIN_DIR, signed by a
#                               second test key published as bookworm.noarmor.gpg, the way pkgs.tailscale.com publishes its own.
#  OUT/www/keys/lab.gpg, OUT/www/keys/tailscale-standin.gpg   the two public keys (binary keyrings, for signed-by=)
set -euo pipefail
LAB_UID='sparkbook test lab repository (TEST KEY) <lab@sparkbook.invalid>'
TS_UID='Tailscale repository STAND-IN of the sparkbook test lab (TEST KEY, not Tailscale) <tailscale-standin@sparkbook.invalid>'
fpr() { gpg --batch --quiet --with-colons --list-keys "$1" 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }'; }

if [ "$1" = keys ]; then
  KEYS=$2
  rm -rf "$KEYS.tmp"
  mkdir -p -m 700 "$KEYS.tmp"
  export GNUPGHOME=$KEYS.tmp
  gpg --batch --quiet --passphrase '' --quick-gen-key "$LAB_UID" ed25519 sign never 2>/dev/null
  gpg --batch --quiet --passphrase '' --quick-gen-key "$TS_UID" ed25519 sign never 2>/dev/null
  gpgconf --kill all 2>/dev/null || true
  mv "$KEYS.tmp" "$KEYS"
  exit 0
fi

[ "$1" = repo ] || { echo "usage: build-repo.sh keys KEYS_DIR | repo OUT STANDIN KEYS DEBS..." >&2; exit 2; }
OUT=$2 STANDIN=$3 KEYS=$4
shift 4
TMP=$OUT.tmp
rm -rf "$TMP"
mkdir -p "$TMP/www/keys" "$TMP/www/debian" "$TMP/gnupg"
chmod 700 "$TMP/gnupg"
# A private copy of the keys: gpg writes to its home (trustdb, sockets), and the shared one stays untouched.
cp -a "$KEYS"/. "$TMP/gnupg/"
export GNUPGHOME=$TMP/gnupg
LAB_FPR=$(fpr "$LAB_UID")
TS_FPR=$(fpr "$TS_UID")
gpg --batch --export "$LAB_FPR" > "$TMP/www/keys/lab.gpg"
gpg --batch --export "$TS_FPR" > "$TMP/www/keys/tailscale-standin.gpg"

sign() { # dir fingerprint
  gpg --batch --yes --local-user "$2" --clearsign -o "$1/InRelease" "$1/Release"
  gpg --batch --yes --local-user "$2" -abs -o "$1/Release.gpg" "$1/Release"
}

# The main flat repository.
for d in "$@"; do cp -n "$d"/*.deb "$TMP/www/debian/"; done
( cd "$TMP/www/debian"
  dpkg-scanpackages --multiversion . /dev/null 2>/dev/null > Packages
  gzip -9kn Packages
  apt-ftparchive -o APT::FTPArchive::Release::Origin=sparkbook-lab -o APT::FTPArchive::Release::Label=sparkbook-lab \
    -o APT::FTPArchive::Release::Suite=lab -o APT::FTPArchive::Release::Codename=lab release . > "$TMP/Release.new" )
mv "$TMP/Release.new" "$TMP/www/debian/Release"
sign "$TMP/www/debian" "$LAB_FPR"

# The Tailscale stand-in: one package per architecture, identical POSIX sh payload.
TS_VERSION=$(sed -n 's/^VERSION=//p' "$STANDIN/tailscale")
TSR=$TMP/www/tailscale-standin/stable/debian
for arch in amd64 arm64; do
  P=$TMP/pkg-$arch
  mkdir -p "$P/DEBIAN" "$P/usr/bin" "$P/usr/sbin" "$P/lib/systemd/system" "$P/etc/default" "$P/usr/share/doc/tailscale"
  install -m 755 "$STANDIN/tailscale" "$P/usr/bin/tailscale"
  install -m 755 "$STANDIN/tailscaled" "$P/usr/sbin/tailscaled"
  install -m 644 "$STANDIN/tailscaled.service" "$P/lib/systemd/system/tailscaled.service"
  install -m 644 "$STANDIN/tailscaled.default" "$P/etc/default/tailscaled"
  install -m 755 "$STANDIN/postinst" "$STANDIN/prerm" "$P/DEBIAN/"
  echo "This package is a TEST STAND-IN built by the sparkbook test lab; it is not Tailscale." > "$P/usr/share/doc/tailscale/README.standin"
  echo /etc/default/tailscaled > "$P/DEBIAN/conffiles"
  cat > "$P/DEBIAN/control" <<CONTROL
Package: tailscale
Version: $TS_VERSION
Section: net
Priority: extra
Architecture: $arch
Maintainer: sparkbook test lab <lab@sparkbook.invalid>
Description: TEST STAND-IN for the Tailscale client (sparkbook lab)
 Shell scripts that simulate tailscale status/up/set/down/ip/version and
 record their arguments. Built by test/lab/build-repo.sh; not Tailscale.
CONTROL
  mkdir -p "$TSR/pool/main/t/tailscale"
  dpkg-deb --root-owner-group -Zgzip --build "$P" "$TSR/pool/main/t/tailscale/tailscale_${TS_VERSION}_$arch.deb" >/dev/null
done
for arch in amd64 arm64; do
  B=$TSR/dists/bookworm/main/binary-$arch
  mkdir -p "$B"
  ( cd "$TSR" && dpkg-scanpackages -a "$arch" pool /dev/null 2>/dev/null ) > "$B/Packages"
  gzip -9kn "$B/Packages"
done
( cd "$TSR/dists/bookworm"
  apt-ftparchive -o APT::FTPArchive::Release::Origin=Tailscale-standin -o APT::FTPArchive::Release::Label=Tailscale-standin \
    -o APT::FTPArchive::Release::Suite=bookworm -o APT::FTPArchive::Release::Codename=bookworm \
    -o APT::FTPArchive::Release::Architectures='amd64 arm64' -o APT::FTPArchive::Release::Components=main release . > "$TMP/Release.new" )
mv "$TMP/Release.new" "$TSR/dists/bookworm/Release"
sign "$TSR/dists/bookworm" "$TS_FPR"
cp "$TMP/www/keys/tailscale-standin.gpg" "$TSR/bookworm.noarmor.gpg"
gpg --batch --armor --export "$TS_FPR" > "$TSR/bookworm.gpg"
rm -rf "$TMP"/pkg-*
gpgconf --kill all 2>/dev/null || true
rm -rf "$TMP/gnupg"

rm -rf "$OUT"
mv "$TMP" "$OUT"
