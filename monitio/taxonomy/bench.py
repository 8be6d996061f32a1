"""Measure taxonomy matching speed on synthetic multilingual posts (no data files, no network).

Run: `python -m monitio.taxonomy.bench [N]`. Posts are 100-300 characters of everyday filler in
fourteen languages and scripts, a third of them carrying one or two taxonomy terms.
"""

from __future__ import annotations

import random
import sys
import time

from monitio.taxonomy.loader import load_taxonomy
from monitio.taxonomy.matcher import RuleMatcher

FILLER = {
    "en": "honestly I saw this on my feed again today and my friends keep sharing it in the group chat lol",
    "id": "jujur aku lihat ini lagi di beranda hari ini dan teman-teman terus share di grup wkwk",
    "ms": "sebenarnya saya nampak benda ni lagi hari ini kat feed dan kawan-kawan asyik kongsi dalam grup",
    "tl": "grabe nakita ko na naman ito sa feed ko kanina tapos shinare pa ng mga kaibigan ko sa gc",
    "vi": "thật sự hôm nay mình lại thấy cái này trên bảng tin và bạn bè cứ chia sẻ trong nhóm hoài",
    "hi": "सच में आज फिर से यह मेरी फीड पर दिखा और दोस्त इसे ग्रुप में शेयर करते जा रहे हैं",
    "hi-Latn": "sach mein aaj phir se ye meri feed pe dikha aur dost log group mein share kar rahe hain yaar",
    "th": "วันนี้เห็นอันนี้ในฟีดอีกแล้วจริงๆ เพื่อนๆ ก็แชร์กันในกลุ่มไม่หยุดเลย ขำมาก",
    "ja": "今日もまたタイムラインでこれを見かけたし友達もグループでずっとシェアしてて笑った",
    "ko": "오늘 또 피드에서 이거 봤는데 친구들이 단톡방에서 계속 공유하더라 진짜 웃기다",
    "zh": "今天又在首页刷到这个了，朋友们还一直在群里转发，真的笑死我了",
    "bn": "সত্যি আজ আবার এটা আমার ফিডে দেখলাম আর বন্ধুরা গ্রুপে শেয়ার করেই যাচ্ছে",
    "ta": "உண்மையில் இன்று மீண்டும் இதை என் ஃபீடில் பார்த்தேன் நண்பர்கள் குழுவில் பகிர்கிறார்கள்",
    "my": "ဒီနေ့လည်း ဒါကို ဖိဒ်မှာ ထပ်တွေ့တယ် သူငယ်ချင်းတွေ ဂရုထဲမှာ မျှဝေနေကြတယ်",
}


def synthetic_posts(n: int, seed: int = 7) -> list[str]:
    """`n` posts of 100-300 characters; about a third carry one or two taxonomy terms."""
    rng = random.Random(seed)
    terms = [t for r in load_taxonomy().rules for t in r.terms]
    langs = sorted(FILLER)
    posts = []
    for _ in range(n):
        words = FILLER[rng.choice(langs)].split() * 4
        start = rng.randrange(len(words) // 2)
        text = " ".join(words[start:])[: rng.randint(100, 300)]
        if rng.random() < 0.33:
            cut = rng.randrange(len(text))
            text = text[:cut] + " " + " ".join(rng.sample(terms, rng.randint(1, 2))) + " " + text[cut:]
        posts.append(text)
    return posts


def measure(n: int = 20_000) -> tuple[float, float, float, int]:
    """(posts per CPU second, posts per wall-clock second, mean characters, posts with a category).

    The matcher is single-threaded; CPU time is the fairer figure on a busy machine.
    """
    matcher = RuleMatcher(load_taxonomy())
    posts = synthetic_posts(n)
    match = matcher.match
    wall, cpu = time.perf_counter(), time.process_time()
    hits = sum(1 for p in posts if match(p))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return n / cpu, n / wall, sum(map(len, posts)) / n, hits


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    cpu_rate, wall_rate, mean_chars, matched = measure(count)
    print(
        f"{count} posts, {mean_chars:.0f} chars on average, {matched} with a category: "
        f"{cpu_rate:,.0f} posts per CPU second ({wall_rate:,.0f} per wall-clock second)"
    )
