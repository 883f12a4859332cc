#!/bin/sh
# Entry point of the Strangler image; also runs from a checkout after
# `npm run build`. SERVICE names the process to start:
#   an application of nest-cli.json (monolith, gateway, search, ..., sync)
#       -> node dist/<sourceRoot>/<entryFile>.js, read from nest-cli.json so a
#          new app needs no change here;
#   seed -> loads posts into the monolith's database: the file SEED_FILE if
#          set, otherwise SEED_POSTS generated posts (seeded by SEED_RANDOM).
# `entrypoint.sh healthcheck` probes the running process on PORT (Docker's
# HEALTHCHECK); any other arguments run as a command in the image.
# A missing or unknown SERVICE prints the valid values and exits 64.
set -eu

ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
SERVICE=${SERVICE:-}

# One line per application: name, tab, entry file relative to ROOT.
applications() {
  node -e '
    const { projects } = require(process.argv[1]);
    for (const [name, project] of Object.entries(projects)) {
      if (project.type !== "application") continue;
      process.stdout.write(`${name}\tdist/${project.sourceRoot}/${project.entryFile || "main"}.js\n`);
    }' "$ROOT/nest-cli.json"
}

healthcheck() {
  case "$SERVICE" in
    gateway) path=/_gateway/health ;;
    *) path=/health ;;
  esac
  exec node -e '
    const [port, path] = process.argv.slice(1);
    const request = require("node:http").get({ host: "127.0.0.1", port, path, timeout: 4000 }, (response) => {
      response.resume();
      process.exit(response.statusCode === 200 ? 0 : 1);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => process.exit(1));' "${PORT:?PORT is not set}" "$path"
}

seed() {
  file=${SEED_FILE:-}
  if [ -z "$file" ]; then
    file=${TMPDIR:-/tmp}/strangler-seed-posts.json
    node "$ROOT/dist/datasets/src/generate.cli.js" \
      --count "${SEED_POSTS:-10000}" --seed "${SEED_RANDOM:-1}" --out "$file"
  fi
  exec node "$ROOT/dist/datasets/src/import.cli.js" "$file"
}

usage() {
  names=$(applications | cut -f1 | tr '\n' ' ')
  echo "SERVICE is '${SERVICE}'; it must be one of: ${names}seed" >&2
  exit 64
}

if [ $# -gt 0 ]; then
  if [ "$1" = healthcheck ]; then healthcheck; fi
  exec "$@"
fi

if [ "$SERVICE" = seed ]; then seed; fi

entry=$(applications | awk -F '\t' -v name="$SERVICE" '$1 == name { print $2 }')
if [ -z "$SERVICE" ] || [ -z "$entry" ]; then usage; fi
exec node "$ROOT/$entry"
