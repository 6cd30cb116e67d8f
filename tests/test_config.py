"""Configuration from the environment, and production's refusal to start half-configured."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eduapp import create_app
from eduapp.config import ConfigError
from eduapp.credentials.keys import new_key
from tests.conftest import credential_key_pem


def test_environment_variables_override_defaults(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EDUAPP_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    monkeypatch.setenv("EDUAPP_BASE_URL", "https://learn.example.org/")
    monkeypatch.setenv("EDUAPP_TIMEZONE", "America/Chicago")
    monkeypatch.setenv("EDUAPP_SECRET_KEY", "from-env")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/x.sqlite3"
    assert app.config["BASE_URL"] == "https://learn.example.org"
    assert app.config["TIMEZONE"] == "America/Chicago"
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not app.config.get("SESSION_COOKIE_SECURE")


def test_postgresql_urls_use_psycopg3(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": "postgresql://u@localhost/db", "SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@localhost/db"


def test_production_refuses_to_start_without_its_settings() -> None:
    with pytest.raises(
        ConfigError,
        match="EDUAPP_SECRET_KEY, EDUAPP_DATABASE_URL, EDUAPP_BASE_URL, EDUAPP_PROVIDER_NAME, "
        r"EDUAPP_PROVIDER_CONTACT, EDUAPP_CERTIFICATE_SIGNERS, EDUAPP_CREDENTIAL_KEY$",
    ):
        create_app({"ENV": "production", "DATABASE_URL": "", "BASE_URL": "", "CREDENTIAL_KEY": ""})


def test_production_refuses_to_start_without_the_credential_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDUAPP_CREDENTIAL_KEY", raising=False)
    with pytest.raises(ConfigError, match=r"^production needs EDUAPP_CREDENTIAL_KEY$"):
        production_app(tmp_path, CREDENTIAL_KEY=None)


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("not a key", "not an RSA private key in PEM or JWK form"),
        (new_key().as_pem(private=False).decode(), "it is a public key"),
        (json.dumps(new_key().as_dict(private=False)), "it is a public key"),
    ],
)
def test_a_credential_key_that_cannot_sign_is_refused_at_start(
    tmp_path: Path, key: str, says: str
) -> None:
    with pytest.raises(ConfigError, match=f"EDUAPP_CREDENTIAL_KEY cannot sign credentials: {says}"):
        production_app(tmp_path, CREDENTIAL_KEY=key)


def test_the_credential_key_may_be_a_jwk(tmp_path: Path) -> None:
    key = new_key()
    app = production_app(tmp_path, CREDENTIAL_KEY=json.dumps(key.as_dict(private=True)))
    assert json.loads(app.config["CREDENTIAL_KEY"])["n"] == key.as_dict()["n"]


def test_certificates_say_sample_outside_production(tmp_path: Path) -> None:
    assert create_app({"DATABASE_URL": "sqlite://"}).config["CERTIFICATE_SAMPLE"] is True
    assert production_app(tmp_path).config["CERTIFICATE_SAMPLE"] is False


def production_app(tmp_path: Path, **changes: Any):
    return create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "s",
            "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3",
            "BASE_URL": "https://x.org",
            "PROVIDER_NAME": "Harbour School of Massage",
            "PROVIDER_CONTACT": "12 Quay Street, Portland, ME 04101",
            "CERTIFICATE_SIGNERS": "Dana Reyes, LMT|Education Director",
            "CREDENTIAL_KEY": credential_key_pem(),
            **changes,
        }
    )


def test_production_cookies_are_secure(tmp_path: Path) -> None:
    app = production_app(tmp_path)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/static/app.css")
    response.close()
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_unknown_environment_is_refused() -> None:
    with pytest.raises(ConfigError, match="EDUAPP_ENV"):
        create_app({"ENV": "staging"})


def test_development_generates_a_secret_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDUAPP_SECRET_KEY", raising=False)
    from flask import Flask

    from eduapp.config import load_config

    first, second = Flask("a", instance_path=str(tmp_path)), Flask("b", instance_path=str(tmp_path))
    load_config(first)
    load_config(second)
    assert len(first.config["SECRET_KEY"]) > 40
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_instance_config_file_is_read(tmp_path: Path) -> None:
    from flask import Flask

    from eduapp.config import load_config

    (tmp_path / "config.py").write_text("TIMEZONE = 'Europe/London'\nSECRET_KEY = 'file'\n")
    app = Flask("c", instance_path=str(tmp_path))
    load_config(app)
    assert (app.config["TIMEZONE"], app.config["SECRET_KEY"]) == ("Europe/London", "file")


def test_the_instance_folder_can_move(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two servers sharing one checkout each keep their own instance folder."""
    (tmp_path / "config.py").write_text("TIMEZONE = 'Europe/Paris'\n")
    monkeypatch.setenv("EDUAPP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("EDUAPP_DATABASE_URL", raising=False)
    monkeypatch.delenv("EDUAPP_TIMEZONE", raising=False)
    app = create_app()
    assert app.instance_path == str(tmp_path)
    assert app.config["TIMEZONE"] == "Europe/Paris"
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path}/eduapp.sqlite3"


def test_a_relative_instance_folder_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDUAPP_INSTANCE_PATH", "instance-b")
    with pytest.raises(ConfigError, match="EDUAPP_INSTANCE_PATH must be an absolute path"):
        create_app()


def test_the_api_limits_come_from_the_environment_as_whole_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = {"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    app = create_app(database)
    assert (app.config["API_REQUESTS_PER_MINUTE"], app.config["API_LOG_DAYS"]) == (120, 30)
    monkeypatch.setenv("EDUAPP_API_REQUESTS_PER_MINUTE", " 600 ")
    monkeypatch.setenv("EDUAPP_API_LOG_DAYS", "90")
    app = create_app(database)
    assert (app.config["API_REQUESTS_PER_MINUTE"], app.config["API_LOG_DAYS"]) == (600, 90)


@pytest.mark.parametrize("name", ["API_REQUESTS_PER_MINUTE", "API_LOG_DAYS"])
@pytest.mark.parametrize("value", ["ten", "0", "-5", "1.5", "1e3", "²", "99999999"])
def test_a_bad_api_limit_stops_the_start_naming_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(f"EDUAPP_{name}", value)
    with pytest.raises(ConfigError, match=f"^EDUAPP_{name} must be a whole number from 1 to "):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
