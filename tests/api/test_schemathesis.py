"""Schemathesis against the in-process app and the seeded knowledge base.

Every operation of the OpenAPI schema gets at least MIN_CASES generated requests (valid and
invalid ones), and every built-in check runs on every response: no 5xx, only documented
statuses, bodies and headers as documented, invalid input rejected, valid input accepted,
authentication enforced.
"""

from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections, transaction

MIN_CASES = 50

# Every check on, with their default expectations, but one: the token endpoint answers
# wrong credentials with DRF's 400, and no schema can say which passwords exist, so there a
# well-formed request may also be a 400.
CONFIG = schemathesis.Config.from_dict(
    {
        "operations": [
            {
                "include-path": "/api/v1/auth/token/",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]
                    }
                },
            }
        ]
    }
)

# Loaded when the module is collected: reading the schema needs no database.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/",
    WSGIHandler(),
    config=CONFIG,
    headers={"Accept": "application/vnd.oai.openapi+json"},
)
cases_per_operation = Counter()


@pytest.fixture(scope="module")
def seeded_knowledge_base(django_db_setup, django_db_blocker):
    """The shipped knowledge base, loaded once for the module inside a transaction that is
    rolled back at its end (each test then runs in a savepoint within it).

    The app is called directly, not through Django's test client, so Django's end-of-request
    signal would close the connection (and with it the transaction); it is held open here
    as the test client does.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_knowledge_base", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _every_operation_had_enough_cases():
    yield
    if cases_per_operation:
        counts = sorted(cases_per_operation.values())
        print(
            f"\nschemathesis: {len(counts)} operations, {sum(counts)} cases, "
            f"{counts[0]}–{counts[-1]} per operation"
        )
        short = {op: n for op, n in cases_per_operation.items() if n < MIN_CASES}
        assert not short, f"Operations with fewer than {MIN_CASES} cases: {short}"


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_knowledge_base")
@schema.parametrize()
@hypothesis.settings(
    max_examples=MIN_CASES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_the_api_keeps_its_documented_promises(case):
    cases_per_operation[case.operation.label] += 1
    # The WSGI transport asks for gzip as requests does, but hands back the body undecoded;
    # gzip responses are checked in tests/comparisons/test_caching.py.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
