"""Write a self-signed demo certificate and key for signing issued PDFs (development and tests).

    python manage.py make_signing_cert [--dir var/signing] [--name 某县人民政府办公室] [--force]

Production uses the office's real certificate: set PDF_SIGNING_CERT / PDF_SIGNING_KEY (and
PDF_SIGNING_KEY_PASSPHRASE, PDF_SIGNING_CHAIN). The key is written encrypted with
PDF_SIGNING_KEY_PASSPHRASE when that is set, else unencrypted, readable by its owner only.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def make_certificate(name: str, *, days: int = 3650, passphrase: str = "") -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM) of a new self-signed RSA-2048 signing certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
        x509.NameAttribute(NameOID.COMMON_NAME, name),
    ])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                              x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")]),  # documentSigning
                       critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = (serialization.BestAvailableEncryption(passphrase.encode()) if passphrase
                  else serialization.NoEncryption())
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


class Command(BaseCommand):
    help = "Write a self-signed demo certificate and key for signing issued PDFs (development, tests)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(Path(settings.VAR_DIR) / "signing"),
                            help="where signing-cert.pem and signing-key.pem are written")
        parser.add_argument("--name", default="某县人民政府办公室", help="the organ named in the certificate")
        parser.add_argument("--days", type=int, default=3650)
        parser.add_argument("--force", action="store_true", help="replace an existing pair")

    def handle(self, *args, dir, name, days, force, **options):
        directory = Path(dir)
        cert_path, key_path = directory / "signing-cert.pem", directory / "signing-key.pem"
        if (cert_path.exists() or key_path.exists()) and not force:
            raise CommandError(f"{cert_path} or {key_path} exists; use --force to replace them.")
        directory.mkdir(parents=True, exist_ok=True)
        cert_pem, key_pem = make_certificate(name, days=days,
                                             passphrase=os.environ.get("PDF_SIGNING_KEY_PASSPHRASE", ""))
        cert_path.write_bytes(cert_pem)
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key_pem)
        os.chmod(key_path, 0o600)
        self.stdout.write(f"PDF_SIGNING_CERT={cert_path}\nPDF_SIGNING_KEY={key_path}")
