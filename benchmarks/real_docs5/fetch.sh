#!/bin/sh
# Usage: fetch.sh DEST   -- idempotent; fetches pinned Debian 12 packages and builds docs/<set>/
set -eu
DEST=${1:?usage: fetch.sh DEST}
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
WORK="$DEST/.work"
mkdir -p "$WORK"

render_man() { # $1 = man file (gz), $2 = out txt
  MANWIDTH=80 man --nh --nj -l "$1" 2>/dev/null | col -bx > "$2"
}

fetch() { # $1 pkg  $2 version
  ( cd "$WORK" && [ -f "$1_done" ] || { apt-get download "$1=$2" >/dev/null && rm -rf "x_$1" && dpkg-deb -x "$1"_*.deb "x_$1" && touch "$1_done"; } )
}

# ---- set: nvme-cli (man pages -> txt)
if [ ! -f "$DEST/.nvme-cli.complete" ]; then
  fetch nvme-cli 2.4+really2.3-3
  S="$DEST/nvme-cli"; rm -rf "$S"; mkdir -p "$S/man"
  for f in "$WORK"/x_nvme-cli/usr/share/man/man1/*.1.gz; do
    b=$(basename "$f" .gz); render_man "$f" "$S/man/$b.txt"
  done
  cp "$WORK"/x_nvme-cli/usr/share/doc/nvme-cli/copyright "$S/LICENSE-nvme-cli.txt"
  touch "$DEST/.nvme-cli.complete"
fi

# ---- set: libmodbus (man pages -> txt, README.md/MIGRATION as-is)
if [ ! -f "$DEST/.libmodbus.complete" ]; then
  fetch libmodbus-dev 3.1.6-2.1+deb12u1
  S="$DEST/libmodbus"; rm -rf "$S"; mkdir -p "$S/man"
  for f in "$WORK"/x_libmodbus-dev/usr/share/man/man*/*.gz; do
    b=$(basename "$f" .gz); render_man "$f" "$S/man/$b.txt"
  done
  cp "$WORK"/x_libmodbus-dev/usr/share/doc/libmodbus-dev/README.md "$S/README.md"
  cp "$WORK"/x_libmodbus-dev/usr/share/doc/libmodbus-dev/MIGRATION "$S/MIGRATION.txt"
  cp "$WORK"/x_libmodbus-dev/usr/share/doc/libmodbus-dev/copyright "$S/LICENSE-libmodbus-dev.txt"
  touch "$DEST/.libmodbus.complete"
fi

# ---- set: gpsd (AsciiDoc troubleshooting/readme + man pages -> txt)
if [ ! -f "$DEST/.gpsd.complete" ]; then
  fetch gpsd 3.22-4.1+deb12u1
  S="$DEST/gpsd"; rm -rf "$S"; mkdir -p "$S/man"
  for f in "$WORK"/x_gpsd/usr/share/man/man*/*.gz; do
    b=$(basename "$f" .gz); render_man "$f" "$S/man/$b.txt"
  done
  zcat "$WORK"/x_gpsd/usr/share/doc/gpsd/TROUBLESHOOTING.adoc.gz > "$S/TROUBLESHOOTING.adoc"
  zcat "$WORK"/x_gpsd/usr/share/doc/gpsd/README.adoc.gz > "$S/README.adoc"
  cp "$WORK"/x_gpsd/usr/share/doc/gpsd/copyright "$S/LICENSE-gpsd.txt"
  touch "$DEST/.gpsd.complete"
fi
echo "done: $DEST"
