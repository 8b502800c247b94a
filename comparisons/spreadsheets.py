"""CSV and XLSX that a spreadsheet opens as text, never as formulas.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
Excel, LibreOffice and Google Sheets ("CSV injection"): `=HYPERLINK(...)` in a summary would
run on the editor's machine. django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT
only strips one leading `=` (so `==1+1` still exports a live formula, and `+`, `-`, `@` pass),
so these formats do it instead, as OWASP recommends: such a cell is written with a leading
apostrophe (`'=HYPERLINK(...)`), which spreadsheets show as text. Plain numbers (`-5`, `+1.5`)
are left alone. Reading a file back takes the apostrophe off again, so an export edited and
imported keeps every text as it was.
"""

import re

import tablib
from import_export.formats.base_formats import CSV, XLSX

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UNESCAPED = (*FORMULA_STARTS, "\n")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*")


def escape_formula(value):
    """`value` as a spreadsheet must hold it: text that could start a formula gets a leading
    apostrophe; anything else (numbers, dates, None, plain text) is returned as it is."""
    starts_a_formula = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    if starts_a_formula and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_formula(value):
    """The inverse of escape_formula, for a cell read back from a spreadsheet (where XLSX,
    being XML, has turned a carriage return into a line feed)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(UNESCAPED):
        return value[1:]
    return value


def mapped(dataset, function):
    return tablib.Dataset(
        *(tuple(function(cell) for cell in row) for row in dataset),
        headers=dataset.headers,
        title=dataset.title,
    )


class FormulaSafeMixin:
    def export_data(self, dataset, **kwargs):
        return super().export_data(mapped(dataset, escape_formula), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return mapped(super().create_dataset(in_stream, **kwargs), unescape_formula)


class FormulaSafeCSV(FormulaSafeMixin, CSV):
    pass


class FormulaSafeXLSX(FormulaSafeMixin, XLSX):
    pass
