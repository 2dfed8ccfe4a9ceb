# fetch_lib.sh -- sourced by benchmarks/real_docs*/fetch.sh: DEST set up, a scratch folder,
# and the helpers get / lic / man2txt / begin / finish used by each set.

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

