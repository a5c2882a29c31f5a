"""The hot paths' own responses answer with exactly what Starlette's would."""

import pytest
from starlette.responses import JSONResponse, RedirectResponse

from townhall.api.responses import FastJSONResponse, SeeOther


@pytest.mark.parametrize("url", [
    "/event/AAAAAAAAAAAAAAAAAAAAAA/room?t=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
    "https://rooms.example.com/live room/ünï?e=1&x=a b#top",
])
def test_see_other_is_a_303_redirect_as_starlette_makes_it(url):
    ours, theirs = SeeOther(url), RedirectResponse(url, status_code=303)
    assert (ours.status_code, ours.body, ours.raw_headers) == (theirs.status_code, theirs.body, theirs.raw_headers)


def test_fast_json_response_is_starlettes_json_response():
    content = {"tickets": [{"ticket_id": "A" * 22, "email": "zoë@example.com"}], "errors": []}
    ours, theirs = FastJSONResponse(content, status_code=201), JSONResponse(content, status_code=201)
    assert (ours.status_code, ours.body, ours.raw_headers) == (theirs.status_code, theirs.body, theirs.raw_headers)
