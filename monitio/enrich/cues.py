"""Scam cues in words: promises of returns, urgency or secrecy, and spam lures, in the supported languages.

Phrases are matched on the case-folded text, as whole words in Latin script and as substrings in
scripts written without spaces. Values are the phrase as found (case-folded), or for a rate of
return the normalised rate (`30%/day`, `5%/month`, `x2/24h`).

>>> find_returns("Profit 30% daily, dijamin untung! 每天5%")
['30%/day', 'dijamin untung', '5%/day']
>>> find_urgency("BURUAN, hari ini saja! Jangan bilang siapa-siapa. 限时")
['buruan', 'hari ini saja', 'jangan bilang siapa-siapa', '限时']
>>> find_returns("the shrimp scampi was guaranteed fresh"), find_urgency("scampi")
([], [])
"""

from __future__ import annotations

import re

from monitio.enrich.textnorm import trie_pattern

RETURNS = """
guaranteed profit|guaranteed profits|guaranteed return|guaranteed returns|guaranteed income|guaranteed payout|
risk-free investment|risk free investment|risk-free profit|risk free profit|zero risk|no risk investment|
double your money|double your investment|triple your money|fixed daily profit|daily profit|daily income|
earn daily|profit every day|returns every day|high returns|principal guaranteed|capital guaranteed|
get rich quick|sure profit|assured returns|100% profit|100% guaranteed|withdraw daily|
dijamin untung|untung pasti|pasti untung|profit pasti|keuntungan pasti|keuntungan dijamin|profit dijamin|
dijamin cuan|pasti cuan|cuan pasti|cuan harian|tanpa risiko|bebas risiko|penghasilan harian|modal kecil untung besar|
gandakan uang|uang berlipat|bunga tinggi|return tinggi|balik modal cepat|
pulangan dijamin|pulangan tinggi|untung harian|pendapatan pasif|modal dijamin|gandakan wang|untung berganda|
รับประกันกำไร|การันตีกำไร|กำไรวันละ|กำไรทุกวัน|กำไรแน่นอน|ได้กำไรแน่นอน|ไม่มีความเสี่ยง|ปันผลทุกวัน|ผลตอบแทนสูง|
ผลตอบแทนรายวัน|รับประกันผลตอบแทน|คืนทุนเร็ว|ลงทุนน้อยกำไรมาก|รายได้วันละ|
lợi nhuận đảm bảo|đảm bảo lợi nhuận|cam kết lợi nhuận|lãi suất cao|lợi nhuận cao|không rủi ro|lãi mỗi ngày|
lãi hàng ngày|lợi nhuận hàng ngày|thu nhập thụ động|nhân đôi tài khoản|chắc chắn có lãi|bao lỗ|
garantisadong kita|siguradong kita|sigurado ang kita|kita araw-araw|kumita araw-araw|tubo araw-araw|walang talo|
doble ang pera|garantisadong tubo|
पैसा डबल|पैसे डबल|गारंटीड रिटर्न|गारंटी रिटर्न|पक्का मुनाफा|100% मुनाफा|रोज़ कमाई|रोज कमाई|बिना जोखिम|
paisa double|paise double|paisa dugna|guaranteed munafa|pakka munafa|pakka profit|100% munafa|roz kamai|rozana kamai|
bina risk|munafa guaranteed|پیسہ ڈبل|گارنٹی منافع|یقینی منافع|روزانہ منافع|
টাকা ডাবল|নিশ্চিত লাভ|গ্যারান্টি লাভ|প্রতিদিন আয়|உத்தரவாத லாபம்|தினசரி லாபம்|గ్యారంటీ లాభం|రోజువారీ లాభం|
အမြတ်အာမခံ|ធានាប្រាក់ចំណេញ|
元本保証|必ず儲かる|絶対儲かる|確実に儲かる|利回り保証|配当保証|損しない|不労所得|
원금 보장|원금보장|수익 보장|수익보장|확정 수익|확정수익|고수익 보장|무조건 수익|매일 수익|무위험|
保本|稳赚|稳赚不赔|穩賺|日赚|躺赚|包赚|保证收益|保證收益|保证回报|高回报|高回報|零风险|零風險|无风险|稳定收益
"""
URGENCY = """
limited time|limited offer|limited slots|limited seats|only today|today only|act now|hurry|hurry up|last chance|
don't miss|do not miss|ends tonight|expires today|only a few left|first come first served|now or never|urgent|
don't tell anyone|do not tell anyone|keep it secret|keep this secret|secret method|delete this message|
before it's deleted|before they delete|within 24 hours|register now|join now|
segera|buruan|hari ini saja|cuma hari ini|hanya hari ini|kuota terbatas|slot terbatas|promo terbatas|
kesempatan terakhir|jangan sampai ketinggalan|jangan bilang siapa-siapa|jangan bilang siapa siapa|
jangan kasih tahu siapa pun|rahasia|sebelum dihapus|daftar sekarang|gabung sekarang|sekarang juga|jangan lewatkan|
hari ini sahaja|tawaran terhad|peluang terakhir|jangan beritahu sesiapa|rahsia|sertai sekarang|
ด่วน|วันนี้เท่านั้น|จำนวนจำกัด|มีจำกัด|รีบเลย|โอกาสสุดท้าย|ห้ามบอกใคร|อย่าบอกใคร|เป็นความลับ|ก่อนโดนลบ|หมดเขต|
gấp|nhanh tay|nhanh lên|chỉ hôm nay|duy nhất hôm nay|số lượng có hạn|cơ hội cuối|bí mật|đừng nói với ai|
giữ bí mật|đăng ký ngay|tham gia ngay|trước khi bị xóa|
agad|ngayon lang|ngayon na|bilisan|limitado|huling pagkakataon|huwag sabihin kahit kanino|sikreto|lihim|
जल्दी|जल्दी करें|अभी जुड़ें|अभी कॉल करें|सिर्फ आज|केवल आज|सीमित समय|आखिरी मौका|किसी को मत बताना|
किसी को न बताएं|jaldi|jaldi karo|abhi join|abhi call|abhi register|sirf aaj|aakhri mauka|kisi ko mat batana|
kisi ko mat batao|جلدی|صرف آج|کسی کو مت بتانا|
তাড়াতাড়ি|এখনই|শুধু আজ|সীমিত সময়|কাউকে বলবেন না|
今すぐ|限定|期間限定|本日限り|今だけ|先着|残りわずか|急いで|秘密|内緒|誰にも言わないで|口外禁止|
지금 바로|지금바로|오늘만|한정|선착순|마감 임박|서두르세요|비밀|아무에게도 말하지|긴급|
马上|馬上|立即|立刻|限时|限時|限量|名额有限|名額有限|仅限今天|最后机会|赶紧|趕緊|抓紧|保密|不要告诉别人|别告诉任何人
"""
LURE = """
win|won|winner|prize|prizes|claim|award|awarded|urgent|txt|reward|rewards|
subscribe|subscribers|subscriber|channel|click|visit|giveaway|followers|check out|my video|my videos|my music|
my song|my new song|watch my|support me|thumbs up|like this comment|like my|follow my|my page|my blog|
my website|my instagram|my twitter|my facebook|help me reach|please check|please share|share this|new music video|
t&c|t&cs|t&c's|opt out|opt-out|unsubscribe|stop to|16+|18+|per week|per wk|/msg|landline|polyphonic|your mobile|
mobile number|camera phone|await collection|congratulations|competition|contest|entry|sexy|hot singles|dating|
hadiah|menang|pemenang|undian|klik|hubungi|kunjungi|
tahniah|รางวัล|ถูกรางวัล|trúng|trúng thưởng|premyo|इनाम|inaam|انعام|পুরস্কার|பரிசு|బహుమతి|រង្វាន់|
当選|당첨|中奖|中獎|
you have won|you've won|you won|you are a winner|you're a winner|winner|congratulations you|congrats you|
claim your|claim now|to claim|claim it|claim the|cash prize|prize draw|free prize|guaranteed prize|unclaimed prize|
you have been selected|you've been selected|selected to receive|free entry|free gift|free iphone|free voucher|
gift card|cash reward|reward points|call now|call free|call this number|text stop|txt stop|reply stop|send stop|
reply yes|reply win|txt to|text to|per msg|per min|ringtone|final notice|final attempt|your account has been|
account suspended|account will be suspended|account has been locked|verify your account|confirm your details|
update your details|update your information|delivery attempt|your parcel|your package|redelivery|customs fee|
click here|click the link|click below|click this link|tap the link|visit my|check out my|check my channel|
check out this|subscribe to my|sub to my|subscribe my channel|subscribe to me|my channel|sub4sub|follow me|
follow back|follow for follow|like and subscribe|please subscribe|please like|make money online|earn money online|
work from home|loan approved|instant loan|no collateral|
selamat anda|anda mendapatkan|anda terpilih|mendapatkan hadiah|memenangkan|pemenang|undian|cek tunai|
klaim hadiah|info hub|info hubungi|info lengkap hubungi|hubungi kami|kunjungi|klik link|klik disini|klik di sini|
kode verifikasi|kode otp|minta pulsa|kirim pulsa|tolong transfer|transfer ke rek|nomor rekening|rekening baru|
pinjaman tanpa jaminan|dana cair|tanpa agunan|cair cepat|pinjaman online|
tahniah anda|anda telah memenangi|memenangi|cabutan bertuah|tuntut hadiah|baucar percuma|hadiah percuma|
ยินดีด้วยคุณได้รับ|คุณได้รับรางวัล|ถูกรางวัล|รับรางวัล|รับฟรี|ของรางวัล|คลิกลิงก์|กดลิงก์|เงินกู้ด่วน|อนุมัติไว|ไม่ต้องค้ำ|
chúc mừng bạn|bạn đã trúng|trúng thưởng|nhận thưởng|quà tặng miễn phí|nhận ngay|bấm vào link|bấm vào đường link|
truy cập link|vay tiền nhanh|giải ngân nhanh|
nanalo ka|ikaw ay nanalo|napili ka|premyo|i-claim|i-click|pindutin ang link|pautang agad|mag-subscribe|i-follow|
बधाई हो आपने|आपने जीता|आप जीत गए|इनाम जीता|लॉटरी|क्लिक करें|लिंक पर क्लिक|तुरंत लोन|सब्सक्राइब करें|
aapne jeeta|aap jeet gaye|inaam jeeta|lottery laga|link pe click|click karein|subscribe karo|
آپ نے جیتا|انعام جیتا|لاٹری|کلک کریں|
আপনি জিতেছেন|পুরস্কার জিতেছেন|লটারি|ক্লিক করুন|நீங்கள் வென்றீர்கள்|பரிசு வென்றீர்கள்|கிளிக் செய்யவும்|
మీరు గెలిచారు|బహుమతి గెలిచారు|క్లిక్ చేయండి|ဆုကြီးပေါက်|ဆုရရှိ|ឈ្នះរង្វាន់|ទទួលរង្វាន់|
当選しました|ご当選|当選者|受け取りはこちら|こちらをクリック|再配達|不在通知|アカウントが停止|本人確認|
당첨되셨|당첨되었|경품|지금 신청|클릭하세요|구독 부탁|택배 조회|본인 확인|
中奖|恭喜您|恭喜你获得|领取奖品|领取|点击链接|点击领取|奖品|红包|加微信|免费领取|订阅我的
"""
UNITS = {
    "day": "day|days|daily|hari|harian|sehari|ngày|วัน|日|天|일|araw|din|roz|rozana|दिन|रोज़|रोज|দিন",
    "week": "week|weeks|weekly|minggu|mingguan|tuần|สัปดาห์|周|週|주|linggo|hafta|हफ्ते|সপ্তাহ",
    "month": "month|months|monthly|bulan|bulanan|tháng|เดือน|月|달|buwan|mahina|mahine|महीने|মাস",
}
_UNIT_OF = {w: unit for unit, words in UNITS.items() for w in words.split("|")}
_UNIT_RE = "|".join(sorted(_UNIT_OF, key=len, reverse=True))
_RATE_WORDS = (
    r"(?:profit|return|returns|roi|interest|bunga|untung|keuntungan|lãi|lợi nhuận|กำไร|收益|利息|수익|munafa|kita)"
)
_EACH = r"(?:per|/|a|an|each|every|setiap|tiap|mỗi|kada|bawat|प्रति|har|ต่อ|每|一)"
RATE_RE = re.compile(
    rf"(?<![\d.,])(\d{{1,3}}(?:[.,]\d{{1,2}})?)\s*%\s*(?:{_RATE_WORDS}\s*)?(?:{_EACH}\s*)?({_UNIT_RE})(?![^\W\d_])(?!\s*(?:ini|nay|này|นี้))",
    re.IGNORECASE,
)
DISCOUNT_RE = re.compile(
    r"(?:diskon|disc|discount|off|sale|giảm|ลด|折|할인|cashback|potongan|promo|छूट|bawas|tax|pajak|vat|thuế)\W{0,3}\Z"
)
PREFIXES = {
    "day": "daily|per day|a day|sehari|per hari|setiap hari|tiap hari|mỗi ngày|hàng ngày|วันละ|ทุกวัน|每天|每日|日利|日赚|"
    "매일|하루|araw-araw|kada araw|rozana|प्रतिदिन|रोज़ाना",
    "week": "weekly|per week|setiap minggu|mỗi tuần|每周|每週|週利|매주",
    "month": "monthly|per month|sebulan|per bulan|setiap bulan|mỗi tháng|เดือนละ|每月|月利|매달|매월",
}
_PREFIX_OF = {w: unit for unit, words in PREFIXES.items() for w in words.split("|")}
PREFIX_RATE_RE = re.compile(
    "(" + "|".join(re.escape(w) for w in sorted(_PREFIX_OF, key=len, reverse=True)) + rf")\s*(?:{_RATE_WORDS}\s*)?"
    r"[:：]?\s*(?:up to|hingga|sampai|đến|ถึง)?\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%",
    re.IGNORECASE,
)
MULTIPLY_RE = re.compile(
    r"(?<![\w])(?:x\s?(\d{1,3})|(\d{1,3})\s?x)\s*(?:in|dalam|trong|ใน|में|sa loob ng)\s*(\d{1,3})\s*"
    r"(hours?|hrs?|jam|giờ|ชั่วโมง|घंटे|oras|days?|hari|ngày|วัน|दिन|araw)(?![^\W\d_])",
    re.IGNORECASE,
)
_X_GATE = re.compile(r"x\s?\d|\d\s?x")
_HOURS = {"hour", "hours", "hr", "hrs", "jam", "giờ", "ชั่วโมง", "घंटे", "oras"}


def _is_latin(phrase: str) -> bool:
    return all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF for c in phrase)


def split_phrases(block: str) -> list[str]:
    """A `|`-separated phrase block as a list (newlines ignored)."""
    return [p for p in block.replace("\n", "").split("|") if p.strip()]


class PhraseSet:
    """Labelled phrases matched in one pass: Latin phrases as whole words, other scripts as substrings.

    All phrase lists go into two factored regexes (Latin, other scripts); the other scripts' regex
    runs only on texts that are not pure ASCII.

    >>> ps = PhraseSet({"urgency": ["act now", "限时"], "returns": ["act now", "稳赚"]})
    >>> ps.find("react now? act now! 限时")
    [(11, 'returns', 'act now'), (11, 'urgency', 'act now'), (20, 'urgency', '限时')]
    """

    def __init__(self, groups: dict[str, list[str]]):
        self.labels: dict[str, list[str]] = {}
        for label, phrases in groups.items():
            for p in phrases:
                key = " ".join(p.casefold().split())
                if key and label not in self.labels.setdefault(key, []):
                    self.labels[key].append(label)
        latin = sorted(p for p in self.labels if _is_latin(p))
        other = sorted(p for p in self.labels if not _is_latin(p))
        self.latin_re = re.compile(r"(?<!\w)" + trie_pattern(latin, space=r"\s*") + r"(?!\w)") if latin else None
        self.other_re = re.compile(trie_pattern(other, space=r"\s*")) if other else None

    def any(self, folded: str) -> bool:
        """True when some phrase occurs in a case-folded text (one regex search, nothing collected).

        >>> PhraseSet({"x": ["still waiting", "没"]}).any("still here"), PhraseSet({"x": ["没"]}).any("还没到")
        (False, True)
        """
        if self.latin_re is not None and self.latin_re.search(folded):
            return True
        return self.other_re is not None and not folded.isascii() and self.other_re.search(folded) is not None

    def spans(self, folded: str) -> list[tuple[int, int, str, str]]:
        """(start, end, label, phrase) for every phrase in a case-folded text, by position then label.

        >>> PhraseSet({"wait": ["still waiting"], "neg": ["没"]}).spans("still  waiting 没")
        [(0, 14, 'wait', 'still waiting'), (15, 16, 'neg', '没')]
        """
        matches: list[re.Match] = []
        if self.latin_re is not None:
            matches.extend(self.latin_re.finditer(folded))
        if self.other_re is not None and not folded.isascii():
            matches.extend(self.other_re.finditer(folded))
        out = []
        for m in matches:
            phrase = " ".join(m.group().split())
            labels = self.labels.get(phrase) or self._unspaced_labels().get(phrase, ())
            out.extend((m.start(), m.end(), label, phrase) for label in labels)
        out.sort()
        return out

    def _unspaced_labels(self) -> dict[str, list[str]]:
        """Labels of non-Latin phrases by their space-free form (the regex lets their spaces be left out)."""
        memo = self.__dict__.get("_nospace")
        if memo is None:
            memo = self.__dict__["_nospace"] = {
                p.replace(" ", ""): v for p, v in self.labels.items() if " " in p and not _is_latin(p)
            }
        return memo

    def find(self, folded: str) -> list[tuple[int, str, str]]:
        """(start, label, phrase) for every phrase in a case-folded text, by position then label."""
        matches: list[re.Match] = []
        if self.latin_re is not None:
            matches.extend(self.latin_re.finditer(folded))
        if self.other_re is not None and not folded.isascii():
            matches.extend(self.other_re.finditer(folded))
        out = []
        for m in matches:
            phrase = " ".join(m.group().split())
            out.extend((m.start(), label, phrase) for label in self.labels.get(phrase, ()))
        out.sort()
        return out


CUES = PhraseSet({"returns": split_phrases(RETURNS), "urgency": split_phrases(URGENCY), "lure": split_phrases(LURE)})
"""The built-in cue phrases (the indicator stage builds a larger set with investment words and the watch list)."""


def _rate(number: str, unit: str) -> str:
    return f"{number.replace(',', '.')}%/{_UNIT_OF.get(unit.casefold(), unit)}"


SHORTCODE_RE = re.compile(r"\b(?:txt|text|send|reply|sms)\s+[\w&'-]{1,12}\s+(?:to|2)\s+(\d{4,6})\b")
"""Premium SMS short codes: "text WIN to 87121", "send STOP to 69669"."""
PREMIUM_RE = re.compile(r"(?<![\w.£$])(\d{2,3}(?:\.\d\d)?)p(?:/|\s?per\s|\s?pm\b|\s?msg|\b)")
"""Premium-rate prices in pence: "150p", "25p/msg"."""


def find_lure(text: str, folded: str | None = None, hits: list[tuple[int, str, str]] | None = None) -> list[str]:
    """Lures and calls to action of prize, phishing, loan and comment spam ("you have won", "claim your",
    "selamat anda", "subscribe to my", "中奖").

    >>> find_lure("WINNER!! You have won a cash prize, claim your reward: call now")
    ['winner', 'you have won', 'cash prize', 'claim your', 'reward', 'call now']
    >>> find_lure("Text WIN to 87121, 150p/msg")
    ['win', 'shortcode 87121', 'premium 150p']
    """
    folded = folded if folded is not None else text.casefold()
    hits = hits if hits is not None else CUES.find(folded)
    found = [phrase for _, label, phrase in hits if label == "lure"]
    if any(c.isdigit() for c in folded):
        found += [f"shortcode {m.group(1)}" for m in SHORTCODE_RE.finditer(folded)]
        found += [f"premium {m.group(1)}p" for m in PREMIUM_RE.finditer(folded)]
    return list(dict.fromkeys(found))


def find_returns(text: str, folded: str | None = None, hits: list[tuple[int, str, str]] | None = None) -> list[str]:
    """Promises of returns: phrases, and rates per day / week / month (`30%/day`).

    `hits` are `PhraseSet.find` results of the same text, when the caller has them already.
    """
    folded = folded if folded is not None else text.casefold()
    hits = hits if hits is not None else CUES.find(folded)
    found = [(start, phrase) for start, label, phrase in hits if label == "returns"]
    if "%" in folded:
        found += [
            (m.start(), _rate(m.group(1), m.group(2)))
            for m in RATE_RE.finditer(folded)
            if not DISCOUNT_RE.search(folded, max(0, m.start() - 14), m.start())
        ]
        found += [(m.start(), _rate(m.group(2), _PREFIX_OF[m.group(1)])) for m in PREFIX_RATE_RE.finditer(folded)]
    if "x" in folded and _X_GATE.search(folded):
        for m in MULTIPLY_RE.finditer(folded):
            unit = "h" if m.group(4) in _HOURS else "d"
            found.append((m.start(), f"x{m.group(1) or m.group(2)}/{m.group(3)}{unit}"))
    return list(dict.fromkeys(v for _, v in sorted(found, key=lambda x: x[0])))


def find_urgency(text: str, folded: str | None = None, hits: list[tuple[int, str, str]] | None = None) -> list[str]:
    """Urgency and secrecy cues as found (case-folded, spaces collapsed)."""
    folded = folded if folded is not None else text.casefold()
    hits = hits if hits is not None else CUES.find(folded)
    return list(dict.fromkeys(phrase for _, label, phrase in hits if label == "urgency"))
