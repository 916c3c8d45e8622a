#!/usr/bin/env bash
# Build the release artifacts a Terraform provider registry serves, for every identity:
#
#   terraform-provider-<identity>_<version>_<os>_<arch>.zip   (holds terraform-provider-<identity>_v<version>[.exe])
#   terraform-provider-<identity>_<version>_manifest.json     (plugin protocol 6.0)
#   terraform-provider-<identity>_<version>_SHA256SUMS        (the zips and the manifest)
#   terraform-provider-<identity>_<version>_SHA256SUMS.sig    (detached GPG signature, binary)
#   signing-key.asc, signing-key.id                           (the public key and its id, for the registry)
#
# Usage: scripts/release.sh [--all] [--targets os_arch,...] [--identities a,b] [--out DIR] [--binary PATH]
#   default target: linux_amd64; --all: linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64
#   --binary PATH   package an already built binary for the one target given (no build: for tests)
#   --identities    release only these identities (default: every one in provider/src/clouds/mod.rs)
#   GPG key: PAASFORM_GPG_KEY=<key id in the default keyring>; unset = a throwaway key made per run.
#
# The version comes from the Cargo workspace (Cargo.toml, [workspace.package] version). Builds are
# reproducible: absolute paths of the checkout and of the cargo home are remapped (rustc and C
# compilers), zips have one sorted entry set, fixed timestamps and modes. Cross targets use
# cargo-zigbuild with the ziglang wheel (installed into target/release-tools when missing); Windows
# uses Debian's mingw-w64 linker. Nothing is downloaded but registry packages.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ALL_TARGETS="linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64"
targets="linux_amd64"
out="$ROOT/target/release-artifacts"
binary=""
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --all) targets="$ALL_TARGETS" ;;
    --targets) targets="${2//,/ }"; shift ;;
    --out) out="$2"; shift ;;
    --binary) binary="$2"; shift ;;
    --identities) only="${2//,/ }"; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "release.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# Identities come from the provider's own list, so a new one is released without editing this.
# (rustfmt may wrap the list over several lines: read the file as one line.)
IDENTITIES="$(tr '\n' ' ' < provider/src/clouds/mod.rs | sed -n 's/.*pub const IDENTITIES: &\[&str\] = &\[\([^]]*\)\];.*/\1/p' | tr -d '" ' | tr ',' ' ' | xargs)"
[ -n "$IDENTITIES" ] || { echo "release.sh: no IDENTITIES in provider/src/clouds/mod.rs" >&2; exit 1; }
if [ -n "$only" ]; then
  for id in $only; do
    case " $IDENTITIES " in *" $id "*) ;; *) echo "release.sh: unknown identity $id (one of: $IDENTITIES)" >&2; exit 2 ;; esac
  done
  IDENTITIES="$only"
fi
VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)"
[ -n "$VERSION" ] || { echo "release.sh: no [workspace.package] version in Cargo.toml" >&2; exit 1; }

rust_target() {
  case "$1" in
    linux_amd64) echo x86_64-unknown-linux-gnu ;;
    linux_arm64) echo aarch64-unknown-linux-gnu ;;
    darwin_amd64) echo x86_64-apple-darwin ;;
    darwin_arm64) echo aarch64-apple-darwin ;;
    windows_amd64) echo x86_64-pc-windows-gnu ;;
    *) echo "release.sh: unknown target $1 (one of: $ALL_TARGETS)" >&2; return 1 ;;
  esac
}

host_target() { rustc -vV | sed -n 's/^host: //p'; }

TOOLS="$ROOT/target/release-tools"
ensure_zig() {
  if command -v cargo-zigbuild >/dev/null && { command -v zig >/dev/null || python3 -c 'import ziglang' 2>/dev/null; }; then
    return
  fi
  echo "installing cargo-zigbuild and ziglang (PyPI) into $TOOLS" >&2
  if [ ! -x "$TOOLS/venv/bin/python" ]; then python3 -m venv "$TOOLS/venv"; fi
  "$TOOLS/venv/bin/python" -m pip install --quiet --disable-pip-version-check ziglang cargo-zigbuild
  export PATH="$TOOLS/venv/bin:$PATH"
}

ensure_mingw() {
  # aws-lc-sys assembles its x86_64 Windows code with NASM.
  command -v x86_64-w64-mingw32-gcc >/dev/null && command -v nasm >/dev/null && return
  echo "installing mingw-w64 and nasm (Debian)" >&2
  apt-get install -y -qq gcc-mingw-w64-x86-64 nasm >/dev/null
}

# Paths that would otherwise end up in the binary: the checkout (build scripts' OUT_DIR lives in
# its target/) and the cargo home (registry sources). Both become fixed names.
CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"
REMAP="--remap-path-prefix=$ROOT=/paasform --remap-path-prefix=$CARGO_HOME_DIR=/cargo"
CMAP="-ffile-prefix-map=$ROOT=/paasform -ffile-prefix-map=$CARGO_HOME_DIR=/cargo"
BUILD_DIR="$ROOT/target/release-build"

build() { # os_arch → path of the built executable
  local t="$1" triple exe ext=""
  triple="$(rust_target "$t")"
  [ "${t%%_*}" = windows ] && ext=".exe"
  rustup target list --installed 2>/dev/null | grep -qx "$triple" || rustup target add "$triple" >&2
  local cargo_cmd=(cargo build)
  if [ "$triple" != "$(host_target)" ]; then
    case "$t" in
      windows_*) ensure_mingw ;;
      *) ensure_zig; cargo_cmd=(cargo zigbuild) ;;
    esac
  fi
  # The [env] of .cargo/config.toml (AWS_LC_SYS_NO_JITTER_ENTROPY) applies to every build here.
  RUSTFLAGS="${RUSTFLAGS:-} $REMAP" CFLAGS="${CFLAGS:-} $CMAP" CXXFLAGS="${CXXFLAGS:-} $CMAP" \
    SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-0}" CARGO_TARGET_DIR="$BUILD_DIR" \
    "${cargo_cmd[@]}" --release --locked -p paasform --target "$triple" >&2
  exe="$BUILD_DIR/$triple/release/terraform-provider-paasform$ext"
  [ -f "$exe" ] || { echo "release.sh: $exe was not built" >&2; return 1; }
  echo "$exe"
}

# A zip with one entry, a fixed timestamp (1980-01-01, zip's epoch) and mode 0755, so the same
# binary always gives the same zip bytes.
make_zip() { # zip entry-name file
  python3 - "$@" <<'PY'
import sys, zipfile
zpath, name, src = sys.argv[1:4]
info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
info.create_system = 3  # unix, so the mode below is honoured
info.external_attr = (0o100755 & 0xFFFF) << 16
info.compress_type = zipfile.ZIP_DEFLATED
with open(src, "rb") as f:
    data = f.read()
with zipfile.ZipFile(zpath, "w") as z:
    z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
PY
}

ensure_gpg() {
  command -v gpg >/dev/null && return
  echo "installing gnupg (Debian)" >&2
  # A fresh machine may have no package lists yet: fetch them once if the first try fails.
  apt-get install -y -qq gnupg >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq gnupg >/dev/null; }
}

rm -rf "$out"
mkdir -p "$out"
declare -A exes=()
start=$(date +%s)
for t in $targets; do
  rust_target "$t" >/dev/null
  if [ -n "$binary" ]; then
    [ "$(echo "$targets" | wc -w)" = 1 ] || { echo "release.sh: --binary packages one target" >&2; exit 2; }
    exes[$t]="$binary"
  else
    echo "==== building $t" >&2
    exes[$t]="$(build "$t")"
  fi
done
built=$(date +%s)

for id in $IDENTITIES; do
  prefix="terraform-provider-${id}_${VERSION}"
  for t in $targets; do
    ext=""; [ "${t%%_*}" = windows ] && ext=".exe"
    make_zip "$out/${prefix}_${t}.zip" "terraform-provider-${id}_v${VERSION}${ext}" "${exes[$t]}"
  done
  printf '{\n  "version": 1,\n  "metadata": {\n    "protocol_versions": ["6.0"]\n  }\n}\n' > "$out/${prefix}_manifest.json"
  (cd "$out" && LC_ALL=C ls "${prefix}"_*.zip "${prefix}_manifest.json" | LC_ALL=C sort | xargs sha256sum > "${prefix}_SHA256SUMS")
done

ensure_gpg
GNUPGHOME_RUN="$(mktemp -d)"
trap 'gpgconf --homedir "$GNUPGHOME_RUN" --kill all >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME_RUN"' EXIT
chmod 700 "$GNUPGHOME_RUN"
if [ -n "${PAASFORM_GPG_KEY:-}" ]; then
  gpg_cmd=(gpg --batch --yes --quiet)
  key="$PAASFORM_GPG_KEY"
else
  gpg_cmd=(gpg --batch --yes --quiet --homedir "$GNUPGHOME_RUN")
  "${gpg_cmd[@]}" --quiet --passphrase '' --quick-generate-key "paasform release (throwaway) <release@paasform.invalid>" rsa3072 sign 1d 2>/dev/null
  key="$("${gpg_cmd[@]}" --list-keys --with-colons | awk -F: '/^pub/ {print $5; exit}')"
  echo "signed with a throwaway key $key (set PAASFORM_GPG_KEY to use yours)" >&2
fi
"${gpg_cmd[@]}" --armor --export "$key" > "$out/signing-key.asc"
"${gpg_cmd[@]}" --list-keys --with-colons "$key" | awk -F: '/^pub/ {print $5; exit}' > "$out/signing-key.id"
for id in $IDENTITIES; do
  sums="$out/terraform-provider-${id}_${VERSION}_SHA256SUMS"
  "${gpg_cmd[@]}" --local-user "$key" --detach-sign --output "$sums.sig" "$sums"
done

echo "release $VERSION: $(echo $IDENTITIES | wc -w) identities × $(echo $targets | wc -w) targets in $out (build $((built - start)) s, total $(( $(date +%s) - start )) s)" >&2
