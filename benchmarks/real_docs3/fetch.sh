#!/usr/bin/env bash
# fetch.sh DEST -- download pinned Debian 12 (bookworm) packages and extract the
# documentation used by this blind held-out corpus into DEST/<set>/.
# Idempotent: a set whose marker DEST/.<set>.complete exists is skipped
# (markers live outside the set directories so ingestion never sees them).
set -euo pipefail

DEST="${1:?usage: fetch.sh DEST}"
mkdir -p "$DEST"
DEST="$(cd "$DEST" && pwd)"
WORK="$(mktemp -d /tmp/blindfetch3.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

for tool in apt-get dpkg-deb gzip; do
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

keep() { # keep SRC DSTFILE
  [ -s "$1" ] || { echo "ERROR: expected file missing: $1" >&2; exit 4; }
  cp "$1" "$2"
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

# ---------------- linuxcnc (CNC machine control, PDF manual) ----------------
if begin linuxcnc; then
  get linuxcnc-doc-en '2.9.0~pre1+git20230208.f1270d6ed7-1+deb12u2'
  S="$DEST/linuxcnc"
  keep "$WORK/x/linuxcnc-doc-en/usr/share/doc/linuxcnc/LinuxCNC_Documentation.pdf" "$S/LinuxCNC_Documentation.pdf"
  lic linuxcnc-doc-en "$S"
  finish linuxcnc
fi

# ---------------- gammu (mobile phones / GSM modems, HTML manual) ----------------
if begin gammu; then
  get gammu-doc 1.42.0-8
  S="$DEST/gammu"
  H="$WORK/x/gammu-doc/usr/share/doc/gammu/html"
  for p in c/error faq/general faq/phone faq/config faq/smsd config/index gammu/index \
           quick/index smsd/config smsd/run utils/gammu-detect python/exceptions; do
    keep "$H/$p.html" "$S/$(echo "$p" | tr / _).html"
  done
  lic gammu-doc "$S"
  finish gammu
fi

# ---------------- openocd (JTAG/SWD debug adapters and target chips, HTML manual) ----------------
if begin openocd; then
  get openocd 0.12.0-1
  S="$DEST/openocd"
  H="$WORK/x/openocd/usr/share/doc/openocd/openocd.html"
  for p in FAQ Running Debug-Adapter-Configuration Debug-Adapter-Hardware Reset-Configuration \
           Flash-Commands Server-Configuration GDB-and-OpenOCD TAP-Declaration JTAG-Commands \
           General-Commands CPU-Configuration; do
    keep "$H/$p.html" "$S/$p.html"
  done
  lic openocd "$S"
  finish openocd
fi

echo "done: $(du -sh "$DEST" | cut -f1) in $DEST"
