#!/bin/sh
# The SecantusDB stand-in's version of the official mongo image's entrypoint: on the first start
# (no WiredTiger files in /data/db) with MONGO_INITDB_ROOT_USERNAME and _PASSWORD set, it starts the
# server on 127.0.0.1 only without authentication, creates that root account, and stops it; then
# (every start) it runs the server on every interface with authentication on. `mongod` (the compose
# file's command) stands for the server; other arguments are passed to secantusd-py.
set -eu
[ "${1:-}" = mongod ] && shift
data=/data/db
mkdir -p "$data"
if [ ! -e "$data/WiredTiger" ] && [ -n "${MONGO_INITDB_ROOT_USERNAME:-}" ] && [ -n "${MONGO_INITDB_ROOT_PASSWORD:-}" ]; then
  echo 'stand-in entrypoint: first start: creating the root account' >&2
  secantusd-py --host 127.0.0.1 --port 27017 --storage-path "$data" --log-level WARNING &
  pid=$!
  /opt/secantus/bin/python - <<'PY'
import os, time
from pymongo import MongoClient
client = MongoClient("127.0.0.1", 27017, serverSelectionTimeoutMS=60000, directConnection=True)
client.admin.command("ping")
client.admin.command("createUser", os.environ["MONGO_INITDB_ROOT_USERNAME"],
                     pwd=os.environ["MONGO_INITDB_ROOT_PASSWORD"], roles=[{"role": "root", "db": "admin"}])
client.close()
PY
  kill -TERM "$pid"
  wait "$pid" || true
  echo 'stand-in entrypoint: first start done; starting with authentication' >&2
fi
exec secantusd-py --host 0.0.0.0 --port 27017 --storage-path "$data" --auth --standalone --log-level WARNING "$@"
