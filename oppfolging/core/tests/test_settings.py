"""Production settings refuse to start without secrets and are secure by default."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import json, config.settings as s; print(json.dumps({k: getattr(s, k) for k in ["
    "'SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SECURE_HSTS_SECONDS','SECURE_SSL_REDIRECT',"
    "'SESSION_COOKIE_AGE','SESSION_SAVE_EVERY_REQUEST','PASSWORD_HASHERS','ALLOW_SYNTHETIC_IDS',"
    "'SECRET_KEY','ALLOWED_HOSTS']}))"
)


def _settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    clean.update({"OPPFOLGING_TESTING": "0", **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, check=False
    )


def test_production_without_a_secret_key_does_not_start():
    result = _settings({"ALLOWED_HOSTS": "oppfolging.example"})
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set" in result.stderr


def test_production_without_allowed_hosts_does_not_start():
    result = _settings({"SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_is_secure_by_default():
    result = _settings({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "oppfolging.example"})
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SESSION_COOKIE_SECURE"]
    assert values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SESSION_COOKIE_AGE"] == 30 * 60
    assert values["SESSION_SAVE_EVERY_REQUEST"]
    assert values["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert values["ALLOW_SYNTHETIC_IDS"] is False


def test_secrets_can_come_from_files(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file-" + "y" * 40 + "\n", encoding="utf-8")
    result = _settings({"SECRET_KEY_FILE": str(secret), "ALLOWED_HOSTS": "a.example,b.example"})
    values = json.loads(result.stdout)
    assert values["SECRET_KEY"] == "from-a-file-" + "y" * 40
    assert values["ALLOWED_HOSTS"] == ["a.example", "b.example"]


def test_idle_timeout_is_configurable():
    result = _settings({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "h", "SESSION_IDLE_MINUTES": "15"})
    assert json.loads(result.stdout)["SESSION_COOKIE_AGE"] == 15 * 60


def test_a_malformed_boolean_is_an_error_not_a_guess():
    result = _settings({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.django_db
def test_every_response_carries_a_strict_csp_and_security_headers(cast):
    response = cast.client(None).get("/konto/logg-inn/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_session_expires_after_idle_time_and_is_renewed_by_activity(cast, settings):
    client = cast.client("fjordvik-ke")
    client.get("/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.django_db
def test_login_form_rejects_wrong_password_and_audits_it(cast):
    from oppfolging.audit.models import AuditAction, AuditEvent
    from oppfolging.core.tenancy import unscoped

    response = cast.client(None).post("/konto/logg-inn/", {"username": "fjordvik-ke", "password": "wrong"})
    assert response.status_code == 200
    assert "Feil brukernavn eller passord" in response.content.decode()
    with unscoped():
        event = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("id")
    assert event.detail == {"username": "fjordvik-ke"}
