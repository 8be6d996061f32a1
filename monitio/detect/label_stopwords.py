"""Filler words kept out of narrative labels, per language (function words, chat fillers, time words),
plus the platform hashtags every post carries (`fyp`, `viral`).

They stay in the narrative vectors (a shared "udah" costs little there); labels drop every term that
is, or contains, one of them, so a label reads "deepfake, untung harian" instead of "udah, pagi, pagi udah".

>>> is_filler("pagi udah"), is_filler("deepfake"), is_filler("untung harian")
(True, False, False)
"""

from __future__ import annotations

_WORDS = {
    "tags": """fyp fypシ foryou foryoupage fy viral trending xyzbca daily repost tiktok reels""",
    "en": """a an the and or but if so to of in on at by for from with about as is are was were be been am
        it its this that these those i me my we our you your he she they them their his her what who how why
        when just really very too also still again now today yesterday tonight morning already got get go
        going went see saw seen one all any some more most much many no not dont don can cant will would
        should could have has had do does did lol omg guys pls please okay ok like even only then than here
        there out up down off over so wow literally actually honestly seriously day days time week plus""",
    "id": """yang dan di ini itu ke dari ada aja saja sudah udah dah lagi juga ya yah sih deh dong kok nih tuh
        kan lah pun atau tapi tetapi untuk buat sama dengan dgn pada akan bisa bakal mau kalau kalo kl jadi
        jd banget bgt sangat udh gak ga nggak enggak tidak tak belum blm masih cuma hanya baru tadi barusan
        pagi siang sore malam hari ini kemarin besok sekarang gue gw aku saya kamu lu lo kita kami mereka dia
        orang guys serius jujur beneran emang memang kayak kaya seperti apa siapa kenapa gimana bagaimana
        mana sekali kali terus trus lalu abis habis semua pada mohon tolong capek lihat liat muncul makin
        bilang asli banyak sampai hati kena""",
    "ms": """yang dan di ini itu ke dari ada je saja sudah dah lagi juga ya lah pun atau tapi untuk buat sama
        dengan pada akan boleh nak mahu kalau jadi sangat sgt tak tidak belum masih cuma hanya baru tadi pagi
        petang malam hari esok semalam sekarang aku saya awak kau korang kita kami mereka dia orang memang
        macam seperti apa siapa kenapa mana sekali terus semua tolong betul sangat""",
    "tl": """ang ng mga sa na at ay si ni kay ko ka mo ako ikaw siya kami kayo sila nila namin natin atin ito
        iyan iyon yan yun yung dito diyan doon may mayroon wala hindi di po ba pa lang din rin naman kasi
        talaga sobra grabe nga nang para pag kung kapag tapos ngayon kanina kahapon bukas umaga gabi araw
        lahat isa dalawa parang ganito ganyan ano sino bakit paano saan oo sige guys besh mga ibang iba""",
    "vi": """và là của có không với cho các những này đó thì mà được bị đã đang sẽ rồi nữa cũng vẫn còn
        lại ra vào lên xuống một hai nhiều ít rất quá lắm thật luôn chỉ mới vừa nay hôm sáng chiều tối ngày
        tôi mình bạn anh chị em họ ai gì sao nào đâu nhé nha nhỉ ạ ơi vậy thế như khi nếu để từ trong ngoài
        trên dưới người""",
    "th": """และ ที่ ของ ใน มี ไม่ ได้ ให้ ว่า จะ ก็ แล้ว กับ เป็น คือ นี้ นั้น อยู่ ไป มา เลย นะ ครับ
        ค่ะ คะ จ้า จ้ะ อะ อ่ะ แต่ หรือ ถ้า เพราะ ยัง อีก มาก ๆ วันนี้ เมื่อวาน พรุ่งนี้ ตอนนี้ เช้า เย็น
        คืน ฉัน ผม เรา เขา คุณ ทุก คน""",
    "hi-Latn": """hai hain ho tha thi the ka ki ke ko se me mein main mai par pe aur ya bhi hi to na nahi nhi
        mat kya kyu kyun kaise kab jab tab ab abhi aaj kal subah shaam raat din yaar bhai bro log sab koi kuch
        ek do bahut bohot bht bilkul sach mera meri mere tera teri tere apna apni hum tum aap wo woh ye yeh
        isko usko isse usse kar karo kiya kar raha rahi rahe gaya gayi wala wali wale ji haan""",
    "ur-Latn": """hai hain ho tha thi ka ki ke ko se mein par aur ya bhi hi to na nahi kya ab abhi aaj kal yaar
        bhai sab koi kuch bohat bahut mera meri hum tum aap woh yeh kar raha rahi gaya gayi wala wali""",
}

FILLER: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}
"""Filler words by language code."""

ALL_FILLER: frozenset[str] = frozenset().union(*FILLER.values())
"""Every language's filler words together (labels mix languages, and language IDs err on short texts)."""


def is_filler(term: str) -> bool:
    """True when a label term (a word or a bigram) is or contains a filler word, or is a bare number."""
    words = term.split()
    return not words or any(w in ALL_FILLER or w.isdigit() for w in words)
