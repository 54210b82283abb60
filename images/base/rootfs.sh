#!/usr/bin/env bash
# Makes the root filesystem of rebound/debian: a minimal Debian bookworm from Debian's own
# packages (debootstrap), with the apt sources of this machine (security updates included) and
# every update applied. No registry is reachable, so this is the one base every image starts from.
#   rootfs.sh DIR
set -euo pipefail
dir=$1
mirror=$(awk '/^Types: deb$/{deb=1; next} deb && /^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
mirror=${mirror:-http://deb.debian.org/debian}
debootstrap --variant=minbase bookworm "$dir" "$mirror" >&2
# The image's apt sources: this machine's binary ones (not deb-src).
awk 'BEGIN{RS=""; ORS="\n\n"} /Types: deb\n/ || /Types: deb$/' /etc/apt/sources.list.d/debian.sources \
  > "$dir/etc/apt/sources.list.d/debian.sources"
rm -f "$dir/etc/apt/sources.list"
cp /etc/resolv.conf "$dir/etc/resolv.conf"
chroot "$dir" apt-get update -qq >&2
chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get -y -qq upgrade >&2
chroot "$dir" apt-get clean
rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/archives/*.deb "$dir/etc/resolv.conf"
: > "$dir/etc/resolv.conf"
