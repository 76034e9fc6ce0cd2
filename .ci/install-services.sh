#!/usr/bin/env bash
# Installs the real services the tests run against, idempotently:
# redis-server, chromium (the dashboard's browser test) and python3-venv from apt, and the
# MongoDB wire-protocol server SecantusDB (WiredTiger storage) from PyPI into a virtualenv
# outside the repository. Prints where secantusd-py is; the test harness finds it there.
set -euo pipefail

# A pre-release: pinned exactly, so that a newer upload cannot change the store under the tests.
SECANTUS_VERSION=0.7.0b3
SECANTUS_VENV=${SECANTUS_VENV:-/opt/hcingest/secantus-$SECANTUS_VERSION}
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi

need_apt=()
command -v redis-server >/dev/null || need_apt+=(redis-server)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# Debian's Python needs python3-venv (ensurepip) to create a virtualenv.
/usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]} (apt)" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# The Debian package starts its own daemon; the test harness runs private ones instead.
$SUDO service redis-server stop >/dev/null 2>&1 || true

if ! "$SECANTUS_VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('SecantusDB') != '$SECANTUS_VERSION')" 2>/dev/null; then
  echo "installing SecantusDB==$SECANTUS_VERSION into $SECANTUS_VENV (pip)" >&2
  $SUDO mkdir -p "$(dirname "$SECANTUS_VENV")"
  $SUDO /usr/bin/python3 -m venv "$SECANTUS_VENV"
  $SUDO "$SECANTUS_VENV/bin/pip" install --quiet --disable-pip-version-check "SecantusDB==$SECANTUS_VERSION"
fi
echo "services ready: redis $(redis-server --version | cut -d' ' -f3 | cut -d= -f2)," \
  "SecantusDB $SECANTUS_VERSION ($SECANTUS_VENV/bin/secantusd-py), $(/usr/bin/chromium --version 2>/dev/null)" >&2
