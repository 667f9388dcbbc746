#!/usr/bin/env bash
# Starts two local registries (Debian's docker-registry, distribution 2.8) for the push/pull tests:
#   127.0.0.1:5000  open, plain HTTP (the engine treats 127.0.0.0/8 as insecure by default)
#   127.0.0.1:5443  TLS with a test CA + htpasswd basic auth (user dockerps)
# Both listen on 127.0.0.1 only; the packaged service (which listens on every interface) is not used.
# Safe to run again: reuses certs, password and running registries; replaces stale pid files.
# stdout: KEY=VALUE lines for the tests; progress goes to stderr. Stop with stop-registry.sh.
set -euo pipefail

DIR=${DOCKERPS_REGISTRY_DIR:-/var/lib/dockerps-registry}
OPEN_ADDR=127.0.0.1:5000
AUTH_ADDR=127.0.0.1:5443
AUTH_USER=dockerps
CERTS=$DIR/certs
CA_KEY=$CERTS/ca.key
CA_CRT=$CERTS/ca.crt
SRV_KEY=$CERTS/server.key
SRV_CRT=$CERTS/server.crt
HTPASSWD=$DIR/auth/htpasswd
PASSWORD_FILE=$DIR/auth/password
ENGINE_CA=/etc/docker/certs.d/$AUTH_ADDR/ca.crt

say() { echo "registry: $*" >&2; }
die() { say "$*"; exit 1; }

case $DIR in /*) ;; *) die "DOCKERPS_REGISTRY_DIR must be an absolute path: $DIR" ;; esac
case $DIR in *'"'* | *'\'*) die "DOCKERPS_REGISTRY_DIR must not contain quotes or backslashes" ;; esac

# --- packages -----------------------------------------------------------------------------------
need=()
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing ${need[*]}; run as root to install them"
  say "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # The package's own service is never started here; our instances use their own configs.
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

mkdir -p "$DIR" "$CERTS" "$DIR/open/data" "$DIR/auth/data"
chmod 755 "$DIR" "$DIR/auth"

# One run at a time; fd 9 is closed for the registries so they do not keep the lock.
exec 9>"$DIR/.lock"
flock -w 60 9 || die "another start/stop holds $DIR/.lock"

# --- certificates -------------------------------------------------------------------------------
cert_ok() { [ -s "$1" ] && openssl x509 -in "$1" -noout -checkend 86400 >/dev/null 2>&1; }

if ! { [ -s "$CA_KEY" ] && cert_ok "$CA_CRT"; }; then
  say "creating test CA in $CERTS"
  rm -f "$CA_KEY" "$CA_CRT" "$SRV_KEY" "$SRV_CRT"
  (umask 077; openssl genrsa -out "$CA_KEY" 2048 2>/dev/null)
  openssl req -x509 -new -sha256 -days 3650 -key "$CA_KEY" -out "$CA_CRT" \
    -subj "/CN=DockerPS test registry CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" 2>/dev/null
fi

if ! { [ -s "$SRV_KEY" ] && cert_ok "$SRV_CRT" \
       && openssl verify -CAfile "$CA_CRT" "$SRV_CRT" >/dev/null 2>&1; }; then
  say "creating server certificate for IP 127.0.0.1 / DNS localhost"
  (umask 077; openssl genrsa -out "$SRV_KEY" 2048 2>/dev/null)
  ext=$(mktemp)
  csr=$(mktemp)
  printf '%s\n' \
    "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" \
    "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    "authorityKeyIdentifier=keyid" > "$ext"
  openssl req -new -sha256 -key "$SRV_KEY" -subj "/CN=localhost" -out "$csr" 2>/dev/null
  # 825 days: the longest lifetime strict TLS clients accept for a server certificate.
  openssl x509 -req -sha256 -days 825 -in "$csr" -CA "$CA_CRT" -CAkey "$CA_KEY" \
    -CAcreateserial -CAserial "$CERTS/ca.srl" -extfile "$ext" -out "$SRV_CRT" 2>/dev/null
  rm -f "$ext" "$csr"
fi
chmod 644 "$CA_CRT" "$SRV_CRT"

# The engine reads this per request, so no restart is needed. (It skips verification for
# registries in its insecure ranges, 127.0.0.0/8 by default, but other clients use CA_CERT.)
if ! cmp -s "$CA_CRT" "$ENGINE_CA" 2>/dev/null; then
  say "trusting the test CA for $AUTH_ADDR in ${ENGINE_CA%/*}"
  mkdir -p "${ENGINE_CA%/*}"
  install -m 644 "$CA_CRT" "$ENGINE_CA"
fi

# --- password + htpasswd ------------------------------------------------------------------------
if [ ! -s "$PASSWORD_FILE" ]; then
  say "generating the password for $AUTH_USER"
  # Hex only: no characters that need quoting in tests or on a command line.
  (umask 022; openssl rand -hex 16 > "$PASSWORD_FILE.tmp")
  mv "$PASSWORD_FILE.tmp" "$PASSWORD_FILE"
fi
chmod 644 "$PASSWORD_FILE"   # test-only secret, readable by the tests whatever user runs them
PASSWORD=$(head -n 1 "$PASSWORD_FILE")

if ! { [ -s "$HTPASSWD" ] && htpasswd -v -b "$HTPASSWD" "$AUTH_USER" "$PASSWORD" >/dev/null 2>&1; }; then
  say "writing $HTPASSWD (bcrypt)"
  htpasswd -c -B -b "$HTPASSWD" "$AUTH_USER" "$PASSWORD" 2>/dev/null
fi
chmod 644 "$HTPASSWD"

# --- configs ------------------------------------------------------------------------------------
# Written each run (same content when nothing changed); a running registry started from an older
# config, cert or htpasswd is restarted, since distribution 2.8 reads them only at start.
write_if_changed() {  # write_if_changed FILE  (content on stdin)
  local tmp
  tmp=$(mktemp "$1.XXXX")
  cat > "$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; chmod 644 "$1"; fi
}

write_if_changed "$DIR/open/config.yml" <<EOF
# Open registry for the DockerPS tests: plain HTTP, no auth, loopback only.
version: 0.1
log:
  level: info
  fields:
    service: dockerps-open-registry
storage:
  filesystem:
    rootdirectory: "$DIR/open/data"
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $OPEN_ADDR
  headers:
    X-Content-Type-Options: [nosniff]
EOF

write_if_changed "$DIR/auth/config.yml" <<EOF
# Registry with TLS and basic auth for the DockerPS tests, loopback only.
version: 0.1
log:
  level: info
  fields:
    service: dockerps-auth-registry
storage:
  filesystem:
    rootdirectory: "$DIR/auth/data"
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $AUTH_ADDR
  tls:
    certificate: "$SRV_CRT"
    key: "$SRV_KEY"
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  htpasswd:
    realm: dockerps-registry
    path: "$HTPASSWD"
EOF

# --- processes ----------------------------------------------------------------------------------
status_of() {  # HTTP status of /v2/ for open|auth, 000 when nothing answers
  local code
  if [ "$1" = open ]; then
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$OPEN_ADDR/v2/" 2>/dev/null) || true
  else
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$CA_CRT" "https://$AUTH_ADDR/v2/" 2>/dev/null) || true
  fi
  echo "${code:-000}"
}
expected_of() { if [ "$1" = open ]; then echo 200; else echo 401; fi; }
addr_of() { if [ "$1" = open ]; then echo "$OPEN_ADDR"; else echo "$AUTH_ADDR"; fi; }

# Pid from the pid file when that process is still our registry; a stale file is removed.
our_pid() {
  local pidfile=$DIR/$1/registry.pid pid
  [ -s "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  if [[ $pid =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] \
     && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "serve $DIR/$1/config.yml"; then
    echo "$pid"
    return 0
  fi
  say "$1: removing stale pid file ($pid is not running this registry)"
  rm -f "$pidfile"
  return 1
}

# Fingerprint of everything the registry reads at start.
stamp_of() {
  if [ "$1" = open ]; then
    cat "$DIR/open/config.yml"
  else
    cat "$DIR/auth/config.yml" "$SRV_CRT" "$SRV_KEY" "$HTPASSWD"
  fi | sha256sum | cut -d' ' -f1
}

stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
}

start_one() {
  local name=$1 log=$DIR/$1/registry.log pid
  say "$name: starting on $(addr_of "$name") (log: $log)"
  # REGISTRY_* variables would override the config file, so they are dropped.
  # setsid: the registry outlives the caller's session; fd 9 (the lock) is not inherited.
  (
    for v in $(compgen -e | grep '^REGISTRY_' || true); do unset "$v"; done
    cd "$DIR/$name"
    exec setsid nohup docker-registry serve "$DIR/$name/config.yml" >>"$log" 2>&1 </dev/null 9>&-
  ) &
  pid=$!
  echo "$pid" > "$DIR/$name/registry.pid"
  stamp_of "$name" > "$DIR/$name/registry.stamp"
}

for name in open auth; do
  want=$(expected_of "$name")
  pid=$(our_pid "$name") || pid=
  code=$(status_of "$name")
  if [ "$code" = "$want" ]; then
    if [ -n "$pid" ] && [ "$(stamp_of "$name")" != "$(cat "$DIR/$name/registry.stamp" 2>/dev/null)" ]; then
      say "$name: config, certificate or htpasswd changed; restarting pid $pid"
      stop_pid "$pid"
      rm -f "$DIR/$name/registry.pid"
      start_one "$name"
    elif [ -n "$pid" ]; then
      say "$name: already answering on $(addr_of "$name") (pid $pid)"
    else
      say "$name: already answering on $(addr_of "$name") (not started by this script; left as is)"
    fi
  elif [ -n "$pid" ]; then
    # Ours but not (yet) answering as expected: maybe still starting, else restart it.
    sleep 1
    if [ "$(status_of "$name")" != "$want" ]; then
      say "$name: pid $pid does not answer as expected; restarting it"
      stop_pid "$pid"
      rm -f "$DIR/$name/registry.pid"
      start_one "$name"
    fi
  else
    if [ "$code" != 000 ]; then
      die "$name: something else answers on $(addr_of "$name") with HTTP $code; not starting"
    fi
    start_one "$name"
  fi
done

# --- wait for both ------------------------------------------------------------------------------
deadline=$((SECONDS + 30))
for name in open auth; do
  want=$(expected_of "$name")
  until [ "$(status_of "$name")" = "$want" ]; do
    if [ -s "$DIR/$name/registry.pid" ] && ! kill -0 "$(cat "$DIR/$name/registry.pid")" 2>/dev/null; then
      say "$name: the registry exited; last lines of $DIR/$name/registry.log:"
      tail -n 20 "$DIR/$name/registry.log" >&2
      exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      say "$name: no HTTP $want from $(addr_of "$name")/v2/ within 30 s; last lines of $DIR/$name/registry.log:"
      tail -n 20 "$DIR/$name/registry.log" >&2 || true
      exit 1
    fi
    sleep 0.3
  done
  say "$name: ready on $(addr_of "$name") (/v2/ answers $want)"
done

echo "OPEN_REGISTRY=$OPEN_ADDR"
echo "AUTH_REGISTRY=$AUTH_ADDR"
echo "AUTH_USER=$AUTH_USER"
echo "AUTH_PASSWORD_FILE=$PASSWORD_FILE"
echo "CA_CERT=$CA_CRT"
