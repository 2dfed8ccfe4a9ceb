#!/bin/sh
# Reproduce docs/ from pinned Debian packages (bookworm).
set -e
DEST=${1:-docs}
mkdir -p "$DEST/.work"
DEST=$(cd "$DEST" && pwd)
W="$DEST/.work"
get() { # pkg version
  pkg=$1; ver=$2
  if [ ! -d "$W/$pkg" ]; then
    ( cd "$W" && rm -f "${pkg}_"*.deb && apt-get download "$pkg=$ver" >/dev/null 2>&1 )
    mkdir -p "$W/$pkg"
    dpkg-deb -x "$W/${pkg}_"*.deb "$W/$pkg"
  fi
}
render() { # manfile out
  MANWIDTH=80 man --nh --nj -l "$1" 2>/dev/null | col -bx > "$2"
}
# --- e2fsprogs (man pages rendered to text) ---
if [ ! -f "$DEST/.e2fsprogs.complete" ]; then
  get e2fsprogs 1.47.0-2+b2
  mkdir -p "$DEST/e2fsprogs"
  for f in "$W/e2fsprogs/usr/share/man/"man*/*.gz; do
    b=$(basename "$f" .gz)
    render "$f" "$DEST/e2fsprogs/$b.txt"
  done
  cp "$W/e2fsprogs/usr/share/doc/e2fsprogs/copyright" "$DEST/e2fsprogs/LICENSE-e2fsprogs.txt"
  touch "$DEST/.e2fsprogs.complete"
fi
# --- btrfs-progs (man pages rendered to text) ---
if [ ! -f "$DEST/.btrfs.complete" ]; then
  get btrfs-progs 6.2-1+deb12u2
  mkdir -p "$DEST/btrfs"
  for f in "$W/btrfs-progs/usr/share/man/"man*/*.gz; do
    b=$(basename "$f" .gz)
    render "$f" "$DEST/btrfs/$b.txt"
  done
  cp "$W/btrfs-progs/usr/share/doc/btrfs-progs/copyright" "$DEST/btrfs/LICENSE-btrfs-progs.txt"
  touch "$DEST/.btrfs.complete"
fi
# --- chrony (man pages rendered to text + upstream plain-text FAQ/README) ---
if [ ! -f "$DEST/.chrony.complete" ]; then
  get chrony 4.3-2+deb12u3
  mkdir -p "$DEST/chrony"
  for f in "$W/chrony/usr/share/man/"man*/*.gz; do
    b=$(basename "$f" .gz)
    render "$f" "$DEST/chrony/$b.txt"
  done
  zcat "$W/chrony/usr/share/doc/chrony/FAQ.gz" > "$DEST/chrony/FAQ.txt"
  zcat "$W/chrony/usr/share/doc/chrony/README.gz" > "$DEST/chrony/README.txt"
  zcat "$W/chrony/usr/share/doc/chrony/NEWS.gz" > "$DEST/chrony/NEWS.txt"
  cp "$W/chrony/usr/share/doc/chrony/README.Debian" "$DEST/chrony/README.Debian.txt"
  for f in "$W/chrony/usr/share/doc/chrony/examples/"chrony.conf.example*; do
    cp "$f" "$DEST/chrony/$(basename "$f").txt"
  done
  cp "$W/chrony/usr/share/doc/chrony/copyright" "$DEST/chrony/LICENSE-chrony.txt"
  touch "$DEST/.chrony.complete"
fi
