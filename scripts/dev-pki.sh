#!/usr/bin/env bash
# Makes a DEVELOPMENT public-key infrastructure for einvoiced's mutual TLS, with openssl only:
#
#   DIR/ca.pem, ca.key              a development CA (issues every certificate below)
#   DIR/server.pem, server.key      einvoiced's certificate, for 127.0.0.1, ::1 and localhost
#   DIR/seller.pem, seller.key      taxpayer 9902026115 (the seller of examples/invoice.json)
#   DIR/buyer.pem, buyer.key        taxpayer 9900000016 (its buyer)
#   DIR/tvan.pem, tvan.key          a T-VAN provider, taxpayer 0100109106
#   DIR/officer.pem, officer.key    a tax officer (no tax code; listed in the policy)
#   DIR/admin.pem, admin.key        an administrator (no tax code; listed in the policy)
#   DIR/policy.json                 the access policy naming the officer and the administrator
#
# Taxpayers carry their tax code as the subject attribute UID=MST:<tax code>, as Vietnamese CAs
# write it. Keys are EC P-256, unencrypted, mode 0600. NOT FOR PRODUCTION: a real deployment
# uses the authority's own CA for servers and officers and the licensed CAs' bundle for
# taxpayers (docs/security.md).
#
#   scripts/dev-pki.sh DIR
#   build/server/einvoiced --tls_cert_file=DIR/server.pem --tls_key_file=DIR/server.key \
#       --client_ca_file=DIR/ca.pem --access_policy_file=DIR/policy.json
#   build/tools/einvoice --ca_file DIR/ca.pem --cert_file DIR/officer.pem \
#       --key_file DIR/officer.key seller register 9902026115 --name "Công ty TNHH Mẫu"
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 1
fi
dir=$1
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"
umask 077
days=825

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

# issue NAME SUBJECT EXTENSIONS: a certificate for NAME.key signed by the CA.
issue() {
  local name=$1 subject=$2 extensions=$3
  key "$name"
  openssl req -new -utf8 -key "$name.key" -subj "$subject" -out "$name.csr"
  printf '%b\n' "$extensions" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days "$days" \
    -sha256 -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

fingerprint() { openssl x509 -in "$1" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1; }

key ca
openssl req -new -x509 -utf8 -key ca.key -days 3650 -sha256 -out ca.pem \
  -subj "/C=VN/O=einvoice development/CN=einvoice development CA (NOT FOR PRODUCTION)" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

issue server "/C=VN/O=einvoice development/CN=localhost" \
  "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost"

client_ext="basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=clientAuth"
issue seller "/C=VN/O=Công ty TNHH Mẫu Hóa Đơn Thử Nghiệm/CN=Công ty TNHH Mẫu Hóa Đơn Thử Nghiệm/UID=MST:9902026115" "$client_ext"
issue buyer "/C=VN/O=Công ty Người Mua Thử Nghiệm/CN=Công ty Người Mua Thử Nghiệm/UID=MST:9900000016" "$client_ext"
issue tvan "/C=VN/O=T-VAN Thử Nghiệm/CN=T-VAN Thử Nghiệm/UID=MST:0100109106" "$client_ext"
issue officer "/C=VN/O=Cơ quan thuế (thử nghiệm)/CN=Cán bộ thuế thử nghiệm" "$client_ext"
issue admin "/C=VN/O=Cơ quan thuế (thử nghiệm)/CN=Quản trị hệ thống thử nghiệm" "$client_ext"
rm -f ca.srl

cat > policy.json <<EOF
{
  "admins": ["$(fingerprint admin.pem)"],
  "officers": ["$(fingerprint officer.pem)"]
}
EOF
chmod 600 ./*.key
chmod 644 ./*.pem policy.json
echo "dev-pki: wrote $(pwd): ca, server, seller, buyer, tvan, officer, admin (.pem/.key), policy.json"
