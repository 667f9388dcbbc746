#!/usr/bin/env bash
# Starts a second local Docker engine for the tests that need two engines (a piped object is acted on at the engine
# it came from). It runs in a network namespace of its own, so its docker0 bridge and iptables rules are its own and
# never touch the main engine's; only its unix socket is shared with the host. Its containers have no route anywhere.
# Safe to run again, and from several test runs at once: returns at once when the engine already answers.
# stdout: the socket path (unix:///…); progress goes to stderr. The engine stays running, like the main one.
set -euo pipefail

NAME=dockerps-second
NS=$NAME
SOCK=/var/run/$NAME.sock
DATA_ROOT=/var/lib/$NAME
EXEC_ROOT=/var/run/$NAME
PIDFILE=/var/run/$NAME.pid
LOG=${DOCKERPS_SECOND_ENGINE_LOG:-/var/log/$NAME.log}

say() { echo "second engine: $*" >&2; }

ping_engine() {
  curl -fsS --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1
}

# One starter at a time; a second caller waits and then finds the engine answering.
exec 9>"/var/run/$NAME.lock"
flock 9

if ping_engine; then
  echo "unix://$SOCK"
  exit 0
fi

command -v dockerd >/dev/null 2>&1 || { say "dockerd is not installed: run tests/engine/start-engine.sh first"; exit 1; }

if [ ! -e "/var/run/netns/$NS" ]; then
  ip netns add "$NS"
fi
ip netns exec "$NS" ip link set lo up
# A new namespace starts with forwarding off; keep it so whatever dockerd does.
ip netns exec "$NS" sysctl -qw net.ipv4.ip_forward=0

if [ -f "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  rm -f "$PIDFILE"
fi
rm -f "$SOCK"
mkdir -p "$DATA_ROOT" "$EXEC_ROOT"

say "starting dockerd in network namespace $NS (log: $LOG)"
# nsenter enters only the network namespace: mounts and cgroups stay the host's, as for the main engine. The engine
# must not inherit the lock (fd 9), or no later caller could take it.
setsid nohup nsenter --net="/var/run/netns/$NS" \
  dockerd --ip-forward=false --ip-masq=false \
    -H "unix://$SOCK" --data-root "$DATA_ROOT" --exec-root "$EXEC_ROOT" --pidfile "$PIDFILE" \
  </dev/null >"$LOG" 2>&1 9>&- &

for _ in $(seq 1 60); do
  if ping_engine; then
    say "ready"
    echo "unix://$SOCK"
    exit 0
  fi
  sleep 0.5
done
say "dockerd did not answer within 30 s; last lines of $LOG:"
tail -n 30 "$LOG" >&2
exit 1
