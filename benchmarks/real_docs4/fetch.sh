#!/bin/bash
# fetch.sh DEST - download pinned Debian 12 (bookworm) packages and extract
# the documentation used by the blind evaluation set into DEST/<set>/.
# Idempotent: a set whose marker DEST/.<set>.complete exists is skipped.
set -euo pipefail
DEST="${1:?usage: fetch.sh DEST}"
mkdir -p "$DEST"
DEST="$(cd "$DEST" && pwd)"

# set -> pinned packages
declare -A PKGS=(
  [sane]="libsane-common=1.2.1-2 sane-utils=1.2.1-2"
  [openiscsi]="open-iscsi=2.1.8-1+deb12u1"
  [multipath]="multipath-tools=0.9.4-3+deb12u2 kpartx=0.9.4-3+deb12u2"
)

render_man() {  # render_man SRC.gz OUT.txt
  MANWIDTH=80 man --nh --nj -l "$1" 2>/dev/null | col -bx > "$2"
}

copy_text() {   # copy_text SRC OUT (gunzip if needed)
  case "$1" in *.gz) gzip -dc "$1" > "$2" ;; *) cp "$1" "$2" ;; esac
}

do_set() {
  local set="$1" scratch out root
  if [ -e "$DEST/.$set.complete" ]; then echo "skip $set (complete)"; return; fi
  scratch="$(mktemp -d)"
  out="$DEST/$set"
  rm -rf "$out"; mkdir -p "$out"
  ( cd "$scratch" && apt-get download ${PKGS[$set]} >/dev/null )
  mkdir -p "$scratch/root"
  for deb in "$scratch"/*.deb; do dpkg-deb -x "$deb" "$scratch/root"; done
  root="$scratch/root/usr/share"
  case "$set" in
    sane)
      for f in "$root"/man/man*/*.gz; do b="$(basename "$f" .gz)"; render_man "$f" "$out/$b.txt"; done
      d="$root/doc/libsane-common"
      copy_text "$d/README.gz" "$out/README.txt"
      copy_text "$d/README.linux.gz" "$out/README.linux.txt"
      copy_text "$d/PROBLEMS" "$out/PROBLEMS.txt"
      copy_text "$d/sane-backends.html" "$out/sane-backends.html"
      copy_text "$d/plustek/FAQ.gz" "$out/plustek-FAQ.txt"
      copy_text "$d/plustek/Plustek-USB.txt.gz" "$out/Plustek-USB.txt"
      copy_text "$d/plustek/Plustek-PARPORT.txt" "$out/Plustek-PARPORT.txt"
      copy_text "$d/leo/leo.txt" "$out/leo.txt"
      copy_text "$d/matsushita/matsushita.txt.gz" "$out/matsushita.txt"
      copy_text "$d/sceptre/s1200.txt" "$out/sceptre-s1200.txt"
      for t in teco1 teco2 teco3; do copy_text "$d/teco/$t.txt.gz" "$out/$t.txt"; done
      copy_text "$d/canon/canon.install2700F.txt.gz" "$out/canon.install2700F.txt"
      for h in "$d"/umax/*.html; do cp "$h" "$out/"; done
      cp "$d/umax/negative-types.txt" "$out/umax-negative-types.txt"
      copy_text "$root/doc/sane-utils/README.Debian" "$out/README.Debian-sane-utils.txt"
      cp "$d/copyright" "$out/LICENSE-libsane-common.txt"
      cp "$root/doc/sane-utils/copyright" "$out/LICENSE-sane-utils.txt"
      ;;
    openiscsi)
      for f in "$root"/man/man*/*.gz; do b="$(basename "$f" .gz)"; render_man "$f" "$out/$b.txt"; done
      d="$root/doc/open-iscsi"
      copy_text "$d/README.gz" "$out/README.txt"
      copy_text "$d/README.Debian.gz" "$out/README.Debian.txt"
      copy_text "$d/sysfs-documentation.gz" "$out/sysfs-documentation.txt"
      copy_text "$d/NEWS.Debian.gz" "$out/NEWS.Debian.txt"
      cp "$d/copyright" "$out/LICENSE-open-iscsi.txt"
      ;;
    multipath)
      for f in "$root"/man/man*/*.gz; do b="$(basename "$f" .gz)"; render_man "$f" "$out/$b.txt"; done
      d="$root/doc/multipath-tools"
      copy_text "$d/README.md.gz" "$out/README.md"
      copy_text "$d/README.Debian.gz" "$out/README.Debian.txt"
      copy_text "$d/NEWS.Debian.gz" "$out/NEWS.Debian.txt"
      cp "$d/copyright" "$out/LICENSE-multipath-tools.txt"
      cp "$root/doc/kpartx/copyright" "$out/LICENSE-kpartx.txt"
      ;;
  esac
  rm -rf "$scratch"
  touch "$DEST/.$set.complete"
  echo "done $set: $(ls "$out" | wc -l) files"
}

for s in sane openiscsi multipath; do do_set "$s"; done
