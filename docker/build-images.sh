#!/usr/bin/env bash
# Makes storecap's images available: a Docker engine, the debian:trixie-slim base and
#   storecap/postgres:17      Postgres 17 (Debian), set up for the harness
#   storecap/pgbouncer:1.24   PgBouncer 1.24 (Debian), config from the environment
#   storecap/service:latest   the reference service on a JRE (only with --service)
# Idempotent and quick when nothing changed: each image carries a hash of its build context
# and of the base image (label io.storecap.image.content-hash), and is rebuilt only when it differs.
#
# usage: docker/build-images.sh [--service] [--pull] [--force] [--check]
#   --service  also build the service image (needs `mvn -pl service -am package -DskipTests` first)
#   --pull     a machine with a registry: let `docker build` fetch debian:trixie-slim
#              instead of building it offline with debootstrap
#   --force    rebuild even when the hash matches
#   --check    build nothing; exit 0 when the images are present and current, 1 otherwise
#
# Machines without a registry (CI here): the base image is made offline with
# ../shared/tools/docker-offline-setup when that exists beside the clone, else by the same steps
# below (install docker.io from Debian, start dockerd, debootstrap trixie, docker import).
# Exit codes: 0 ready; 1 failed; 2 Docker is not usable and cannot be set up here (not root or no
# apt-get): containers tests then skip, with a message saying how to enable them.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BASE=debian:trixie-slim
LABEL=io.storecap.image.content-hash
POSTGRES_IMAGE=storecap/postgres:17
PGBOUNCER_IMAGE=storecap/pgbouncer:1.24
SERVICE_IMAGE=storecap/service:latest

service=0; pull=0; force=0; check=0
for a in "$@"; do
  case "$a" in
    --service) service=1 ;;
    --pull) pull=1 ;;
    --force) force=1 ;;
    --check) check=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "build-images: unknown option '$a' (see --help)" >&2; exit 1 ;;
  esac
done

say() { echo "build-images: $*" >&2; }
started=$(date +%s)

# --- engine and base image -------------------------------------------------------------------
offline_tool() {
  local top candidates=()
  [ -n "${STORECAP_DOCKER_SETUP:-}" ] && candidates+=("$STORECAP_DOCKER_SETUP")
  top=$(git -C "$ROOT" rev-parse --show-toplevel 2>/dev/null || echo "$ROOT")
  candidates+=("$top/../shared/tools/docker-offline-setup" "$ROOT/../shared/tools/docker-offline-setup")
  for c in "${candidates[@]}"; do [ -f "$c" ] && { echo "$c"; return 0; }; done
  return 1
}

cannot_setup() {
  say "$1"
  say "Docker is needed for the containers provider (local processes work without it)."
  say "Enable it: install Docker (Debian: 'sudo apt-get install -y docker.io'), start it ('sudo dockerd &' or"
  say "'sudo systemctl start docker'), make the socket usable ('sudo usermod -aG docker \$USER'), then rerun $0"
  exit 2
}

# The same steps as shared/tools/docker-offline-setup, for a clone without shared/ beside it.
replicate_offline_setup() {
  local want_base=$1
  if ! command -v dockerd >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || cannot_setup "dockerd is not installed and this is not root with apt-get"
    say "installing docker.io from Debian"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  fi
  if ! docker info >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || cannot_setup "the Docker engine is not running (or its socket is not yours) and this is not root"
    local log=${DOCKER_OFFLINE_LOG:-/var/tmp/dockerd.log}
    say "starting dockerd (log: $log)"
    nohup dockerd >"$log" 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { say "dockerd did not start; see $log"; exit 1; }
  fi
  [ "$want_base" = 1 ] || return 0
  docker image inspect "$BASE" >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || cannot_setup "$BASE is missing and building it offline (debootstrap) needs root; with a registry use --pull"
  command -v debootstrap >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  local mirror rootfs
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  mirror=${mirror:-$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null)}
  mirror=${mirror:-http://deb.debian.org/debian}
  rootfs=$(mktemp -d /var/tmp/debootstrap-trixie.XXXX)
  say "building $BASE with debootstrap from $mirror"
  debootstrap --variant=minbase trixie "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || { say "debootstrap failed; see $rootfs.log"; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import -c 'CMD ["bash"]' - "$BASE" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
}

ensure_engine() {
  if docker info >/dev/null 2>&1 && docker image inspect "$BASE" >/dev/null 2>&1; then return 0; fi
  if [ "$pull" = 1 ] && docker info >/dev/null 2>&1; then
    # fetched before hashing, so the hash (which includes the base's id) is the same on the next run
    say "pulling $BASE"
    docker pull -q "$BASE" >/dev/null || { say "docker pull $BASE failed: is a registry reachable? Without one, drop --pull"; exit 1; }
    return 0
  fi
  command -v docker >/dev/null 2>&1 || [ "$(id -u)" = 0 ] || cannot_setup "the docker command is not installed"
  local tool
  if [ "$pull" = 0 ] && tool=$(offline_tool); then
    [ "$(id -u)" = 0 ] || cannot_setup "Docker is not ready and $tool must run as root"
    say "setting up Docker offline with $tool"
    bash "$tool" >/dev/null
  else
    replicate_offline_setup $((1 - pull))
  fi
}

# --- images ----------------------------------------------------------------------------------
context_hash() { # dir -> short hash of every file in it (names and contents) and of the base image
  {
    (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    echo "base $(docker image inspect -f '{{.Id}}' "$BASE" 2>/dev/null || echo pulled)"
  } | sha256sum | cut -c1-16
}

current_hash() { docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$1" 2>/dev/null || true; }

stale=0
build_one() { # image context
  local image=$1 ctx=$2 h log
  h=$(context_hash "$ctx")
  if [ "$force" = 0 ] && [ "$(current_hash "$image")" = "$h" ]; then say "$image is current ($h)"; return 0; fi
  if [ "$check" = 1 ]; then say "$image is missing or stale"; stale=1; return 0; fi
  log=$(mktemp /tmp/storecap-build-image.XXXX.log)
  say "building $image (log: $log)"
  local t0; t0=$(date +%s)
  # the legacy builder where the buildx plugin is absent (Debian's docker.io has none)
  if docker buildx version >/dev/null 2>&1; then export DOCKER_BUILDKIT=1; else export DOCKER_BUILDKIT=0; fi
  if ! docker build --label "$LABEL=$h" -t "$image" "$ctx" >"$log" 2>&1; then
    tail -30 "$log" >&2
    say "building $image failed (full log: $log)"
    exit 1
  fi
  rm -f "$log"
  say "built $image in $(( $(date +%s) - t0 )) s"
}

stage_service() { # -> a temporary build context with the service jar and its runtime dependencies
  local jar stage
  jar=$(ls "$ROOT"/service/target/storecap-service-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -1 || true)
  [ -n "$jar" ] || { say "no service jar: run 'mvn -q -pl service -am package -DskipTests' first, then rerun with --service"; exit 1; }
  stage=$(mktemp -d /tmp/storecap-service-image.XXXX)
  mkdir -p "$stage/lib"
  cp "$HERE/service/Dockerfile" "$stage/"
  cp "$jar" "$stage/lib/"
  (cd "$ROOT" && ${MVN:-mvn} -q -B -pl service dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$stage/lib" >"$stage.log" 2>&1) || { cat "$stage.log" >&2; say "copying the service's dependencies failed"; exit 1; }
  rm -f "$stage.log"
  echo "$stage"
}

if [ "$check" = 1 ]; then
  docker info >/dev/null 2>&1 || { say "the Docker engine is not reachable"; exit 1; }
else
  ensure_engine
fi
build_one "$POSTGRES_IMAGE" "$HERE/postgres"
build_one "$PGBOUNCER_IMAGE" "$HERE/pgbouncer"
if [ "$service" = 1 ]; then
  ctx=$(stage_service)
  build_one "$SERVICE_IMAGE" "$ctx"
  rm -rf "$ctx"
fi
[ "$stale" = 0 ] || exit 1
say "ready in $(( $(date +%s) - started )) s"
