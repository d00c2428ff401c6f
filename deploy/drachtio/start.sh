#!/bin/sh
# Entry point of the drachtio container (docker-compose.yml). Reads the admin secret from its docker
# secret into the environment (not onto the command line, where `ps` would show it), binds the admin
# port to the backend network address only, and serves SIP over TLS on 5061.
set -eu

secret_file=/run/secrets/drachtio_secret
if [ ! -s "$secret_file" ]; then
  echo "drachtio: $secret_file is missing or empty" >&2
  exit 1
fi
DRACHTIO_SECRET="$(cat "$secret_file")"
export DRACHTIO_SECRET

# `drachtio-admin` is this container's alias on the backend network only.
admin_ip="$(getent hosts drachtio-admin | cut -d' ' -f1 | head -n 1)"
if [ -z "$admin_ip" ]; then
  echo "drachtio: cannot resolve drachtio-admin (its backend network alias)" >&2
  exit 1
fi
: "${SIP_PUBLIC_IP:?SIP_PUBLIC_IP must be set (the address carriers reach for SIP over TLS)}"

exec drachtio -f /etc/drachtio.conf.xml \
  --address "$admin_ip" \
  --contact "sips:*:5061;transport=tls" --external-ip "$SIP_PUBLIC_IP"
