import pytest
import requests


def test_responses_for_a_route_are_served_in_order_and_the_last_repeats(fake_upstream):
    fake_upstream.add("GET", "/works", status=429, headers={"Retry-After": "2"})
    fake_upstream.add("GET", "/works", json={"results": []})

    first = requests.get(f"{fake_upstream.url}/works?page=1", timeout=2)
    second = requests.get(f"{fake_upstream.url}/works?page=2", timeout=2)
    third = requests.get(f"{fake_upstream.url}/works?page=3", timeout=2)

    assert (first.status_code, first.headers["Retry-After"]) == (429, "2")
    assert second.json() == third.json() == {"results": []}
    assert [r.query["page"] for r in fake_upstream.requests_to("GET", "/works")] == [
        ["1"],
        ["2"],
        ["3"],
    ]


def test_an_unknown_route_is_a_404_naming_it(fake_upstream):
    response = requests.get(f"{fake_upstream.url}/nope", timeout=2)
    assert response.status_code == 404
    assert response.json() == {"error": "no fake route for GET /nope"}


def test_a_delayed_response_trips_a_client_timeout(fake_upstream):
    fake_upstream.add("GET", "/slow", json={}, delay=1.0)
    with pytest.raises(requests.Timeout):
        requests.get(f"{fake_upstream.url}/slow", timeout=0.2)


def test_posted_forms_are_recorded(fake_upstream):
    fake_upstream.add("POST", "/oauth/token", json={"ok": 1})
    requests.post(f"{fake_upstream.url}/oauth/token", data={"code": "abc"}, timeout=2)
    assert fake_upstream.requests_to("POST", "/oauth/token")[0].form == {"code": ["abc"]}
