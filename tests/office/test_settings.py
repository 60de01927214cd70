"""Start-up refuses a wrong environment with a message naming the variable; production
settings pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PROD = {
    "DEBUG": "false", "SECRET_KEY": "x" * 60 + "-production-like-secret-key-for-the-check",
    "ALLOWED_HOSTS": "oa.county.gov.example", "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true", "SECURE_HSTS_SECONDS": "31536000",
}


def manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in PROD and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
    ({"DEBUG": "false", "SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off"),
    ({"DEBUG": "false", "SECRET_KEY": "k" * 10 + "0123456789" * 5, "ALLOWED_HOSTS": ""},
     "ALLOWED_HOSTS must be set"),
    # a short (or repetitive) signing key stops start-up with DEBUG off
    ({"DEBUG": "false", "SECRET_KEY": "short-but-not-empty-key", "ALLOWED_HOSTS": "x"},
     "SECRET_KEY must be at least 50 characters"),
    ({"DEBUG": "false", "SECRET_KEY": "ab" * 40, "ALLOWED_HOSTS": "x"},
     "SECRET_KEY must be at least 50 characters"),
    ({"DEBUG": "true", "PASSWORD_HISTORY_COUNT": "-1"}, "PASSWORD_HISTORY_COUNT='-1' must be at least 0"),
    ({"DEBUG": "true", "LOGIN_ADDRESS_FAILURE_LIMIT": "0"},
     "LOGIN_ADDRESS_FAILURE_LIMIT='0' must be at least 1"),
    ({"DEBUG": "true", "SESSION_IDLE_MINUTES": "half an hour"},
     "SESSION_IDLE_MINUTES='half an hour' is not a whole number"),
    ({"DEBUG": "true", "LOGIN_FAILURE_LIMIT": "0"}, "LOGIN_FAILURE_LIMIT='0' must be at least 1"),
    ({"DEBUG": "true", "DATABASE_URL": "sqlite:///x.db"}, "DATABASE_URL must point at PostgreSQL"),
    ({"DEBUG": "true", "REDIS_URL": "http://x"}, "REDIS_URL must start with"),
    ({"DEBUG": "true", "AUDIT_RETENTION_DAYS": "30"}, "AUDIT_RETENTION_DAYS='30' must be at least 184"),
    ({"DEBUG": "true", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL='LOUD' is not a logging level"),
])
def test_a_wrong_value_stops_start_up_naming_the_variable(overrides, message):
    result = manage("check", **overrides)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PROD)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_defaults_are_off_and_the_zone_and_language_are_chinese(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
