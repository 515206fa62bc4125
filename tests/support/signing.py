"""A throwaway certificate authority and Alexa request signer for tests.

Real X.509 chains and real RSA signatures, so the verification code runs whole; only the fetch of the
chain is replaced, at the HTTP boundary, by `register_cert_url` (the `responses` library).
"""

from __future__ import annotations

import base64
import functools
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.support import envelopes

ECHO_API_DNS_NAME = "echo-api.amazon.com"
DEFAULT_CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"

_UNSET: Any = object()


@functools.cache
def rsa_key(role: str) -> rsa.RSAPrivateKey:
    """One 2048-bit key per role for the whole test run: key generation is the slow part."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "IVIG Skill Tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
        encipher_only=False, decipher_only=False,
    )


def _leaf_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=True,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False,
    )


def _issue(
    *,
    subject: x509.Name,
    public_key: rsa.RSAPublicKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
    not_before: datetime,
    not_after: datetime,
    extensions: list[tuple[x509.ExtensionType, bool]],
) -> x509.Certificate:
    """Sign a certificate with the subject and authority key identifiers the WebPKI policy wants."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, hashes.SHA256())


class CertificateAuthority:
    """A root and an intermediate CA; `signer()` issues leaves the way Amazon's chain is shaped."""

    def __init__(self, name: str = "IVIG Test Root CA") -> None:
        now = _utc_now()
        self.root_key = rsa_key(f"{name} root")
        self.intermediate_key = rsa_key(f"{name} intermediate")
        self.root = _issue(
            subject=_name(name),
            public_key=self.root_key.public_key(),
            issuer=None,
            issuer_key=self.root_key,
            not_before=now - timedelta(days=365),
            not_after=now + timedelta(days=3650),
            extensions=[
                (x509.BasicConstraints(ca=True, path_length=None), True),
                (_ca_key_usage(), True),
            ],
        )
        self.intermediate = _issue(
            subject=_name(f"{name} Intermediate"),
            public_key=self.intermediate_key.public_key(),
            issuer=self.root,
            issuer_key=self.root_key,
            not_before=now - timedelta(days=365),
            not_after=now + timedelta(days=1825),
            extensions=[
                (x509.BasicConstraints(ca=True, path_length=0), True),
                (_ca_key_usage(), True),
            ],
        )

    def signer(
        self,
        *,
        dns_names: tuple[str, ...] = (ECHO_API_DNS_NAME,),
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        cert_url: str = DEFAULT_CERT_URL,
        leaf_key: rsa.RSAPrivateKey | None = None,
    ) -> AlexaSigner:
        """A leaf valid from a day ago for 30 days unless told otherwise (e.g. expired, other names)."""
        now = _utc_now()
        not_after = not_after or now + timedelta(days=30)
        not_before = not_before or min(now, not_after) - timedelta(days=1)
        leaf_key = leaf_key or rsa_key("leaf")
        leaf = _issue(
            subject=_name(dns_names[0] if dns_names else "no dns name"),
            public_key=leaf_key.public_key(),
            issuer=self.intermediate,
            issuer_key=self.intermediate_key,
            not_before=not_before,
            not_after=not_after,
            extensions=[
                (x509.BasicConstraints(ca=False, path_length=None), True),
                (_leaf_key_usage(), True),
                (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
                (x509.SubjectAlternativeName([x509.DNSName(n) for n in dns_names or ["example.com"]]), False),
            ],
        )
        return AlexaSigner(
            root=self.root,
            intermediate=self.intermediate,
            leaf=leaf,
            leaf_key=leaf_key,
            cert_url=cert_url,
        )


@dataclass(frozen=True)
class AlexaSigner:
    """Signs request bodies the way Alexa does: Signature-256 plus the URL of the PEM chain."""

    root: x509.Certificate
    intermediate: x509.Certificate
    leaf: x509.Certificate
    leaf_key: rsa.RSAPrivateKey
    cert_url: str

    @property
    def chain_pem(self) -> bytes:
        """Leaf first, then the intermediate: what Amazon serves at the certificate URL."""
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (self.leaf, self.intermediate))

    def signature(self, body: bytes) -> str:
        raw = self.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(raw).decode("ascii")

    def headers(
        self, body: bytes, *, cert_url: str | None = _UNSET, signature: str | None = _UNSET
    ) -> dict[str, str]:
        """Request headers for `body`; pass a value to override a header, None to leave it out."""
        values = {
            "SignatureCertChainUrl": self.cert_url if cert_url is _UNSET else cert_url,
            "Signature-256": self.signature(body) if signature is _UNSET else signature,
        }
        present = {name: value for name, value in values.items() if value is not None}
        return {"Content-Type": "application/json", **present}

    def signed_request(self, envelope_dict: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
        """The body bytes and headers of a genuine request carrying `envelope_dict`."""
        body = json.dumps(envelope_dict).encode("utf-8")
        return body, self.headers(body)


def register_cert_url(
    responses_mock: Any, signer: AlexaSigner, *, status: int = 200, body: bytes | None = None
) -> Any:
    """Serve the signer's chain (or `body`) at its certificate URL; returns the mock response (call_count)."""
    return responses_mock.add(
        "GET",
        signer.cert_url,
        body=signer.chain_pem if body is None else body,
        status=status,
        content_type="application/x-pem-file",
    )


def alexa_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, as Alexa writes request.timestamp."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(
    skill_id: str = DEFAULT_SKILL_ID,
    *,
    timestamp: datetime | None = None,
    intent: str | None = None,
    slots: dict[str, str] | None = None,
    locale: str = "en-US",
    new_session: bool = True,
    session_attributes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A LaunchRequest, or an IntentRequest when `intent` is given: the project's one envelope
    factory (tests/support/envelopes.py), with a chosen skill id and timestamp."""
    common = dict(skill_id=skill_id, locale=locale, new=new_session, attributes=session_attributes,
                  user_id="amzn1.ask.account.TEST",
                  timestamp=alexa_timestamp(timestamp or datetime.now(timezone.utc)))
    if intent:
        return envelopes.intent(intent, slots, **common)
    return envelopes.envelope({"type": "LaunchRequest"}, **common)