"""The SSRF guard: only https on 443/8443, every resolved address public (IPv6 and IPv4 hidden
in IPv6 included), the allow list the only exception, and production refusing loopback in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from eduapp import create_app
from eduapp.config import ConfigError
from eduapp.webhooks import guard

REFUSED = {
    "127.0.0.1": "loopback",
    "127.8.9.10": "loopback",
    "10.1.2.3": "private",
    "172.16.5.4": "private",
    "192.168.0.10": "private",
    "169.254.169.254": "link-local",  # cloud metadata
    "224.0.0.1": "multicast",
    "240.0.0.1": "reserved",
    "0.0.0.0": "unspecified",
    "100.64.0.1": "not a public",  # carrier-grade NAT
    "::1": "loopback",
    "::": "unspecified",
    "fe80::1": "link-local",
    "fe80::1%eth0": "link-local",
    "fc00::1": "private",
    "fd12:3456::1": "private",
    "ff02::1": "multicast",
    "::ffff:127.0.0.1": "loopback",  # IPv4-mapped
    "::ffff:10.0.0.1": "private",
    "2002:7f00:1::1": "loopback",  # 6to4 around 127.0.0.1
    "2002:c0a8:1::1": "private",  # 6to4 around 192.168.0.1
}


@pytest.mark.parametrize("address", list(REFUSED))
def test_each_class_of_address_is_refused(
    app: Flask, monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    monkeypatch.setattr(guard, "resolve", lambda host, port: [address])
    with pytest.raises(guard.Refused, match=REFUSED[address]):
        guard.vet("https://hooks.example.com/in")


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_pass_and_are_the_ones_connected_to(
    app: Flask, monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    monkeypatch.setattr(guard, "resolve", lambda host, port: [address])
    target = guard.vet("https://hooks.example.com:8443/in?x=1")
    assert (target.host, target.port, target.path, target.address) == (
        "hooks.example.com",
        8443,
        "/in?x=1",
        address,
    )


def test_a_name_with_one_private_address_among_public_ones_is_refused(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "resolve", lambda host, port: ["93.184.216.34", "10.0.0.7"])
    with pytest.raises(guard.Refused, match="private"):
        guard.vet("https://hooks.example.com/")


def test_a_hostname_resolving_to_127_0_0_1_is_refused(app: Flask) -> None:
    """Through the real resolver: ``localhost`` is 127.0.0.1 (or ::1) here."""
    with pytest.raises(guard.Refused, match="loopback"):
        guard.vet("https://localhost/hook")


def test_ip_literals_in_the_url_are_vetted_too(app: Flask) -> None:
    with pytest.raises(guard.Refused, match="loopback"):
        guard.vet("https://127.0.0.1/hook")
    with pytest.raises(guard.Refused, match="loopback"):
        guard.vet("https://[::1]:8443/hook")
    with pytest.raises(guard.Refused, match="link-local"):
        guard.post("https://169.254.169.254/latest/meta-data", b"{}", {})


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://hooks.example.com/", "https://"),
        ("ftp://hooks.example.com/", "https://"),
        ("https://hooks.example.com:8080/", "port 443 or 8443"),
        ("https://hooks.example.com:22/", "port 443 or 8443"),
        ("https://user:pw@hooks.example.com/", "user name"),
        ("https:///nohost", "no host"),
        ("https://hooks.example.com:99999/", "not a valid URL"),
    ],
)
def test_urls_other_than_https_on_443_or_8443_are_refused(app: Flask, url: str, why: str) -> None:
    with pytest.raises(guard.Refused, match=why):
        guard.check_url(url)


def test_the_allow_list_is_the_only_exception(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "resolve", lambda host, port: ["10.0.0.5"])
    with pytest.raises(guard.Refused):
        guard.vet("https://hr.internal:9000/in")
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_HOSTS", " hr.internal , other.test")
    assert guard.vet("https://hr.internal:9000/in").address == "10.0.0.5"
    with pytest.raises(guard.Refused):
        guard.vet("https://hr2.internal/in")


def test_production_refuses_a_loopback_address_even_for_an_allowed_host(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_HOSTS", "hr.internal")
    monkeypatch.setitem(app.config, "ENV", "production")
    for address in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        monkeypatch.setattr(guard, "resolve", lambda host, port, a=address: [a])
        with pytest.raises(guard.Refused, match="production"):
            guard.vet("https://hr.internal/in")
    monkeypatch.setattr(guard, "resolve", lambda host, port: ["10.0.0.5"])
    assert guard.vet("https://hr.internal/in").address == "10.0.0.5"  # private is its purpose


@pytest.mark.parametrize(
    "value",
    ["localhost", "hr.test,127.0.0.1", "[::1]", "a.localhost", "::ffff:127.0.0.1", "127.1"],
)
def test_production_will_not_start_with_loopback_in_the_allow_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    from tests.test_config import production_app

    monkeypatch.setenv("EDUAPP_WEBHOOK_ALLOW_HOSTS", value)
    with pytest.raises(ConfigError, match="EDUAPP_WEBHOOK_ALLOW_HOSTS may not name loopback"):
        production_app(tmp_path)


def test_the_allow_list_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDUAPP_WEBHOOK_ALLOW_HOSTS", "hr.internal")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["WEBHOOK_ALLOW_HOSTS"] == "hr.internal"
    monkeypatch.delenv("EDUAPP_WEBHOOK_ALLOW_HOSTS")
    assert (
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}).config["WEBHOOK_ALLOW_HOSTS"]
        == ""
    )


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://127.0.0.1/in", "127.0.0.1 is a loopback address"),
        ("https://[::1]/in", "::1 is a loopback address"),
        ("https://0x7f000001/in", "0x7f000001 is 127.0.0.1, a loopback address"),
        ("https://2130706433/in", "2130706433 is 127.0.0.1, a loopback address"),
        ("https://127.1/in", "127.1 is 127.0.0.1, a loopback address"),
        ("https://0177.0.0.1/in", "0177.0.0.1 is 127.0.0.1, a loopback address"),
        ("https://127.0.0.1./in", "127.0.0.1. is 127.0.0.1, a loopback address"),
        ("https://[::ffff:127.0.0.1]:8443/in", "::ffff:127.0.0.1 is a loopback address"),
        ("https://[::ffff:7f00:1]/in", "::ffff:7f00:1 is ::ffff:127.0.0.1, a loopback"),
        ("https://10.0.0.1/in", "10.0.0.1 is a private address"),
        ("https://[fd00::1]/in", "fd00::1 is a private address"),
        ("https://169.254.169.254/in", "169.254.169.254 is a link-local address"),
        ("https://[fe80::1%25eth0]/in", "link-local address"),
        ("https://224.0.0.1/in", "224.0.0.1 is a multicast address"),
        ("https://[ff02::1]/in", "ff02::1 is a multicast address"),
        ("https://240.0.0.1/in", "240.0.0.1 is a reserved address"),
        ("https://0.0.0.0/in", "0.0.0.0 is an unspecified address"),
        ("https://0/in", "0 is 0.0.0.0, an unspecified address"),
        ("https://[::]/in", ":: is an unspecified address"),
        ("https://100.64.0.1/in", "100.64.0.1 is not a public address"),
    ],
)
def test_a_url_written_with_a_non_public_address_is_refused_from_its_text(
    app: Flask, monkeypatch: pytest.MonkeyPatch, url: str, why: str
) -> None:
    """No lookup is needed to refuse these, so registering one is refused at once."""
    monkeypatch.setattr(guard, "resolve", lambda host, port: pytest.fail("resolved"))
    with pytest.raises(guard.Refused) as refused:
        guard.check_url(url)
    assert why in str(refused.value)


def test_names_and_public_addresses_pass_the_text_check_without_any_lookup(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text check asks the resolver to parse numbers only: names are left to delivery."""
    asked: list[tuple[str, int]] = []
    real = guard.socket.getaddrinfo

    def getaddrinfo(host: str, port: object, *args: object, flags: int = 0) -> object:
        asked.append((host, flags))
        return real(host, port, *args, flags=flags)

    monkeypatch.setattr(guard.socket, "getaddrinfo", getaddrinfo)
    for url in (
        "https://localhost/in",
        "https://hooks.example.com/in",
        "https://93.184.216.34/in",
        "https://[2606:2800:220:1:248:1893:25c8:1946]:8443/in",
        "https://1e100/in",
    ):
        guard.check_url(url)
    assert asked and all(flags & guard.socket.AI_NUMERICHOST for _host, flags in asked)


def test_an_allowed_host_may_be_written_as_a_private_address(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_HOSTS", "10.0.0.5")
    assert guard.check_url("https://10.0.0.5:9000/in") == ("10.0.0.5", 9000, "/in")
    with pytest.raises(guard.Refused, match="private"):
        guard.check_url("https://10.0.0.6/in")
