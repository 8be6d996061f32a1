"""Templates of the planted risk events and of the harmless chatter bursts (no risk vocabulary)."""

from __future__ import annotations

from dataclasses import replace

from monitio.demo.phrases import Bank
from monitio.demo.phrases_en import EN
from monitio.demo.phrases_idms import ID, MANGLISH, MS
from monitio.demo.phrases_ph import TAGLISH, TL
from monitio.demo.phrases_thvi import TH, VI

SHOP = ("DealHub Official Store", "DealHub Official", "DealHub")


def _event(base: Bank, category: str, templates: tuple[str, ...], **slots: tuple[str, ...]) -> Bank:
    return replace(base, risk={category: templates}, slots={**base.slots, **slots})


def _burst(base: Bank, templates: tuple[str, ...], tags: tuple[str, ...], **slots: tuple[str, ...]) -> Bank:
    return replace(base, chatter=templates, tags=tags, slots={**base.slots, **slots}, tails_neg=())


DF = "deepfake_impersonation"
DEEPFAKE_ID = _event(
    ID,
    DF,
    (
        "Iklan deepfake {celeb} promosi aplikasi trading lagi rame banget, suaranya mirip tapi itu video palsu.",
        "Awas video deepfake {celeb} yang bilang modal {amount} bisa jadi puluhan juta. Itu AI, bukan asli!",
        "Dari pagi udah {n} kali lihat iklan deepfake {celeb}, udah di-report tapi muncul lagi.",
        "Orang tua saya hampir transfer gara-gara video palsu {celeb} di iklan. Tolong hapus deepfake ini.",
        "Kenapa iklan pakai wajah {celeb} hasil deepfake bisa lolos review? Udah banyak korban.",
        "Teman kantor kena tipu iklan deepfake {celeb}, hilang {amount}.",
        "Mohon hati-hati, iklan video {celeb} soal investasi itu deepfake, akun resminya sudah membantah.",
        "Video {celeb} ajak gabung grup investasi itu editan AI, jangan klik link-nya.",
        "Deepfake {celeb} sekarang muncul di iklan video pendek juga, makin susah bedain mana asli.",
        "Ibu-ibu di grup WA pada share iklan deepfake {celeb}, saya bilang itu palsu gak ada yang percaya.",
        "Barusan lihat iklan {celeb} janji untung harian, jelas deepfake, gerak bibirnya gak sinkron.",
        "Tolong platform segera turunkan iklan deepfake {celeb}, korban makin banyak.",
    ),
    celeb=("presenter berita terkenal", "Menkeu", "pengusaha terkenal", "artis terkenal", "Gubernur BI"),
)
DEEPFAKE_ID_EN = _event(
    EN,
    DF,
    (
        "Deepfake ads of {celeb} pushing a trading app are all over my feed in Indonesia today.",
        "My aunt in Jakarta almost fell for a deepfake video of {celeb} promising daily profits.",
        "Reported {n} deepfake investment ads using {celeb}'s face this morning alone.",
    ),
    celeb=("a famous Indonesian news anchor", "the Indonesian finance minister", "a well-known tycoon"),
)

LG = "live_gifting_abuse"
GIFTING_PH = (
    _event(
        TAGLISH,
        LG,
        (
            "Grabe yung mga live ngayon, puro send gifts para ma-shoutout, tapos mga bata pa nagse-send ng coins.",
            "Nag-top up ng coins yung pamangkin ko gamit card ng nanay niya para lang mag-gift sa live. {amount} agad.",
            "Yung gift battle sa live kagabi, may nagbigay ng {amount} worth of gifts. Parang sugal na to.",
            "Host nangako ng giveaway kapag umabot ng {n}k gifts, tapos biglang nag-end ng live.",
            "Dumadami yung live na minors ang host tapos hinihingan ng gifts ng viewers, nakakabahala.",
            "Puro gift begging na lang sa For You page ko, yung iba umiiyak pa sa live para bigyan ng gifts.",
            "Ubos na sahod ng tito ko sa live gifts, araw-araw nagpapadala sa iisang streamer.",
            "Yung mga live na may 'pa-ayuda kapag naka-gifts', exploitation na yan.",
            "Bakit walang limit sa gifts na pwedeng i-send ng minors sa live? {amount} nagastos ng anak ko.",
        ),
    ),
    _event(
        TL,
        LG,
        (
            "Ang daming live na humihingi ng gifts, pati mga bata gumagastos ng coins.",
            "Nagpadala ako ng gifts sa live kasi may pangakong premyo, wala namang dumating.",
            "Naubos ang ipon ng kapatid ko sa pagbibigay ng gifts sa live ng isang host.",
        ),
    ),
    _event(
        EN,
        LG,
        (
            "Gift battles on live in PH are getting out of hand, kids spending their parents' money on coins.",
            "Live hosts promising cash giveaways if you send enough gifts. This is exploitation.",
            "My nephew spent {amount} on live gifts in one night. Why is there no limit for minors?",
        ),
    ),
)

PR = "payments_refunds"
REFUND_SPREAD = {
    "TH": (
        _event(
            TH,
            PR,
            (
                "สั่งของจาก {shop} ตอนแฟลชเซล โดนยกเลิกออเดอร์ แต่ยังไม่ได้เงินคืน {days} วันแล้ว",
                "ใครรอเงินคืนจาก {shop} บ้าง ติดต่อแอดมินไม่ได้เลย",
                "{shop} ยกเลิกออเดอร์เองแล้วไม่คืนเงิน แบบนี้โกงชัดๆ",
                "โดนตัดเงินไป {amount} แต่ไม่ได้ของ ขอคืนเงินจาก {shop} ก็เงียบ",
                "แฟลชเซล {shop} ยกเลิกทุกออเดอร์ เงินคืนไม่เข้าสักบาท",
                "ทักไป {shop} {n} รอบแล้ว บอกให้รอคืนเงินอย่างเดียว",
            ),
            shop=SHOP,
        ),
    ),
    "VN": (
        _event(
            VI,
            PR,
            (
                "Đặt hàng của {shop} đợt flash sale, bị hủy đơn mà {days} ngày rồi chưa được hoàn tiền.",
                "Ai cũng đang chờ hoàn tiền từ {shop} không? Nhắn tin không ai trả lời.",
                "{shop} tự hủy đơn rồi giữ tiền luôn, {amount} chứ có ít đâu.",
                "Bị trừ {amount} mà không nhận được hàng, {shop} hẹn hoàn tiền mãi không thấy.",
                "Flash sale của {shop} hủy hết đơn, tiền hoàn thì chưa về.",
            ),
            shop=SHOP,
        ),
    ),
    "MY": (
        _event(
            MS,
            PR,
            (
                "Order dari {shop} masa flash sale kena cancel, tapi refund tak masuk lagi dah {days} hari.",
                "Siapa lagi tunggu duit balik dari {shop}? Customer service senyap.",
                "Kena tolak {amount} tapi barang tak sampai, {shop} janji refund sampai sekarang tak ada.",
            ),
            shop=SHOP,
        ),
        _event(
            MANGLISH,
            PR,
            (
                "{shop} cancel my order then no refund until now, {amount} leh, how can like that?",
                "Anyone else still waiting refund from {shop}? Already {days} days liao.",
                "The flash sale from {shop} all kena cancel, refund also never come in.",
            ),
            shop=SHOP,
        ),
    ),
}

CAMPAIGN_BASE = (
    "{e1} Ghar baithe {earn} {cur}{amt} daily! {e2} Guaranteed returns, zero risk investment {plan}. "
    "Sirf {k} slots bache hain, {now} WhatsApp karo {e3} {phone} {link}"
)
CAMPAIGN_SLOTS: dict[str, tuple[str, ...]] = {
    "e1": ("🔥", "💰", "🚀", "✅", "💸", ""),
    "e2": ("💯", "🤑", "📈", ""),
    "e3": ("👉", "📲", "👇", "☎️"),
    "earn": ("kamao", "kamaayein", "kamaiye"),
    "amt": ("2000", "3000", "5000", "2500"),
    "plan": ("plan", "scheme", "plan"),
    "k": ("5", "7", "10", "3"),
    "now": ("abhi", "jaldi", "turant", "abhi"),
}

BURSTS: dict[str, tuple[Bank, ...]] = {
    "football_vn": (
        _burst(
            VI,
            (
                "Việt Nam thắng rồi, cả xóm ra đường ăn mừng!",
                "Bàn thắng phút {minute} đẹp không tả nổi.",
                "Xem {player} đá hôm nay mà nổi da gà.",
                "Đi bão thôi anh em ơi!",
                "Thủ môn cứu thua quá đỉnh, người hùng của trận đấu.",
                "Cả quán cà phê hét ầm lên lúc bóng vào lưới.",
                "Tự hào quá, đội tuyển đá quá hay.",
                "Trận này xem lại chục lần vẫn không chán.",
                "Phút bù giờ tim muốn rớt ra ngoài luôn.",
                "Cờ đỏ sao vàng khắp phố, không khí như Tết.",
                "Ông bà già ở nhà cũng thức xem, vui ghê.",
                "Chưa bao giờ thấy {player} chạy nhiều như hôm nay.",
            ),
            ("#VietNamvodich", "#bongda", "#diBao"),
            minute=tuple(str(m) for m in range(55, 95, 3)),
            player=("Quang Hải", "Tiến Linh", "Văn Hậu", "thủ môn số 1", "đội trưởng"),
        ),
    ),
    "concert_ph": (
        _burst(
            TAGLISH,
            (
                "Ang ganda ng concert kagabi sa {venue}, wala na akong boses!",
                "Nung kinanta nila yung {song}, umiyak talaga ako.",
                "Worth it yung ilang oras na pila sa {venue}.",
                "Hanggang ngayon nanginginig pa ako, best night ever.",
                "Sino dito nasa lower box? Ang lapit namin sa stage!",
                "Yung encore ng {song} sa dulo, grabe ang sigawan.",
                "Sobrang ganda ng lights at production, world class.",
                "Ang sakit ng paa ko pero walang pagsisisi.",
                "Nakasabay ko pa mga friends ko sa {venue}, core memory na to.",
                "Rinig na rinig yung fanchant ng buong arena.",
            ),
            ("#concertPH", "#MOA", "#bestnight"),
            venue=("Araneta", "Philippine Arena", "MOA Arena"),
            song=("yung debut single nila", "yung ballad", "yung bagong kanta"),
        ),
    ),
    "meme_id": (
        _burst(
            ID,
            (
                "Meme kucing joget ini gak ada obatnya, ngakak sampai sakit perut.",
                "Udah {n} jam nonton video kucing joget, tolong.",
                "Semua grup WA keluarga lagi share meme kucing joget.",
                "Kucingku aku suruh joget kayak meme itu malah tidur.",
                "Lagunya nempel di kepala terus gara-gara meme kucing ini.",
                "Bapak-bapak di kantor ikutan bikin versi kucing joget.",
                "Versi remix meme kucing joget lebih lucu lagi.",
                "Ini meme paling random tahun ini sih.",
                "Aku nonton sambil makan {food}, keselek gara-gara ketawa.",
                "Sekarang tiap lihat kucing pengen puter lagunya.",
            ),
            ("#kucingjoget", "#receh", "#ngakak"),
        ),
    ),
}
MARKET_OF_BURST = {"football_vn": "VN", "concert_ph": "PH", "meme_id": "ID"}
