"""No admin form of a framework, a feature or a source grows with the knowledge base: at
30 frameworks × 300 features (with strengths, weaknesses and milestones) each change page's
form stays far below Django's 1,000-field limit (DATA_UPLOAD_MAX_NUMBER_FIELDS), so Save
keeps working; what hangs off the record is listed, linking to each record's own page."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from comparisons.models import Milestone, Point, Source
from tests.factories import build_matrix

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The (name, value) pairs a browser submits for the form with `form_id` (no button)."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind not in ("submit", "button", "reset", "image", "file"):
            if kind not in ("checkbox", "radio"):
                self.fields.append((attrs["name"], attrs.get("value", "")))
            elif "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            name, text = self.textarea
            self.fields.append((name, text.removeprefix("\n")))
            self.textarea = None


def form_fields(client, record):
    meta = record._meta
    url = reverse(f"admin:comparisons_{meta.model_name}_change", args=[record.pk])
    page = client.get(url)
    assert page.status_code == 200
    parser = FormFields(f"{meta.model_name}_form")
    parser.feed(page.content.decode())
    assert parser.fields, "no form found"
    return url, parser.fields


def save_changed(client, record, field, value):
    """Open the record's change page, change one field and save the form as a browser
    would; returns the number of fields the form posted."""
    url, fields = form_fields(client, record)
    data = {}
    for name, current in fields:
        data.setdefault(name, []).append(value if name == field else current)
    response = client.post(url, data)
    errors = response.context.get("errors") if response.status_code == 200 else None
    assert response.status_code == 302, (response.status_code, errors)
    return len(fields)


def the_records(frameworks, features):
    framework, feature = frameworks[0], features[0]
    source = Source.objects.filter(claims__support__framework=framework).first()
    return [(framework, "tagline"), (feature, "description"), (source, "summary")]


def add_points_and_milestones(framework, count):
    source = Source.objects.first()
    Point.objects.bulk_create(
        Point(framework=framework, source=source, kind="strength", text=f"Strength {n}.")
        for n in range(count)
    )
    Milestone.objects.bulk_create(
        Milestone(framework=framework, year=2000 + n % 20, title=f"Release {n}.")
        for n in range(count)
    )


def test_framework_feature_and_source_forms_stay_small_at_30_x_300(admin_client):
    small = build_matrix(frameworks=2, features=5, claims_per_cell=2)
    add_points_and_milestones(small[0][0], 2)
    small_counts = [
        save_changed(admin_client, record, field, "Changed.")
        for record, field in the_records(*small)
    ]

    large = build_matrix(frameworks=30, features=300, claims_per_cell=2)
    framework = large[0][0]
    add_points_and_milestones(framework, 150)
    source = the_records(*large)[2][0]
    assert framework.supports.count() == 300 and source.claims.count() == 9000
    for (record, field), small_count in zip(the_records(*large), small_counts, strict=True):
        posted = save_changed(admin_client, record, field, "Changed at scale.")
        # Far below the limit, and the same as on a tiny knowledge base: it cannot grow.
        assert posted < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        assert posted == small_count, record
        record.refresh_from_db()
        assert getattr(record, field) == "Changed at scale."


def test_the_cell_list_and_a_frameworks_page_take_as_many_queries_at_30_x_300(
    admin_client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def pages(frameworks, features):
        framework = frameworks[0]
        return [
            reverse("admin:comparisons_support_changelist"),
            reverse("admin:comparisons_framework_change", args=[framework.pk]),
            reverse("admin:comparisons_feature_change", args=[features[0].pk]),
        ]

    small = pages(*build_matrix(frameworks=2, features=5))
    counts = []
    for url in small:
        admin_client.get(url)  # content types and the like are cached after a first visit
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        counts.append(len(queries))
    for url, count in zip(pages(*build_matrix(frameworks=30, features=300)), counts, strict=True):
        with django_assert_num_queries(count):
            response = admin_client.get(url)
        assert response.status_code == 200
