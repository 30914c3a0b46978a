#!/bin/bash
# tests/sim/pki.sh OUTDIR: make the test stack's throw-away PKI with openssl.
#   ca.key ca.crt          EC P-256 CA (365 days)
#   server.key server.crt  EC P-256 TLS cert for IP:127.0.0.1 and DNS:localhost,
#                          valid $BERTH_SIM_CERT_DAYS days (default 90; a small
#                          number tests the probe's expiry warning)
#   token.key token.crt    RSA 2048 JWT signing key (RS256) and a self-signed
#                          cert for docker-registry's auth.token.rootcertbundle
# Keys are 0600. Nothing here is a secret worth keeping: made per `stack up`.
set -euo pipefail

out=${1:?usage: pki.sh OUTDIR}
mkdir -p "$out"
cd "$out"
umask 077

# The RSA key is the slow part; make it while the EC material is made.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	-out token.key 2>/dev/null &
rsa=$!

openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout ca.key -out ca.crt -days 365 -subj "/CN=berth sim test CA" \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
cat >server.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EXT
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
	-days "${BERTH_SIM_CERT_DAYS:-90}" -sha256 -extfile server.ext -out server.crt 2>/dev/null
rm -f server.csr server.ext ca.srl

wait "$rsa"
openssl req -x509 -new -key token.key -out token.crt -days 365 -sha256 \
	-subj "/CN=cgr-sim token signer" 2>/dev/null
chmod 0644 ca.crt server.crt token.crt
