#!/bin/sh
# Entrypoint wrapper of the compose `mongo` service. The official entrypoint creates the root
# account only on the first start (empty volume), so a bad password there would stick: refuse an
# empty, placeholder or URL-unsafe root password before it runs. (The other accounts are made by
# the db-init service, whose db:init refuses such passwords itself.)
# Names the variable, never prints a value.
set -eu
for name in MONGO_INITDB_ROOT_PASSWORD; do
  eval "value=\${$name:-}"
  case "$value" in
    '' | *[Cc][Hh][Aa][Nn][Gg][Ee]-[Mm][Ee]* | *[Cc][Hh][Aa][Nn][Gg][Ee][Mm][Ee]*)
      echo "mongo: $name is empty or still the .env.template placeholder: set a real password in .env" >&2
      exit 1
      ;;
    *[!A-Za-z0-9._~-]*)
      echo "mongo: $name must use only letters, digits, '.', '_', '~', '-' (it goes into connection URLs)" >&2
      exit 1
      ;;
  esac
done
unset value
exec docker-entrypoint.sh "$@"
