#!/usr/bin/env bash
# Makes a small local image from Debian's static busybox (no registry needed): make-busybox-image.sh [reference]
set -euo pipefail
REF=${1:-dockerps-demo/busybox:latest}
if docker image inspect "$REF" >/dev/null 2>&1; then
  exit 0
fi
BUSYBOX=$(command -v busybox || true)
[ -n "$BUSYBOX" ] || { echo "busybox is missing: run tests/engine/start-engine.sh first" >&2; exit 1; }
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT/bin" "$ROOT/etc" "$ROOT/tmp"
cp "$BUSYBOX" "$ROOT/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$ROOT/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$ROOT/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$ROOT/etc/group"
tar -C "$ROOT" -cf - . | docker import --change 'CMD ["sh"]' - "$REF" >/dev/null
echo "image: $REF"
