"""schemathesis against the schema the app serves: no operation answers with a server error.

Every operation gets a bounded, derandomized run of positive and negative cases, half of them
with Demostad's real codes so the happy paths are fuzzed too. Besides ``not_a_server_error``
all default checks run (status codes, content types, headers and bodies must match the
schema), except ``positive_data_acceptance``: a schema-valid period or year can still have no
data, and the API answers that with a 400 or 404 by design.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 50
AREAS = ["BU99990101", "BU99990201", "WK999901", "WK999902", "SD999901", "GM9999"]
INDICATORS = [
    "misdrijven_totaal",
    "geweld",
    "woninginbraak",
    "burengerucht",
    "jeugdoverlast",
    "woonoverlast",
    "onveilig_in_buurt",
]
REAL_QUERIES: dict[str, Any] = {
    "/api/v1/areas/{code}/series/": st.fixed_dictionaries(
        {}, optional={"indicator": st.sampled_from(INDICATORS)}
    ),
    "/api/v1/map-layer/": st.fixed_dictionaries(
        {},
        optional={
            "indicator": st.sampled_from(INDICATORS),
            "period": st.sampled_from(
                ["2024", "2023", "2024-H1", "2023-11..2024-02", "2025-01..2025-02"]
            ),
            "level": st.sampled_from(["buurt", "wijk", "stadsdeel"]),
            "smoothed": st.sampled_from(["true", "false"]),
            "method": st.sampled_from(["quantiles", "natural_breaks"]),
        },
    ),
    "/api/v1/priorities/": st.fixed_dictionaries(
        {},
        optional={
            "year": st.sampled_from([2024, 2023]),
            "theme": st.sampled_from(["geweld", "totaal"]),
            "area": st.sampled_from(AREAS),
        },
    ),
    "/api/v1/meldingen-density/": st.fixed_dictionaries(
        {},
        optional={
            "period": st.sampled_from(["2024", "2024-H2", "2024-10..2025-02"]),
            "category": st.sampled_from(["Afval", "Overlast"]),
        },
    ),
    "/api/v1/areas/": st.fixed_dictionaries(
        {},
        optional={
            "level": st.sampled_from(["buurt", "wijk"]),
            "crs": st.sampled_from(["28992", "4326"]),
        },
    ),
}
REAL_PATHS = {
    "/api/v1/areas/{code}/series/": st.sampled_from(AREAS),
    "/api/v1/indicators/{code}/": st.sampled_from(INDICATORS),
}
OPERATIONS = [
    "/api/v1/areas/",
    "/api/v1/areas/{code}/series/",
    "/api/v1/catalogue/",
    "/api/v1/indicators/",
    "/api/v1/indicators/{code}/",
    "/api/v1/map-layer/",
    "/api/v1/meldingen-density/",
    "/api/v1/priorities/",
]
# internal operations: fuzzed with an analyst's session (anonymous gets 403, tested elsewhere)
INTERNAL = {"/api/v1/meldingen-density/"}


@pytest.fixture
def wsgi_app(db: None) -> Iterator[WSGIHandler]:
    """The app in this process, on the test transaction (as Django's test client does it)."""
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


def test_the_schema_has_every_operation(api_schema):
    # other apps add their own operations (and test them in their own schemathesis runs)
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert {f"GET {path}" for path in OPERATIONS} <= labels


def strategy(operation: Any, path: str) -> st.SearchStrategy[Any]:
    generated = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]
    real = []
    if path in REAL_PATHS:
        real.append(
            REAL_PATHS[path].flatmap(
                lambda code: operation.as_strategy(path_parameters={"code": code})
            )
        )
    if path in REAL_QUERIES:
        codes = REAL_PATHS.get(path, st.just(None))
        real.append(
            st.tuples(codes, REAL_QUERIES[path]).flatmap(
                lambda cq: operation.as_strategy(
                    path_parameters={"code": cq[0]} if cq[0] else None, query=cq[1]
                )
            )
        )
    return st.one_of(*generated, *real)


@pytest.fixture
def analyst_session(db: None) -> str:
    from django.test import Client

    from veiligheidskaart.accounts.services import create_user

    create_user("st-analist", "analist", "lang-genoeg-wachtwoord-1")
    client = Client()
    assert client.login(username="st-analist", password="lang-genoeg-wachtwoord-1")
    return str(client.cookies["sessionid"].value)


@pytest.mark.parametrize("path", OPERATIONS)
def test_no_operation_has_a_server_error(api_schema, analyst_session, path):
    operation = api_schema[path]["GET"]
    statuses: Counter[int] = Counter()
    cookies = {"sessionid": analyst_session} if path in INTERNAL else None

    @given(case=strategy(operation, path))
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case: Any) -> None:
        response = case.call_and_validate(
            cookies=cookies, excluded_checks=[schemathesis.checks.positive_data_acceptance]
        )
        statuses[response.status_code] += 1

    run()
    print(
        f"schemathesis {path}: {sum(statuses.values())} verzoeken, {dict(sorted(statuses.items()))}"
    )
    assert not any(status >= 500 for status in statuses)
    assert statuses[200] > 0, f"geen enkel geslaagd verzoek: {dict(statuses)}"


# --- policy: internal, so fuzzed as a logged-in analist (session cookie and CSRF token) --------
POLICY_OPERATIONS = [
    ("GET", "/api/v1/actions/"),
    ("POST", "/api/v1/actions/"),
    ("GET", "/api/v1/actions/{id}/"),
    ("PATCH", "/api/v1/actions/{id}/"),
    ("POST", "/api/v1/actions/{id}/status/"),
    ("GET", "/api/v1/goals/"),
    ("GET", "/api/v1/adopted-priorities/"),
]
POLICY_BODIES: dict[str, Any] = {
    "POST /api/v1/actions/": st.fixed_dictionaries(
        {
            "title": st.sampled_from(["Aanpak", "Buurtpreventie"]),
            "description": st.just("omschrijving"),
            "owner": st.just("Team Veiligheid"),
            "start": st.sampled_from(["2025-01-01", "2025-06-01"]),
            "end": st.sampled_from(["2025-12-31", "2026-03-31"]),
            "areas": st.lists(st.sampled_from(AREAS[:5]), min_size=1, max_size=2),
        },
        optional={"partners": st.lists(st.sampled_from(["politie", "om", "zorg"]), max_size=2)},
    ),
    "POST /api/v1/actions/{id}/status/": st.fixed_dictionaries(
        {"status": st.sampled_from(["in_uitvoering", "afgerond", "vervallen", "gepland"])}
    ),
}


@pytest.fixture
def analist_auth(db: None) -> dict[str, dict[str, str]]:
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from veiligheidskaart.accounts.services import create_user

    client = Client()
    client.force_login(create_user("schema-analist", "analist", "x-wachtwoord-schema"))
    token = _get_new_csrf_string()
    session = client.cookies["sessionid"].value
    return {
        "cookies": {"sessionid": session, "csrftoken": token},
        "headers": {"X-CSRFToken": token},
    }


def policy_strategy(operation: Any, method: str, path: str) -> st.SearchStrategy[Any]:
    from veiligheidskaart.policy.models import Action

    ids = st.sampled_from(list(Action.objects.values_list("pk", flat=True)))
    generated = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]
    path_ids = ids if "{id}" in path else st.just(None)
    body = POLICY_BODIES.get(f"{method} {path}")
    real = st.tuples(path_ids, body if body is not None else st.just(None)).flatmap(
        lambda pair: operation.as_strategy(
            path_parameters={"id": pair[0]} if pair[0] else None,
            **({"body": pair[1]} if pair[1] is not None else {}),
        )
    )
    return st.one_of(*generated, real)


def test_the_schema_has_every_policy_operation(api_schema):
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert {f"{method} {path}" for method, path in POLICY_OPERATIONS} <= labels


@pytest.mark.parametrize(("method", "path"), POLICY_OPERATIONS)
def test_no_policy_operation_has_a_server_error(api_schema, analist_auth, method, path):
    operation = api_schema[path][method]
    statuses: Counter[int] = Counter()

    @given(case=policy_strategy(operation, method, path))
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case: Any) -> None:
        response = case.call_and_validate(
            **analist_auth,
            # the session is injected, so dropping the auth cookie cannot make a case invalid
            excluded_checks=[
                schemathesis.checks.positive_data_acceptance,
                schemathesis.checks.ignored_auth,
                schemathesis.checks.negative_data_rejection,
            ],
        )
        statuses[response.status_code] += 1

    run()
    print(f"schemathesis {method} {path}: {dict(sorted(statuses.items()))}")
    assert not any(status >= 500 for status in statuses)
    assert statuses[200] + statuses[201] > 0, f"geen enkel geslaagd verzoek: {dict(statuses)}"
