"""The cell reads are written by orjson (`api.renderers`): the bytes must be DRF's."""

import pytest
from rest_framework import renderers
from rest_framework.response import Response

from api.renderers import JSONRenderer
from comparisons import models
from comparisons.caching import content_changed
from tests.api import test_cell_reads

pytestmark = pytest.mark.django_db

kb = test_cell_reads.kb  # the fixture: cells of every kind, drafts among them
serialized = test_cell_reads.serialized  # the body as `SupportSerializer` wrote it

AWKWARD = (
    'Quotes " and \\ backslashes, </script>, tabs\tand\nnewlines\r, \x01\x1f\x7f controls, '
    "line\u2028and paragraph\u2029separators, é, 漢字, 😀, \ufeff, \u200b"
)


def test_awkward_text_reads_as_drf_writes_it(anonymous, kb):
    cell = models.Support.objects.published().order_by("pk").first()
    models.Support.objects.filter(pk=cell.pk).update(summary=AWKWARD, notes=AWKWARD[::-1])
    content_changed()
    for path, pk in (
        ("/api/v1/supports/?page_size=100", None),
        (f"/api/v1/supports/{cell.pk}/", cell.pk),
    ):
        response = anonymous.get(path)
        assert response.status_code == 200
        assert response.content == serialized(path, **({"pk": str(pk)} if pk else {}))
        assert b"\\u2028" in response.content and "\u2028".encode() not in response.content
        assert "😀".encode() in response.content  # UTF-8, not \\u escapes


def test_an_indented_read_is_drf_indented(anonymous, kb):
    path = "/api/v1/supports/?page_size=3"
    response = anonymous.get(path, HTTP_ACCEPT="application/json; indent=4")
    assert response.content.startswith(b'{\n    "count": ')
    assert response.content == renderers.JSONRenderer().render(
        response.json(), "application/json; indent=4"
    )


@pytest.mark.parametrize(
    "data", [{"n": 2**70, "s": "é"}, [1, True, None, "x\u2029"], {"nested": [{"a": []}]}]
)
def test_what_orjson_cannot_write_drf_writes(data):
    response = Response(data)
    response.plain_data = True
    fast = JSONRenderer().render(data, "application/json", {"response": response})
    assert fast == renderers.JSONRenderer().render(data, "application/json", {})


def test_a_lone_surrogate_fails_as_with_drf():
    response = Response({"text": "\ud800"})
    response.plain_data = True
    with pytest.raises(UnicodeEncodeError):
        JSONRenderer().render({"text": "\ud800"}, None, {"response": response})


def test_only_responses_that_vouch_for_their_data_are_written_by_orjson():
    data = {"ratio": 1e16, "small": 1e-05}  # orjson would write 1e16 and 1e-5
    unmarked = JSONRenderer().render(data, None, {"response": Response(data)})
    assert (
        unmarked
        == renderers.JSONRenderer().render(data, None, {})
        == (b'{"ratio":1e+16,"small":1e-05}')
    )
