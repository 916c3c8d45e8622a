#!/usr/bin/env bash
# Proves the release build is reproducible: two checkouts of the same commit at different absolute
# paths, with different cargo homes (so the registry sources sit at different paths too), build
# the linux_amd64 zip with scripts/release.sh and must give byte-identical zips and binaries.
#
# Usage: scripts/check-reproducible.sh [--target os_arch] [--against DIR] [--keep]
#   --target   the target to compare (default linux_amd64)
#   --against  compare with the zips already in DIR (a release.sh --out of the same sources, e.g. a
#              published release or a teammate's build) instead of building side A here
#   --keep     keep the checkouts (default: removed, they hold release target dirs)
# The commit checked is HEAD of this checkout (commit first: uncommitted changes are not seen).
# Needs network access to crates.io for the second cargo home's `cargo fetch`. Exit 0 = same.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="linux_amd64"
keep=""
against=""
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift ;;
    --against) against="$(cd "$2" && pwd)"; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-reproducible.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

base="$(mktemp -d "${TMPDIR:-/tmp}/paasform-repro.XXXXXX")"
[ -n "$keep" ] || trap 'rm -rf "$base"' EXIT
commit="$(git -C "$ROOT" rev-parse HEAD)"
# Different depths and names on purpose: nothing of either path may reach the artifacts.
a="$base/a/paasform"
b="$base/bb/some/other/place/checkout"
sides="a b"
[ -z "$against" ] || sides="b"
for side in $sides; do
  dir="${!side}"
  mkdir -p "$(dirname "$dir")"
  git clone --quiet --no-hardlinks "$ROOT" "$dir"
  git -C "$dir" checkout --quiet "$commit"
done

# A's cargo home is the usual one; B's is new (filled from crates.io), at another path.
home_a="${CARGO_HOME:-$HOME/.cargo}"
home_b="$base/cargo-home-b"
mkdir -p "$home_b"
(cd "$b" && CARGO_HOME="$home_b" cargo fetch --locked --quiet)

identity="$(tr '\n' ' ' < "$ROOT/provider/src/clouds/mod.rs" | sed -n 's/.*pub const IDENTITIES: &\[&str\] = &\[\([^]]*\)\];.*/\1/p' | tr -d '" ' | cut -d, -f1)"
declare -A took=()
for side in $sides; do
  dir="${!side}"
  home="home_$side"
  start=$(date +%s)
  echo "==== building $target in $dir (CARGO_HOME=${!home})" >&2
  (cd "$dir" && CARGO_HOME="${!home}" bash scripts/release.sh --targets "$target" --identities "$identity" --out "$base/out-$side" >"$base/build-$side.log" 2>&1) \
    || { tail -30 "$base/build-$side.log" >&2; echo "check-reproducible.sh: build $side failed" >&2; exit 1; }
  took[$side]=$(( $(date +%s) - start ))
done

out_a="$base/out-a"
[ -z "$against" ] || { out_a="$against"; took[a]="given"; a="$against"; }
zip_name="$(cd "$base/out-b" && ls ./*_"$target".zip | head -1 | sed 's|^\./||')"
[ -f "$out_a/$zip_name" ] || { echo "check-reproducible.sh: $out_a has no $zip_name" >&2; exit 1; }
sum_a="$(sha256sum "$out_a/$zip_name" | cut -d' ' -f1)"
sum_b="$(sha256sum "$base/out-b/$zip_name" | cut -d' ' -f1)"
echo "A ($a, ${took[a]} s): $sum_a  $zip_name"
echo "B ($b, ${took[b]} s): $sum_b  $zip_name"
# Neither checkout's path nor either cargo home may appear in the binary (B's, built here).
exe="$(ls "$b"/target/release-build/*/release/terraform-provider-paasform* | head -1)"
for needle in "$base" "$home_a" "$home_b" "$ROOT"; do
  if grep -q --fixed-strings "$needle" "$exe"; then
    echo "check-reproducible.sh: $exe contains the build path $needle" >&2
    exit 1
  fi
done
if [ "$sum_a" = "$sum_b" ]; then
  echo "reproducible: the two $target zips are identical"
else
  echo "NOT reproducible: the $target zips differ" >&2
  exit 1
fi
