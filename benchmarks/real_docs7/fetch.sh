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

# set ntpsec: HTML documentation kept as .html
if [ ! -f "$DEST/.ntpsec.complete" ]; then
  get ntpsec-doc 1.2.2+dfsg1-1+deb12u1
  mkdir -p "$DEST/ntpsec"
  cp "$W"/ntpsec-doc/usr/share/doc/ntpsec-doc/html/*.html "$DEST/ntpsec/"
  cp "$W"/ntpsec-doc/usr/share/doc/ntpsec-doc/copyright "$DEST/ntpsec/LICENSE-ntpsec-doc.txt"
  touch "$DEST/.ntpsec.complete"
fi

# set linuxptp: man pages rendered to text, sample configs, README
if [ ! -f "$DEST/.linuxptp.complete" ]; then
  get linuxptp 3.1.1-4+b2
  mkdir -p "$DEST/linuxptp/configs"
  for f in "$W"/linuxptp/usr/share/man/man8/*.8.gz; do
    b=$(basename "$f" .gz); man2txt "$f" "$DEST/linuxptp/$b.txt"
  done
  for f in "$W"/linuxptp/usr/share/doc/linuxptp/configs/*; do
    case "$f" in *.gz) zcat "$f" > "$DEST/linuxptp/configs/$(basename "$f" .gz)";; *) cp "$f" "$DEST/linuxptp/configs/";; esac
  done
  zcat "$W"/linuxptp/usr/share/doc/linuxptp/README.org.gz > "$DEST/linuxptp/README.org"
  cp "$W"/linuxptp/usr/share/doc/linuxptp/README.Debian "$DEST/linuxptp/README.Debian"
  cp "$W"/linuxptp/usr/share/doc/linuxptp/copyright "$DEST/linuxptp/LICENSE-linuxptp.txt"
  touch "$DEST/.linuxptp.complete"
fi

# set hamlib: man pages of the hamlib utilities rendered to text
if [ ! -f "$DEST/.hamlib.complete" ]; then
  get libhamlib-utils 4.5.4-1+b1
  mkdir -p "$DEST/hamlib"
  for f in "$W"/libhamlib-utils/usr/share/man/man1/*.1.gz "$W"/libhamlib-utils/usr/share/man/man7/*.7.gz; do
    b=$(basename "$f" .gz); man2txt "$f" "$DEST/hamlib/$b.txt"
  done
  cp "$W"/libhamlib-utils/usr/share/doc/libhamlib-utils/copyright "$DEST/hamlib/LICENSE-libhamlib-utils.txt"
  touch "$DEST/.hamlib.complete"
fi
