#!/usr/bin/env bash
# Lays out a release of terraform-provider-influxdb3 the way the Terraform
# Registry and Terraform's filesystem mirrors expect it (`make release`):
#
#   OUT/terraform-provider-influxdb3_VERSION_OS_ARCH.zip     the binary, as
#                                                            terraform-provider-influxdb3_vVERSION
#   OUT/terraform-provider-influxdb3_VERSION_manifest.json  = terraform-registry-manifest.json
#   OUT/terraform-provider-influxdb3_VERSION_SHA256SUMS     sha256 of the two files above
#   OUT/terraform-provider-influxdb3_VERSION_SHA256SUMS.sig binary GPG detached signature of
#                                                            SHA256SUMS (only with a signing key)
#   OUT/mirror/registry.terraform.io/influxdb3/influxdb3/VERSION/OS_ARCH/terraform-provider-influxdb3_vVERSION
#                                                            unpacked filesystem-mirror layout
#
# Use the mirror without any registry:
#   provider_installation {
#     filesystem_mirror {
#       path    = "OUT/mirror"
#       include = ["registry.terraform.io/influxdb3/influxdb3"]
#     }
#   }
#
# Usage: scripts/release.sh [--binary PATH] [--out DIR] [--version V] [--gpg-key KEY]
#   --binary PATH  package this provider binary (default: cargo build --release, then
#                  target/release/terraform-provider-influxdb3)
#   --out DIR      output directory (default: target/dist); its previous release
#                  files for VERSION are replaced
#   --version V    release version (default: the package version in Cargo.toml)
#   --gpg-key KEY  sign SHA256SUMS with this GPG key (fingerprint, key id or user id
#                  of a secret key in the keyring; default: $GPG_FINGERPRINT). The
#                  Terraform Registry needs the signature and the key's public half
#                  (RSA or DSA). Without a key no .sig is written. gpg runs in batch
#                  mode and honours GNUPGHOME; a key with a passphrase needs
#                  gpg-agent to have it, or --gpg-passphrase-file FILE.
# The zip is written with python3's zipfile (no `zip` needed), with fixed
# timestamps, so the same binary always gives the same archive and checksums.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME="terraform-provider-influxdb3"
REGISTRY_PATH="registry.terraform.io/influxdb3/influxdb3"

die() {
  echo "release: ERROR: $*" >&2
  exit 1
}
usage() {
  sed -n '2,35p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

BINARY=""
OUT="$REPO_ROOT/target/dist"
VERSION=""
GPG_KEY="${GPG_FINGERPRINT:-}"
GPG_PASSPHRASE_FILE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) [ $# -ge 2 ] || die "--binary needs a path"; BINARY="$2"; shift 2 ;;
    --binary=*) BINARY="${1#*=}"; shift ;;
    --out) [ $# -ge 2 ] || die "--out needs a directory"; OUT="$2"; shift 2 ;;
    --out=*) OUT="${1#*=}"; shift ;;
    --version) [ $# -ge 2 ] || die "--version needs a value"; VERSION="$2"; shift 2 ;;
    --version=*) VERSION="${1#*=}"; shift ;;
    --gpg-key) [ $# -ge 2 ] || die "--gpg-key needs a key"; GPG_KEY="$2"; shift 2 ;;
    --gpg-key=*) GPG_KEY="${1#*=}"; shift ;;
    --gpg-passphrase-file) [ $# -ge 2 ] || die "--gpg-passphrase-file needs a file"; GPG_PASSPHRASE_FILE="$2"; shift 2 ;;
    --gpg-passphrase-file=*) GPG_PASSPHRASE_FILE="${1#*=}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
done

command -v python3 >/dev/null 2>&1 ||
  die "python3 not found (it writes the zip). Install it with: apt-get install -y python3"

if [ -z "$VERSION" ]; then
  VERSION="$(python3 - "$REPO_ROOT/Cargo.toml" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
package = re.search(r"^\[package\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
match = package and re.search(r'^version\s*=\s*"([^"]+)"', package.group(1), re.M)
if not match:
    sys.exit("no version in the [package] table of Cargo.toml")
print(match.group(1))
EOF
  )"
fi
# Terraform versions are semver without a leading v.
VERSION="${VERSION#v}"
if [ -n "$GPG_KEY" ]; then
  command -v gpg >/dev/null 2>&1 ||
    die "gpg not found (it signs SHA256SUMS). Install it with: apt-get install -y gnupg"
  # Fail before building anything when the key cannot sign.
  gpg --batch --list-secret-keys -- "$GPG_KEY" >/dev/null 2>&1 ||
    die "no secret GPG key '$GPG_KEY' in the keyring ${GNUPGHOME:-~/.gnupg} (gpg --list-secret-keys shows the keys)"
  if [ -n "$GPG_PASSPHRASE_FILE" ] && [ ! -r "$GPG_PASSPHRASE_FILE" ]; then
    die "passphrase file $GPG_PASSPHRASE_FILE cannot be read"
  fi
elif [ -n "$GPG_PASSPHRASE_FILE" ]; then
  die "--gpg-passphrase-file needs --gpg-key (or GPG_FINGERPRINT)"
fi

[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] ||
  die "version '$VERSION' is not a semantic version such as 1.2.3 or 1.2.3-beta.1"

case "$(uname -s)" in
  Linux) OS=linux ;;
  Darwin) OS=darwin ;;
  *) die "unsupported OS $(uname -s)" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) ARCH=amd64 ;;
  aarch64 | arm64) ARCH=arm64 ;;
  *) die "unsupported architecture $(uname -m)" ;;
esac
PLATFORM="${OS}_${ARCH}"

if [ -z "$BINARY" ]; then
  echo "release: cargo build --release (LTO: this takes a while) ..."
  (cd "$REPO_ROOT" && "${CARGO:-cargo}" build --release --bin "$NAME")
  BINARY="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/$NAME"
  case "$BINARY" in /*) ;; *) BINARY="$REPO_ROOT/$BINARY" ;; esac
fi
[ -f "$BINARY" ] && [ -x "$BINARY" ] || die "provider binary $BINARY does not exist or is not executable"

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
BIN_NAME="${NAME}_v${VERSION}"
ZIP="${NAME}_${VERSION}_${PLATFORM}.zip"
MANIFEST="${NAME}_${VERSION}_manifest.json"
SUMS="${NAME}_${VERSION}_SHA256SUMS"
SIG="$SUMS.sig"
MIRROR_DIR="$OUT/mirror/$REGISTRY_PATH/$VERSION/$PLATFORM"

rm -f "$OUT/$ZIP" "$OUT/$MANIFEST" "$OUT/$SUMS" "$OUT/$SIG"
rm -rf "$MIRROR_DIR"

python3 - "$BINARY" "$OUT/$ZIP" "$BIN_NAME" <<'EOF'
import os, sys, zipfile
binary, archive, name = sys.argv[1:4]
info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
info.compress_type = zipfile.ZIP_DEFLATED
info.create_system = 3  # Unix, so that the mode below is honoured
info.external_attr = (0o100755 << 16)  # regular file, rwxr-xr-x
with open(binary, "rb") as f, zipfile.ZipFile(archive + ".tmp", "w") as z:
    z.writestr(info, f.read())
os.replace(archive + ".tmp", archive)
EOF

cp "$REPO_ROOT/terraform-registry-manifest.json" "$OUT/$MANIFEST"

(cd "$OUT" && sha256sum "$ZIP" "$MANIFEST" >"$SUMS.tmp" && mv "$SUMS.tmp" "$SUMS")

if [ -n "$GPG_KEY" ]; then
  # A binary (not armored) detached signature, as the Registry expects.
  gpg_args=(--batch --yes --local-user "$GPG_KEY" --detach-sign --output "$OUT/$SIG.tmp")
  if [ -n "$GPG_PASSPHRASE_FILE" ]; then
    gpg_args=(--pinentry-mode loopback --passphrase-file "$GPG_PASSPHRASE_FILE" "${gpg_args[@]}")
  fi
  gpg "${gpg_args[@]}" "$OUT/$SUMS" || {
    rm -f "$OUT/$SIG.tmp"
    die "gpg could not sign $SUMS with key '$GPG_KEY'"
  }
  mv "$OUT/$SIG.tmp" "$OUT/$SIG"
  gpg --batch --verify "$OUT/$SIG" "$OUT/$SUMS" 2>/dev/null ||
    die "the signature gpg just made does not verify ($SIG)"
fi

mkdir -p "$MIRROR_DIR"
cp "$BINARY" "$MIRROR_DIR/$BIN_NAME"
chmod 0755 "$MIRROR_DIR/$BIN_NAME"

echo "release: $NAME $VERSION for $PLATFORM in $OUT"
echo "  $ZIP ($(wc -c <"$OUT/$ZIP") bytes)"
echo "  $MANIFEST"
echo "  $SUMS:"
sed 's/^/    /' "$OUT/$SUMS"
if [ -n "$GPG_KEY" ]; then
  echo "  $SIG (signed by $(gpg --batch --with-colons --list-secret-keys -- "$GPG_KEY" | awk -F: '$1 == "fpr" { print $10; exit }'))"
else
  echo "  $SUMS is NOT signed: the Terraform Registry needs $SIG (pass --gpg-key or set GPG_FINGERPRINT)"
fi
echo "  mirror/$REGISTRY_PATH/$VERSION/$PLATFORM/$BIN_NAME"
echo "Use the mirror with this CLI configuration (TF_CLI_CONFIG_FILE or ~/.terraformrc):"
cat <<EOF
  provider_installation {
    filesystem_mirror {
      path    = "$OUT/mirror"
      include = ["$REGISTRY_PATH"]
    }
    direct {
      exclude = ["$REGISTRY_PATH"]
    }
  }
EOF
