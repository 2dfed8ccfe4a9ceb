#!/usr/bin/env bash
# fetch.sh DEST -- download pinned Debian packages and extract the documentation
# used by the blind evaluation corpus into DEST/<set>/.
# Idempotent: a set whose marker DEST/.<set>.complete exists is skipped
# (markers live outside the set directories so ingestion never sees them).
set -euo pipefail

. "$(dirname "$0")/fetch_lib.sh"

# ---------------- apcupsd (UPS daemon manual, HTML) ----------------
if begin apcupsd; then
  get apcupsd-doc 3.14.14-3.1
  S="$DEST/apcupsd"
  cp "$WORK/x/apcupsd-doc/usr/share/doc/apcupsd/manual/manual.html" "$S/manual.html"
  lic apcupsd-doc "$S"
  finish apcupsd
fi

# ---------------- nut (Network UPS Tools, PDF) ----------------
if begin nut; then
  get nut-doc 2.8.0-7
  S="$DEST/nut"
  cp "$WORK/x/nut-doc/usr/share/doc/nut-doc/pdf/user-manual.pdf" "$S/user-manual.pdf"
  cp "$WORK/x/nut-doc/usr/share/doc/nut-doc/pdf/FAQ.pdf" "$S/FAQ.pdf"
  lic nut-doc "$S"
  finish nut
fi

# ---------------- smartmontools (disk SMART, man pages as text) ----------------
if begin smartmontools; then
  get smartmontools 7.3-1+b1
  S="$DEST/smartmontools"
  M="$WORK/x/smartmontools/usr/share/man"
  man2txt "$M/man8/smartctl.8.gz" "$S/smartctl.8.txt"
  man2txt "$M/man8/smartd.8.gz" "$S/smartd.8.txt"
  man2txt "$M/man5/smartd.conf.5.gz" "$S/smartd.conf.5.txt"
  lic smartmontools "$S"
  finish smartmontools
fi

# ---------------- sg3utils (SCSI/SAS disks, tapes, enclosures; man pages as text) ----------------
if begin sg3utils; then
  get sg3-utils 1.46-3
  S="$DEST/sg3utils"
  M="$WORK/x/sg3-utils/usr/share/man/man8"
  for p in sg3_utils sg_ses sg_format sg_turs sg_requests sg_sanitize sg_start \
           sg_logs sg_reset sg_decode_sense sg_senddiag sg_reassign sg_safte \
           sg_write_buffer sg_readcap scsi_temperature; do
    man2txt "$M/$p.8.gz" "$S/$p.8.txt"
  done
  lic sg3-utils "$S"
  finish sg3utils
fi

# ---------------- cups (printing system help pages, HTML) ----------------
if begin cups; then
  get cups-server-common 2.4.2-3+deb12u11
  S="$DEST/cups"
  H="$WORK/x/cups-server-common/usr/share/cups/doc-root/help"
  for p in man-backend man-filter man-cupsd-logs man-lpstat man-lpadmin \
           man-cupsenable man-cupsd.conf man-cups-snmp man-lpinfo man-cupsaccept \
           man-lpq man-cancel network firewalls admin policies spec-ipp; do
    cp "$H/$p.html" "$S/$p.html"
  done
  lic cups-server-common "$S"
  finish cups
fi

echo "done: $(du -sh "$DEST" | cut -f1) in $DEST"
