"""Hindi (Devanagari), Hinglish, Urdu, Roman Urdu, Bengali and Tamil phrase banks."""

from __future__ import annotations

from monitio.demo.phrases import Bank

HI = Bank(
    lang="hi",
    latin=False,
    chatter=(
        "आख़िरकार {place} का {food} खा ही लिया, लाइन में लगना वसूल हो गया।",
        "कोई और भी {show} देख रहा है? रुक ही नहीं पा रहा।",
        "बारिश हो रही है, आज तो {food} बनना चाहिए।",
        "{creator} का नया वीडियो बहुत मज़ेदार है, {n} बार देख लिया।",
        "वीकेंड पर {place} जा रहे हैं, खाने की कोई अच्छी जगह बताओ।",
        "आज सुबह ट्रैफिक बहुत ज़्यादा था।",
        "महीना ख़त्म होने वाला है, समय कितनी जल्दी निकलता है।",
    ),
    risk={
        "scam_ads": (
            "फिर से फ्रॉड विज्ञापन, हर महीने {pct}% पक्का मुनाफ़ा बता रहे हैं। ये कैसे चल रहा है?",
            "इस धोखाधड़ी वाले विज्ञापन को {n} बार रिपोर्ट किया, फिर भी दिख रहा है।",
        ),
        "deepfake_impersonation": ("{celeb} का डीपफेक वीडियो निवेश का प्रचार कर रहा है, बिल्कुल असली लगता है।",),
        "misleading_claims": ("एक हफ़्ते में 10 किलो वज़न घटाने वाला विज्ञापन, पूरी तरह भ्रामक दावा है।",),
        "prohibited_products": ("ऑनलाइन सट्टे के विज्ञापन हर जगह हैं, क्या ये गैरकानूनी नहीं?",),
        "shop_affiliate_fraud": ("विज्ञापन वाली दुकान से ऑर्डर किया, नकली सामान आया और सेलर ने ब्लॉक कर दिया।",),
        "creator_monetization_abuse": ("ये चैनल दूसरों के वीडियो चुराकर डालता है और उनसे पैसे कमाता है।",),
        "live_gifting_abuse": ("लाइव में हर मिनट गिफ्ट माँगते रहते हैं, परेशान कर दिया।",),
        "ad_fraud_invalid_traffic": ("विज्ञापन पर क्लिक बहुत आए पर बिक्री ज़ीरो, ये बॉट वाले फर्जी क्लिक हैं।",),
        "payments_refunds": (
            "{days} दिन हो गए, रिफंड अभी तक नहीं आया।",
            "दो बार पैसे कट गए और रिफंड नहीं मिला।",
        ),
        "advertiser_trust": ("हमारा विज्ञापन खाता बिना वजह बंद कर दिया, अपील का कोई जवाब नहीं।",),
        "regulatory_legal": ("सेबी को ऐसे फर्जी निवेश विज्ञापनों पर सख्त कार्रवाई करनी चाहिए।",),
        "privacy_targeting": ("बस {thing} की बात की और विज्ञापन आ गया, हमारा निजी डेटा कहाँ जा रहा है?",),
    },
    slots={
        "food": ("छोले भटूरे", "पाव भाजी", "बिरयानी", "मसाला चाय", "मोमोज़"),
        "show": ("नई वेब सीरीज़", "वो कुकिंग शो"),
        "thing": ("नया गद्दा", "बच्चे का दूध", "गोवा ट्रिप"),
        "celeb": ("एक मशहूर अभिनेता", "एक जाने-माने उद्योगपति", "एक न्यूज़ एंकर"),
    },
    openers=("सच में,", "यार,", "भाई,"),
    tails_neg=("सावधान रहें।", "बहुत गुस्सा आ रहा है।"),
    tails_pos=("मज़ा आ गया।", "ज़रूर ट्राई करो।"),
    tags=("#इंडिया", "#foodie"),
)

HINGLISH = Bank(
    lang="hi-Latn",
    chatter=(
        "Finally {place} ka {food} try kiya, line mein khade rehna worth it tha.",
        "Koi aur bhi {show} dekh raha hai? Ruk hi nahi pa raha yaar.",
        "Baarish ho rahi hai, aaj toh {food} banta hai.",
        "{creator} ka naya video itna funny hai, {n} baar dekh liya.",
        "Mera {product} aa gaya, quality expectation se achhi hai.",
        "Weekend pe {place} ja rahe hain, koi achha khane ka spot batao.",
        "Aaj subah traffic bahut zyada tha, office late pahuncha.",
        "Mahina khatam hone wala hai, salary ka wait hai bas.",
        "Meri billi phir se laptop pe so gayi, kaam kaise karun.",
        "Office ke baad doston ke saath {place} mein {food} khaya, mazaa aa gaya.",
        "Balcony ke paudhe mein finally phool aa gaye.",
        "Sunday ka plan: {show} aur ghar ka khana.",
        "Itni garmi hai {place} mein, nimbu paani chahiye.",
    ),
    risk={
        "scam_ads": (
            "Phir se scam ad, har mahine {pct}% guaranteed return bol rahe hain. Ye approve kaise hota hai?",
            "Is fraud ad ko {n} baar report kiya, phir bhi dikh raha hai.",
            "Dhyan se, {product} {amount} mein bechne wala ad scam hai, page abhi bana hai.",
        ),
        "deepfake_impersonation": (
            "{celeb} ka deepfake video investment app promote kar raha hai, bilkul real lagta hai.",
            "AI se bana fake video hai {celeb} ka, sab log report karo.",
        ),
        "misleading_claims": ("Ek hafte mein 10 kilo kam karne wala ad, pura misleading claim hai.",),
        "prohibited_products": ("Online betting ke ads har jagah hain, ye illegal nahi hai kya?",),
        "shop_affiliate_fraud": (
            "Ad wali shop se order kiya, fake product aaya aur seller ne block kar diya.",
            "Ye affiliate links fake shop pe le jaate hain, click mat karna.",
        ),
        "creator_monetization_abuse": (
            "Ye channel dusron ke videos reupload karke monetization se paise kama raha hai.",
        ),
        "live_gifting_abuse": (
            "Live mein har minute gifts maangte rehte hain, irritating hai.",
            "Live pe {amount} ke gifts bheje aur host ne block kar diya.",
        ),
        "ad_fraud_invalid_traffic": ("Ads pe clicks bahut aaye par sales zero, pakka bot traffic hai.",),
        "payments_refunds": (
            "{days} din ho gaye, refund abhi tak nahi aaya. Customer care bas same reply deta hai.",
            "Do baar paise kat gaye aur refund nahi mila.",
        ),
        "advertiser_trust": ("Humara ad account bina reason suspend kar diya, appeal ka koi jawab nahi.",),
        "regulatory_legal": ("SEBI aur RBI ko in fake investment ads pe action lena chahiye.",),
        "privacy_targeting": ("Bas {thing} ki baat ki aur ads aane lage, phone sun raha hai kya?",),
    },
    slots={
        "food": ("chole bhature", "pav bhaji", "biryani", "momos", "vada pav", "cutting chai"),
        "show": ("nayi web series", "wo cooking show", "IPL highlights"),
        "product": ("earphones", "air fryer", "running shoes", "phone cover"),
        "thing": ("naya mattress", "baby ka formula", "Goa trip", "hair fall"),
        "celeb": ("ek famous actor", "ek bade businessman", "ek news anchor"),
    },
    openers=("Yaar,", "Bhai,", "Sach mein,", "Guys,"),
    tails_neg=("Kisi aur ke saath bhi hua?", "Bahut gussa aa raha hai.", "Sab log dhyan rakho."),
    tails_pos=("Maza aa gaya.", "Must try.", "Full paisa vasool."),
    tags=("#desi", "#foodie", "#mumbai", "#delhi"),
)

ROMAN_UR = Bank(
    lang="ur-Latn",
    chatter=(
        "Aaj {place} ki {food} try ki, sach mein kamaal thi.",
        "Is hafte {show} ke siwa kuch nahi dekha, bohat acha hai.",
        "Mausam itna pyara hai, chai aur pakoray ho jayen?",
        "{creator} ki har video pe hans hans ke bura haal ho jata hai.",
        "Chhutti wale din {place} ghoomne ka plan hai, koi mashwara?",
        "Dafter se wapsi pe itna rush tha ke do ghante lag gaye.",
        "Ammi ke haath ki {food} ka koi muqabla nahi.",
        "Cricket ka match dekhte dekhte raat ke teen baj gaye.",
    ),
    risk={
        "scam_ads": (
            "Phir se fraud ad, har mahine {pct}% pakka munafa keh rahe hain. Ye kaise chal raha hai?",
            "Is scam ad ko {n} dafa report kiya phir bhi aa raha hai.",
        ),
        "deepfake_impersonation": ("{celeb} ki deepfake video investment ka kaha rahi hai, bilkul asli lagti hai.",),
        "misleading_claims": ("Aik hafte mein 10 kilo kam karne wala ad, sara jhoot hai.",),
        "prohibited_products": ("Online jue ke ads har jagah hain, ye ghair qanooni nahi?",),
        "shop_affiliate_fraud": ("Ad wali shop se order kiya, naqli cheez aayi aur seller ne block kar diya.",),
        "live_gifting_abuse": ("Live mein har minute gifts mangte rehte hain, bohat irritating hai.",),
        "payments_refunds": ("{days} din ho gaye refund abhi tak nahi aaya.",),
        "advertiser_trust": ("Hamara ad account baghair wajah band kar diya, appeal ka jawab nahi aaya.",),
        "regulatory_legal": ("PTA aur SECP ko in fake investment ads pe action lena chahiye.",),
        "privacy_targeting": ("Sirf {thing} ki baat ki aur ads aane lage, phone sun raha hai kya?",),
    },
    slots={
        "food": ("biryani", "nihari", "haleem", "chai", "bun kabab"),
        "show": ("naya drama", "PSL ke highlights"),
        "thing": ("naya gadda", "bachay ka doodh", "Murree ka trip"),
        "celeb": ("aik mashhoor actor", "aik bare businessman", "aik news anchor"),
    },
    openers=("Yaar,", "Bhai,", "Sach mein,"),
    tails_neg=("Kisi aur ke sath bhi hua?", "Sab log hoshiyar rahen."),
    tails_pos=("Maza aa gaya.", "Zaroor try karen."),
    tags=("#pakistan", "#foodie", "#lahore", "#karachi"),
)

UR = Bank(
    lang="ur",
    latin=False,
    chatter=(
        "آخرکار {place} کی {food} کھا لی، مزہ آ گیا۔",
        "کوئی اور بھی {show} دیکھ رہا ہے؟",
        "بارش ہو رہی ہے، آج تو چائے اور پکوڑے بنتے ہیں۔",
    ),
    risk={
        "scam_ads": ("پھر سے فراڈ اشتہار، ہر مہینے پکا منافع کا وعدہ۔ یہ کیسے چل رہا ہے؟",),
        "deepfake_impersonation": ("{celeb} کی جعلی ویڈیو سرمایہ کاری کا اشتہار دے رہی ہے۔",),
        "payments_refunds": ("{days} دن ہو گئے، ریفنڈ ابھی تک نہیں آیا۔",),
        "privacy_targeting": ("ہمارا ذاتی ڈیٹا کہاں جا رہا ہے؟ ہر طرف اشتہار۔",),
    },
    slots={
        "food": ("بریانی", "نہاری", "حلیم"),
        "show": ("نیا ڈرامہ",),
        "celeb": ("ایک مشہور اداکار", "ایک بڑے بزنس مین"),
    },
    openers=("سچ میں،", "یار،"),
    tails_neg=("سب ہوشیار رہیں۔",),
    tails_pos=("بہت اچھا لگا۔",),
)

BN = Bank(
    lang="bn",
    latin=False,
    chatter=(
        "অবশেষে {place}-এর {food} খেলাম, লাইনে দাঁড়ানো সার্থক।",
        "আর কেউ {show} দেখছে? থামতেই পারছি না।",
        "বৃষ্টি হচ্ছে, আজ {food} খেতেই হবে।",
        "{creator}-এর নতুন ভিডিওটা খুব মজার, {n} বার দেখে ফেললাম।",
        "সকালে রাস্তায় ভীষণ জ্যাম ছিল।",
        "অফিস শেষে বন্ধুদের সাথে {food} খেতে গেলাম।",
        "ছুটির দিনে সারাদিন {show} দেখলাম।",
        "বারান্দার গাছে অবশেষে ফুল ফুটেছে।",
        "আজ {place}-এ খুব গরম, ডাবের পানি দরকার।",
    ),
    risk={
        "scam_ads": ("আবার প্রতারণার বিজ্ঞাপন, প্রতি মাসে {pct}% নিশ্চিত লাভ বলছে। এটা কীভাবে চলে?",),
        "deepfake_impersonation": ("{celeb}-এর ডিপফেক ভিডিও দিয়ে বিনিয়োগের বিজ্ঞাপন, একদম আসল মনে হয়।",),
        "misleading_claims": ("এক সপ্তাহে ১০ কেজি কমানোর বিজ্ঞাপন, পুরোটাই ভুয়া দাবি।",),
        "shop_affiliate_fraud": ("বিজ্ঞাপনের পেজ থেকে অর্ডার করলাম, নকল জিনিস এলো, সেলার ব্লক করে দিল।",),
        "live_gifting_abuse": ("লাইভে সারাক্ষণ গিফট চাইতে থাকে, বিরক্তিকর।",),
        "payments_refunds": ("{days} দিন হয়ে গেল, রিফান্ড এখনো আসেনি।",),
        "advertiser_trust": ("আমাদের বিজ্ঞাপন অ্যাকাউন্ট কোনো কারণ ছাড়াই বন্ধ করে দিয়েছে।",),
        "privacy_targeting": ("শুধু {thing} নিয়ে কথা বললাম, সাথে সাথে বিজ্ঞাপন। ব্যক্তিগত তথ্য কোথায় যাচ্ছে?",),
    },
    slots={
        "food": ("বিরিয়ানি", "ফুচকা", "ইলিশ ভাজা", "চা"),
        "show": ("নতুন ওয়েব সিরিজ", "নাটকটা"),
        "thing": ("নতুন ফোন", "কক্সবাজার ভ্রমণ"),
        "celeb": ("একজন জনপ্রিয় অভিনেতা", "একজন বড় ব্যবসায়ী"),
    },
    openers=("সত্যি বলতে,", "ভাই,", "আজকে"),
    tails_neg=("সবাই সাবধান থাকুন।",),
    tails_pos=("দারুণ লাগলো।",),
    tags=("#ঢাকা", "#foodie"),
)

TA = Bank(
    lang="ta",
    latin=False,
    chatter=(
        "கடைசியாக {place}-ல் {food} சாப்பிட்டேன், சூப்பர்.",
        "வேற யாராவது {show} பார்க்கிறீங்களா?",
        "மழை பெய்கிறது, இன்னைக்கு {food} தான்.",
        "{creator} புது வீடியோ ரொம்ப காமெடி, {n} தடவை பார்த்தேன்.",
    ),
    risk={
        "scam_ads": ("மீண்டும் மோசடி விளம்பரம், மாதம் {pct}% லாபம் உறுதி என்கிறார்கள்.",),
        "payments_refunds": ("{days} நாள் ஆச்சு, இன்னும் ரீஃபண்ட் வரவில்லை.",),
        "live_gifting_abuse": ("லைவ்ல ஒவ்வொரு நிமிஷமும் கிஃப்ட் கேட்கிறாங்க, எரிச்சலா இருக்கு.",),
        "deepfake_impersonation": ("{celeb} டீப்ஃபேக் வீடியோவில் முதலீடு விளம்பரம், உண்மை போலவே இருக்கு.",),
    },
    slots={
        "food": ("பிரியாணி", "தோசை", "இட்லி", "பரோட்டா"),
        "show": ("புது வெப் சீரிஸ்",),
        "celeb": ("ஒரு பிரபல நடிகர்",),
    },
    openers=("உண்மையா,", "நண்பர்களே,"),
    tails_neg=("எல்லோரும் கவனமாக இருங்கள்.",),
    tails_pos=("அருமை.",),
)
