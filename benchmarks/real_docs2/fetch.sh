#!/usr/bin/env bash
# fetch.sh DEST -- download pinned Debian 12 packages and extract the documentation
# used by this blind held-out corpus into DEST/<set>/.
# Idempotent: a set whose marker DEST/.<set>.complete exists is skipped
# (markers live outside the set directories so ingestion never sees them).
set -euo pipefail

DEST="${1:?usage: fetch.sh DEST}"
mkdir -p "$DEST"
DEST="$(cd "$DEST" && pwd)"
WORK="$(mktemp -d /tmp/blindfetch2.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

for tool in apt-get dpkg-deb man col gzip; do
  command -v "$tool" >/dev/null || { echo "ERROR: required tool '$tool' not found" >&2; exit 1; }
done

# get PKG VERSION -> extracts into $WORK/x/PKG
get() {
  local pkg="$1" ver="$2"
  if [ -d "$WORK/x/$pkg" ]; then return 0; fi
  ( cd "$WORK" && apt-get download "${pkg}=${ver}" >/dev/null 2>"$WORK/err.$pkg" ) || {
    echo "ERROR: cannot download ${pkg}=${ver} (version gone from the archive?)" >&2
    sed 's/^/  /' "$WORK/err.$pkg" >&2
    exit 2
  }
  mkdir -p "$WORK/x/$pkg"
  dpkg-deb -x "$WORK/${pkg}_"*.deb "$WORK/x/$pkg"
}

lic() { # lic PKG SETDIR
  local f
  f="$(find "$WORK/x/$1/usr/share/doc" -maxdepth 2 -name copyright | head -1)"
  [ -n "$f" ] || { echo "ERROR: no copyright file in $1" >&2; exit 3; }
  cp "$f" "$2/LICENSE-$1.txt"
}

man2txt() { # man2txt MANFILE OUT.txt
  MANWIDTH=80 man -l "$1" 2>/dev/null | col -bx > "$2"
  [ -s "$2" ] || { echo "ERROR: empty rendering of $1" >&2; exit 4; }
}

begin() { # begin SET -> returns 1 if already complete
  if [ -f "$DEST/.$1.complete" ] && [ -d "$DEST/$1" ]; then
    echo "$1: already present, skipped"
    return 1
  fi
  rm -rf "$DEST/$1"; mkdir -p "$DEST/$1"
}

finish() { # finish SET
  touch "$DEST/.$1.complete"
  echo "$1: $(find "$DEST/$1" -type f | wc -l) files, $(du -sh "$DEST/$1" | cut -f1)"
}

# ---------------- freeipmi (IPMI BMC tools, man pages as text) ----------------
if begin freeipmi; then
  get freeipmi-tools 1.6.10-1+b1
  S="$DEST/freeipmi"
  M="$WORK/x/freeipmi-tools/usr/share/man/man8"
  for p in ipmi-sensors ipmi-sel ipmipower ipmi-oem bmc-device ipmi-chassis; do
    man2txt "$M/$p.8.gz" "$S/$p.8.txt"
  done
  lic freeipmi-tools "$S"
  finish freeipmi
fi

# ---------------- mdadm (Linux software RAID, man pages as text + Debian FAQ) ----------------
if begin mdadm; then
  get mdadm 4.2-5
  S="$DEST/mdadm"
  M="$WORK/x/mdadm/usr/share/man"
  man2txt "$M/man8/mdadm.8.gz" "$S/mdadm.8.txt"
  man2txt "$M/man4/md.4.gz" "$S/md.4.txt"
  man2txt "$M/man5/mdadm.conf.5.gz" "$S/mdadm.conf.5.txt"
  gzip -dc "$WORK/x/mdadm/usr/share/doc/mdadm/FAQ.gz" > "$S/FAQ.txt"
  lic mdadm "$S"
  finish mdadm
fi

# ---------------- avrdude (AVR microcontroller programmers, PDF manual) ----------------
if begin avrdude; then
  get avrdude-doc 7.1+dfsg-3
  S="$DEST/avrdude"
  gzip -dc "$WORK/x/avrdude-doc/usr/share/doc/avrdude/avrdude.pdf.gz" > "$S/avrdude.pdf"
  lic avrdude-doc "$S"
  finish avrdude
fi

echo "done: $(du -sh "$DEST" | cut -f1) in $DEST"
