import os

from webapp import create_app


def test_config(tmp_path, monkeypatch):
    monkeypatch.setenv("SEEDLING_INSTANCE_PATH", str(tmp_path))
    assert not create_app({"SECRET_KEY": "x"}).testing
    assert create_app({"TESTING": True, "SECRET_KEY": "x"}).testing


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SEEDLING_INSTANCE_PATH", str(tmp_path))
    first = create_app()
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert create_app().config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64


def test_environment_overrides_and_instance_config(tmp_path, monkeypatch):
    monkeypatch.setenv("SEEDLING_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text("ARTICLES_PER_PAGE = 5\nSITE_NAME = 'From file'\n")
    monkeypatch.setenv("SEEDLING_SITE_NAME", "From environment")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["ARTICLES_PER_PAGE"] == 5
    assert app.config["SITE_NAME"] == "From environment"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert os.path.samefile(app.instance_path, tmp_path)


def test_proxy_headers_are_trusted_only_when_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("SEEDLING_INSTANCE_PATH", str(tmp_path))
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    direct = create_app({"SECRET_KEY": "x", "TESTING": True})
    assert "Strict-Transport-Security" not in direct.test_client().get("/robots.txt", headers=headers).headers
    proxied = create_app({"SECRET_KEY": "x", "TESTING": True, "PROXY_COUNT": 1})
    assert "Strict-Transport-Security" in proxied.test_client().get("/robots.txt", headers=headers).headers
