#!/usr/bin/env bash
# A private CA and a server certificate for DOMAIN (and conference.DOMAIN), for the throwaway
# servers the tests, the demo and the benchmark run. Valid for 3 days.
#
#   scripts/sandbox-certs.sh DIR DOMAIN
#
# Writes DIR/ca.pem (the CA to trust: xsend --ca-file), DIR/certs/server.crt and
# DIR/certs/server.key, and DIR/certs/server.pem (certificate and key in one file, as ejabberd
# wants them).
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 DIR DOMAIN" >&2; exit 2; }
dir=$1 domain=$2
command -v openssl >/dev/null || { echo "sandbox-certs: openssl is not installed (apt-get install -y openssl)" >&2; exit 1; }
mkdir -p "$dir/certs"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3 \
  -keyout "$dir/certs/ca.key" -out "$dir/ca.pem" -subj "/CN=xsend sandbox CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$dir/certs/server.key" -out "$dir/certs/server.csr" -subj "/CN=$domain" 2>/dev/null
printf 'subjectAltName=DNS:%s,DNS:conference.%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
  "$domain" "$domain" > "$dir/certs/server.ext"
openssl x509 -req -in "$dir/certs/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/certs/ca.key" -CAcreateserial \
  -days 3 -extfile "$dir/certs/server.ext" -out "$dir/certs/server.crt" 2>/dev/null
cat "$dir/certs/server.crt" "$dir/certs/server.key" > "$dir/certs/server.pem"
chmod 600 "$dir/certs/server.key" "$dir/certs/server.pem" "$dir/certs/ca.key"
