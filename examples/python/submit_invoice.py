#!/usr/bin/python3
"""Submit an invoice to einvoiced for the authority's code (MCCQT): a Python example client.

    /usr/bin/python3 examples/python/submit_invoice.py --server 127.0.0.1:50051

Four steps, each checked (exit 1 if the server does not answer as expected, so the script
doubles as an end-to-end test; examples/python/README.md):

  1. submit examples/invoice.json (fresh number, today's date) with an idempotency key and
     print the authority code;
  2. resubmit the same request: answered OK as a replay, with the same code;
  3. submit an invoice with a malformed buyer citizen id: the unary SubmitInvoice fails with
     INVALID_ARGUMENT and carries an einvoice.v1.Rejection in the gRPC status details
     (a google.rpc.Status in the `grpc-status-details-bin` trailer); print every violation;
  4. the same invalid invoice over the SubmitInvoices stream: there the rejection is the
     `rejected` field of the response, and the stream itself ends OK.

Stubs are generated from proto/ at run time (protoc + Debian's grpc_python_plugin) into a
temporary directory; runtime packages: python3-grpcio, python3-protobuf.
"""

import argparse
import datetime
import importlib
import os
import secrets
import subprocess
import sys
import tempfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

try:
    import grpc
    from google.protobuf import json_format
except ImportError as error:
    sys.exit(f"submit_invoice.py: {error}: install python3-grpcio and python3-protobuf "
             "(scripts/install-deps.sh) and run with /usr/bin/python3")


def generate_stubs(proto_dir, out_dir):
    """Runs protoc on the repository's .proto files into `out_dir`; returns the modules of the
    messages (invoice, violation, the service's requests and responses), the service stub and
    google.rpc.Status."""
    protos = [os.path.join("einvoice", "v1", name)
              for name in sorted(os.listdir(os.path.join(proto_dir, "einvoice", "v1")))]
    protos.append(os.path.join("google", "rpc", "status.proto"))  # the error-details envelope
    subprocess.run(["protoc", f"-I{proto_dir}", f"--python_out={out_dir}",
                    f"--grpc_python_out={out_dir}",
                    "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin", *protos],
                   check=True)
    sys.path.insert(0, out_dir)
    try:  # importing loads every descriptor: the directory is not needed afterwards
        return [importlib.import_module(name) for name in (
            "einvoice.v1.invoice_pb2", "einvoice.v1.violation_pb2",
            "einvoice.v1.invoice_authority_pb2",
            "einvoice.v1.invoice_authority_pb2_grpc", "google.rpc.status_pb2")]
    finally:
        sys.path.remove(out_dir)


def open_channel(args):
    """Plaintext (development server on loopback: every caller is the local operator) or, when
    a CA file is given, TLS with this client's certificate: the server then knows the caller by
    the certificate's `UID=MST:<tax code>`, which must be the invoice's seller (or its T-VAN)."""
    if not (args.ca_file or args.cert_file or args.key_file):
        return grpc.insecure_channel(args.server)
    if bool(args.cert_file) != bool(args.key_file):
        sys.exit("submit_invoice.py: --cert_file and --key_file go together")

    def read(path):
        with open(path, "rb") as f:
            return f.read()
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(args.ca_file) if args.ca_file else None,
        private_key=read(args.key_file) if args.key_file else None,
        certificate_chain=read(args.cert_file) if args.cert_file else None)
    return grpc.secure_channel(args.server, credentials)


def rejection_of(error, authority_pb2, status_pb2):
    """The einvoice.v1.Rejection a failed unary SubmitInvoice carries, or None: the standard
    richer error model (google.rpc.Status in the `grpc-status-details-bin` trailer)."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                rejection = authority_pb2.Rejection()
                if detail.Unpack(rejection):
                    return rejection
    return None


def print_violations(violation_pb2, rejection):
    """Every problem found: the ones that refuse the invoice first, then mere warnings."""
    print(f"  status {rejection.status_code}: {rejection.message}")
    for v in rejection.violations:
        severity = violation_pb2.ViolationSeverity.Name(v.severity)
        print(f"  - {v.code} {v.rule} [{v.field or '(invoice)'}] "
              f"{severity.removeprefix('VIOLATION_SEVERITY_')}")
        print(f"      {v.message_en}\n      {v.message}")
        print(f"      how to fix: {v.hint_en}\n      cách sửa: {v.hint}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default="127.0.0.1:50051", help="einvoiced host:port")
    parser.add_argument("--invoice", default=os.path.join(REPO, "examples", "invoice.json"),
                        help="invoice in the protobuf JSON mapping")
    parser.add_argument("--proto_dir", default=os.path.join(REPO, "proto"))
    # TLS as in the einvoice CLI (docs/cli.md): flags, else the same environment variables.
    parser.add_argument("--ca_file", default=os.environ.get("EINVOICE_CA_FILE"),
                        help="CA the server's certificate chains to: turns on TLS")
    parser.add_argument("--cert_file", default=os.environ.get("EINVOICE_CERT_FILE"),
                        help="the seller's client certificate (UID=MST:<tax code>)")
    parser.add_argument("--key_file", default=os.environ.get("EINVOICE_KEY_FILE"))
    parser.add_argument("--timeout", type=float, default=10, help="seconds per call")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="einvoice-stubs-") as stubs:
        invoice_pb2, violation_pb2, authority_pb2, authority_grpc, status_pb2 = generate_stubs(
            args.proto_dir, stubs)
    stub = authority_grpc.InvoiceAuthorityStub(open_channel(args))
    failures = []

    def expect(condition, what):
        print(("  ok: " if condition else "  FAILED: ") + what)
        if not condition:
            failures.append(what)

    # The invoice: the sample, made unique. (seller, template, symbol, number) identifies an
    # invoice for good, so a new one needs a new number; the date is today in Vietnam and the
    # symbol's year (C26TAA: 2026) must match it.
    with open(args.invoice, encoding="utf-8") as f:
        invoice = json_format.Parse(f.read(), invoice_pb2.Invoice())
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()
    invoice.issue_date = today.isoformat()
    invoice.symbol = invoice.symbol[0] + today.strftime("%y") + invoice.symbol[3:]
    invoice.number = 1 + secrets.randbelow(99_999_999)
    # The idempotency key: keep it with the invoice and reuse it on every retry.
    request = authority_pb2.SubmitInvoiceRequest(invoice=invoice, idempotency_key=str(uuid.uuid4()))

    print(f"1. SubmitInvoice {invoice.template_code}{invoice.symbol}/{invoice.number} "
          f"for seller {invoice.seller.tax_code}")
    try:
        first = stub.SubmitInvoice(request, timeout=args.timeout)
    except grpc.RpcError as error:
        print(f"  {error.code().name}: {error.details()}")
        rejection = rejection_of(error, authority_pb2, status_pb2)
        if rejection:
            print_violations(violation_pb2, rejection)
            if any(v.code == "20101" for v in rejection.violations):  # seller.not_registered
                print(f"  (a tax officer registers it: einvoice seller register "
                      f"{invoice.seller.tax_code} --name NAME)")
        return 1
    code = first.accepted.authority_code
    print(f"  authority code: {code} (issued {first.accepted.issued_at.ToJsonString()})")
    for warning in first.accepted.warnings:  # coded anyway; the seller answers for these
        print(f"  warning {warning.code} {warning.rule} [{warning.field}]: {warning.message_en}")
    expect(len(code) == 34 and not first.replay, "a new 34-character code, not a replay")

    # A retry (after a timeout, a crash, a lost answer) sends the very same request: the
    # server answers with the stored original, byte for byte, and says it is a replay.
    print("2. SubmitInvoice again, same request and idempotency key")
    second = stub.SubmitInvoice(request, timeout=args.timeout)
    print(f"  authority code: {second.accepted.authority_code}, replay={second.replay}")
    expect(second.replay and second.accepted == first.accepted,
           "answered as a replay with the original code and signature")

    # An invoice the default `authority` rule profile refuses: a citizen id (CCCD) is exactly
    # 12 digits (20001 format.pattern, docs/violations.md). A new number, so only that is wrong.
    bad = invoice_pb2.Invoice()
    bad.CopyFrom(invoice)
    bad.number = invoice.number % 99_999_999 + 1
    bad.buyer.citizen_id = "12345"
    bad_request = authority_pb2.SubmitInvoiceRequest(invoice=bad, idempotency_key=str(uuid.uuid4()))

    # Unary: a rejection is a failed call; the Rejection travels in the status details.
    print(f"3. SubmitInvoice with buyer.citizen_id={bad.buyer.citizen_id!r}")
    try:
        stub.SubmitInvoice(bad_request, timeout=args.timeout)
        expect(False, "the invalid invoice is rejected")
    except grpc.RpcError as error:
        print(f"  {error.code().name}: {error.details()}")
        rejection = rejection_of(error, authority_pb2, status_pb2)
        expect(error.code() == grpc.StatusCode.INVALID_ARGUMENT and rejection is not None,
               "INVALID_ARGUMENT with a Rejection in the status details")
        if rejection:
            print_violations(violation_pb2, rejection)
            expect(any(v.code == "20001" and v.field == "buyer.citizen_id"
                       for v in rejection.violations),
                   "violation 20001 on buyer.citizen_id")
            expect(all(v.severity == violation_pb2.VIOLATION_SEVERITY_REJECT and v.hint and v.hint_en
                       for v in rejection.violations if v.code == "20001"),
                   "it refuses the invoice and says how to fix it (hint, hint_en)")

    # Stream (month-end batches): one response per request, matched by client_reference; a
    # rejection is the response's `rejected` field and the stream carries on.
    print("4. the same invalid invoice over the SubmitInvoices stream")
    bad_request.client_reference = "line-1"
    responses = list(stub.SubmitInvoices(iter([bad_request]), timeout=args.timeout))
    for response in responses:
        print(f"  {response.client_reference}: {response.WhichOneof('result')}")
        if response.HasField("rejected"):
            print_violations(violation_pb2, response.rejected)
    expect(len(responses) == 1 and responses[0].HasField("rejected") and
           responses[0].rejected.status_code == 3,  # INVALID_ARGUMENT
           "one response, rejected with status 3 (INVALID_ARGUMENT), the stream ending OK")

    if failures:
        print(f"{len(failures)} expectation(s) not met", file=sys.stderr)
        return 1
    print("all expectations met")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except grpc.RpcError as error:  # an unexpected failure of steps 2 or 4
        sys.exit(f"submit_invoice.py: {error.code().name}: {error.details()}")
