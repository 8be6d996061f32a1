"""Markets of the demo corpus: share of volume, UTC offset, language mix, places, money and names."""

from __future__ import annotations

import random
from dataclasses import dataclass

from monitio.demo.phrases import Bank
from monitio.demo.phrases_east import JA, KO, ZH_CN, ZH_TW
from monitio.demo.phrases_en import EN
from monitio.demo.phrases_idms import ID, MANGLISH, MS
from monitio.demo.phrases_ph import TAGLISH, TL
from monitio.demo.phrases_south import BN, HI, HINGLISH, ROMAN_UR, TA, UR
from monitio.demo.phrases_thvi import TH, VI


@dataclass(frozen=True)
class Market:
    """One market: ISO code, volume share, UTC offset (hours) and its language mix."""

    code: str
    share: float
    offset: float
    banks: tuple[tuple[Bank, float], ...]
    places: tuple[str, ...]
    native: dict[str, tuple[str, ...]]
    money: tuple[str, int, int]  # format with {v}, low, high
    first: tuple[str, ...]
    last: tuple[str, ...]

    def amount(self, rng: random.Random) -> str:
        fmt, lo, hi = self.money
        v = rng.randint(lo, hi)
        v = round(v, -len(str(v)) + 2) if v > 100 else v
        return fmt.format(v=f"{v:,}")


MARKETS: tuple[Market, ...] = (
    Market(
        "ID",
        0.17,
        7,
        ((ID, 0.86), (EN, 0.14)),
        ("Jakarta", "Bandung", "Surabaya", "Jogja", "Bali"),
        {},
        ("Rp{v}", 50_000, 2_000_000),
        ("budi", "sari", "dewi", "agus", "rina", "yoga", "putri", "eko"),
        ("santoso", "lestari", "pratama", "wijaya", "nugroho", "saputra"),
    ),
    Market(
        "PH",
        0.13,
        8,
        ((TAGLISH, 0.5), (TL, 0.22), (EN, 0.28)),
        ("Manila", "BGC", "Cebu", "Tagaytay", "QC"),
        {},
        ("₱{v}", 300, 20_000),
        ("mark", "joy", "angel", "jerome", "kim", "paolo", "bea", "jasmine"),
        ("reyes", "santos", "cruz", "bautista", "garcia", "delacruz"),
    ),
    Market(
        "IN",
        0.13,
        5.5,
        ((HINGLISH, 0.38), (HI, 0.22), (EN, 0.32), (TA, 0.08)),
        ("Mumbai", "Delhi", "Bangalore", "Pune", "Chennai"),
        {"hi": ("मुंबई", "दिल्ली", "पुणे"), "ta": ("சென்னை", "மதுரை")},
        ("₹{v}", 200, 50_000),
        ("rahul", "priya", "amit", "sneha", "vikram", "anjali", "rohan", "pooja"),
        ("sharma", "verma", "patel", "iyer", "singh", "gupta"),
    ),
    Market(
        "VN",
        0.09,
        7,
        ((VI, 0.92), (EN, 0.08)),
        ("Sài Gòn", "Hà Nội", "Đà Nẵng", "Đà Lạt", "Hội An"),
        {},
        ("{v}đ", 100_000, 10_000_000),
        ("linh", "minh", "trang", "huy", "thao", "nam", "ngoc"),
        ("nguyen", "tran", "le", "pham", "hoang", "vu"),
    ),
    Market(
        "TH",
        0.09,
        7,
        ((TH, 0.9), (EN, 0.1)),
        ("Bangkok", "Chiang Mai", "Phuket", "Pattaya"),
        {"th": ("สยาม", "เยาวราช", "เชียงใหม่", "บางแสน")},
        ("{v} บาท", 200, 30_000),
        ("nong", "ploy", "beam", "mint", "tong", "fah", "bank"),
        ("srisuk", "chaiyo", "thongdee", "wong"),
    ),
    Market(
        "MY",
        0.07,
        8,
        ((MS, 0.42), (MANGLISH, 0.28), (EN, 0.15), (ZH_CN, 0.1), (TA, 0.05)),
        ("KL", "Penang", "JB", "Melaka", "Ipoh"),
        {"zh": ("吉隆坡", "槟城", "新山"), "ta": ("கோலாலம்பூர்",)},
        ("RM{v}", 20, 5_000),
        ("aiman", "nurul", "farah", "hafiz", "wei ling", "kumar", "syafiq"),
        ("razak", "ismail", "tan", "lim", "abdullah", "rahman"),
    ),
    Market(
        "JP",
        0.07,
        9,
        ((JA, 0.95), (EN, 0.05)),
        ("Tokyo", "Osaka", "Kyoto", "Fukuoka"),
        {"ja": ("渋谷", "梅田", "京都", "博多")},
        ("{v}円", 500, 80_000),
        ("yuki", "haruto", "sakura", "ren", "aoi", "sota"),
        ("tanaka", "sato", "suzuki", "ito"),
    ),
    Market(
        "KR",
        0.05,
        9,
        ((KO, 0.95), (EN, 0.05)),
        ("Seoul", "Busan", "Incheon"),
        {"ko": ("홍대", "강남", "부산")},
        ("{v}원", 5_000, 900_000),
        ("minji", "jiwoo", "seojun", "hayoon", "doyun"),
        ("kim", "lee", "park"),
    ),
    Market(
        "TW",
        0.05,
        8,
        ((ZH_TW, 0.95), (EN, 0.05)),
        ("Taipei", "Taichung", "Kaohsiung"),
        {"zh": ("台北", "台中", "高雄", "西門町")},
        ("NT${v}", 100, 30_000),
        ("yiting", "weijie", "hsinyi", "chiahao", "yuchen"),
        ("chen", "lin", "huang", "chang"),
    ),
    Market(
        "SG",
        0.04,
        8,
        ((EN, 0.7), (ZH_CN, 0.18), (MS, 0.12)),
        ("Tampines", "Orchard", "Bugis", "Jurong"),
        {"zh": ("牛车水", "乌节路", "淡滨尼")},
        ("S${v}", 10, 3_000),
        ("jun wei", "shu hui", "ryan", "nur", "darren"),
        ("tan", "lim", "ng", "goh", "koh"),
    ),
    Market(
        "PK",
        0.06,
        5,
        ((ROMAN_UR, 0.52), (UR, 0.13), (EN, 0.35)),
        ("Lahore", "Karachi", "Islamabad"),
        {"ur": ("لاہور", "کراچی")},
        ("Rs {v}", 500, 100_000),
        ("ali", "ayesha", "hamza", "fatima", "usman", "zainab"),
        ("khan", "ahmed", "malik", "qureshi", "butt"),
    ),
    Market(
        "BD",
        0.05,
        6,
        ((BN, 0.75), (EN, 0.25)),
        ("Dhaka", "Chattogram", "Sylhet"),
        {"bn": ("ঢাকা", "চট্টগ্রাম")},
        ("৳{v}", 200, 50_000),
        ("rahim", "nusrat", "tanvir", "farzana", "sabbir"),
        ("hossain", "islam", "ahmed", "chowdhury"),
    ),
)
BY_CODE = {m.code: m for m in MARKETS}


def author_name(m: Market, rng: random.Random, i: int) -> str:
    """A plausible handle for user `i` of market `m` (unique through the index suffix)."""
    first = rng.choice(m.first).replace(" ", "")
    style = i % 4
    if style == 0:
        return f"{first}_{rng.choice(m.last)}{i}"
    if style == 1:
        return f"{first}.{rng.choice(m.last)}.{i}"
    if style == 2:
        return f"{first}{i}{m.code.lower()}"
    return f"the{first}{rng.choice(m.last)}_{i}"
