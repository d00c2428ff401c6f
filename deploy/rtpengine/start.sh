#!/bin/sh
# Entry point of the rtpengine container (docker-compose.yml). Media on the edge network address,
# advertised as RTPENGINE_PUBLIC_IP; the NG control port on the backend network address only.
set -eu

: "${RTPENGINE_PUBLIC_IP:?RTPENGINE_PUBLIC_IP must be set (the address callees send media to)}"

# Each alias exists on one network only, so it resolves to this container's address there.
media_ip="$(getent hosts rtpengine-media | cut -d' ' -f1 | head -n 1)"
ng_ip="$(getent hosts rtpengine-ng | cut -d' ' -f1 | head -n 1)"
if [ -z "$media_ip" ] || [ -z "$ng_ip" ]; then
  echo "rtpengine: cannot resolve rtpengine-media / rtpengine-ng (network aliases)" >&2
  exit 1
fi

# The recording service (uid/gid 1000 in the app image) reads and deletes the spooled files:
# a setgid group-writable spool and a umask that keeps group access.
spool=/var/spool/rtpengine
mkdir -p "$spool"
chgrp 1000 "$spool"
chmod 2770 "$spool"
umask 0007

exec rtpengine --config-file=/etc/rtpengine/rtpengine.conf \
  --interface="pub/${media_ip}!${RTPENGINE_PUBLIC_IP}" \
  --listen-ng="${ng_ip}:22222"
