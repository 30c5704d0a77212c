import socket

import pytest
import requests
from pytest_socket import SocketConnectBlockedError


def test_connecting_to_a_public_address_is_blocked():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(SocketConnectBlockedError):
        sock.connect(("192.0.2.10", 443))  # TEST-NET-1: never routable, never reached


def test_a_private_network_address_is_blocked_too():
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("10.1.2.3", 80), timeout=1)


def test_an_http_client_cannot_reach_an_upstream_api():
    # requests resolves the name (no DNS here, so it may fail there instead) or connects and is
    # stopped by the guard; either way nothing leaves the machine.
    with pytest.raises((SocketConnectBlockedError, requests.ConnectionError)):
        requests.get("http://198.51.100.7/works", timeout=1)


def test_loopback_connections_are_allowed(fake_upstream):
    fake_upstream.add("GET", "/ping", json={"pong": True})
    response = requests.get(f"{fake_upstream.url}/ping", timeout=2)
    assert response.json() == {"pong": True}


def test_localhost_by_name_is_allowed(fake_upstream):
    fake_upstream.add("GET", "/ping", body="pong")
    port = fake_upstream.url.rsplit(":", 1)[1]
    assert requests.get(f"http://localhost:{port}/ping", timeout=2).text == "pong"
