#!/usr/bin/env bash
# fetch.sh DEST -- download pinned Debian 12 packages and extract the documentation
# used by this blind held-out corpus into DEST/<set>/.
# Idempotent: a set whose marker DEST/.<set>.complete exists is skipped
# (markers live outside the set directories so ingestion never sees them).
set -euo pipefail

. "$(dirname "$0")/../real_docs/fetch_lib.sh"

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
