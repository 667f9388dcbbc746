#!/usr/bin/env bash
# Stops the two test registries started by start-registry.sh (by their pid files).
# Safe to run again: missing or stale pid files are just removed. Data, certs and password are kept.
set -euo pipefail

DIR=${DOCKERPS_REGISTRY_DIR:-/var/lib/dockerps-registry}

say() { echo "registry: $*" >&2; }

[ -d "$DIR" ] || { say "nothing to stop ($DIR does not exist)"; exit 0; }

# Same lock as the start script, so a stop never races a start.
exec 9>"$DIR/.lock"
flock -w 60 9 || { say "another start/stop holds $DIR/.lock"; exit 1; }

for name in open auth; do
  pidfile=$DIR/$name/registry.pid
  if [ ! -s "$pidfile" ]; then
    say "$name: not running (no pid file)"
    rm -f "$pidfile"
    continue
  fi
  pid=$(cat "$pidfile")
  # Only signal the pid when it still runs this registry: after a reboot the number may be reused.
  if [[ $pid =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] \
     && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "serve $DIR/$name/config.yml"; then
    say "$name: stopping pid $pid"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name: pid $pid ignored SIGTERM; killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
  else
    say "$name: stale pid file ($pid is not running this registry)"
  fi
  rm -f "$pidfile"
done
