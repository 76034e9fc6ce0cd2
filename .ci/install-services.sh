#!/usr/bin/env bash
# Installs the real services the tests run against, idempotently:
# redis-server, postgresql and chromium (the dashboard's browser test) from apt, FerretDB v1.24.2
# built from the Go module proxy.
set -euo pipefail

FERRETDB_VERSION=v1.24.2
FERRETDB_PREFIX=${FERRETDB_PREFIX:-/opt/ferretdb/$FERRETDB_VERSION}
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi

need_apt=()
command -v redis-server >/dev/null || need_apt+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]} (apt)" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# The Debian packages start their own daemons; the test harness runs private ones instead.
$SUDO service redis-server stop >/dev/null 2>&1 || true
$SUDO service postgresql stop >/dev/null 2>&1 || true

if [ ! -x "$FERRETDB_PREFIX/ferretdb" ]; then
  echo "building FerretDB $FERRETDB_VERSION from the Go module proxy" >&2
  src_dir=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  work=$(mktemp -d)
  cp -r "$src_dir" "$work/src"
  chmod -R u+w "$work/src"
  # build/version embeds a generated version.txt that the module zip lacks.
  echo "$FERRETDB_VERSION" > "$work/src/build/version/version.txt"
  (cd "$work/src" && CGO_ENABLED=0 go build -o "$work/ferretdb" ./cmd/ferretdb)
  $SUDO mkdir -p "$FERRETDB_PREFIX"
  $SUDO mv "$work/ferretdb" "$FERRETDB_PREFIX/ferretdb"
  rm -rf "$work"
fi
echo "services ready: $(redis-server --version | cut -d' ' -f3), $("$FERRETDB_PREFIX/ferretdb" --version 2>&1 | head -1), $(/usr/bin/chromium --version 2>/dev/null)" >&2
