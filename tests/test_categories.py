"""The category stage on idiomatic posts: every required category in every required language."""

from datetime import UTC, datetime

import pytest

from monitio.enrich.categories import CategoryStage, match_text, taxonomy_path
from monitio.records import Doc, Post
from monitio.settings import Settings
from monitio.taxonomy.loader import load_taxonomy, parse_taxonomy_text

POSTS = {
    "scam_ads": {
        "en": "Reported this sponsored post, it's a crypto scam promising guaranteed returns",
        "id": "Hati-hati, iklan ini investasi bodong, katanya dijamin untung 10% sehari",
        "ms": "Jangan percaya, iklan ni skim cepat kaya, ramai dah kena scam",
        "th": "โฆษณานี้หลอกลงทุนชัดๆ อย่าทักไลน์ไปนะ มิจฉาชีพทั้งนั้น",
        "vi": "Quảng cáo lừa đảo đầu tư, hứa lợi nhuận cao rồi bắt kết bạn zalo",
        "tl": "Grabe na-scam ako sa ad na ito, garantisadong kita daw",
        "hi": "यह विज्ञापन साफ़ धोखाधड़ी है, पैसे डबल करने का झांसा",
        "hi-Latn": "bhai ye ad pura fraud hai, paisa double ka jhansa de rahe",
        "ja": "また投資詐欺の広告。必ず儲かるとか言ってLINEに誘導してくる",
        "ko": "유튜브에 또 투자사기 광고 뜸. 원금 보장이라면서 리딩방 들어오래",
        "zh": "又刷到诈骗广告了，说稳赚不赔还要加微信，大家别上当",
    },
    "deepfake_impersonation": {
        "en": "That ad is a deepfake of the finance minister, he never endorsed this app",
        "id": "Video itu deepfake, pakai wajah artis buat jualan obat",
        "ms": "Ni video palsu, guna muka selebriti untuk promosi pelaburan",
        "th": "คลิปปลอมใช้ใบหน้าดาราแอบอ้างขายของ อย่าหลงเชื่อ",
        "vi": "Video giả mạo danh ca sĩ nổi tiếng để bán thuốc",
        "tl": "Deepfake yan, ginamit ang mukha ni Vice para mag-promote",
        "hi": "यह डीपफेक है, अभिनेता का फर्जी वीडियो बनाकर प्रचार",
        "hi-Latn": "ye nakli video hai, actor ka chehra laga ke ad banaya",
        "ja": "有名人のなりすまし広告、ディープフェイク動画でひどい",
        "ko": "연예인 사칭 광고 또 나왔네, 딥페이크 영상이라니",
        "zh": "这个广告用了AI换脸冒充明星，太可怕了",
    },
    "misleading_claims": {
        "en": "Total false advertising, the serum looks nothing like the before and after",
        "id": "Produknya tidak sesuai iklan, klaim palsu banget",
        "ms": "Barang tak sama macam iklan, testimoni palsu semua",
        "th": "สินค้าไม่ตรงปกเลย โฆษณาเกินจริงมาก",
        "vi": "Hàng không giống quảng cáo, quảng cáo sai sự thật",
        "tl": "Hindi tulad sa ad yung dumating, expectation vs reality talaga",
        "hi": "यह भ्रामक विज्ञापन है, चमत्कारी इलाज का झूठा दावा",
        "hi-Latn": "product ad jaisa nahi hai, jhootha dawa kiya",
        "ja": "完全に誇大広告、写真と違うし飲むだけで痩せるわけない",
        "ko": "이거 완전 과장광고네, 사진이랑 다르잖아",
        "zh": "虚假宣传，收到的东西货不对板",
    },
    "prohibited_products": {
        "en": "Why am I seeing a gambling ad for an online casino on my feed",
        "id": "Iklan judi online dan slot gacor di mana-mana, tolong ditindak",
        "ms": "Banyak iklan judi online sekarang, siap ada ubat tanpa lesen",
        "th": "เห็นโฆษณาเว็บพนันกับบุหรี่ไฟฟ้าเต็มไปหมด",
        "vi": "Toàn quảng cáo cá độ bóng đá với thuốc lá điện tử",
        "tl": "Ang daming ads ng online sugal at e-sabong dito",
        "hi": "हर जगह ऑनलाइन जुआ और सट्टा के विज्ञापन",
        "hi-Latn": "har video pe satta king aur betting app ke ads",
        "ja": "オンラインカジノの広告ばかり出てくる",
        "ko": "불법도박 광고가 계속 나와요",
        "zh": "到处都是网赌和高仿包的广告",
    },
    "shop_affiliate_fraud": {
        "en": "Fake shop! My order never came and the seller blocked me",
        "id": "Seller penipu, paket tidak sampai dan resinya palsu",
        "ms": "Seller tipu, parcel tak sampai dah dua minggu",
        "th": "ร้านโกง สั่งแล้วไม่ได้รับของ แม่ค้าบล็อกหนี",
        "vi": "Shop lừa đảo, đặt mãi mà không nhận được hàng",
        "tl": "Scam na seller, hindi dumating ang order ko",
        "hi": "नकली विक्रेता, ऑर्डर नहीं आया और पैसे भी गए",
        "hi-Latn": "order nahi aaya, fake seller tha yaar",
        "ja": "注文した商品が届かない。偽ショップだった",
        "ko": "사기 쇼핑몰이었어요, 물건이 안 와요",
        "zh": "付款一周了还没收到货，商家跑路了",
    },
    "creator_monetization_abuse": {
        "en": "He bought followers and fake views to get into the creator fund",
        "id": "Banyak yang beli followers biar dapat creator fund",
        "ms": "Ramai beli follower palsu untuk bayaran kreator",
        "th": "ช่องนี้ปั๊มยอดวิว ซื้อฟอลเพื่อรับเงิน",
        "vi": "Kênh này mua follow, view ảo để bật kiếm tiền",
        "tl": "Bumili ng followers yan kaya may creator payout",
        "hi": "इसने फर्जी फॉलोअर्स खरीदे और वीडियो चोरी किया",
        "hi-Latn": "isne followers kharide aur video chori kiya",
        "ja": "フォロワー購入と無断転載で収益化してる",
        "ko": "팔로워 구매에 영상 도용까지 하는 채널",
        "zh": "这个号买粉又搬运视频赚收益",
    },
    "live_gifting_abuse": {
        "en": "My kid spent $400 on TikTok coins during a live gift battle",
        "id": "Anak saya beli koin buat saweran live, habis uang buat gift",
        "ms": "Anak top up coin, habis duit beli gift untuk live",
        "th": "ลูกเติมเหรียญไปเปย์ไลฟ์หมดเงินกับไลฟ์เป็นหมื่น",
        "vi": "Con tôi nạp tiền để tặng quà livestream hết mấy triệu",
        "tl": "Naubos ang pera sa live, humihingi ng gift ang host",
        "hi": "बच्चे ने कॉइन खरीदकर लाइव गिफ्ट भेज दिए, लाइव में पैसे उड़ा दिए",
        "hi-Latn": "bacche ne coins kharid ke live me gift bhej diye",
        "ja": "子供が課金して投げ銭してた",
        "ko": "아이가 결제해서 별풍선을 쐈어요",
        "zh": "孩子偷偷直播打赏了好几万",
    },
    "ad_fraud_invalid_traffic": {
        "en": "So many bot clicks, budget drained with zero conversions",
        "id": "Klik palsu terus, saldo iklan habis tapi tidak ada konversi",
        "ms": "Klik palsu banyak, bajet iklan habis tiada jualan",
        "th": "คลิกปลอมเต็มไปหมด งบโฆษณาหมดแต่ไม่มีออเดอร์",
        "vi": "Toàn click ảo, chạy ads không ra đơn",
        "tl": "Puro fake clicks, ubos ang ad budget walang benta",
        "hi": "फर्जी क्लिक से विज्ञापन बजट खत्म हो गया",
        "hi-Latn": "bot clicks aa rahe, ad budget khatam aur sale nahi aa rahi",
        "ja": "不正クリックで広告費が溶けた",
        "ko": "부정클릭 때문에 광고비 낭비가 심해요",
        "zh": "全是无效流量，广告费白烧了",
    },
    "payments_refunds": {
        "en": "Still waiting for my refund after 3 weeks, I was charged twice",
        "id": "Refund belum masuk, uang tidak kembali sudah dua minggu",
        "ms": "Refund tak masuk lagi, kena caj dua kali",
        "th": "ยังไม่ได้เงินคืนเลย โดนตัดเงินซ้ำด้วย",
        "vi": "Đã 2 tuần mà chưa hoàn tiền, còn bị trừ tiền hai lần",
        "tl": "Wala pang refund hanggang ngayon, doble ang charge",
        "hi": "रिफंड नहीं मिला, दो बार पैसे कटे",
        "hi-Latn": "refund nahi mila abhi tak, paise kat gaye",
        "ja": "返金されないし二重請求までされた",
        "ko": "환불이 안 돼요, 이중 결제까지 됐어요",
        "zh": "退款一直不到账，还被重复扣款",
    },
    "advertiser_trust": {
        "en": "Our ad account was suspended with no reason and ads support never replies",
        "id": "Akun iklan diblokir tanpa alasan, cs iklan tidak membalas",
        "ms": "Akaun iklan digantung, support iklan tak balas langsung",
        "th": "บัญชีโฆษณาโดนแบนไม่มีเหตุผล ติดต่อซัพพอร์ตไม่ได้",
        "vi": "Tài khoản quảng cáo bị khóa oan, hỗ trợ không phản hồi",
        "tl": "Na-ban ang ad account namin, walang sagot ang support",
        "hi": "हमारा विज्ञापन खाता बंद कर दिया, सपोर्ट जवाब नहीं देता",
        "hi-Latn": "ad account ban ho gaya, support jawab nahi de raha",
        "ja": "広告アカウントが停止されたのにサポートが返事しない",
        "ko": "광고 계정 정지됐는데 고객센터 답변 없음",
        "zh": "广告账户被封了，客服不回复",
    },
    "regulatory_legal": {
        "en": "Consumer protection regulator fined the platform over scam ads",
        "id": "OJK dan Komdigi blokir aplikasi pinjol, satgas waspada investasi turun tangan",
        "ms": "MCMC sedang siasatan terhadap iklan judi, syarikat didenda",
        "th": "สคบ. สั่งปรับบริษัทที่โฆษณาเกินจริง",
        "vi": "Bộ Công Thương xử phạt sàn thương mại điện tử",
        "tl": "Kinasuhan na ng NBI ang mga scammer, may bagong batas pa",
        "hi": "सेबी ने जुर्माना लगाया और जांच शुरू की",
        "hi-Latn": "cyber cell mein fir darj karwayi, police ne pakda",
        "ja": "消費者庁が措置命令を出した",
        "ko": "공정위가 과징금을 부과했다",
        "zh": "市场监管总局对平台罚款并立案调查",
    },
    "privacy_targeting": {
        "en": "Creepy ads again, my phone is listening, how did they know",
        "id": "Data pribadi saya bocor, kebocoran data lagi",
        "ms": "Data peribadi bocor lagi, siapa jual data kita",
        "th": "ข้อมูลส่วนตัวรั่วอีกแล้ว มือถือแอบฟังแน่ๆ",
        "vi": "Lộ thông tin cá nhân, điện thoại nghe lén mình",
        "tl": "Nakikinig ang phone, paano nila nalaman yung usapan namin",
        "hi": "मेरा निजी डेटा लीक हो गया, बिना अनुमति इस्तेमाल",
        "hi-Latn": "phone sun raha hai, data leak ho gaya",
        "ja": "個人情報流出したし、スマホが盗み聞きしてる気がする",
        "ko": "개인정보 유출에 폰이 듣고 있는 것 같아",
        "zh": "个人信息泄露，手机偷听我说话",
    },
}
# Languages and the category added with the query-language taxonomy (format 2).
MORE_POSTS = {
    "spam_phishing": {
        "en": "sub4sub anyone? subscribe to my channel, free followers guaranteed",
        "id": "Selamat anda mendapatkan hadiah undian berhadiah, klik link untuk klaim",
        "ms": "Tahniah anda telah memenangi cabutan bertuah, tuntut hadiah sekarang",
        "th": "ยินดีด้วยคุณได้รับรางวัล กดรับรางวัลได้ที่ลิงก์นี้เลย",
        "vi": "Chúc mừng bạn đã trúng thưởng iPhone, gửi mã OTP để nhận quà",
        "tl": "Congrats nanalo ka ng premyo, ibigay ang OTP para ma-claim",
        "my": "ကံထူးရှင် ဖြစ်ပါတယ် လင့်ခ်ကိုနှိပ်ပြီး လက်ဆောင်ရယူပါ",
        "km": "អបអរសាទរ អ្នកឈ្នះរង្វាន់ សូមចុចតំណនេះ",
        "ja": "おめでとうございます！当選しました。リンクをクリックして賞品を受け取ってください",
        "ko": "고객님 경품 당첨되셨습니다 링크에서 수령하세요",
        "zh": "恭喜您中奖了，点击链接领取奖品",
        "hi": "बधाई हो आपने जीता है इनाम, लिंक पर क्लिक करें",
        "bn": "অভিনন্দন আপনি জিতেছেন, বিকাশ পিন দিন",
        "ur": "مبارک ہو آپ نے جیتا ہے انعام، لنک پر کلک کریں",
        "ta": "நீங்கள் வென்றுள்ளீர்கள் பரிசு, லிங்கை கிளிக் செய்யவும்",
        "te": "మీరు గెలుచుకున్నారు బహుమతి, లింక్ క్లిక్ చేయండి",
        "hi-Latn": "koi otp share karne ko bol raha tha, kyc update ke naam pe",
        "ur-Latn": "8171 se message aya ke paisay milenge, link par click karein",
    },
    "deepfake_impersonation": {
        "my": "ဒီဗီဒီယိုအတုက နာမည်ကြီးကို အယောင်ဆောင်ထားတာ",
        "km": "វីដេអូក្លែងក្លាយនេះ ក្លែងខ្លួនជាតារា",
        "te": "ఆ సెలబ్రిటీ డీప్ఫేక్ వీడియో నమ్మకండి",
        "ur-Latn": "ye jaali video hai, unka naam pe fraud ho raha hai",
    },
    "misleading_claims": {
        "ta": "இது பொய்யான விளம்பரம், அதிசய மருந்து எதுவும் இல்லை",
        "te": "ఇది తప్పుడు ప్రకటన, అద్భుత ఔషధం అని చెప్తున్నారు",
        "ur": "یہ گمراہ کن اشتہار ہے، تصویر جیسا نہیں",
        "my": "ဒီကြော်ငြာက လိမ်တာ ပစ္စည်းက ပုံနဲ့မတူဘူး",
    },
    "shop_affiliate_fraud": {
        "km": "ហាងបោក ខ្ញុំមិនបានទទួលឥវ៉ាន់ទេ",
        "ta": "போலி கடை, ஆர்டர் வரவில்லை",
        "ur": "جعلی دکان ہے، آرڈر نہیں ملا",
    },
    "creator_monetization_abuse": {
        "te": "వాళ్ళు ఫాలోవర్స్ కొన్నారు, అందుకే అంత రీచ్",
        "ur-Latn": "is creator ne followers khareede hain, sab jaali likes",
    },
    "live_gifting_abuse": {
        "ur-Latn": "live pe har minute gift mangte rehte hain, bache ne coins khareed liye",
        "ta": "லைவ்ல கிஃப்ட் கேட்டு தொல்லை பண்றாங்க",
    },
    "ad_fraud_invalid_traffic": {
        "bn": "বুস্ট করলাম কিন্তু সেল নেই, সব বট ক্লিক",
        "te": "బాట్ క్లిక్స్ తో బడ్జెట్ అయిపోయింది",
    },
    "advertiser_trust": {
        "bn": "অ্যাড অ্যাকাউন্ট বন্ধ করে দিয়েছে, সাপোর্ট উত্তর দেয় না",
        "ur-Latn": "hamara ad account band kar diya, support jawab nahi de raha",
    },
    "regulatory_legal": {"my": "ဗဟိုဘဏ်က အွန်လိုင်းလောင်းကစားကို ပိတ်ပင်လိုက်ပြီ", "km": "ប៉ូលិសចាប់ខ្លួនក្រុមបោកប្រាស់ ក្រសួងព្រមាន"},
    "privacy_targeting": {"ur": "میرا ذاتی ڈیٹا لیک ہو گیا", "te": "నా వ్యక్తిగత సమాచారం లీక్ అయింది"},
}
CASES = [
    (cat, lang, text)
    for posts in (POSTS, MORE_POSTS)
    for cat, by_lang in posts.items()
    for lang, text in by_lang.items()
]


@pytest.mark.parametrize(("category", "lang", "text"), CASES, ids=[f"{c}-{lang}" for c, lang, _ in CASES])
def test_idiomatic_posts_match_their_category(category, lang, text):
    hits = match_text(text)
    assert category in hits, f"{lang}: {text!r} matched {sorted(hits)}"
    hit = hits[category]
    assert hit.terms and hit.weight == len(hit.terms)
    assert load_taxonomy().rule(hit.rule).category == category


def test_every_required_category_and_language_is_covered_by_the_posts():
    assert len(POSTS) == 12 and all(len(by_lang) == 11 for by_lang in POSTS.values())
    assert len(MORE_POSTS["spam_phishing"]) == 18


@pytest.mark.parametrize(
    "text",
    [
        "mama minta pulsa dulu ya, nanti diganti",
        "jangan kasih kode OTP ke siapa pun",
        "Please verify your account or your account will be suspended",
        "follow for follow? also free followers here",
        "Your parcel is on hold, click here to claim the package",
    ],
)
def test_comment_spam_and_phishing_lures(text):
    assert "spam_phishing" in match_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "I love this lipstick ad, so pretty",
        "iklan ini lucu banget",
        "I had scampi for dinner and a great time",
        "The adhesive was great, sponsored by nobody",
        "กินข้าวกันไหม วันนี้อากาศดีอีกแล้ว",
        "今日はいい天気ですね、散歩に行こう",
        "오늘 마약김밥 먹었는데 고소한 맛이 최고",
        "今天天气很好，我们去公园吧",
        "Hôm nay trời đẹp quá, đi cà phê không",
        "wait a sec, the NPC in this game is hilarious",
        "Great concert last night!",
    ],
)
def test_benign_posts_match_nothing(text):
    assert match_text(text) == {}


def test_word_boundaries_in_spaced_scripts():
    assert match_text("scampi") == {}
    assert match_text("SCAM-AD again") != {}  # hyphen separates words
    assert "scam_ads" in match_text("what a scam, this ad")
    assert "scam_ads" not in match_text("scamming adverts are not a thing here")  # no 'scam' word


def test_substring_matching_in_unspaced_scripts():
    assert match_text("เมื่อวานโดนหลอกลงทุนไปห้าพัน")["scam_ads"].terms == ["หลอกลงทุน", "โดนหลอก"]
    assert "scam_ads" in match_text("我朋友被骗了")
    assert "payments_refunds" in match_text("환불해주세요")  # Korean with an attached ending
    assert "scam_ads" in match_text("사기 광고") and "scam_ads" in match_text("사기광고")


def test_code_mixed_posts_find_every_language():
    hits = match_text("ad ini scam banget, 退款 juga belum masuk")
    assert {"scam_ads", "payments_refunds"} <= set(hits)
    assert match_text("เจอinvestment scamอีกแล้ว")["scam_ads"].terms == ["investment scam"]  # Latin inside Thai


def test_vietnamese_tones_are_significant():
    assert "scam_ads" in match_text("lừa đảo")
    assert "scam_ads" not in match_text("lua dao")


def test_not_terms_veto_their_rule():
    assert "scam_ads" in match_text("this ad is fake")
    assert "scam_ads" not in match_text("this ad is not a scam, it is fake news about a promo")


def test_near_pairs_need_the_words_close_together():
    assert "scam_ads" in match_text("that sponsored ad selling cheap phones is a total scam")
    far = "this ad was for a phone case and I liked the colours a lot, anyway the shop later turned out a scam"
    assert match_text(far).get("scam_ads") is None
    assert "advertiser_trust" in match_text("advertisers are frustrated")


def test_evidence_is_the_terms_as_found_in_the_text():
    hit = match_text("Penipuan! investasi bodong, DIJAMIN UNTUNG")["scam_ads"]
    assert hit.rule == "scam_ads.id" and hit.terms[:3] == ["penipuan", "investasi bodong", "dijamin untung"]
    assert match_text("line追加してって言われた")["scam_ads"].terms == ["line 追加"]
    assert match_text("사기꾼이 또 광고를")["scam_ads"].terms == ["사기꾼이"]  # Korean stems take particles


def _doc(text):
    return Doc(None, Post.create(source="s", source_id=text[:20], text=text, published_at=datetime.now(UTC)))


def test_stage_fills_categories_on_a_batch():
    stage = CategoryStage(load_taxonomy())
    docs = [_doc("Refund belum masuk"), _doc("what a lovely day")]
    stage.process(docs)
    assert stage.name == "categories"
    assert list(docs[0].categories) == ["payments_refunds"] and docs[1].categories == {}


def test_stage_passes_the_doc_so_rules_can_use_fields():
    tax = parse_taxonomy_text(
        "version: 2\ncategories:\n  x:\n    name: X\n    description: d\n    owner_team: Policy\n"
        "    default_severity: 5\n    playbook: [look]\n    rules:\n"
        "      - {id: x.id, lang: id, query: 'pulsa lang:id'}\n"
        "      - {id: x.any, lang: en, query: 'top NEAR/1 up -lang:id'}\n",
        "t.yaml",
    )
    stage = CategoryStage(tax)
    docs = [_doc("minta pulsa"), _doc("minta pulsa dong"), _doc("please top up"), _doc("top up dong")]
    docs[0].lang, docs[1].lang, docs[2].lang, docs[3].lang = "id", "ms", "en", "id"
    stage.process(docs)
    assert [sorted(h.rule for h in d.categories.values()) for d in docs] == [["x.id"], [], ["x.any"], []]
    assert stage.match_text("minta pulsa") == {}  # bare text has no language: field filters are false


def test_stage_from_settings_uses_the_workspace_taxonomy(tmp_path):
    (tmp_path / "t.yaml").write_text(
        "version: 2\ncategories:\n  x:\n    name: X\n    description: d\n    owner_team: Policy\n"
        "    default_severity: 5\n    playbook: [look]\n    rules:\n"
        "      - {id: x.en, lang: en, query: '\"foo bar\"'}\n",
        encoding="utf-8",
    )
    settings = Settings(workspace=tmp_path, taxonomy="t.yaml")
    assert taxonomy_path(settings) == tmp_path / "t.yaml"
    stage = CategoryStage.from_settings(settings)
    assert list(stage.taxonomy.categories) == ["x"]
    assert stage.match_text("FOO  bar!")["x"].terms == ["foo bar"]
    assert CategoryStage.from_settings(Settings(workspace=tmp_path)).taxonomy is load_taxonomy()


def test_old_keyword_taxonomy_files_keep_working(tmp_path):
    (tmp_path / "old.yaml").write_text(
        "version: 1\ncategories:\n  x:\n    name: X\n    description: d\n    owner_team: Policy\n"
        "    default_severity: 5\n    playbook: [look]\n    rules:\n      - {id: x.en, lang: en, any: [foo bar]}\n",
        encoding="utf-8",
    )
    stage = CategoryStage.from_settings(Settings(workspace=tmp_path, taxonomy="old.yaml"))
    assert stage.match_text("FOO  bar!")["x"].terms == ["foo bar"]
