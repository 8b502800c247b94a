"""Schemathesis against the in-process app and the seeded knowledge base.

Every operation of the OpenAPI schema gets at least MIN_CASES generated requests (valid and
invalid ones, positive and negative modes), sent with an editor's token so that writes are
carried out, and every built-in check runs on every response: no 5xx, only documented
statuses, bodies and headers as documented, invalid input rejected, valid input accepted,
authentication enforced (each check re-sends without the token where it needs to).
"""

from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core import signals
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections, transaction
from rest_framework.authtoken.models import Token

from comparisons.editorial import EDITORS_GROUP
from tests.factories import UserFactory

MIN_CASES = 100

# Every check on, with their default expectations, but where a well-formed request may be
# refused by a domain rule that no schema can express:
# - the token endpoint answers wrong credentials with DRF's 400 (which passwords exist);
# - a write names other records by slug, and the slug must name one that exists; slugs and
#   names are unique; the database takes no NUL character in text; and the model's
#   cross-field rules hold (a level only on capability features, a rating from the
#   feature's own scale, a benchmark figure that fills exactly its own fields): a 400
#   naming the field, or a 409 for a conflict with stored records (a delete of a record
#   others depend on);
# - a well-formed `If-Match` names a version, and only the record's current one passes: a
#   412 (no schema can say which version is current);
# - a choose request names published features, frameworks and use cases, each feature once,
#   with a level or weight the feature's kind takes, and states at least one requirement:
#   else a 400 naming the parameter.
DOMAIN_RULE_STATUSES = ["2xx", "400", "401", "403", "404", "409", "412", "429"]
# A write with a stale `If-Match` is refused 412 before its body is read, whatever the body
# holds: RFC 9110 (13.2.1) evaluates preconditions before the request content is processed.
# So a malformed write may get 412 rather than a 400, besides schemathesis' default list.
REJECTED_STATUSES = ["400", "401", "403", "404", "405", "406", "409", "412", "415", "422",
                     "428", "429"]  # fmt: skip
CONFIG = schemathesis.Config.from_dict(
    {
        "operations": [
            {
                "include-path": "/api/v1/auth/token/",
                "checks": {"positive_data_acceptance": {"expected-statuses": DOMAIN_RULE_STATUSES}},
            },
            {
                "include-path": "/api/v1/choose/",
                "checks": {"positive_data_acceptance": {"expected-statuses": DOMAIN_RULE_STATUSES}},
            },
            {
                "include-method": ["POST", "PUT", "PATCH", "DELETE"],
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": DOMAIN_RULE_STATUSES},
                    "negative_data_rejection": {"expected-statuses": REJECTED_STATUSES},
                },
            },
        ]
    }
)

# Loaded when the module is collected: reading the schema needs no database — unless the
# shared cache (Redis, in CI) still holds an earlier run's content state, which the cache
# middleware would then check against the database. Start from an empty cache, as every
# test does (conftest's _empty_cache).
caches["default"].clear()
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/",
    WSGIHandler(),
    config=CONFIG,
    headers={"Accept": "application/vnd.oai.openapi+json"},
)
cases_per_operation = Counter()
EDITOR_TOKEN = []  # set by seeded_knowledge_base


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
            editor = UserFactory(username="schemathesis-editor")
            editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
            EDITOR_TOKEN[:] = [Token.objects.create(user=editor).key]
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
    case.call_and_validate(
        headers={"Accept-Encoding": "identity", "Authorization": f"Token {EDITOR_TOKEN[0]}"}
    )


def read_operations():
    """Every GET of the schema, with a query that gives a full answer from the shipped
    knowledge base (lists: their largest page; compare: its four frameworks; choose: every
    kind of requirement)."""
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET":
            continue
        yield pytest.param(operation, id=operation.label)


QUERIES = {
    "/api/v1/compare/": {"frameworks": "django,flask,fastapi,django-rest-framework"},
    # Every kind of requirement, a disputed cell that changes the answer, a use case.
    "/api/v1/choose/": {
        "must": "async-support:partial",
        "nice": "websockets:2",
        "prefer": "learning-curve:gentle:3",
        "use_case": "microservices",
    },
}


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_knowledge_base")
@pytest.mark.parametrize("operation", list(read_operations()))
def test_real_answers_match_the_served_schema(operation):
    """Not generated requests (most of which are refused) but full answers with real data,
    each validated against the schema served at /api/schema/: a field declared non-null but
    served null (compare's `last_verified`, null in every shipped cell), a type that differs,
    a property not declared, fails here."""
    headers = {"Accept-Encoding": "identity"}
    path_parameters = {}
    if operation.path_parameters:
        # The first record of the matching list, by the name the path uses (slug or id).
        (name,) = [parameter.name for parameter in operation.path_parameters]
        listing = schema[operation.path.replace(f"{{{name}}}/", "")]["GET"].Case()
        first = listing.call(headers=headers).json()["results"][0]
        path_parameters = {name: first[name]}
    query = QUERIES.get(operation.path, {})
    if "page_size" in {parameter.name for parameter in operation.query}:
        query = {**query, "page_size": 100}
    case = operation.Case(path_parameters=path_parameters, query=query)
    response = case.call(headers=headers)
    assert response.status_code == 200, response.text[:500]
    case.validate_response(response, headers=headers)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_knowledge_base")
def test_real_writes_and_the_token_match_the_served_schema():
    """The answers to an editor's writes (and to the token request) against the schema."""
    editor = UserFactory(username="schema-editor", password="a-long-editor-passphrase")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    headers = {"Accept-Encoding": "identity"}
    token_case = schema["/api/v1/auth/token/"]["POST"].Case(
        body={"username": "schema-editor", "password": "a-long-editor-passphrase"},
        media_type="application/json",
    )
    token_case.call_and_validate(headers=headers)
    assert token_case.call(headers=headers).json()["token"] == Token.objects.get(user=editor).key
    signed_in = {**headers, "Authorization": f"Token {Token.objects.get(user=editor).key}"}

    def write(method, path, body, expected, **path_parameters):
        case = schema[path][method].Case(
            path_parameters=path_parameters, body=body, media_type="application/json"
        )
        response = case.call(headers=signed_in)
        assert response.status_code == expected, response.text[:500]
        case.validate_response(response, headers=signed_in)
        return response.json()

    framework = {"name": "Sample Web", "slug": "sample-web", "kind": "micro", "interface": "wsgi"}
    write("POST", "/api/v1/frameworks/", {**framework, "first_release_year": 2009}, 201)
    cell = write(
        "POST",
        "/api/v1/supports/",
        {"framework": "sample-web", "feature": "async-support", "level": "none", "packages": []},
        201,
    )
    assert cell["last_verified"] is None
    changed = write("PATCH", "/api/v1/supports/{id}/", {"packages": ["gevent"]}, 200, id=cell["id"])
    assert changed["packages"] == ["gevent"]
    refused = write("PATCH", "/api/v1/frameworks/{slug}/", {"tagline": 0}, 400, slug="sample-web")
    assert refused["error"]["fields"] == {"tagline": ["Must be a string, not an integer."]}
