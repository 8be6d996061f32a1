"""Planted multilingual events for the narrative-quality harness: one story told in id, ms, th, vi, tl, en.

Each story has three wordings per language (written for this harness, not copied from anywhere), a
few slot values, and sometimes the event's identifier (a lookalike link, a Telegram handle, a product
name). `posts(story, start, rng)` draws them as rows of the demo corpus CSV.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

MARKET = {"id": "ID", "ms": "MY", "th": "TH", "vi": "VN", "tl": "PH", "en": "SG"}


@dataclass(frozen=True)
class Story:
    name: str
    hours: int  # spread of the posts after the start
    per_lang: int
    texts: dict[str, tuple[str, ...]]
    fill: dict[str, tuple[str, ...]]


REFUND_PHISH = Story(
    "refund_phishing_link",
    36,
    14,
    {
        "id": (
            "Dapat SMS katanya refund pesanan gagal, disuruh login di {x} buat klaim dana. Ini phishing, jangan klik!",
            "Awas penipuan: link {x} ngaku pusat refund Lazada, minta OTP dan nomor kartu.",
            "Temenku kehilangan {n} juta gara-gara isi data di situs refund palsu {x}.",
        ),
        "ms": (
            "Dapat SMS kata refund pesanan gagal, kena login di {x} untuk tuntut duit. Ini phishing, jangan tekan!",
            "Hati-hati penipuan: pautan {x} mengaku pusat refund Lazada, minta OTP dan nombor kad.",
            "Kawan aku hilang RM{n}00 sebab isi maklumat di laman refund palsu {x}.",
        ),
        "th": (
            "ได้ SMS บอกว่าคืนเงินคำสั่งซื้อไม่สำเร็จ ให้ล็อกอินที่ {x} เพื่อรับเงิน นี่คือฟิชชิ่ง อย่ากด!",
            "ระวังมิจฉาชีพ ลิงก์ {x} อ้างเป็นศูนย์คืนเงิน Lazada ขอรหัส OTP และเลขบัตร",
            "เพื่อนเสียเงินไป {n},000 บาท เพราะกรอกข้อมูลในเว็บคืนเงินปลอม {x}",
        ),
        "vi": (
            "Nhận tin nhắn nói hoàn tiền đơn hàng thất bại, bảo đăng nhập {x} để nhận tiền. Lừa đảo phishing,"
            " đừng bấm!",
            "Cảnh giác lừa đảo: đường link {x} giả danh trung tâm hoàn tiền Lazada, đòi mã OTP và số thẻ.",
            "Bạn tôi mất {n} triệu vì nhập thông tin vào trang hoàn tiền giả {x}.",
        ),
        "tl": (
            "May SMS daw na failed ang refund ng order, pinapa-login sa {x} para makuha ang pera. Phishing ito!",
            "Ingat sa scam: ang link {x} nagpapanggap na refund center ng Lazada, humihingi ng OTP at card number.",
            "Nawalan ng {n},000 pesos ang kaibigan ko dahil nag-fill up sa pekeng refund site {x}.",
        ),
        "en": (
            "Got an SMS saying my order refund failed and to log in at {x} to claim it. It's phishing, don't click!",
            "Scam alert: the link {x} pretends to be Lazada's refund centre and asks for your OTP and card number.",
            "My friend lost ${n}00 after entering her details on the fake refund site {x}.",
        ),
    },
    {"x": ("lazada-refund-claim.xyz", "lazada-refund-claim.xyz/login", "lazada-refund-claim.xyz/otp")},
)

TASK_SCAM = Story(
    "telegram_task_scam",
    40,
    14,
    {
        "id": (
            "Iklan kerja sampingan like video dibayar Rp{n}0.000 per tugas, terus disuruh deposit dulu."
            " Penipuan! Admin {x}",
            "Jangan percaya lowongan 'tugas like' dari {x}, awalnya dibayar kecil lalu diminta setor uang.",
            "Sudah setor {n} juta ke grup tugas {x}, sekarang saldo tidak bisa ditarik. Scam.",
        ),
        "ms": (
            "Iklan kerja sambilan like video dibayar RM{n}0 setiap tugasan, lepas tu kena deposit dulu. Scam!"
            " Admin {x}",
            "Jangan percaya jawatan 'tugasan like' dari {x}, mula-mula bayar sikit lepas tu minta masuk duit.",
            "Dah masuk RM{n}000 dalam kumpulan tugasan {x}, sekarang baki tak boleh keluar. Penipuan.",
        ),
        "th": (
            "โฆษณางานเสริมกดไลก์วิดีโอได้เงิน {n}0 บาทต่องาน แล้วให้โอนเงินมัดจำก่อน หลอกลวง! แอดมิน {x}",
            "อย่าเชื่องานกดไลก์จาก {x} ตอนแรกจ่ายนิดหน่อยแล้วให้โอนเงินเข้าไป",
            "โอนไปแล้ว {n},000 บาทให้กลุ่มทำภารกิจ {x} ตอนนี้ถอนเงินไม่ได้ โดนโกง",
        ),
        "vi": (
            "Quảng cáo việc làm thêm like video được trả {n}0 nghìn mỗi nhiệm vụ, rồi bắt nạp tiền trước. Lừa"
            " đảo! Admin {x}",
            "Đừng tin việc 'làm nhiệm vụ like' từ {x}, lúc đầu trả ít rồi đòi chuyển tiền.",
            "Đã nạp {n} triệu vào nhóm nhiệm vụ {x}, giờ không rút được tiền. Lừa đảo.",
        ),
        "tl": (
            "Ad ng sideline na mag-like ng video, bayad {n}0 pesos kada task, tapos pinag-deposit muna. Scam!"
            " Admin {x}",
            "Huwag maniwala sa 'like task' job ni {x}, maliit na bayad muna tapos hihingan ka ng pera.",
            "Nag-deposit na ako ng {n},000 sa task group ni {x}, ngayon hindi ma-withdraw. Scam.",
        ),
        "en": (
            "Ad for a side job liking videos, paid ${n} per task, then they ask you to deposit first. Scam! Admin {x}",
            "Don't trust the 'like task' job from {x}: small payouts first, then they ask you to top up.",
            "Deposited ${n}00 into the task group run by {x}, now I can't withdraw anything. Scam.",
        ),
    },
    {"x": ("telegram @likejob_vip88", "t.me/likejob_vip88", "Telegram @likejob_vip88")},
)

CURE_DEEPFAKE = Story(
    "deepfake_doctor_cure",
    30,
    12,
    {
        "id": (
            "Iklan deepfake dokter terkenal jual obat diabetes {x}, katanya sembuh dalam {n} hari. Hoaks!",
            "Video dokter itu palsu, wajahnya hasil AI, dipakai promosi {x} yang klaim sembuhkan diabetes.",
            "Ibu saya hampir beli {x} karena iklan deepfake dokter, tolong laporkan iklannya.",
        ),
        "ms": (
            "Iklan deepfake doktor terkenal jual ubat kencing manis {x}, kata sembuh dalam {n} hari. Palsu!",
            "Video doktor tu palsu, muka dia dibuat AI, guna untuk promosi {x} yang kata boleh sembuh diabetes.",
            "Mak aku hampir beli {x} sebab iklan deepfake doktor, tolong report iklan tu.",
        ),
        "th": (
            "โฆษณา deepfake หมอชื่อดังขายยาเบาหวาน {x} อ้างว่าหายใน {n} วัน ข่าวปลอม!",
            "คลิปหมอคนนั้นปลอม หน้าทำด้วย AI ใช้โปรโมท {x} ที่อ้างว่ารักษาเบาหวานหาย",
            "แม่เกือบซื้อ {x} เพราะโฆษณา deepfake หมอ ช่วยกันรีพอร์ตโฆษณานี้ด้วย",
        ),
        "vi": (
            "Quảng cáo deepfake bác sĩ nổi tiếng bán thuốc tiểu đường {x}, nói khỏi bệnh trong {n} ngày. Giả mạo!",
            "Video bác sĩ đó là giả, mặt làm bằng AI, dùng để quảng cáo {x} chữa khỏi tiểu đường.",
            "Mẹ tôi suýt mua {x} vì quảng cáo deepfake bác sĩ, mọi người báo cáo quảng cáo này giúp.",
        ),
        "tl": (
            "Deepfake ad ng sikat na doktor na nagbebenta ng gamot sa diabetes na {x}, gagaling daw sa {n} araw. Peke!",
            "Peke ang video ng doktor, gawa ng AI ang mukha, ginamit pang-promote ng {x} na gamot daw sa diabetes.",
            "Muntik nang bumili si mama ng {x} dahil sa deepfake ad ng doktor, i-report natin.",
        ),
        "en": (
            "Deepfake ad of a famous doctor selling the diabetes pill {x}, claims a cure in {n} days. Fake!",
            "That doctor video is fake, the face is AI-made, used to push {x} as a diabetes cure.",
            "My mum almost bought {x} because of a deepfake doctor ad, please report it.",
        ),
    },
    {"x": ("GlucoFix", "GlucoFix Plus", "GlucoFix")},
)

FLOOD_DONATION = Story(  # no name, link or handle in common: only the meaning is shared across languages
    "fake_flood_donation",
    30,
    12,
    {
        "id": (
            "Iklan donasi korban banjir ini penipuan, uangnya masuk rekening pribadi, jangan transfer!",
            "Hati-hati iklan galang dana banjir palsu, fotonya dicuri dari berita lama. Scam!",
            "Sudah transfer {n}00 ribu ke iklan donasi banjir, ternyata penipu. Laporkan iklannya.",
        ),
        "ms": (
            "Iklan derma mangsa banjir ni penipuan, duit masuk akaun peribadi, jangan transfer!",
            "Hati-hati iklan kutipan derma banjir palsu, gambar dicuri dari berita lama. Scam!",
            "Dah transfer RM{n}0 ke iklan derma banjir, rupanya penipu. Report iklan tu.",
        ),
        "th": (
            "โฆษณารับบริจาคช่วยผู้ประสบภัยน้ำท่วมนี้เป็นมิจฉาชีพ เงินเข้าบัญชีส่วนตัว อย่าโอน!",
            "ระวังโฆษณาระดมทุนน้ำท่วมปลอม รูปขโมยมาจากข่าวเก่า หลอกลวง!",
            "โอนไป {n}00 บาทให้โฆษณาบริจาคน้ำท่วม ที่แท้เป็นมิจฉาชีพ ช่วยกันรีพอร์ต",
        ),
        "vi": (
            "Quảng cáo quyên góp cho nạn nhân lũ lụt này là lừa đảo, tiền vào tài khoản cá nhân, đừng chuyển!",
            "Cẩn thận quảng cáo kêu gọi ủng hộ lũ lụt giả, ảnh lấy cắp từ tin cũ. Lừa đảo!",
            "Đã chuyển {n}00 nghìn cho quảng cáo quyên góp lũ lụt, hóa ra là lừa đảo. Báo cáo quảng cáo đi.",
        ),
        "tl": (
            "Scam itong ad ng donasyon para sa mga biktima ng baha, sa personal na account napupunta ang pera!",
            "Ingat sa pekeng fundraising ad para sa baha, ninakaw ang mga litrato sa lumang balita. Scam!",
            "Nag-send ako ng {n}00 pesos sa donation ad para sa baha, scammer pala. I-report natin.",
        ),
        "en": (
            "This flood victims donation ad is a scam, the money goes to a personal account, don't transfer!",
            "Beware of fake flood relief fundraising ads, the photos are stolen from old news. Scam!",
            "Sent ${n}0 to a flood donation ad and it turned out to be a scammer. Report the ad.",
        ),
    },
    {},
)

STORIES = (REFUND_PHISH, TASK_SCAM, CURE_DEEPFAKE, FLOOD_DONATION)


def posts(story: Story, start: datetime, rng: random.Random) -> list[dict]:
    """Rows (demo corpus CSV columns) for one story, starting at `start`; ids `plant-<story>-<n>`."""
    rows = []
    for lang, templates in story.texts.items():
        for k in range(story.per_lang):
            slots = {s: rng.choice(v) for s, v in story.fill.items()}
            text = rng.choice(templates).format(n=rng.randint(2, 9), **slots)
            if rng.random() < 0.3:
                text += rng.choice((" 😡", " ⚠️", " #scam", " 🙄", "!!"))
            ts = start + timedelta(minutes=rng.randint(0, story.hours * 60))
            rows.append(
                {
                    "id": f"plant-{story.name}-{lang}-{k}",
                    "text": text,
                    "created_at": ts.isoformat(),
                    "author": f"{story.name[:6]}.{lang}.{rng.randint(1, 10**6)}",
                    "lang": "",
                    "market": MARKET[lang],
                    "likes": rng.randint(0, 40),
                    "shares": rng.randint(0, 10),
                    "comments": rng.randint(0, 10),
                    "views": rng.randint(50, 2000),
                    "url": "",
                }
            )
    return rows
