"""Alexa request verification: skill id, timestamp, certificate URL, certificate chain and signature.

Every failed check raises VerificationError, which the web layer turns into HTTP 400.
The certificate stack (cryptography, certifi, requests) is imported only where signatures are
checked: an endpoint started with verification off (`--no-verify`, tests) never loads it.
"""

from __future__ import annotations

import base64
import binascii
import functools
import posixpath
import re
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

if TYPE_CHECKING:
    import requests
    from cryptography import x509

ECHO_API_DNS_NAME = "echo-api.amazon.com"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
CERT_URL_HEADER = "signaturecertchainurl"
SIGNATURE_HEADER = "signature-256"

_PEM_CERTIFICATE = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


class VerificationError(Exception):
    """Any failed check; str(e) is a short reason safe to log (no request content)."""


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@functools.cache
def system_trusted_roots() -> tuple[x509.Certificate, ...]:
    """The certifi bundle, loaded once; a certificate cryptography cannot parse is left out, not fatal."""
    import certifi
    from cryptography import x509
    from cryptography.utils import CryptographyDeprecationWarning

    roots = []
    for block in _PEM_CERTIFICATE.findall(Path(certifi.where()).read_bytes()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue
    return tuple(roots)


def _field(envelope: Any, *keys: str) -> Any:
    """envelope[k1][k2]... or None when any level is missing or not an object."""
    for key in keys:
        if not isinstance(envelope, Mapping):
            return None
        envelope = envelope.get(key)
    return envelope


def check_application_id(envelope: Mapping[str, Any], skill_id: str) -> None:
    application_id = _field(envelope, "context", "System", "application", "applicationId")
    if application_id is None:
        application_id = _field(envelope, "session", "application", "applicationId")
    if application_id != skill_id:
        raise VerificationError("application id does not match the skill id")


def check_timestamp(envelope: Mapping[str, Any], now: datetime, tolerance_seconds: int) -> None:
    """request.timestamp must be an ISO 8601 time with a zone, within the tolerance either side of now."""
    value = _field(envelope, "request", "timestamp")
    if not isinstance(value, str):
        raise VerificationError("request timestamp missing")
    try:
        timestamp = datetime.fromisoformat(value)
    except ValueError as exc:
        raise VerificationError("request timestamp malformed") from exc
    if timestamp.tzinfo is None:
        raise VerificationError("request timestamp has no time zone")
    if abs((now - timestamp).total_seconds()) > tolerance_seconds:
        raise VerificationError("request timestamp outside tolerance")


def canonical_cert_url(url: str) -> str:
    """The certificate URL to fetch, rebuilt from its checked parts; refuses anything outside /echo.api/.

    The path is percent-decoded and its dot segments resolved before the prefix check, so
    `/echo.api/../x` and `/echo.api/%2e%2e/x` are refused; we then fetch exactly the path we checked.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise VerificationError("certificate URL malformed") from exc
    if parts.scheme.lower() != "https":
        raise VerificationError("certificate URL is not https")
    if parts.hostname != CERT_URL_HOST or parts.username is not None or parts.password is not None:
        raise VerificationError("certificate URL host not allowed")
    if port not in (None, 443):
        raise VerificationError("certificate URL port not allowed")
    path = posixpath.normpath(unquote(parts.path)) if parts.path else ""
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise VerificationError("certificate URL path not allowed")
    return f"https://{CERT_URL_HOST}{quote(path)}"


def check_signature(leaf: x509.Certificate, signature_base64: str, body: bytes) -> None:
    """Signature-256: base64 of an RSA PKCS#1 v1.5 SHA-256 signature over the raw body bytes."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    try:
        signature = base64.b64decode(signature_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VerificationError("signature is not valid base64") from exc
    public_key = leaf.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise VerificationError("certificate key is not RSA")
    try:
        public_key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as exc:
        raise VerificationError("signature does not match the body") from exc


@dataclass(frozen=True)
class _CachedChain:
    certificates: list[x509.Certificate]
    expires_at: datetime


class RequestVerifier:
    """Checks that a request comes from Alexa for this skill; certificate chains are cached by URL."""

    def __init__(
        self,
        skill_id: str | None,
        *,
        verify_signature: bool = True,
        verify_timestamp: bool = True,
        tolerance_seconds: int = 150,
        trusted_roots: Sequence[x509.Certificate] | None = None,
        clock: Callable[[], datetime] = _utc_now,
        session: requests.Session | None = None,
        fetch_timeout: float = 5.0,
    ) -> None:
        self.skill_id = skill_id
        self.verify_signature = verify_signature
        self.verify_timestamp = verify_timestamp
        self.tolerance_seconds = tolerance_seconds
        self._store = self._session = None
        if verify_signature:  # the certificate stack, only where signatures are checked
            import requests
            from cryptography.x509 import verification as x509_verification

            roots = system_trusted_roots() if trusted_roots is None else trusted_roots
            self._store = x509_verification.Store(list(roots))
            self._session = session or requests.Session()
        self._clock = clock
        self._fetch_timeout = fetch_timeout
        self._chains: dict[str, _CachedChain] = {}
        self._chains_lock = threading.Lock()

    def verify(self, headers: Mapping[str, str], body: bytes, envelope: dict) -> None:
        """Raise VerificationError unless the request is genuine.

        `envelope` is the already-parsed JSON of `body`; the signature covers `body` as received.
        """
        if not isinstance(envelope, Mapping):
            raise VerificationError("request is not a JSON object")
        if self.verify_signature and not self.skill_id:
            raise VerificationError("no skill id configured")
        now = self._clock()
        if self.skill_id:
            check_application_id(envelope, self.skill_id)
        if self.verify_timestamp:
            check_timestamp(envelope, now, self.tolerance_seconds)
        if self.verify_signature:
            self._check_signature(headers, body, now)

    def _check_signature(self, headers: Mapping[str, str], body: bytes, now: datetime) -> None:
        lowered = {name.lower(): value for name, value in headers.items()}
        cert_url = lowered.get(CERT_URL_HEADER)
        signature = lowered.get(SIGNATURE_HEADER)
        if not cert_url:
            raise VerificationError("SignatureCertChainUrl header missing")
        if not signature:
            raise VerificationError("Signature-256 header missing")
        leaf = self._trusted_leaf(canonical_cert_url(cert_url), now)
        check_signature(leaf, signature, body)

    def _trusted_leaf(self, url: str, now: datetime) -> x509.Certificate:
        """The leaf of the chain at `url`, validated now; fetched only when not cached or expired."""
        with self._chains_lock:
            cached = self._chains.get(url)
        if cached is not None and now < cached.expires_at:
            return self._validated_leaf(cached.certificates, now)
        certificates = self._fetch_chain(url)
        leaf = self._validated_leaf(certificates, now)
        with self._chains_lock:
            self._chains = {u: c for u, c in self._chains.items() if now < c.expires_at}
            self._chains[url] = _CachedChain(certificates, leaf.not_valid_after_utc)
        return leaf

    def _validated_leaf(self, certificates: list[x509.Certificate], now: datetime) -> x509.Certificate:
        from cryptography.x509 import verification as x509_verification

        leaf, *intermediates = certificates
        verifier = (
            x509_verification.PolicyBuilder()
            .store(self._store)
            .time(now)
            .build_server_verifier(x509_verification.DNSName(ECHO_API_DNS_NAME))
        )
        try:
            verifier.verify(leaf, intermediates)
        except x509_verification.VerificationError as exc:
            raise VerificationError("certificate chain not trusted") from exc
        return leaf

    def _fetch_chain(self, url: str) -> list[x509.Certificate]:
        """The only network step: GET the PEM chain, leaf first."""
        import requests
        from cryptography import x509

        try:
            response = self._session.get(url, timeout=self._fetch_timeout, allow_redirects=False)
        except requests.RequestException as exc:
            raise VerificationError("certificate chain fetch failed") from exc
        if response.status_code != 200:
            raise VerificationError(f"certificate chain fetch returned HTTP {response.status_code}")
        try:
            certificates = x509.load_pem_x509_certificates(response.content)
        except ValueError as exc:
            raise VerificationError("certificate chain is not valid PEM") from exc
        if not certificates:
            raise VerificationError("certificate chain is empty")
        return certificates
