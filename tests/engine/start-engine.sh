#!/usr/bin/env bash
# Installs (when missing) and starts a local Docker engine on /var/run/docker.sock whose containers
# have no route off this machine. Safe to run again: returns at once when the engine already answers.
set -euo pipefail

SOCK=/var/run/docker.sock
LOG=${DOCKERPS_ENGINE_LOG:-/var/log/dockerps-dockerd.log}

ping_engine() {
  curl -fsS --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1
}

# The interactive-session tests drive a real terminal, whatever engine answers.
if ! command -v tmux >/dev/null 2>&1; then
  echo "engine: installing tmux"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null
fi

if ping_engine; then
  echo "engine: already answering on $SOCK"
  exit 0
fi

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || need+=(busybox-static)
command -v curl >/dev/null 2>&1 || need+=(curl)
# Second engines and TLS engines of the tests live in network namespaces, with certificates made by openssl.
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "engine: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# No forwarding: published ports on 127.0.0.1 work, nothing leaves the machine.
sysctl -qw net.ipv4.ip_forward=0 || true

if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
  rm -f /var/run/docker.pid
fi

echo "engine: starting dockerd (log: $LOG)"
nohup dockerd --ip-forward=false --ip-masq=false -H "unix://$SOCK" >"$LOG" 2>&1 &

for _ in $(seq 1 60); do
  if ping_engine; then
    echo "engine: ready ($(curl -fsS --unix-socket "$SOCK" http://localhost/version | sed -E 's/.*"ApiVersion":"([^"]+)".*/API \1/'))"
    exit 0
  fi
  sleep 0.5
done
echo "engine: dockerd did not answer within 30 s; last lines of $LOG:" >&2
tail -n 30 "$LOG" >&2
exit 1
