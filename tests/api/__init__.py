"""REST API v1 tests; shared assertions."""

from __future__ import annotations

from typing import Any

PROBLEM = "application/problem+json"


def assert_problem(response: Any, status: int, parameter: str | None = None) -> dict[str, Any]:
    """An RFC 9457 body with our members; ``parameter`` must be named in invalid_params."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    if parameter is not None:
        assert [p["name"] for p in body["invalid_params"]] == [parameter]
        assert body["invalid_params"][0]["reason"]
    return body
