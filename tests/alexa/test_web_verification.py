"""Verification at the endpoint: the real app with verification on, our own certificate
authority, and only the fetch of the certificate URL replaced at the HTTP boundary.
A refused request is answered 400 and nothing is dispatched or stored."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import responses

from skill.config import Settings
from skill.web import create_app
from tests.support.envelopes import SKILL_ID, intent, launch
from tests.support.signing import CertificateAuthority, register_cert_url


@pytest.fixture(scope="module")
def authority():
    return CertificateAuthority()


@pytest.fixture
def signer(authority):
    return authority.signer()


@pytest.fixture
def verified_app(tmp_path, authority):
    settings = Settings(skill_id=SKILL_ID, data_dir=tmp_path / "data", audio_dir=tmp_path / "audio")
    app = create_app(settings, trusted_roots=[authority.root])
    dispatched = []
    skill = app.extensions["ivig"]["skill"]
    real_invoke = skill.invoke

    def counting_invoke(**kw):  # a spy that still runs the real skill
        dispatched.append(kw["request_envelope"].request.object_type)
        return real_invoke(**kw)

    skill.invoke = counting_invoke
    app.dispatched = dispatched
    return app


@pytest.fixture
def cert_server(signer):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        register_cert_url(mock, signer)
        yield mock


def send(app, body: bytes, headers: dict):
    return app.test_client().post("/alexa", data=body, headers=headers)


def test_a_genuine_request_is_answered(verified_app, signer, cert_server):
    body, headers = signer.signed_request(launch())
    response = send(verified_app, body, headers)
    assert response.status_code == 200
    assert verified_app.dispatched == ["LaunchRequest"]


def _stale(seconds: int) -> dict:
    moment = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    return launch(timestamp=moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


@pytest.mark.parametrize("case", [
    "tampered body", "wrong signature", "missing signature", "missing cert url", "old timestamp",
    "future timestamp", "http url", "wrong host", "outside echo.api", "dot-dot escape",
    "wrong port", "wrong application id",
])
def test_forged_requests_are_refused_and_not_dispatched(verified_app, signer, cert_server, case, tmp_path):
    envelope = launch()
    body, headers = signer.signed_request(envelope)
    url = signer.cert_url
    if case == "tampered body":
        body = body.replace(b"LaunchRequest", b"IntentRequest")
    elif case == "wrong signature":
        headers["Signature-256"] = signer.signature(b"something else")
    elif case == "missing signature":
        del headers["Signature-256"]
    elif case == "missing cert url":
        del headers["SignatureCertChainUrl"]
    elif case in ("old timestamp", "future timestamp"):
        body, headers = signer.signed_request(_stale(-151 if case == "old timestamp" else 151))
    elif case == "http url":
        headers["SignatureCertChainUrl"] = url.replace("https://", "http://")
    elif case == "wrong host":
        headers["SignatureCertChainUrl"] = url.replace("s3.amazonaws.com", "evil.example.com")
    elif case == "outside echo.api":
        headers["SignatureCertChainUrl"] = url.replace("/echo.api/", "/other/")
    elif case == "dot-dot escape":
        headers["SignatureCertChainUrl"] = "https://s3.amazonaws.com/echo.api/../x/cert.pem"
    elif case == "wrong port":
        headers["SignatureCertChainUrl"] = url.replace("s3.amazonaws.com", "s3.amazonaws.com:8443")
    elif case == "wrong application id":
        body, headers = signer.signed_request(launch(skill_id="amzn1.ask.skill.someone-else"))
    response = send(verified_app, body, headers)
    assert response.status_code == 400, case
    assert response.get_json()["error"] == "request verification failed"
    assert verified_app.dispatched == []


@pytest.mark.parametrize("make_signer", [
    lambda ca: ca.signer(not_after=datetime.now(timezone.utc) - timedelta(days=1)),
    lambda ca: ca.signer(dns_names=("example.com",)),
    lambda ca: CertificateAuthority("Untrusted Root CA").signer(),
], ids=["expired leaf", "leaf without echo-api.amazon.com", "untrusted root"])
def test_bad_certificates_are_refused(verified_app, authority, make_signer):
    bad = make_signer(authority)
    with responses.RequestsMock() as mock:
        register_cert_url(mock, bad)
        body, headers = bad.signed_request(launch())
        response = send(verified_app, body, headers)
    assert response.status_code == 400
    assert verified_app.dispatched == []


def test_a_refused_request_stores_nothing(verified_app, signer, cert_server):
    from skill.store import SQLiteAdapter

    body, headers = signer.signed_request(intent("DeleteDataIntent"))
    headers["Signature-256"] = signer.signature(b"forged")
    assert send(verified_app, body, headers).status_code == 400
    database = verified_app.extensions["ivig"]["settings"].database_path
    assert SQLiteAdapter(database).count_rows() == 0


def test_the_chain_is_fetched_once_and_cached(verified_app, signer):
    with responses.RequestsMock() as mock:
        fetched = register_cert_url(mock, signer)
        for _ in range(3):
            body, headers = signer.signed_request(launch())
            assert send(verified_app, body, headers).status_code == 200
    assert fetched.call_count == 1


def test_starting_with_verification_on_and_no_skill_id_is_refused(tmp_path):
    with pytest.raises(ValueError, match="ALEXA_SKILL_ID"):
        create_app(Settings(skill_id=None, data_dir=tmp_path))


def test_timestamp_check_can_be_turned_off_on_its_own(tmp_path, authority, signer, cert_server):
    settings = Settings(skill_id=SKILL_ID, verify_timestamp=False, data_dir=tmp_path / "d")
    app = create_app(settings, trusted_roots=[authority.root])
    body, headers = signer.signed_request(_stale(-3600))
    assert send(app, body, headers).status_code == 200
    headers["Signature-256"] = signer.signature(b"x")
    assert send(app, body, headers).status_code == 400
