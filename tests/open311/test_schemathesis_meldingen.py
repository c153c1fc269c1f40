"""schemathesis on the meldingen operations of the served schema: no server error.

It runs as a logged-in beheerder (session cookie plus a matching CSRF cookie and header, so
the writes are not stopped at the CSRF check) and with an API key for the create. Real ids
and bodies are mixed in so the happy paths are fuzzed too. The default checks run except
``positive_data_acceptance`` (a schema-valid body can still name a place outside the
municipality or an unknown category: that is a 400 by design) and
``ignored_auth``/``missing_required_header`` (the session cookie we pass makes the call
authenticated whatever the generated auth is).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.open311.conftest import SD_A, buurt_in
from veiligheidskaart.accounts.services import create_user
from veiligheidskaart.meldingen.models import Melding

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 40
CSRF = "a" * 32  # a valid CSRF secret: the same value as cookie and header
OPERATIONS = [
    ("GET", "/api/v1/meldingen/"),
    ("POST", "/api/v1/meldingen/"),
    ("GET", "/api/v1/meldingen/{id}/"),
    ("POST", "/api/v1/meldingen/{id}/status/"),
    ("POST", "/api/v1/meldingen/{id}/notes/"),
]


@pytest.fixture
def wsgi_app(db: None) -> Iterator[WSGIHandler]:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app: WSGIHandler) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)


@pytest.fixture
def session_cookies(db: None) -> dict[str, str]:
    user: User = create_user("fuzz-beheerder", "beheerder", "een-lang-wachtwoord-123")
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: CSRF}


def test_the_schema_has_the_meldingen_operations(api_schema):
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert {f"{method} {path}" for method, path in OPERATIONS} <= labels


def _bodies(path: str) -> st.SearchStrategy[dict[str, Any]] | None:
    if path.endswith("status/"):
        statuses = ["in_behandeling", "afgehandeld", "heropend", "geannuleerd"]
        return st.fixed_dictionaries(
            {"status": st.sampled_from(statuses)}, optional={"note": st.text(max_size=30)}
        )
    if path.endswith("notes/"):
        return st.fixed_dictionaries({"text": st.text(min_size=1, max_size=30)})
    if path == "/api/v1/meldingen/":
        return st.fixed_dictionaries(
            {"category": st.sampled_from(["afval_grofvuil", "omgeving_vernieling", "onbekend"])},
            optional={
                "buurt_code": st.sampled_from([buurt_in(SD_A).code, "BU00000000"]),
                "lat": st.floats(52.0, 52.3),
                "lon": st.floats(5.2, 5.5),
                "description": st.text(max_size=50),
            },
        )
    return None


def _real(operation: Any, method: str, path: str) -> list[st.SearchStrategy[Any]]:
    """Real melding ids and plausible bodies, beside the generated cases."""
    ids = st.sampled_from(list(Melding.objects.order_by("pk").values_list("pk", flat=True)[:5]))
    bodies = _bodies(path) if method == "POST" else None
    media = {"media_type": "application/json"} if bodies is not None else {}

    def case(pk: int | None, body: dict[str, Any] | None) -> st.SearchStrategy[Any]:
        kwargs: dict[str, Any] = dict(media)
        if pk is not None:
            kwargs["path_parameters"] = {"id": pk}
        if body is not None:
            kwargs["body"] = body
        return operation.as_strategy(**kwargs)

    pks = ids if "{id}" in path else st.just(None)
    if "{id}" not in path and bodies is None:
        return []
    return [
        st.tuples(pks, bodies if bodies is not None else st.just(None)).flatmap(
            lambda pair: case(*pair)
        )
    ]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_no_meldingen_operation_has_a_server_error(api_schema, session_cookies, method, path):
    operation = api_schema[path][method]
    statuses: Counter[int] = Counter()
    generated = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]

    @given(case=st.one_of(*generated, *_real(operation, method, path)))
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case: Any) -> None:
        response = case.call_and_validate(
            headers={"X-CSRFToken": CSRF},
            cookies=session_cookies,
            excluded_checks=[
                schemathesis.checks.positive_data_acceptance,
                schemathesis.checks.ignored_auth,
                schemathesis.checks.missing_required_header,
            ],
        )
        statuses[response.status_code] += 1

    run()
    print(f"schemathesis {method} {path}: {dict(sorted(statuses.items()))}")
    assert not any(status >= 500 for status in statuses)
    assert statuses[200] + statuses[201] > 0, f"geen enkel geslaagd verzoek: {dict(statuses)}"
