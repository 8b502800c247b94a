"""Fixtures shared by the knowledge-base tests."""

import pytest
from django.db import transaction

from comparisons.services import knowledge_base_load


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """The shipped knowledge base, loaded once for the test module that asks for it (a load
    runs full_clean() on ~1,500 records).

    The load sits in a transaction rolled back when the module ends; each test runs in its
    own savepoint inside it (through `db`), as Django's setUpTestData does, so a test's edits
    never reach the next test. Its value is the load's report.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield knowledge_base_load()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(shipped, db):
    return shipped
