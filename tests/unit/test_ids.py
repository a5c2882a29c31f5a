"""domain/ids.py: ids and tokens, one at a time and by the batch (Mint)."""

from __future__ import annotations

from townhall.domain.ids import Mint, is_well_formed, new_id, new_token


def test_a_mint_makes_ids_and_tokens_of_the_usual_form_all_different() -> None:
    mint = Mint()
    ids = [mint.id() for _ in range(2000)]  # more random bytes than one draw holds
    tokens = [mint.token() for _ in range(2000)]
    assert len(set(ids)) == len(ids) and len(set(tokens)) == len(tokens)
    assert all(is_well_formed(i) for i in ids)
    assert {len(i) for i in ids} == {len(new_id())} and {len(t) for t in tokens} == {len(new_token())}
    # Made close in time, they share the time prefix as new_id()'s do, so that indexes append.
    assert ids[0][:5] == new_id()[:5]  # the first 30 bits of the milliseconds: the same for 4 minutes


def test_two_mints_do_not_repeat_each_other() -> None:
    first, second = Mint(), Mint()
    assert {first.token() for _ in range(500)}.isdisjoint({second.token() for _ in range(500)})
