"""Settings from the environment: the kept secret key and the placeholder refusal."""

from __future__ import annotations

import stat

import pytest

from veiligheidskaart import config


def test_generated_secret_key_is_kept_with_mode_600(tmp_path, monkeypatch):
    monkeypatch.delenv("VK_SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path, debug=False)
    second = config.secret_key(tmp_path, debug=False)
    assert first == second and len(first) >= 50
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


@pytest.mark.parametrize("placeholder", ["changeme", "secret", "kort"])
def test_placeholder_secret_key_is_refused_without_debug(tmp_path, monkeypatch, placeholder):
    monkeypatch.setenv("VK_SECRET_KEY", placeholder)
    with pytest.raises(RuntimeError, match="VK_SECRET_KEY"):
        config.secret_key(tmp_path, debug=False)
    assert config.secret_key(tmp_path, debug=True) == placeholder


def test_data_dir_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("VK_DATA_DIR", str(tmp_path / "x"))
    assert config.data_dir() == (tmp_path / "x").resolve()
    monkeypatch.delenv("VK_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert config.data_dir() == tmp_path / "veiligheidskaart"


def test_postgresql_connections_are_reused(monkeypatch):
    """dj_database_url.parse sets CONN_MAX_AGE=0 itself; the settings must override it."""
    from veiligheidskaart import settings

    monkeypatch.setenv("VK_DATABASE_URL", "postgres://vk:pw@127.0.0.1:5432/vk")
    monkeypatch.delenv("VK_CONN_MAX_AGE", raising=False)
    db = settings._database()
    assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True
