"""Throughput of the query engine: ~300 taxonomy-like rules over synthetic multilingual posts.

    .venv/bin/python benchmarks/query_match.py [--posts 20000] [--rules 300] [--baseline-posts 2000]

Prints posts/s for `RuleSet.match` (one tokenisation per post, rules prefiltered by anchor terms)
next to a naive baseline in the same process: every rule evaluated on every post with plain `re`
(one compiled regex per term, `\\b` word boundaries, text case-folded once per post).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitio.query import And, Near, Not, Or, Phrase, Term, compile_many, parse
from monitio.records import Doc, Post

BACKGROUND = {
    "en": "the this ad video shop buy sale price today new free link please check my order delivery".split(),
    "id": "iklan ini sangat murah beli sekarang gratis ongkir promo hari kak barang sudah sampai".split(),
    "ms": "iklan ini sangat murah beli sekarang percuma penghantaran promosi hari barang sudah sampai".split(),
    "tl": "ang ito ay sobrang mura bili na libre padala promo ngayon po salamat order dumating".split(),
    "vi": "quảng cáo này rất rẻ mua ngay miễn phí giao hàng khuyến mãi hôm nay đơn hàng đã".split(),
    "hi": "यह विज्ञापन बहुत सस्ता अभी खरीदें मुफ्त डिलीवरी ऑफर आज ऑर्डर पहुंच गया".split(),
    "ko": "이 광고 너무 싸요 지금 구매 무료 배송 오늘 주문 도착 했어요".split(),
    "th": "โฆษณา นี้ ถูก มาก ซื้อ เลย ส่งฟรี โปร วันนี้ สั่ง ของ ถึง แล้ว".split(),
    "zh": "这个 广告 很 便宜 现在 购买 免费 送货 今天 订单 已经 到了".split(),
    "ja": "この 広告 とても 安い 今 購入 無料 配送 今日 注文 届き ました".split(),
}
UNSPACED = {"th", "zh", "ja"}
RISK = {
    "en": ["scam", "fraud", "fake", "refund", "giveaway", "crypto", "investment", "loan", "hack", "phishing"],
    "id": ["penipuan", "tipu", "palsu", "investasi", "pinjol", "bodong", "judi", "slot", "hadiah", "menang"],
    "ms": ["penipu", "tipu", "palsu", "pelaburan", "pinjaman", "judi", "hadiah", "menang", "skim", "cepat"],
    "tl": ["scammer", "peke", "manloloko", "sugal", "pautang", "premyo", "libre", "panalo", "budol", "modus"],
    "vi": ["lừa đảo", "giả mạo", "đầu tư", "vay tiền", "cờ bạc", "trúng thưởng", "hoàn tiền", "lậu", "chiếm", "tặng"],
    "hi": ["धोखा", "फर्जी", "ठगी", "निवेश", "लोन", "जुआ", "इनाम", "जीत", "नकली", "घोटाला"],
    "ko": ["사기", "가짜", "투자", "대출", "도박", "당첨", "환불", "불법", "해킹", "피싱"],
    "th": ["หลอกลวง", "ปลอม", "ลงทุน", "เงินกู้", "พนัน", "รางวัล", "คืนเงิน", "แฮก", "มิจฉาชีพ", "โกง"],
    "zh": ["诈骗", "假冒", "投资", "贷款", "赌博", "中奖", "退款", "黑客", "钓鱼", "骗子"],
    "ja": ["詐欺", "偽物", "投資", "借金", "賭博", "当選", "返金", "ハッキング", "フィッシング", "偽"],
}


def make_rules(n: int, rng: random.Random) -> dict[str, str]:
    rules: dict[str, str] = {}
    langs = list(RISK)
    for k in range(n):
        lang = rng.choice(langs)
        risk, bg = RISK[lang], BACKGROUND[lang]
        a, b, c = rng.sample(risk, 3)
        word = f"{a}{k % 7}" if k % 3 == 0 else a  # a third of the rules: synthetic rare anchors
        shape = k % 6
        spaced = lang not in UNSPACED and " " not in word and " " not in b

        def q(t: str) -> str:
            return f'"{t}"' if " " in t else t

        if shape == 0:
            rules[f"r{k}"] = f"{q(word)} OR {q(b)}"
        elif shape == 1:
            rules[f"r{k}"] = f"({q(word)} OR {q(b)}) AND ({q(c)} OR {q(rng.choice(bg))}) -{q(c + 'zz')}"
        elif shape == 2:
            rules[f"r{k}"] = f"{word}*" if spaced else f"{q(word)} {q(c)}"
        elif shape == 3:
            rules[f"r{k}"] = f'"{rng.choice(bg)} {b}" OR {q(word)}'
        elif shape == 4:
            rules[f"r{k}"] = f"{q(word)} NEAR/3 ({q(b)} OR {q(c)})"
        else:
            rules[f"r{k}"] = f"({q(word)} OR {q(b)}) lang:{lang} -{q(c)}"
    return rules


def rule_terms(rules: dict[str, str]) -> dict[str, list[str]]:
    """The words and phrases the rules look for, by the language they were drawn from."""
    by_lang: dict[str, list[str]] = {lang: [] for lang in RISK}
    for lang, terms in RISK.items():
        for t in terms:
            by_lang[lang] += [t, f"{t}{len(t) % 7}"]
    return by_lang


def make_posts(n: int, rng: random.Random, terms: dict[str, list[str]], risky: float) -> list[tuple[str, str]]:
    """Posts of 100-300 characters of everyday words; a share `risky` also has 1-3 rule terms."""
    posts = []
    langs = list(BACKGROUND)
    for _ in range(n):
        lang = rng.choice(langs)
        words: list[str] = []
        target = rng.randint(100, 300)
        while sum(map(len, words)) + len(words) < target:
            words.append(rng.choice(BACKGROUND[lang]))
        if rng.random() < risky:
            for _ in range(rng.randint(1, 3)):
                words.insert(rng.randrange(len(words) + 1), rng.choice(terms[lang]))
        sep = "" if lang in UNSPACED and rng.random() < 0.7 else " "
        text = sep.join(words)
        if rng.random() < 0.2:
            text = text.capitalize() + "!"
        posts.append((text, lang))
    return posts


# --- naive baseline: every rule, every post, plain `re` -------------------------------------------


def _pattern(node) -> str:
    if isinstance(node, Term | Phrase):
        text = node.text.casefold()
        body = r"\W+".join(map(re.escape, text.split()))
        unspaced = any(ord(ch) > 0x0E00 and not ("\uac00" <= ch <= "\ud7af") for ch in text)
        if unspaced:
            return body
        return rf"\b{body}" + (r"\w*" if isinstance(node, Term) and node.wildcard else r"\b")
    if isinstance(node, Or):
        return "(?:" + "|".join(_pattern(c) for c in node.children) + ")"
    raise TypeError(node)


def naive_rule(node):
    """A predicate on (casefolded text, lang) built from plain regexes."""
    children = getattr(node, "children", ())
    if isinstance(node, Term | Phrase | Or) and not any(isinstance(c, And | Not) for c in children):
        try:
            rx = re.compile(_pattern(node))
            return lambda text, lang: rx.search(text) is not None
        except TypeError:
            pass
    if isinstance(node, Near):
        a, b, n = _pattern(node.left), _pattern(node.right), node.distance
        gap = rf"\W+(?:\w+\W+){{0,{n}}}?"
        rx = re.compile(f"{a}{gap}{b}|{b}{gap}{a}")
        return lambda text, lang: rx.search(text) is not None
    if isinstance(node, And):
        parts = [naive_rule(c) for c in node.children]
        return lambda text, lang: all(p(text, lang) for p in parts)
    if isinstance(node, Or):
        parts = [naive_rule(c) for c in node.children]
        return lambda text, lang: any(p(text, lang) for p in parts)
    if isinstance(node, Not):
        inner = naive_rule(node.child)
        return lambda text, lang: not inner(text, lang)
    value = node.value  # a lang: field
    return lambda text, lang: lang == value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=20_000)
    ap.add_argument("--rules", type=int, default=300)
    ap.add_argument("--baseline-posts", type=int, default=2_000)
    ap.add_argument("--risky", type=float, default=0.3, help="share of posts that carry rule terms")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    rules = make_rules(args.rules, rng)
    posts = make_posts(args.posts, rng, rule_terms(rules), args.risky)

    t0 = time.perf_counter()
    ruleset = compile_many(rules)
    compile_s = time.perf_counter() - t0

    when = datetime(2026, 11, 1, tzinfo=UTC)
    docs = [
        Doc(post_id=i, post=Post.create(source="bench", source_id=str(i), text=t, published_at=when), lang=lang)
        for i, (t, lang) in enumerate(posts)
    ]
    t0 = time.perf_counter()
    hits = 0
    for doc in docs:
        hits += len(ruleset.match(doc))
    engine_s = time.perf_counter() - t0

    naive = [naive_rule(parse(q)) for q in rules.values()]
    sample = posts[: args.baseline_posts]
    t0 = time.perf_counter()
    naive_hits = 0
    for text, lang in sample:
        folded = text.casefold()
        naive_hits += sum(1 for rule in naive if rule(folded, lang))
    naive_s = time.perf_counter() - t0

    chars = sum(len(t) for t, _ in posts) / len(posts)
    engine_rate = len(posts) / engine_s
    naive_rate = len(sample) / naive_s
    print(f"rules: {len(rules)} (compiled in {compile_s * 1000:.0f} ms; {len(ruleset.always)} without an anchor)")
    print(
        f"posts: {len(posts)}, mean {chars:.0f} characters, {args.risky:.0%} with rule terms, "
        f"{hits / len(posts):.2f} rule hits per post"
    )
    print(f"RuleSet.match:         {engine_rate:>9,.0f} posts/s")
    print(f"naive re, every rule:  {naive_rate:>9,.0f} posts/s ({naive_hits / len(sample):.2f} hits per post)")
    print(f"ratio:                 {engine_rate / naive_rate:>9.1f}x")


if __name__ == "__main__":
    main()
