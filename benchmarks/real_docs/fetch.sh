#!/usr/bin/env bash
# fetch.sh DEST -- download pinned Debian packages and extract the documentation
# used by the blind evaluation corpus into DEST/<set>/.
# Idempotent: a set whose marker DEST/.<set>.complete exists is skipped
# (markers live outside the set directories so ingestion never sees them).
set -euo pipefail

DEST="${1:?usage: fetch.sh DEST}"
mkdir -p "$DEST"
DEST="$(cd "$DEST" && pwd)"
WORK="$(mktemp -d /tmp/blindfetch.XXXXXX)"
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
