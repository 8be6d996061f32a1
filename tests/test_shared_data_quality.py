"""Language ID and sentiment: script decisions, Malay vs Indonesian, romanised Hindi, negation, data sets."""


import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitio.enrich.language import LanguageIdentifier, detect
from monitio.enrich.sentiment import SentimentScorer
from monitio.eval.langid import eval_langid
from monitio.eval.sentiment import eval_sentiment


@pytest.mark.parametrize(
    ("text", "lang", "script"),
    [
        ("โฆษณานี้หลอกลวงมาก", "th", "Thai"),
        ("ការឆបោកតាមអនឡាញ", "km", "Khmr"),
        ("လိမ်လည်မှု သတိထားပါ", "my", "Mymr"),
        ("광고가 너무 많아요", "ko", "Hang"),
        ("この広告は詐欺です", "ja", "Jpan"),
        ("这个广告是骗人的", "zh", "Hani"),
        ("यह विज्ञापन धोखा है", "hi", "Deva"),
        ("এই বিজ্ঞাপন প্রতারণা", "bn", "Beng"),
        ("இது மோசடி விளம்பரம்", "ta", "Taml"),
        ("ఇది మోసం ప్రకటన", "te", "Telu"),
        ("یہ اشتہار دھوکہ ہے", "ur", "Arab"),
    ],
)
def test_script_decides(text, lang, script):
    r = detect(text)
    assert (r.lang, r.script) == (lang, script) and r.confidence > 0.5


def test_malay_and_indonesian_markers():
    assert detect("Saya tak boleh terima, duit belum masuk lagi kerana sistem rosak").lang == "ms"
    assert detect("Aku nggak bisa terima, uangnya belum masuk karena sistem error").lang == "id"


def test_romanised_hindi_and_code_mixing():
    r = detect("yaar ye ad bilkul fake hai, paise wapas nahi mile, this is so bad")
    assert r.lang == "hi-Latn" and "en" in r.mixed
    assert detect("Grabe, hindi dumating ang order ko and the seller is not replying").mixed == ("tl", "en")


def test_noise_only_is_unknown():
    assert detect("https://bit.ly/x @user 12345 🔥🔥").lang == "und"


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("This shop is a scam, worst purchase ever", "en", "negative"),
        ("Love it, fast delivery and legit seller", "en", "positive"),
        ("barangnya bagus banget, pengiriman cepat", "id", "positive"),
        ("barangnya tidak bagus", "id", "negative"),
        ("bagus sih tapi penipu, uang tidak kembali", "id", "negative"),
        ("ของดีแต่ส่งช้ามาก ผิดหวัง", "th", "negative"),
        ("sản phẩm rất tốt, giao hàng nhanh", "vi", "positive"),
        ("lừa đảo, mất tiền", "vi", "negative"),
        ("最悪の詐欺広告", "ja", "negative"),
        ("정말 최고예요 추천합니다", "ko", "positive"),
        ("垃圾商家，骗子", "zh", "negative"),
        ("bahut badhiya product hai yaar", "hi-Latn", "positive"),
        ("ekdum bakwas, dhokha hai", "hi-Latn", "negative"),
        ("Thank you 😍😍", "en", "positive"),
    ],
)
def test_sentiment_direction(text, lang, label):
    assert SentimentScorer().score(text, lang).label == label


@given(st.text(max_size=200))
def test_scores_stay_in_range_for_any_text(text):
    s = SentimentScorer().score(text, None)
    assert -1.0 <= s.score <= 1.0 and s.label in {"negative", "neutral", "positive"}
    assert LanguageIdentifier().detect_many([text])[0].lang


CHANCE = {"sentiment-ko": 0.5, "sentiment-zh": 0.5, "sentiment-ur": 0.5, "sentiment-ta-codemix": 0.25}


@pytest.mark.slow
def test_zero_shot_sentiment_beats_chance_on_every_shared_set(shared_data):
    sets = sorted(p for p in shared_data.glob("sentiment-*/data.csv"))
    assert len(sets) >= 10
    for path in sets:
        report = eval_sentiment(path)
        chance = CHANCE.get(path.parent.name, 1 / 3)
        assert report["macro_f1"] > chance + 0.01, (path.parent.name, report["macro_f1"])


def test_language_id_on_the_shared_set(shared_data):
    report = eval_langid(shared_data / "langid" / "data.csv")
    assert report["accuracy"] >= 0.92
    for lang in ("th", "my", "km", "ja", "ko", "zh", "hi", "bn", "ta", "te"):
        assert report["per_class"][lang]["recall"] >= 0.97, lang
