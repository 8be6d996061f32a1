"""Filipino (Tagalog) and Taglish (Tagalog-English code-mixing) phrase banks."""

from __future__ import annotations

from monitio.demo.phrases import Bank

_PH_SLOTS = {
    "food": ("sisig", "adobo", "lechon", "halo-halo", "pancit", "milk tea", "tapsilog", "jollibee spaghetti"),
    "show": ("bagong K-drama", "teleserye sa gabi", "anime na trending"),
    "product": ("earphones", "air fryer", "running shoes", "phone case", "rice cooker"),
    "thing": ("bagong kutson", "gatas ng baby", "bakasyon sa Boracay", "hair fall"),
    "celeb": ("isang sikat na artista", "isang news anchor", "isang kilalang negosyante", "isang senador"),
}

TL = Bank(
    lang="tl",
    chatter=(
        "Sa wakas natikman ko rin ang {food} sa {place}, sulit ang pila.",
        "Sino nanonood ng {show}? Hindi ako makatigil.",
        "Umuulan na naman, sarap ng {food} ngayon.",
        "Ang kulit ng bagong video ni {creator}, {n} beses ko na pinanood.",
        "Dumating na yung {product} ko, maganda pala.",
        "Grabe ang traffic papuntang {place} kaninang umaga.",
        "Pupunta kami sa {place} sa weekend, may mairerekomenda ba kayong kainan?",
        "Katapusan na naman ng buwan, ang bilis.",
        "Natulog na naman ang pusa ko sa laptop.",
    ),
    risk={
        "scam_ads": (
            "May scam na ad na naman, garantisadong kikita raw ng {pct}% kada buwan. Paano nakakalusot ito?",
            "Ilang beses ko nang ni-report ang scam ad na ito pero lumalabas pa rin.",
        ),
        "deepfake_impersonation": ("May deepfake na video si {celeb} na nag-eendorso ng investment, mukhang totoo.",),
        "misleading_claims": ("Papayat daw ng 10kg sa isang linggo, panloloko lang yan.",),
        "prohibited_products": ("Ang daming ads ng online sugal ngayon, hindi ba bawal yan?",),
        "shop_affiliate_fraud": ("Umorder ako sa shop sa ad, iba ang dumating na item at na-block pa ako ng seller.",),
        "creator_monetization_abuse": ("Nire-reupload lang ng account na ito ang videos ng iba tapos kumikita.",),
        "live_gifting_abuse": (
            "Yung mga live na puro hingi ng gifts, nakakasawa na.",
            "Naubos ang {amount} ko sa gifts sa live, tapos bigla akong na-block.",
        ),
        "ad_fraud_invalid_traffic": ("Ang daming clicks ng ad namin pero walang benta, mukhang bot clicks.",),
        "payments_refunds": (
            "{days} araw na akong naghihintay ng refund, wala pa rin.",
            "Dalawang beses akong na-charge at wala pang refund.",
        ),
        "advertiser_trust": ("Na-suspend ang ad account namin nang walang dahilan, walang sagot ang appeal.",),
        "regulatory_legal": ("Dapat kasuhan ng DTI ang mga platform na hinahayaan ang scam ads.",),
        "privacy_targeting": ("Napag-usapan lang namin ang {thing}, may ad agad. Nakikinig ba ang phone?",),
    },
    slots=_PH_SLOTS,
    openers=("Grabe,", "Mga mars,", "Hay naku.", "Totoo lang,"),
    tails_neg=("May naka-experience rin ba?", "Nakakainis.", "Ingat kayo."),
    tails_pos=("Sulit!", "Solid.", "Highly recommended.", "Saya!"),
    tags=("#pinoy", "#foodtrip", "#fyp", "#manila"),
)

TAGLISH = Bank(
    lang="tl",
    chatter=(
        "Finally natry ko na yung {food} sa {place}, super sulit talaga.",
        "Sino nanonood ng {show}? Grabe, hindi ako maka-move on.",
        "Rainy day today, perfect for {food} and Netflix.",
        "Sobrang funny ng new vid ni {creator}, {n} times ko na pinanood lol.",
        "Dumating na yung {product} ko, legit ang ganda ng quality.",
        "Traffic papuntang {place} kanina, as in hindi gumagalaw.",
        "Weekend plans: {place} tapos food trip. Any recos?",
        "Day {n} ng pag-gym ko, masakit buong katawan pero worth it.",
        "Ang bilis ng time, payday na ulit.",
        "Yung pusa ko natulog na naman sa keyboard ko habang WFH.",
        "After work, diretso kami sa {place} para mag-{food}.",
        "Finally namulaklak na yung halaman ko sa balcony, so happy.",
        "Weekend = higa buong araw + {show} marathon.",
        "Sobrang init sa {place} today, buko juice please.",
        "First time ko magluto ng {food}, pwede na rin pala.",
    ),
    risk={
        "scam_ads": (
            "Another scam ad sa feed ko, guaranteed daw {pct}% profit every month. Paano to naa-approve?",
            "Na-report ko na {n} times yung scam ad na to pero lumalabas pa rin.",
            "Ingat sa ad na nagbebenta ng {product} for {amount}, scam yan, bagong page lang.",
        ),
        "deepfake_impersonation": (
            "May deepfake video si {celeb} promoting an investment app, muntik maniwala si mama.",
            "Yung ad na gumagamit ng AI deepfake ni {celeb}, pa-report naman guys.",
        ),
        "misleading_claims": ("Yung ad na lose 10kg in one week daw, misleading talaga yan.",),
        "prohibited_products": (
            "Ang daming online sugal ads lately, di ba illegal yun?",
            "May nagbebenta ng vape sa comments, puro minors pa naman dito.",
        ),
        "shop_affiliate_fraud": (
            "Nag-order ako sa shop from an ad, ibang item dumating tapos blinock ako ng seller.",
            "Yung affiliate links na yan papunta sa fake shop, wag niyo i-click.",
        ),
        "creator_monetization_abuse": ("Reupload lang ng reupload ng videos ng iba tapos monetized pa, unfair.",),
        "live_gifting_abuse": (
            "Yung mga live na nagmamakaawa for gifts every minute, nakakaumay na.",
            "Nag-send ako ng gifts worth {amount} sa live tapos blinock ako ng host.",
            "Yung gift battles sa live parang sugal na, ubos sahod ng mga tao sa coins.",
        ),
        "ad_fraud_invalid_traffic": ("Ang taas ng clicks ng ads namin pero zero sales, sure na bot traffic yan.",),
        "payments_refunds": (
            "{days} days na akong naghihintay ng refund, puro copy-paste reply ang CS.",
            "Na-double charge ako and wala pa ring refund hanggang ngayon.",
            "Cancelled na yung order pero hindi pa rin bumabalik yung pera.",
        ),
        "advertiser_trust": (
            "Na-suspend ang ad account namin for no reason, walang sagot sa appeal.",
            "Gumastos kami ng {amount} sa ads tapos na-disable yung ad account overnight.",
        ),
        "regulatory_legal": (
            "Sana kumilos na ang DTI at SEC sa mga investment scam ads.",
            "May kaso na raw against sa mga platform na nagpapalusot ng scam ads.",
        ),
        "privacy_targeting": (
            "Pinag-usapan lang namin yung {thing}, biglang may ads na. Nakikinig ba phone natin?",
            "Paano nila nakuha number ko? Leaked na siguro personal data ko.",
        ),
    },
    slots=_PH_SLOTS,
    openers=("Grabe,", "Guys,", "Hay nako.", "Legit,", "Omg"),
    tails_neg=("Ako lang ba?", "Nakakainis talaga.", "Ingat kayo guys.", "Pa-report please."),
    tails_pos=("Sulit!", "Solid talaga.", "Highly recommended.", "Happy tummy!"),
    tags=("#pinoy", "#foodtrip", "#fyp", "#taglish"),
)
