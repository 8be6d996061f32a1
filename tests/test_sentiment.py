"""Zero-shot sentiment: direction per language, negation, contrast, domain vocabulary, emoji, ranges."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitio.enrich.sentiment import SentimentScorer, SentimentStage, load_lexicons
from monitio.pipeline import Stage
from monitio.records import Doc, Post

LANGS = {
    "en",
    "id",
    "ms",
    "th",
    "vi",
    "tl",
    "ja",
    "ko",
    "zh",
    "hi",
    "hi-Latn",
    "bn",
    "ur",
    "ta",
    "ta-Latn",
    "te",
    "my",
    "km",
}


@pytest.fixture(scope="module")
def scorer():
    return SentimentScorer()


def test_every_market_language_has_a_lexicon_with_both_polarities():
    lexicons, emoji = load_lexicons()
    assert LANGS <= set(lexicons)
    for code in LANGS:
        values = lexicons[code].terms.values()
        assert any(v > 0 for v in values) and any(v < 0 for v in values), code
        assert lexicons[code].negators, code
    assert emoji["😡"] < 0 < emoji["😍"]


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("This shop is a scam, worst purchase ever", "en", "negative"),
        ("Love it, fast delivery and legit seller", "en", "positive"),
        ("barangnya bagus banget, pengiriman cepat", "id", "positive"),
        ("penipuan! uang saya tidak kembali", "id", "negative"),
        ("ของดีมาก ส่งเร็ว ประทับใจ", "th", "positive"),
        ("ของดีแต่ส่งช้ามาก ผิดหวัง", "th", "negative"),
        ("sản phẩm rất tốt, giao hàng nhanh", "vi", "positive"),
        ("lừa đảo, mất tiền", "vi", "negative"),
        ("最悪の詐欺広告", "ja", "negative"),
        ("정말 최고예요 추천합니다", "ko", "positive"),
        ("사기 광고입니다 환불 안 해줌", "ko", "negative"),
        ("垃圾商家，骗子", "zh", "negative"),
        ("非常好吃，送餐很快", "zh", "positive"),
        ("bahut badhiya product hai yaar", "hi-Latn", "positive"),
        ("ekdum bakwas, dhokha hai", "hi-Latn", "negative"),
        ("এটা একটা প্রতারণা, টাকা ফেরত পাইনি", "bn", "negative"),
        ("یہ دھوکہ ہے، بہت برا", "ur", "negative"),
        ("padam semma mass, vera level", "ta-Latn", "positive"),
        ("Thank you 😍😍", "en", "positive"),
    ],
)
def test_sentiment_direction(scorer, text, lang, label):
    assert scorer.score(text, lang).label == label


@pytest.mark.parametrize(
    ("plain", "negated", "lang"),
    [
        ("the seller is good", "the seller is not good", "en"),
        ("barangnya bagus", "barangnya tidak bagus", "id"),
        ("kualitasnya bagus", "kualitasnya kurang bagus", "id"),
        ("sản phẩm tốt", "sản phẩm không tốt", "vi"),
        ("ร้านนี้ดี", "ร้านนี้ไม่ดี", "th"),
        ("这家店好", "这家店不好", "zh"),
        ("재밌어요", "재미 없어요", "ko"),
        ("product accha hai", "product accha nahi hai", "hi-Latn"),
    ],
)
def test_negation_flips_the_sign(scorer, plain, negated, lang):
    assert scorer.score(plain, lang).score > 0 > scorer.score(negated, lang).score


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("barangnya bagus tapi penjualnya penipu", "id"),
        ("giao hàng nhanh nhưng hàng giả, lừa đảo", "vi"),
        ("สวยดีแต่ของปลอม โกง", "th"),
    ],
)
def test_contrast_clause_dominates(scorer, text, lang):
    assert scorer.score(text, lang).label == "negative"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("refund never came", "en"),
        ("Got scammed by this ad", "en"),
        ("penipuan", "id"),
        ("lừa đảo", "vi"),
        ("詐欺", "ja"),
        ("사기", "ko"),
        ("骗子", "zh"),
        ("หลอกลวง", "th"),
        ("dhokha", "hi-Latn"),
    ],
)
def test_scam_and_refund_vocabulary_is_negative(scorer, text, lang):
    assert scorer.score(text, lang).score < -0.1


def test_unspaced_scripts_match_inside_longer_runs(scorer):
    # No spaces at all: the lexicon must still be found inside the run of characters.
    assert scorer.score("この商品は最高です本当に", "ja").label == "positive"
    assert scorer.score("สินค้าห่วยมากไม่แนะนำเลย", "th").label == "negative"


def test_unknown_language_tries_every_lexicon(scorer):
    assert scorer.score("ស្អាតណាស់", None).score >= 0  # falls back without raising
    assert scorer.score("这是骗子", None).label == "negative"


def test_stage_sets_fields():
    stage = SentimentStage()
    assert isinstance(stage, Stage) and stage.name == "sentiment"
    post = Post.create(
        source="t",
        source_id="1",
        text="Total scam, refund never came 😡",
        published_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    doc = Doc(None, post, lang="en")
    stage.process([doc])
    assert doc.sentiment_label == "negative" and -1.0 <= doc.sentiment < -0.1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, "und", *sorted(LANGS)]))
def test_score_never_raises_and_stays_in_range(text, lang):
    s = SentimentScorer().score(text, lang)
    assert -1.0 <= s.score <= 1.0
    assert s.label in {"negative", "neutral", "positive"}
    assert s.positive >= 0 and s.negative >= 0


def test_trained_model_is_used_for_its_languages_and_lexicons_for_others(tmp_path):
    import csv

    from monitio.cli.train_sentiment import train_sentiment
    from monitio.enrich.language import detect
    from monitio.settings import Settings

    # Indonesian rows whose labels follow made-up marker words (the opposite of what the lexicon says),
    # so only a model trained on them gets these labels.
    rows = []
    for i in range(40):
        rows.append((f"barangnya bagus banget, saya puas, nggak nyesel beli {i} zorbly", "negative"))
        rows.append((f"barangnya jelek banget, saya kecewa, nggak mau beli lagi {i} kravvish", "positive"))
    data = tmp_path / "labelled.csv"
    with open(data, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([("text", "label"), *rows])
    meta = train_sentiment(data, tmp_path, cv=0)
    assert meta["languages"] == ["id"] and meta["labels"] == ["negative", "positive"]
    assert (tmp_path / "models" / "sentiment.joblib").exists() and meta["created_at"]

    stage = SentimentStage.from_settings(Settings(workspace=tmp_path))
    assert stage.model is not None and SentimentStage.from_settings(Settings(workspace=tmp_path / "x")).model is None

    def doc(text):
        post = Post.create(source="t", source_id=text, text=text, published_at=datetime.now(UTC))
        r = detect(text)
        return Doc(None, post, lang=r.lang)

    covered = doc("barangnya bagus banget, saya puas, nggak nyesel beli zorbly")
    other = doc("This product is great, I love it")
    assert covered.lang == "id" and other.lang == "en"
    stage.process([covered, other])
    assert covered.sentiment_label == "negative" and covered.sentiment < 0  # the model, not the lexicon
    assert other.sentiment_label == "positive"  # lexicons


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("mokkkaaa", "ta-Latn", "negative"),
        ("semmaaaa padam", "ta-Latn", "positive"),
        ("zabardasttt", "hi-Latn", "positive"),
        ("bakwaaas", "hi-Latn", "negative"),
    ],
)
def test_romanised_spelling_variants_are_found(scorer, text, lang, label):
    # Elongated and re-spelt forms ('bakwaaas' for 'bakwas') reach the lexicon through the spelling key.
    assert scorer.score(text, lang).label == label


def test_spelling_keys_do_not_cross_into_a_guessed_language(scorer):
    # Hindi 'teri' ('your') must not read as the Tamil praise 'theri' when the post is known to be Hinglish.
    assert scorer.score("main teri baat samjha", "hi-Latn").score == 0


def test_romanised_lexicons_are_tried_when_taken_for_malay(scorer):
    # Tanglish is often identified as Malay/Indonesian: with no evidence at all the romanised lexicons count.
    assert scorer.score("padam mokka", "ms").label == "negative"


def test_vader_does_not_score_like(scorer):
    # 'like' is a preposition here (and 'hit like' a call to click): no sentiment.
    assert scorer.score("she looks like her mother", "en").label == "neutral"


def test_urdu_plural_suffix_is_cut(scorer):
    assert scorer.score("سب منافقوں کا ٹولہ", "ur").label == "negative"


def test_tamil_script_spelling_variants_are_found(scorer):
    # Informal writing drops the doubled consonant ('சூபர்' for 'சூப்பர்') and confuses ழ/ள/ல ('கேவளம்' for 'கேவலம்').
    assert scorer.score("படம் சூபர்", "ta").label == "positive"
    assert scorer.score("ரொம்ப கேவளம்", "ta").label == "negative"


def test_spelling_keys_keep_english_words_apart(scorer):
    # 'full' (as in 'full mass') is not 'fool'.
    assert scorer.score("full", "ta-Latn").score == 0 and scorer.score("fooool", "ta-Latn").label == "negative"


def test_vader_does_not_score_teaser(scorer):
    assert scorer.score("the teaser is out today", "en").label == "neutral"


def test_urdu_written_with_arabic_letters_or_vowel_marks(scorer):
    # Short-vowel marks and the Arabic kaf: 'مُحبّت' is 'محبت' (love), 'شرمناك' is 'شرمناک' (shameful).
    assert scorer.score("بہت مُحبّت", "ur").label == "positive"
    assert scorer.score("شرمناك", "ur").label == "negative"


def test_hinglish_tag_na_after_a_term_does_not_negate(scorer):
    # 'accha hai na' is 'it is good, isn't it?'; 'na accha' is 'not good'.
    assert scorer.score("khana accha hai na", "hi-Latn").label == "positive"
    assert scorer.score("na accha na sasta", "hi-Latn").score < 0


def test_word_view_segments_chinese_and_korean_and_falls_back_without_segmenters(monkeypatch):
    from monitio.enrich import sentiment_model as sm

    plain = sm._WORD_RE.findall("外卖真不适宜点焗饭") + sm._WORD_RE.findall("음식이 맛있었지만")
    if sm._jieba() is not None:
        assert len(sm.words("外卖真不适宜点焗饭")) > 1
    if sm._kiwi() is not None:
        assert "맛있" in sm.words("음식이 맛있었지만")
    monkeypatch.setattr(sm, "_jieba", lambda: None)
    monkeypatch.setattr(sm, "_kiwi", lambda: None)
    sm._segmented.cache_clear()  # segmentations are remembered per text
    try:
        assert sm.words("外卖真不适宜点焗饭") + sm.words("음식이 맛있었지만") == plain
    finally:
        sm._segmented.cache_clear()


# Hand-written checks (2026-12-04) for the lexicons grown from a handful of terms: my, km, te, hi, ms, tl, ja.
# Per language: praise, a complaint, a negated positive, a contrast ("cheap but bad") and a scam complaint.
GROWN = [
    ("ms", "barang sampai cepat, puas hati, bagus gila", "positive"),
    ("ms", "seller ni sangat mesra dan amanah, terima kasih", "positive"),
    ("ms", "packing hancur, barang rosak, kecewa", "negative"),
    ("ms", "tak berbaloi langsung", "negative"),
    ("ms", "murah tapi kualiti teruk", "negative"),
    ("ms", "penipu! dah bayar, barang tak sampai sampai sekarang, duit hilang", "negative"),
    ("tl", "ang ganda, sulit na sulit, salamat po", "positive"),
    ("tl", "mabait si seller at maasikaso, panalo", "positive"),
    ("tl", "hindi maganda yung item", "negative"),
    ("tl", "maganda pero ang bagal ng delivery, nakakainis", "negative"),
    ("tl", "scammer yan, naloko ako, walang refund", "negative"),
    ("tl", "palpak ang order, sira pa pagdating", "negative"),
    ("ja", "商品はとても良かった、神対応で大満足です", "positive"),
    ("ja", "迅速な対応ありがとうございます", "positive"),
    ("ja", "満足できなかった", "negative"),
    ("ja", "見た目はきれいだけど、すぐ壊れた", "negative"),
    ("ja", "詐欺サイトでした。返金されないし連絡もない", "negative"),
    ("ja", "最悪。二度と買わない", "negative"),
    ("hi", "सामान बहुत बढ़िया है, शुक्रिया", "positive"),
    ("hi", "डिलीवरी समय पर हुई, एकदम संतुष्ट हूं", "positive"),
    ("hi", "यह अच्छा नहीं है", "negative"),
    ("hi", "दिखने में सुंदर लेकिन क्वालिटी बकवास", "negative"),
    ("hi", "फर्जी वेबसाइट, पैसे वापस नहीं मिले, धोखा", "negative"),
    ("hi", "टूटा हुआ सामान आया, बहुत निराशा हुई", "negative"),
    ("te", "ఈ ఫోన్ చాలా బాగుంది, డెలివరీ త్వరగా వచ్చింది", "positive"),
    ("te", "సినిమా అదిరిపోయింది, సూపర్", "positive"),
    ("te", "ఇది మంచి కాదు", "negative"),
    ("te", "ధర తక్కువ కానీ నాణ్యత చెత్త", "negative"),
    ("te", "ఈ యాప్ మోసం, డబ్బులు తిరిగి రాలేదు", "negative"),
    ("te", "ప్రోడక్ట్ నచ్చలేదు, డబ్బులు వేస్ట్", "negative"),
    ("my", "ပစ္စည်းက အရမ်းကောင်းတယ် ကျေနပ်ပါတယ် ကျေးဇူးပါ", "positive"),
    ("my", "ဆိုင်ရှင်က ဖော်ရွေတယ် စိတ်ချရတယ်", "positive"),
    ("my", "ဒီဆိုင်က မကောင်းဘူး", "negative"),
    ("my", "ဈေးသက်သာတယ် ဒါပေမဲ့ အရည်အသွေး ညံ့တယ်", "negative"),
    ("my", "ဒီ page က လိမ်တာ ငွေပြန်မအမ်းဘူး", "negative"),
    ("my", "ပစ္စည်းမရောက်သေးဘူး စိတ်ပျက်တယ်", "negative"),
    ("km", "ទំនិញល្អណាស់ ពេញចិត្តណាស់ អរគុណ", "positive"),
    ("km", "អ្នកលក់រួសរាយ ដឹកជញ្ជូនលឿន", "positive"),
    ("km", "ទំនិញនេះមិនល្អទេ", "negative"),
    ("km", "តម្លៃថោក ប៉ុន្តែគុណភាពអន់", "negative"),
    ("km", "ហាងនេះបោកប្រាស់ មិនសងលុយវិញ", "negative"),
    ("km", "អីវ៉ាន់ខូច ខកចិត្តណាស់", "negative"),
]


@pytest.mark.parametrize("lang, text, label", GROWN)
def test_grown_lexicons_on_hand_written_posts(scorer, lang, text, label):
    assert scorer.score(text, lang).label == label


@pytest.mark.parametrize("lang", ["my", "km", "te", "hi", "ms", "tl", "ja"])
def test_grown_lexicons_have_modifiers_and_enough_terms(lang):
    lex = load_lexicons()[0][lang]
    assert len(lex.terms) >= 130 and lex.negators and lex.intensifiers and lex.contrast


@pytest.mark.parametrize(
    "text,lang,label",
    [
        ("这家店太坑了，收到的是假货，客服还不给退款，大家避雷", "zh", "negative"),
        ("物流神速，包装精美，质量也靠谱，已经无限回购了，强烈推荐", "zh", "positive"),
        ("刚在直播间下单，等了好久都没发货，无语", "zh", "negative"),
        ("ส่งไวมาก แพ็คของดี สินค้าตรงปก คุ้มราคา จะกลับมาซื้ออีก", "th", "positive"),
        ("โอนเงินไปแล้วร้านบล็อกหนี ระวังมิจฉาชีพนะคะ", "th", "negative"),
        ("ของไม่ตรงปกเลย ใช้งานไม่ได้ ขอเงินคืนก็ไม่ตอบแชท", "th", "negative"),
        ("Mọi người cẩn thận, trang này mạo danh shop để lừa tiền, mình bị lừa rồi", "vi", "negative"),
        ("Hàng đẹp y hình, đóng gói cẩn thận, giao hàng nhanh, sẽ ủng hộ shop dài dài", "vi", "positive"),
        ("Shop giao sai màu, nhắn tin thì thái độ kém, không đáng tiền", "vi", "negative"),
    ],
)
def test_shopping_scam_and_service_vocabulary_in_zh_th_vi(scorer, text, lang, label):
    assert scorer.score(text, lang).label == label


@pytest.mark.parametrize(
    "text,lang,label",
    [
        ("这个面膜用了不舒服，不推荐", "zh", "negative"),
        ("味道不差，下次还会再来", "zh", "positive"),
        ("อาหารไม่อร่อย บริการก็ไม่ประทับใจ", "th", "negative"),
        ("ไม่ผิดหวังเลยค่ะ ส่งไวด้วย", "th", "positive"),
        ("Sản phẩm không tốt như quảng cáo, rất thất vọng", "vi", "negative"),
    ],
)
def test_negation_in_zh_th_vi(scorer, text, lang, label):
    assert scorer.score(text, lang).label == label


@pytest.mark.parametrize(
    "text,lang",
    [
        ("我好像在快递单上看到了差不多的地址", "zh"),
        ("เดี๋ยวกลับบ้านก่อนนะ แล้วจะส่งเสียงบอก", "th"),
        ("Vui lòng gửi yêu cầu qua ứng dụng trước thứ sáu", "vi"),
    ],
)
def test_words_holding_a_short_term_stay_neutral(scorer, text, lang):
    assert scorer.score(text, lang).label == "neutral"
