"""Editors: their group, their account command, publishing, the cells column, attention lists."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from comparisons.models import Framework, Support
from tests.factories import (
    ClaimFactory,
    FeatureFactory,
    FrameworkFactory,
    SupportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-editor-passphrase"


@pytest.fixture
def editor():
    call_command("create_editor", "eve", email="eve@example.com", password=PASSWORD)
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="eve")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_the_editors_group_governs_content_and_not_users():
    group = Group.objects.get(name="Editors")
    codenames = set(group.permissions.values_list("codename", flat=True))
    for model in ["framework", "support", "claim", "source", "benchmarkresult", "usecase"]:
        assert {f"add_{model}", f"change_{model}", f"delete_{model}", f"view_{model}"} <= codenames
    assert not Permission.objects.filter(group=group, content_type__app_label="auth").exists()


def test_create_editor_makes_a_staff_account_in_the_group(editor):
    assert editor.is_staff and not editor.is_superuser
    assert editor.groups.filter(name="Editors").exists()
    assert editor.check_password(PASSWORD)


def test_create_editor_refuses_a_weak_password():
    with pytest.raises(CommandError, match=r"too short|too common"):
        call_command("create_editor", "weak", password="abc")


def test_an_editor_can_edit_content_but_not_users(editor_client):
    framework = FrameworkFactory(name="Flask")
    url = reverse("admin:comparisons_framework_change", args=[framework.pk])
    assert editor_client.get(url).status_code == 200
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_staff_outside_the_editors_group_cannot_edit(client):
    client.force_login(UserFactory(is_staff=True))
    framework = FrameworkFactory()
    url = reverse("admin:comparisons_framework_change", args=[framework.pk])
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:comparisons_support_changelist")).status_code == 403


def test_publish_and_unpublish_actions_record_history(editor_client, editor):
    drafts = FrameworkFactory.create_batch(2, status="draft")
    url = reverse("admin:comparisons_framework_changelist")
    response = editor_client.post(
        url,
        {"action": "publish", "_selected_action": [draft.pk for draft in drafts]},
        follow=True,
    )
    assert "2 frameworks published." in response.content.decode()
    assert Framework.objects.published().count() == 2
    latest = drafts[0].history.first()
    assert latest.status == "published" and latest.history_user == editor

    editor_client.post(url, {"action": "unpublish", "_selected_action": [drafts[0].pk]})
    assert list(Framework.objects.published()) == [drafts[1]]


def test_the_framework_page_lists_every_cell_and_links_the_missing_ones(editor_client):
    framework = FrameworkFactory()
    has_cell = FeatureFactory(name="Routing")
    missing = FeatureFactory(name="Admin interface")
    existing = SupportFactory(framework=framework, feature=has_cell, summary="URL patterns.")
    url = reverse("admin:comparisons_framework_change", args=[framework.pk])
    page = editor_client.get(url).content.decode()
    # Each cell links to its own page, one line each (its summary is on that page: the
    # framework's page does not grow with them)...
    change = reverse("admin:comparisons_support_change", args=[existing.pk])
    assert f'<a href="{change}">Routing</a>' in page and "URL patterns." not in page
    # ...and each feature without a cell links to a new cell's form, already filled in.
    add = (
        f"{reverse('admin:comparisons_support_add')}?framework={framework.pk}&feature={missing.pk}"
    )
    assert add.replace("&", "&amp;") in page
    form = editor_client.get(add).context["adminform"].form
    assert (form.initial["framework"], form.initial["feature"]) == (
        str(framework.pk), str(missing.pk),
    )  # fmt: skip

    response = editor_client.post(
        add,
        {
            "framework": framework.pk, "feature": missing.pk, "level": "native",
            "summary": "Ships with an admin.",
            "claims-TOTAL_FORMS": 0, "claims-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context and response.context["errors"]
    cell = Support.objects.get(framework=framework, feature=missing)
    assert cell.level == "native" and cell.summary == "Ships with an admin."
    assert f'href="{reverse("admin:comparisons_support_change", args=[cell.pk])}"' in (
        editor_client.get(url).content.decode()
    )


def test_needs_attention_lists_disputed_unsourced_stale_and_missing(editor_client):
    flask, django = FrameworkFactory(name="Flask"), FrameworkFactory(name="Django")
    async_feature, admin_feature = FeatureFactory(name="Async"), FeatureFactory(name="Admin")
    disputed = SupportFactory(
        framework=django,
        feature=async_feature,
        level="partial",
        last_verified=datetime.date.today(),
    )
    ClaimFactory(support=disputed, level="none")
    SupportFactory(framework=flask, feature=async_feature, last_verified=datetime.date(2020, 1, 1))
    response = editor_client.get(reverse("admin:comparisons_support_needs_attention"))
    assert response.status_code == 200
    assert list(response.context["disputed"]) == [disputed]
    assert [c.framework.name for c in response.context["unsourced"]] == ["Flask"]
    assert [c.framework.name for c in response.context["stale"]] == ["Flask"]
    assert {(fw.name, ft.name) for fw, ft in response.context["missing"]} == {
        ("Flask", "Admin"),
        ("Django", "Admin"),
    }
    assert admin_feature.name in response.content.decode()


@pytest.fixture
def typed(monkeypatch):
    """Answers typed at the password prompts, in order, in a terminal."""
    answers = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": answers.pop(0))
    monkeypatch.delenv("VERSUS_EDITOR_PASSWORD", raising=False)
    return answers


def test_create_editor_asks_again_after_a_weak_or_mistyped_password(typed):
    from io import StringIO

    from django.contrib.auth import get_user_model

    typed.extend(["abc", "abc", PASSWORD, "a typo", PASSWORD, PASSWORD])
    errors = StringIO()
    call_command("create_editor", "ann", stderr=errors, stdout=StringIO())
    assert "Too weak" in errors.getvalue() and "did not match" in errors.getvalue()
    assert typed == []
    assert get_user_model().objects.get(username="ann").check_password(PASSWORD)


def test_create_editor_without_a_terminal_fails_on_a_weak_password_and_creates_nothing():
    import os
    import subprocess
    import sys

    from django.contrib.auth import get_user_model

    with pytest.raises(CommandError, match="too weak, so no account was changed"):
        call_command("create_editor", "weak", password="password")
    assert not get_user_model().objects.filter(username="weak").exists()
    with pytest.raises(CommandError, match="No password given"):
        call_command("create_editor", "quiet", interactive=False)
    # From a shell: a non-zero exit and the reason on stderr, before it reads any database.
    no_database = "postgres://nobody@127.0.0.1:9/none"
    done = subprocess.run(
        [sys.executable, "manage.py", "create_editor", "x", "--password", "abc", "--noinput"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_DEBUG": "true", "DATABASE_URL": no_database},
    )  # fmt: skip
    assert done.returncode != 0 and "too weak" in done.stderr


def test_create_editor_leaves_an_existing_account_alone_unless_told_to_reset(editor):
    with pytest.raises(CommandError, match="already exists; nothing was changed"):
        call_command("create_editor", "eve", password="another-long-passphrase-9")
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)

    call_command("create_editor", "eve", password="another-long-passphrase-9", reset_password=True)
    editor.refresh_from_db()
    assert editor.check_password("another-long-passphrase-9") and editor.is_staff
