"""Indonesian, Malay and Manglish (Malaysian English mixed with Malay) phrase banks."""

from __future__ import annotations

from monitio.demo.phrases import Bank

ID = Bank(
    lang="id",
    chatter=(
        "Akhirnya nyobain {food} di {place}, worth it banget antreannya.",
        "Ada yang nonton {show} juga? Gak bisa berhenti nih.",
        "Hujan terus dari pagi, enaknya makan {food} sambil rebahan.",
        "Video barunya {creator} lucu banget, udah nonton {n} kali.",
        "{product} yang kemarin dibeli udah sampai, ternyata bagus juga.",
        "Macet parah di {place} pagi ini, telat deh.",
        "Weekend ini mau ke {place}, ada rekomendasi tempat makan?",
        "Resep {food} dari {creator} beneran gampang, keluarga suka.",
        "Kopi susu gula aren emang paling pas buat sore-sore.",
        "Gak kerasa udah akhir bulan lagi.",
        "Lagi belajar masak {food}, hasilnya lumayan lah.",
        "Kucingku tidur di atas laptop lagi, gak bisa kerja.",
        "Sunset di {place} tadi bagus banget.",
        "Udah {n} hari olahraga pagi, badan lebih seger.",
        "Baru pulang kerja, langsung pesan {food} lewat ojol.",
        "Nemu warung {food} enak banget deket kantor di {place}.",
        "Anak kos akhir bulan: makan {food} tiga hari berturut-turut.",
        "Playlist buat nyetir ke {place} udah siap, gas!",
        "Barusan nonton {show} sampai jam 2 pagi, besok pasti ngantuk.",
        "Cuaca {place} hari ini panas banget, pengen es kelapa.",
        "Ngopi sore sama temen lama di {place}, ngobrol sampai lupa waktu.",
        "Rekomendasi {show} dong, udah bosen sama yang itu-itu aja.",
        "Tanaman di balkon akhirnya berbunga, seneng banget.",
        "Mau belajar bikin {food} sendiri, ada yang punya resep simpel?",
        "Liburan singkat ke {place} bareng keluarga, anak-anak seneng.",
        "Pagi-pagi udah dengar tetangga karaoke, semangat banget dia.",
    ),
    risk={
        "scam_ads": (
            "Iklan penipuan lagi, katanya investasi dijamin untung {pct}% per bulan. Kok bisa lolos sih.",
            "Udah report iklan penipuan ini {n} kali tapi masih muncul terus.",
            "Hati-hati iklan jual {product} harga {amount}, itu penipuan, akunnya baru dibuat.",
            "Investasi bodong pasang iklan berbayar, modus penipuan lama tapi masih banyak korban.",
        ),
        "deepfake_impersonation": (
            "Ada video deepfake {celeb} promosi aplikasi investasi, mirip banget, ibu saya hampir percaya.",
            "Iklan pakai video palsu {celeb} hasil AI, tolong di-report ya.",
            "Akun palsu mengatasnamakan {creator} pasang iklan, hati-hati.",
        ),
        "misleading_claims": (
            "Iklan obat pelangsing turun 10kg seminggu, klaim menyesatkan banget.",
            "Katanya terbukti klinis, padahal iklan {product} ini cuma klaim palsu.",
            "Iklan obat ajaib sembuh diabetes 7 hari, jangan percaya.",
        ),
        "prohibited_products": (
            "Iklan judi online makin banyak aja, bukannya dilarang?",
            "Ada yang jual obat keras tanpa resep di kolom komentar.",
            "Jual vape ke anak di bawah umur terang-terangan.",
        ),
        "shop_affiliate_fraud": (
            "Beli dari toko di iklan, barangnya beda jauh, penjualnya malah blokir saya.",
            "Link affiliate ini ngarah ke toko palsu, jangan diklik.",
            "Tokonya penuh review palsu, paket gak pernah sampai.",
        ),
        "creator_monetization_abuse": (
            "Akun ini cuma reupload video orang terus dapat duit dari monetisasi.",
            "Banyak kreator beli view dan followers bot biar lolos monetisasi.",
        ),
        "live_gifting_abuse": (
            "Live yang minta-minta gift terus tiap menit, capek liatnya.",
            "Habis {amount} buat gift di live, eh hostnya ngilang.",
            "Anak kecil disuruh live minta saweran gift, kasihan.",
        ),
        "ad_fraud_invalid_traffic": (
            "Iklan dapat 3 ribu klik tapi nol penjualan, kayaknya klik palsu dari bot.",
            "Traffic iklan minggu ini aneh, banyak klik tidak valid.",
        ),
        "payments_refunds": (
            "Refund belum masuk juga udah {days} hari, CS cuma balas template.",
            "Saldo kepotong dua kali, uang tidak kembali sampai sekarang.",
            "Pesanan dibatalkan tapi dana belum dikembalikan.",
        ),
        "advertiser_trust": (
            "Akun iklan diblokir tanpa alasan, banding gak ada jawaban.",
            "Udah keluar {amount} buat iklan, tiba-tiba akun iklan dinonaktifkan.",
            "Iklan ditolak terus katanya melanggar kebijakan, tapi gak dijelasin yang mana.",
        ),
        "regulatory_legal": (
            "OJK harus tindak tegas iklan investasi ilegal di medsos.",
            "Kominfo katanya mau blokir platform yang membiarkan iklan judi.",
            "Semoga ada gugatan ke platform soal iklan menyesatkan ini.",
        ),
        "privacy_targeting": (
            "Baru ngobrol soal {thing}, langsung muncul iklannya. HP kita disadap?",
            "Kok bisa tahu nomor HP saya? Data pribadi bocor, tiap hari ditawari pinjol.",
            "Iklan tertarget pakai data pribadi kita tanpa izin.",
        ),
    },
    slots={
        "food": ("bakso", "mie ayam", "nasi padang", "seblak", "martabak", "sate", "soto", "es teh"),
        "show": ("drakor baru", "sinetron itu", "anime yang lagi rame", "film horor baru"),
        "product": ("earphone", "skincare", "sepatu lari", "rice cooker", "tas ransel", "serum"),
        "thing": ("kasur baru", "susu bayi", "liburan ke Bali", "rambut rontok", "mobil bekas"),
        "celeb": (
            "artis terkenal",
            "presenter TV",
            "pengusaha terkenal",
            "menteri keuangan",
            "ustaz terkenal",
        ),
    },
    openers=("Jujur ya,", "Guys,", "Duh.", "Serius deh,", "Wkwk", "Info aja,"),
    tails_neg=("Ada yang ngalamin juga?", "Kesel banget.", "Tolong report ya.", "Hati-hati guys.", "Capek."),
    tails_pos=("Mantap.", "Rekomen banget.", "Bahagia itu sederhana.", "Gak nyesel.", "Enak parah."),
    tags=("#kuliner", "#jakarta", "#fyp", "#weekend", "#receh", "#healing"),
)

MS = Bank(
    lang="ms",
    chatter=(
        "Akhirnya cuba {food} dekat {place}, memang sedap, berbaloi beratur.",
        "Siapa tengok {show} minggu ni? Tak boleh berhenti.",
        "Hujan lagi petang ni, sedap makan {food} panas-panas.",
        "Video baru {creator} kelakar gila, dah tengok {n} kali.",
        "{product} yang aku beli dah sampai, kualiti okay.",
        "Jalan ke {place} jem teruk pagi tadi.",
        "Hujung minggu ni nak pergi {place}, ada cadangan tempat makan?",
        "Resipi {food} {creator} senang je, family suka.",
        "Tak sedar dah hujung bulan.",
        "Kucing aku tidur atas laptop lagi, tak boleh buat kerja.",
    ),
    risk={
        "scam_ads": (
            "Iklan scam lagi, katanya pelaburan dijamin untung {pct}% sebulan. Macam mana boleh lepas?",
            "Dah report iklan penipuan ni {n} kali tapi masih keluar.",
            "Hati-hati iklan jual {product} harga {amount}, penipuan, page baru buat minggu lepas.",
        ),
        "deepfake_impersonation": (
            "Ada video deepfake {celeb} promosi skim pelaburan, nampak betul-betul real.",
            "Iklan guna video palsu {celeb} buatan AI, tolong report.",
        ),
        "misleading_claims": (
            "Iklan produk kurus turun 10kg seminggu, tipu je semua tu.",
            "Iklan ubat ajaib sembuh kencing manis dalam 7 hari, jangan percaya.",
        ),
        "prohibited_products": (
            "Banyak iklan judi online sekarang, bukan haram ke?",
            "Ada orang jual ubat tanpa preskripsi dalam komen.",
        ),
        "shop_affiliate_fraud": (
            "Beli dari kedai dalam iklan, barang lain yang sampai, seller terus block.",
            "Link affiliate ni bawa ke kedai palsu, jangan klik.",
        ),
        "creator_monetization_abuse": ("Akaun ni reupload video orang lain lepas tu dapat duit monetisasi.",),
        "live_gifting_abuse": (
            "Live yang asyik minta gift setiap minit, rimas tengok.",
            "Habis {amount} bagi gift masa live, lepas tu host hilang.",
        ),
        "ad_fraud_invalid_traffic": ("Iklan dapat banyak klik tapi tak ada jualan langsung, mesti klik bot.",),
        "payments_refunds": (
            "Dah {days} hari tunggu refund, duit tak masuk lagi.",
            "Kena caj dua kali, bayaran balik belum dapat sampai sekarang.",
            "Order dah cancel tapi duit tak dikembalikan lagi.",
        ),
        "advertiser_trust": (
            "Akaun iklan kena gantung tanpa sebab, rayuan tak berjawab.",
            "Dah habis {amount} untuk iklan, tiba-tiba akaun iklan disekat.",
        ),
        "regulatory_legal": (
            "MCMC patut ambil tindakan pada iklan pelaburan haram ni.",
            "Bank Negara dah keluarkan amaran pasal skim pelaburan dalam iklan media sosial.",
        ),
        "privacy_targeting": (
            "Baru sembang pasal {thing}, terus keluar iklan. Telefon dengar ke?",
            "Macam mana diorang dapat nombor telefon aku? Data peribadi bocor.",
        ),
    },
    slots={
        "food": ("nasi lemak", "roti canai", "char kuey teow", "laksa", "satay", "teh tarik", "mee goreng"),
        "show": ("drama Korea baru", "drama slot Akasia", "anime yang viral"),
        "product": ("earphone", "air fryer", "kasut lari", "periuk nasi", "beg sandang"),
        "thing": ("tilam baru", "susu budak", "cuti ke Langkawi", "rambut gugur"),
        "celeb": ("pelakon terkenal", "penyampai berita", "ahli perniagaan terkenal", "menteri"),
    },
    openers=("Jujur cakap,", "Korang,", "Aduh.", "Serius,", "Haha"),
    tails_neg=("Ada yang kena jugak?", "Geram betul.", "Tolong report.", "Hati-hati semua."),
    tails_pos=("Puas hati.", "Memang best.", "Recommended.", "Terbaik."),
    tags=("#malaysia", "#makan", "#fyp", "#cuti"),
)

MANGLISH = Bank(
    lang="ms",
    chatter=(
        "Went to {place} for {food} just now, damn sedap lah.",
        "Anyone watching {show}? Cannot stop already.",
        "Hujan again, best to makan {food} and sleep lah.",
        "{creator} new video so funny one, watched {n} times liao.",
        "My {product} sampai already, quality not bad leh.",
        "Jam like crazy going to {place} this morning, sure late one.",
        "Weekend want to go {place}, got any makan place to recommend?",
    ),
    risk={
        "scam_ads": (
            "Again this scam ad lah, say investment confirm untung {pct}% every month. How can pass one?",
            "Report this scam ad {n} times already still keep coming out.",
        ),
        "deepfake_impersonation": ("Got deepfake video of {celeb} promoting investment, looks so real wei.",),
        "misleading_claims": ("The ad say can slim 10kg in one week, confirm tipu one.",),
        "prohibited_products": ("So many online gambling ads now, not illegal meh?",),
        "shop_affiliate_fraud": ("Bought from the shop in the ad, sampai wrong item, seller block me pulak.",),
        "creator_monetization_abuse": ("This fella reupload other people video then get monetization money.",),
        "live_gifting_abuse": ("The live keep asking for gifts every minute, so rimas.",),
        "ad_fraud_invalid_traffic": ("Our ad got so many clicks but zero sales, sure bot clicks one.",),
        "payments_refunds": (
            "Wait {days} days already still no refund, customer service keep copy paste reply.",
            "Kena charged twice, refund also not yet masuk.",
        ),
        "advertiser_trust": ("Ad account kena suspend for no reason, appeal also no reply.",),
        "regulatory_legal": ("MCMC should take action on these investment scam ads lah.",),
        "privacy_targeting": ("Just talk about {thing} only, terus keluar ads. Phone listening ah?",),
    },
    slots={
        "food": ("nasi lemak", "roti canai", "char kuey teow", "bak kut teh", "cendol"),
        "show": ("the new Korean drama", "that Netflix series"),
        "product": ("earphone", "air fryer", "running shoe", "power bank"),
        "thing": ("new mattress", "baby milk powder", "Langkawi trip"),
        "celeb": ("one famous actor", "the news presenter", "a Datuk businessman"),
    },
    openers=("Aiyo,", "Wah,", "Eh guys,", "Alamak."),
    tails_neg=("Anyone kena also?", "Geram betul lah.", "Please report ah."),
    tails_pos=("Shiok!", "Confirm come back again.", "Best lah."),
    tags=("#malaysia", "#makan", "#fyp"),
)
