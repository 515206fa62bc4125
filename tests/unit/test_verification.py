"""Alexa request verification, driven by real certificates and signatures; only the chain fetch is mocked."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import requests
import responses
from cryptography.hazmat.primitives.serialization import Encoding

from skill.verification import RequestVerifier, VerificationError, canonical_cert_url
from tests.support.signing import (
    DEFAULT_CERT_URL,
    DEFAULT_SKILL_ID,
    CertificateAuthority,
    envelope,
    register_cert_url,
    rsa_key,
)

NOW = datetime.now(timezone.utc).replace(microsecond=0)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def authority():
    return CertificateAuthority()


@pytest.fixture(scope="session")
def signer(authority):
    return authority.signer()


@pytest.fixture
def http():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def verifier(signer, clock):
    return RequestVerifier(DEFAULT_SKILL_ID, trusted_roots=[signer.root], clock=clock)


def signed(signer, envelope_dict=None, **header_overrides):
    """(headers, body, envelope) of a request signed by `signer`, with optional header overrides."""
    envelope_dict = envelope_dict or envelope(timestamp=NOW)
    body = json.dumps(envelope_dict).encode()
    return signer.headers(body, **header_overrides), body, envelope_dict


def test_genuine_request_is_accepted(verifier, signer, http):
    register_cert_url(http, signer)
    assert verifier.verify(*signed(signer)) is None


def test_intent_request_with_lowercase_header_names_is_accepted(verifier, signer, http):
    register_cert_url(http, signer)
    question = envelope(intent="AskQuestionIntent", slots={"query": "what is ivig"}, timestamp=NOW)
    headers, body, envelope_dict = signed(signer, question)
    verifier.verify({name.lower(): value for name, value in headers.items()}, body, envelope_dict)


# --- signature ------------------------------------------------------------------------------


def test_tampered_body_is_rejected(verifier, signer, http):
    register_cert_url(http, signer)
    headers, body, envelope_dict = signed(signer)
    with pytest.raises(VerificationError, match="signature"):
        verifier.verify(headers, body.replace(b"LaunchRequest", b"LaunchRequesT"), envelope_dict)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        pytest.param({"signature": None}, "Signature-256 header missing", id="no signature header"),
        pytest.param({"signature": ""}, "Signature-256 header missing", id="empty signature header"),
        pytest.param({"cert_url": None}, "SignatureCertChainUrl header missing", id="no cert url header"),
        pytest.param({"signature": "not base64!"}, "base64", id="bad base64"),
        pytest.param({"signature": "QUJD"}, "does not match", id="signature of the wrong length"),
    ],
)
def test_missing_or_malformed_signature_headers_are_rejected(verifier, signer, http, overrides, reason):
    register_cert_url(http, signer)
    with pytest.raises(VerificationError, match=reason):
        verifier.verify(*signed(signer, **overrides))


def test_signature_over_another_body_is_rejected(verifier, signer, http):
    register_cert_url(http, signer)
    headers, body, envelope_dict = signed(signer, signature=signer.signature(b"another body"))
    with pytest.raises(VerificationError, match="does not match"):
        verifier.verify(headers, body, envelope_dict)


def test_signature_by_another_key_is_rejected(verifier, authority, signer, http):
    impostor = authority.signer(leaf_key=rsa_key("impostor leaf"))
    register_cert_url(http, signer)
    headers, body, envelope_dict = signed(signer)
    with pytest.raises(VerificationError, match="does not match"):
        verifier.verify({**headers, "Signature-256": impostor.signature(body)}, body, envelope_dict)


# --- timestamp ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset_seconds", "accepted"),
    [(-151, False), (-150, True), (-149, True), (0, True), (149, True), (150, True), (151, False)],
)
def test_timestamp_must_be_within_150_seconds_either_way(verifier, signer, http, offset_seconds, accepted):
    register_cert_url(http, signer)
    request = signed(signer, envelope(timestamp=NOW + timedelta(seconds=offset_seconds)))
    if accepted:
        verifier.verify(*request)
    else:
        with pytest.raises(VerificationError, match="timestamp outside tolerance"):
            verifier.verify(*request)


@pytest.mark.parametrize(
    ("timestamp", "reason"),
    [
        (None, "timestamp missing"),
        (1700000000, "timestamp missing"),
        ("yesterday", "timestamp malformed"),
        (NOW.replace(tzinfo=None).isoformat(), "no time zone"),
    ],
)
def test_missing_or_malformed_timestamp_is_rejected(verifier, signer, http, timestamp, reason):
    register_cert_url(http, signer)
    envelope_dict = envelope(timestamp=NOW)
    envelope_dict["request"]["timestamp"] = timestamp
    with pytest.raises(VerificationError, match=reason):
        verifier.verify(*signed(signer, envelope_dict))


# --- application id -------------------------------------------------------------------------


def test_wrong_application_id_is_rejected(verifier, signer, http):
    register_cert_url(http, signer)
    with pytest.raises(VerificationError, match="application id"):
        verifier.verify(*signed(signer, envelope("amzn1.ask.skill.someone-else", timestamp=NOW)))


def test_application_id_falls_back_to_the_session(verifier, signer, http):
    register_cert_url(http, signer)
    envelope_dict = envelope(timestamp=NOW)
    del envelope_dict["context"]
    verifier.verify(*signed(signer, envelope_dict))


def test_envelope_without_any_application_id_is_rejected(verifier, signer, http):
    register_cert_url(http, signer)
    envelope_dict = {"request": envelope(timestamp=NOW)["request"]}
    with pytest.raises(VerificationError, match="application id"):
        verifier.verify(*signed(signer, envelope_dict))


@pytest.mark.parametrize("not_an_object", [[], "text", None, 7])
def test_envelope_that_is_not_an_object_is_rejected(verifier, signer, not_an_object):
    with pytest.raises(VerificationError):
        verifier.verify(signer.headers(b"{}"), b"{}", not_an_object)


# --- certificate URL ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
        "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/echo.api/./echo-api-cert-test.pem",
    ],
)
def test_allowed_cert_urls_fetch_the_canonical_url(verifier, signer, http, url):
    fetched = register_cert_url(http, signer)
    verifier.verify(*signed(signer, cert_url=url))
    assert fetched.call_count == 1
    assert canonical_cert_url(url) == DEFAULT_CERT_URL


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "not https"),
        ("ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem", "not https"),
        ("https://notamazon.com/echo.api/echo-api-cert.pem", "host"),
        ("https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem", "host"),
        ("https://evil.example/s3.amazonaws.com/echo.api/echo-api-cert.pem", "host"),
        ("https://s3.amazonaws.com@evil.example/echo.api/echo-api-cert.pem", "host"),
        ("https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem", "host"),
        ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "port"),
        ("https://s3.amazonaws.com:80/echo.api/echo-api-cert.pem", "port"),
        ("https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem", "malformed"),
        ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", "path"),
        ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", "path"),
        ("https://s3.amazonaws.com/echo.api", "path"),
        ("https://s3.amazonaws.com/", "path"),
        ("https://s3.amazonaws.com", "path"),
        ("https://s3.amazonaws.com/echo.api/../x.pem", "path"),
        ("https://s3.amazonaws.com/echo.api/../../echo.api.evil/x.pem", "path"),
        ("https://s3.amazonaws.com/echo.api/%2e%2e/x.pem", "path"),
        ("https://s3.amazonaws.com/echo.api/%2E%2E/x.pem", "path"),
        ("https://s3.amazonaws.com/echo.api/.%2e/x.pem", "path"),
        ("https://s3.amazonaws.com/echo.api%2f..%2fx.pem", "path"),
        ("https://s3.amazonaws.com//echo.api/x.pem", "path"),
        ("https://s3.amazonaws.com/x/echo.api/x.pem", "path"),
        ("/echo.api/echo-api-cert.pem", "not https"),
        ("", "header missing"),
    ],
)
def test_disallowed_cert_urls_are_rejected_without_fetching(verifier, signer, http, url, reason):
    with pytest.raises(VerificationError, match=reason):
        verifier.verify(*signed(signer, cert_url=url))
    assert len(http.calls) == 0


# --- certificate chain ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_signer",
    [
        pytest.param(lambda ca: ca.signer(not_after=NOW - timedelta(days=1)), id="expired leaf"),
        pytest.param(lambda ca: ca.signer(not_before=NOW + timedelta(days=1)), id="leaf not yet valid"),
        pytest.param(lambda ca: ca.signer(dns_names=("echo-api.example.com",)), id="leaf for another name"),
        pytest.param(lambda ca: ca.signer(dns_names=()), id="leaf without dns names"),
        pytest.param(lambda ca: CertificateAuthority("Untrusted Root CA").signer(), id="untrusted root"),
    ],
)
def test_untrustworthy_chains_are_rejected(verifier, authority, http, make_signer):
    bad_signer = make_signer(authority)
    register_cert_url(http, bad_signer)
    with pytest.raises(VerificationError, match="not trusted"):
        verifier.verify(*signed(bad_signer))


def test_chain_without_its_intermediate_is_rejected(verifier, signer, http):
    register_cert_url(http, signer, body=signer.leaf.public_bytes(Encoding.PEM))
    with pytest.raises(VerificationError, match="not trusted"):
        verifier.verify(*signed(signer))


def test_default_trust_is_the_system_bundle_which_does_not_trust_the_test_root(signer, http):
    register_cert_url(http, signer)
    with pytest.raises(VerificationError, match="not trusted"):
        RequestVerifier(DEFAULT_SKILL_ID, clock=Clock()).verify(*signed(signer))


@pytest.mark.parametrize(
    ("served", "reason"),
    [
        pytest.param({"status": 404}, "HTTP 404", id="404"),
        pytest.param({"status": 500}, "HTTP 500", id="500"),
        pytest.param({"body": b"garbage"}, "not valid PEM", id="garbage"),
        pytest.param({"body": b""}, "not valid PEM", id="empty body"),
        pytest.param(
            {"body": b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"},
            "not valid PEM",
            id="garbage inside PEM framing",
        ),
    ],
)
def test_bad_chain_responses_are_rejected(verifier, signer, http, served, reason):
    register_cert_url(http, signer, **served)
    with pytest.raises(VerificationError, match=reason):
        verifier.verify(*signed(signer))


def test_redirects_are_not_followed(verifier, signer, http):
    elsewhere = "https://elsewhere.example/echo-api-cert.pem"
    http.add("GET", DEFAULT_CERT_URL, status=302, headers={"Location": elsewhere})
    http.add("GET", elsewhere, body=signer.chain_pem)
    with pytest.raises(VerificationError, match="HTTP 302"):
        verifier.verify(*signed(signer))


@pytest.mark.parametrize(
    "network_error",
    [requests.ConnectionError("refused"), requests.Timeout("slow"), requests.exceptions.SSLError("bad tls")],
)
def test_fetch_errors_are_rejected(verifier, signer, http, network_error):
    http.add("GET", DEFAULT_CERT_URL, body=network_error)
    with pytest.raises(VerificationError, match="fetch failed"):
        verifier.verify(*signed(signer))


# --- cache ----------------------------------------------------------------------------------


def test_chain_is_fetched_once_and_reused(verifier, signer, http):
    fetched = register_cert_url(http, signer)
    verifier.verify(*signed(signer))
    verifier.verify(*signed(signer, envelope(intent="AMAZON.HelpIntent", timestamp=NOW)))
    assert fetched.call_count == 1


def test_failed_chain_is_not_cached(verifier, signer, http):
    http.add("GET", DEFAULT_CERT_URL, status=503)
    fetched_again = register_cert_url(http, signer)
    with pytest.raises(VerificationError, match="HTTP 503"):
        verifier.verify(*signed(signer))
    verifier.verify(*signed(signer))
    assert fetched_again.call_count == 1


def test_expired_cached_chain_is_fetched_again(authority, http):
    clock = Clock()
    short_lived = authority.signer(not_after=NOW + timedelta(hours=1))
    renewed = authority.signer(not_after=NOW + timedelta(days=30))
    first_fetch = register_cert_url(http, short_lived)
    verifier = RequestVerifier(DEFAULT_SKILL_ID, trusted_roots=[authority.root], clock=clock)
    verifier.verify(*signed(short_lived))

    http.remove(first_fetch)
    second_fetch = register_cert_url(http, renewed)
    clock.now = short_lived.leaf.not_valid_after_utc + timedelta(seconds=1)
    verifier.verify(*signed(renewed, envelope(timestamp=clock.now)))

    assert (first_fetch.call_count, second_fetch.call_count) == (1, 1)


# --- flags ----------------------------------------------------------------------------------


def test_each_check_can_be_turned_off_alone(signer, http):
    register_cert_url(http, signer)
    stale = envelope(timestamp=NOW - timedelta(hours=1))
    without_timestamp_check = RequestVerifier(
        DEFAULT_SKILL_ID, verify_timestamp=False, trusted_roots=[signer.root], clock=Clock()
    )
    without_timestamp_check.verify(*signed(signer, stale))
    with pytest.raises(VerificationError, match="signature"):
        without_timestamp_check.verify(*signed(signer, stale, signature=signer.signature(b"other")))

    without_signature_check = RequestVerifier(DEFAULT_SKILL_ID, verify_signature=False, clock=Clock())
    without_signature_check.verify({}, b"unsigned", envelope(timestamp=NOW))
    with pytest.raises(VerificationError, match="timestamp"):
        without_signature_check.verify({}, b"unsigned", stale)
    with pytest.raises(VerificationError, match="application id"):
        without_signature_check.verify({}, b"unsigned", envelope("amzn1.ask.skill.other", timestamp=NOW))
    assert len(http.calls) == 1


def test_all_checks_off_without_skill_id_accepts_anything():
    verifier = RequestVerifier(None, verify_signature=False, verify_timestamp=False)
    verifier.verify({}, b"", envelope("amzn1.ask.skill.any", timestamp=NOW - timedelta(days=1)))


def test_signature_check_without_skill_id_is_rejected(signer, http):
    register_cert_url(http, signer)
    verifier = RequestVerifier(None, trusted_roots=[signer.root], clock=Clock())
    with pytest.raises(VerificationError, match="no skill id"):
        verifier.verify(*signed(signer))
    assert len(http.calls) == 0
