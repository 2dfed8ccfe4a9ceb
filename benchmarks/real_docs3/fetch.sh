#!/usr/bin/env bash
# fetch.sh DEST -- download pinned Debian 12 (bookworm) packages and extract the
# documentation used by this blind held-out corpus into DEST/<set>/.
# Idempotent: a set whose marker DEST/.<set>.complete exists is skipped
# (markers live outside the set directories so ingestion never sees them).
set -euo pipefail

. "$(dirname "$0")/../real_docs/fetch_lib.sh"

keep() { # keep SRC DSTFILE
  [ -s "$1" ] || { echo "ERROR: expected file missing: $1" >&2; exit 4; }
  cp "$1" "$2"
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
