"""PAdES signatures on issued PDFs, with the office's certificate (pyHanko).

``sign(pdf_bytes)`` returns the PDF with a PAdES B-B signature (ETSI.CAdES.detached, SHA-256,
the signing certificate embedded) made with ``settings.PDF_SIGNING_CERT`` / ``PDF_SIGNING_KEY``
(``PDF_SIGNING_KEY_PASSPHRASE`` when the key is encrypted, ``PDF_SIGNING_CHAIN`` for the CA
certificates). It is a certifying signature (DocMDP "no changes"): the issued document is final.
No network access: no timestamp authority, OCSP or CRL is asked (B-T would need a TSA).

``verify(pdf_bytes)`` returns a ``SignatureStatus``: whether the document is signed, whether the
signed bytes are intact, whether the signature is cryptographically valid, whether the signer's
certificate is one the office trusts (the signing certificate and its chain from settings),
whether anything was appended after signing, who signed and when. ``status.ok`` is the one
answer a page shows; ``status.summary`` says it in words.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

FIELD_NAME = "ZhengbanSignature"


class SigningNotConfigured(ImproperlyConfigured):
    pass


@dataclass(frozen=True)
class SignatureStatus:
    signed: bool
    intact: bool = False  # the signed byte ranges hash to the signed digest
    valid: bool = False  # the signature value verifies with the signer's key
    trusted: bool = False  # the signer's certificate chains to a certificate the office trusts
    modified: bool = False  # bytes were added after the signature (an incremental update)
    signer: str = ""  # the certificate subject's common name
    signed_at: datetime.datetime | None = None
    problem: str = ""  # why it is not ok (translated), "" when ok

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and not self.modified

    @property
    def summary(self) -> str:
        if self.ok:
            when = timezone.localtime(self.signed_at).strftime("%Y-%m-%d %H:%M") if self.signed_at else ""
            return _("Signature valid: signed by %(signer)s at %(when)s; unchanged since.") % {
                "signer": self.signer, "when": when}
        return self.problem


def _read_certs(path: str) -> list:
    from pyhanko.keys.pemder import load_certs_from_pemder

    return list(load_certs_from_pemder([path]))


def _check_configured() -> None:
    missing = [name for name in ("PDF_SIGNING_CERT", "PDF_SIGNING_KEY") if not getattr(settings, name, "")]
    if missing:
        raise SigningNotConfigured(
            f"PDF signing is not configured: set {' and '.join(missing)} (PEM files of the office's "
            "certificate and key; `manage.py make_signing_cert` writes a demo pair for development).")
    for name in ("PDF_SIGNING_CERT", "PDF_SIGNING_KEY"):
        if not Path(getattr(settings, name)).is_file():
            raise SigningNotConfigured(
                f"{name}={getattr(settings, name)!r} is not a file (run `manage.py make_signing_cert` "
                "for a development certificate).")


_signers: dict[tuple, object] = {}


def signer():
    """The office's pyHanko signer, from settings (loaded once per key file version: parsing and
    checking an RSA key takes a tenth of a second)."""
    _check_configured()
    paths = [settings.PDF_SIGNING_CERT, settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CHAIN]
    key = (*paths, *(Path(p).stat().st_mtime_ns for p in paths if p), settings.PDF_SIGNING_KEY_PASSPHRASE)
    if key not in _signers:
        _signers.clear()
        _signers[key] = _load_signer()
    return _signers[key]


def _load_signer():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    passphrase = settings.PDF_SIGNING_KEY_PASSPHRASE.encode() or None
    chain = [settings.PDF_SIGNING_CHAIN] if settings.PDF_SIGNING_CHAIN else None
    loaded = signers.SimpleSigner.load(settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT,
                                       ca_chain_files=chain, key_passphrase=passphrase)
    if loaded is None:
        raise SigningNotConfigured("The PDF signing key or certificate could not be read "
                                   "(a wrong PDF_SIGNING_KEY_PASSPHRASE?).")

    class OfficeSigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner re-parses the key for every signature; this one keeps it."""

        private_key = serialization.load_der_private_key(loaded.signing_key.dump(), password=None)

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            if mechanism == "rsassa_pkcs1v15" and isinstance(self.private_key, RSAPrivateKey):
                return self.private_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            return super().sign_raw(data, digest_algorithm)

    return OfficeSigner(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                        cert_registry=loaded.cert_registry)


def trust_roots() -> list:
    """The certificates a signature must chain to: the signing certificate and its chain."""
    roots = []
    for path in (settings.PDF_SIGNING_CERT, settings.PDF_SIGNING_CHAIN):
        if path and Path(path).is_file():
            roots.extend(_read_certs(path))
    return roots


def sign(pdf_bytes: bytes, *, reason: str = "", location: str = "") -> bytes:
    """The PDF with the office's PAdES B-B certifying signature appended (incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    office_signer = signer()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        certify=True, docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=reason or None, location=location or None)
    # room for the CMS container (a signature, the certificates): no trial signature to size it
    reserved = 8192 + 2 * sum(len(c.dump()) for c in office_signer.cert_registry)
    out = _outside_event_loop(signers.sign_pdf, writer, meta, signer=office_signer, bytes_reserved=reserved)
    return out.getvalue()


def _outside_event_loop(func, *args, **kwargs):
    """pyHanko's synchronous calls run ``asyncio.run``, which refuses to run inside a running event
    loop (an async view, a Playwright session): there, run them in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()


def verify(pdf_bytes: bytes) -> SignatureStatus:
    """The state of the document's signature (the first one), never raising on bad input."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        return SignatureStatus(signed=False, problem=_("Not a readable PDF: %(error)s") % {"error": exc})
    if not signatures:
        return SignatureStatus(signed=False, problem=_("The document is not signed."))
    embedded = signatures[0]
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = _outside_event_loop(validate_pdf_signature, embedded, context)
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
        return SignatureStatus(signed=True, problem=_("The signature cannot be checked: %(error)s") % {"error": exc})
    cert = status.signing_cert
    common_name = ""
    if cert is not None:
        names = cert.subject.native
        common_name = names.get("common_name") or names.get("organization_name") or cert.subject.human_friendly
    modified = status.coverage != SignatureCoverageLevel.ENTIRE_FILE or status.docmdp_ok is False
    problem = ""
    if not status.intact:
        problem = _("The document was changed after it was signed: the signed content does not match.")
    elif not status.valid:
        problem = _("The signature does not verify.")
    elif modified:
        problem = _("Content was added to the document after it was signed.")
    elif not status.trusted:
        problem = _("The signature is intact but was not made with the office's certificate.")
    return SignatureStatus(
        signed=True, intact=bool(status.intact), valid=bool(status.valid), trusted=bool(status.trusted),
        modified=modified, signer=str(common_name), signed_at=status.signer_reported_dt, problem=problem)
