#!/bin/sh
# Reproduce docs/ from pinned Debian packages. Usage: ./fetch.sh DEST
set -e
DEST=${1:-docs}
mkdir -p "$DEST/.work"
W=$(cd "$DEST/.work" && pwd)
get() { # pkg version
  d="$W/$1"
  if [ ! -d "$d" ]; then
    ( cd "$W" && apt-get download "$1=$2" >/dev/null )
    mkdir -p "$d" && dpkg-deb -x "$W"/"$1"_*.deb "$d"
  fi
}
man2txt() { MANWIDTH=80 man --nh --nj -l "$1" 2>/dev/null | col -bx > "$2"; }

# set cryptsetup: man pages rendered to text + FAQ (Markdown) + Debian README
if [ ! -f "$DEST/.cryptsetup.complete" ]; then
  get cryptsetup-bin 2:2.6.1-4~deb12u2
  get cryptsetup 2:2.6.1-4~deb12u2
  mkdir -p "$DEST/cryptsetup"
  for f in "$W"/cryptsetup-bin/usr/share/man/man8/*.8.gz "$W"/cryptsetup/usr/share/man/man5/*.5.gz "$W"/cryptsetup/usr/share/man/man8/*.8.gz; do
    b=$(basename "$f" .gz); man2txt "$f" "$DEST/cryptsetup/$b.txt"
  done
  zcat "$W"/cryptsetup/usr/share/doc/cryptsetup/FAQ.md.gz > "$DEST/cryptsetup/FAQ.md"
  zcat "$W"/cryptsetup/usr/share/doc/cryptsetup/README.Debian.gz > "$DEST/cryptsetup/README.Debian"
  cp "$W"/cryptsetup-bin/usr/share/doc/cryptsetup-bin/copyright "$DEST/cryptsetup/LICENSE-cryptsetup-bin.txt"
  cp "$W"/cryptsetup/usr/share/doc/cryptsetup/copyright "$DEST/cryptsetup/LICENSE-cryptsetup.txt"
  touch "$DEST/.cryptsetup.complete"
fi

# set xfsprogs: man pages rendered to text
if [ ! -f "$DEST/.xfsprogs.complete" ]; then
  get xfsprogs 6.1.0-1
  mkdir -p "$DEST/xfsprogs"
  for f in "$W"/xfsprogs/usr/share/man/man5/*.5.gz "$W"/xfsprogs/usr/share/man/man8/*.8.gz; do
    b=$(basename "$f" .gz); man2txt "$f" "$DEST/xfsprogs/$b.txt"
  done
  cp "$W"/xfsprogs/usr/share/doc/xfsprogs/copyright "$DEST/xfsprogs/LICENSE-xfsprogs.txt"
  touch "$DEST/.xfsprogs.complete"
fi

# set ipmitool: man pages rendered to text + README (plain text)
if [ ! -f "$DEST/.ipmitool.complete" ]; then
  get ipmitool 1.8.19-4+deb12u2
  mkdir -p "$DEST/ipmitool"
  man2txt "$W"/ipmitool/usr/share/man/man1/ipmitool.1.gz "$DEST/ipmitool/ipmitool.1.txt"
  man2txt "$W"/ipmitool/usr/share/man/man8/ipmievd.8.gz "$DEST/ipmitool/ipmievd.8.txt"
  zcat "$W"/ipmitool/usr/share/doc/ipmitool/README.gz > "$DEST/ipmitool/README"
  cp "$W"/ipmitool/usr/share/doc/ipmitool/copyright "$DEST/ipmitool/LICENSE-ipmitool.txt"
  touch "$DEST/.ipmitool.complete"
fi
