"""Thai and Vietnamese phrase banks."""

from __future__ import annotations

from monitio.demo.phrases import Bank

TH = Bank(
    lang="th",
    latin=False,
    chatter=(
        "ได้ลองกิน{food}ที่{place}แล้ว อร่อยมาก คุ้มที่ต่อคิว",
        "ใครดู{show}อยู่บ้าง ดูจนลืมนอนเลย",
        "ฝนตกอีกแล้ว อากาศแบบนี้ต้อง{food}",
        "คลิปใหม่ของ{creator}ตลกมาก ดูไป{n}รอบแล้ว",
        "{product}ที่สั่งมาถึงแล้ว ดีกว่าที่คิดไว้",
        "รถติดมากแถว{place}เช้านี้",
        "เสาร์อาทิตย์นี้จะไป{place} มีร้านอร่อยแนะนำไหม",
        "วันนี้วิ่งไป{n}กิโล เหนื่อยแต่ฟิน",
        "แมวมานอนทับคีย์บอร์ดอีกแล้ว ทำงานไม่ได้เลย",
        "ไม่อยากเชื่อว่าสิ้นเดือนอีกแล้ว",
        "เลิกงานแล้วไปกิน{food}กับเพื่อนที่{place}",
        "ต้นไม้ที่ระเบียงออกดอกแล้ว ดีใจมาก",
        "วันหยุดนี้นอนดู{show}ทั้งวัน",
        "อากาศที่{place}วันนี้ร้อนมาก อยากกินน้ำมะพร้าว",
        "ฝึกทำ{food}เองครั้งแรก ออกมาพอกินได้",
        "ตื่นสายมาก วันหยุดทั้งที",
        "ไปเดินเล่นที่{place}กับครอบครัว สนุกมาก",
        "ยายเพิ่งหัดส่งสติกเกอร์ ส่งมาทุกเช้าเลย",
    ),
    risk={
        "scam_ads": (
            "เจอโฆษณาหลอกลวงอีกแล้ว บอกว่าลงทุนได้กำไร{pct}%ต่อเดือน การันตี แบบนี้ปล่อยผ่านได้ยังไง",
            "กดรายงานโฆษณามิจฉาชีพนี้ไป{n}รอบแล้ว ยังขึ้นอยู่เลย",
            "ระวังโฆษณาขาย{product}ราคา{amount} เป็นมิจฉาชีพ เพจเพิ่งเปิด",
        ),
        "deepfake_impersonation": (
            "มีคลิปดีปเฟค{celeb}ชวนลงทุน เหมือนจริงมาก แม่เกือบเชื่อ",
            "โฆษณาใช้คลิปปลอมของ{celeb}ที่ทำด้วย AI ช่วยกันรายงานด้วย",
        ),
        "misleading_claims": (
            "โฆษณาเกินจริง บอกว่าลดได้10โลในอาทิตย์เดียว",
            "โฆษณายาวิเศษรักษาเบาหวานหายใน7วัน อย่าไปเชื่อ",
        ),
        "prohibited_products": (
            "โฆษณาเว็บพนันออนไลน์เต็มไปหมด ไม่ผิดกฎหมายเหรอ",
            "มีคนขายบุหรี่ไฟฟ้าให้เด็กในคอมเมนต์ด้วย",
        ),
        "shop_affiliate_fraud": (
            "สั่งของจากร้านในโฆษณา ได้ของไม่ตรงปก ร้านบล็อกไปแล้ว",
            "ลิงก์แอฟฟิลิเอตพวกนี้พาไปร้านปลอม อย่ากด",
        ),
        "creator_monetization_abuse": ("ช่องนี้เอาคลิปคนอื่นมาลงใหม่แล้วได้เงินจากการสร้างรายได้",),
        "live_gifting_abuse": (
            "ไลฟ์ขอของขวัญทุกนาที น่ารำคาญมาก",
            "เปย์ของขวัญในไลฟ์ไป{amount} สุดท้ายโดนบล็อก",
        ),
        "ad_fraud_invalid_traffic": ("ยิงแอดได้คลิกเยอะแต่ไม่มียอดขายเลย น่าจะเป็นคลิกปลอมจากบอท",),
        "payments_refunds": (
            "รอคืนเงินมา{days}วันแล้ว ยังไม่ได้เลย แอดมินตอบแต่ข้อความเดิม",
            "โดนตัดเงินสองรอบ ยังไม่ได้เงินคืนเลย",
            "ยกเลิกออเดอร์ไปแล้วแต่ยังไม่ได้รับเงินคืน",
        ),
        "advertiser_trust": (
            "บัญชีโฆษณาโดนระงับโดยไม่มีเหตุผล อุทธรณ์ไปก็เงียบ",
            "จ่ายค่าโฆษณาไป{amount} แล้วบัญชีโฆษณาโดนปิด",
        ),
        "regulatory_legal": (
            "สคบ.ควรเอาผิดแพลตฟอร์มที่ปล่อยโฆษณาหลอกลวง",
            "ก.ล.ต.เตือนแล้วเรื่องโฆษณาชวนลงทุนปลอม",
        ),
        "privacy_targeting": (
            "แค่คุยเรื่อง{thing} โฆษณาขึ้นเลย มือถือแอบฟังเราหรือเปล่า",
            "ข้อมูลส่วนตัวรั่วแน่ๆ มีแต่โฆษณาส่ง SMS มาทุกวัน",
        ),
    },
    slots={
        "food": ("ส้มตำ", "ก๋วยเตี๋ยวเรือ", "หมูกระทะ", "ชาไทย", "ข้าวมันไก่", "ชาบู"),
        "show": ("ซีรีส์เกาหลีเรื่องใหม่", "ละครหลังข่าว", "อนิเมะที่กำลังดัง"),
        "product": ("หูฟัง", "หม้อทอดไร้น้ำมัน", "รองเท้าวิ่ง", "เคสมือถือ"),
        "thing": ("ที่นอนใหม่", "นมผงเด็ก", "เที่ยวภูเก็ต", "ผมร่วง"),
        "celeb": ("ดาราดัง", "ผู้ประกาศข่าวชื่อดัง", "นักธุรกิจชื่อดัง"),
    },
    openers=("บอกเลย", "เพื่อนๆ", "เฮ้อ", "จริงๆนะ"),
    tails_neg=("มีใครเจอแบบนี้บ้าง", "หงุดหงิดมาก", "ระวังกันด้วยนะ"),
    tails_pos=("ฟินมาก", "แนะนำเลย", "555555", "ดีต่อใจ"),
    tags=("#รีวิว", "#กินเที่ยว", "#fyp"),
)

VI = Bank(
    lang="vi",
    chatter=(
        "Cuối cùng cũng ăn thử {food} ở {place}, ngon thật sự, xếp hàng cũng đáng.",
        "Có ai đang xem {show} không? Cày xuyên đêm luôn.",
        "Trời mưa suốt, chỉ muốn ăn {food} rồi ngủ.",
        "Video mới của {creator} hài quá, xem {n} lần rồi.",
        "{product} mới về, dùng thích hơn mình nghĩ.",
        "Sáng nay kẹt xe kinh khủng ở {place}.",
        "Cuối tuần đi {place}, có quán nào ngon chỉ mình với.",
        "Chạy bộ được {n}km, mệt mà vui.",
        "Mèo nhà mình lại nằm lên bàn phím, hết làm việc.",
        "Mới đó mà đã cuối tháng rồi.",
        "Tan làm rủ đứa bạn đi ăn {food} ở {place}.",
        "Cây trên ban công cuối cùng cũng ra hoa, vui ghê.",
        "Cuối tuần nằm nhà xem {show} cả ngày.",
        "Trời {place} hôm nay nóng quá, thèm nước dừa.",
        "Lần đầu tự nấu {food}, ăn cũng được phết.",
    ),
    risk={
        "scam_ads": (
            "Lại quảng cáo lừa đảo, hứa đầu tư lãi {pct}% mỗi tháng. Sao vẫn được chạy vậy?",
            "Báo cáo quảng cáo lừa đảo này {n} lần rồi mà vẫn hiện.",
            "Cẩn thận quảng cáo bán {product} giá {amount}, lừa đảo đấy, trang mới lập.",
        ),
        "deepfake_impersonation": (
            "Có video deepfake {celeb} quảng cáo app đầu tư, giống thật lắm, mẹ mình suýt tin.",
            "Quảng cáo dùng video giả mạo {celeb} làm bằng AI, mọi người báo cáo giúp.",
        ),
        "misleading_claims": (
            "Quảng cáo sai sự thật, giảm 10kg trong một tuần.",
            "Quảng cáo thuốc thần chữa tiểu đường trong 7 ngày, đừng tin.",
        ),
        "prohibited_products": (
            "Quảng cáo cờ bạc online tràn lan, không phạm pháp à?",
            "Có người bán thuốc lá điện tử cho học sinh ngay trong bình luận.",
        ),
        "shop_affiliate_fraud": (
            "Mua ở shop trên quảng cáo, nhận hàng giả, shop chặn luôn.",
            "Link affiliate này dẫn tới shop giả, đừng bấm.",
        ),
        "creator_monetization_abuse": ("Kênh này toàn reup video người khác rồi bật kiếm tiền.",),
        "live_gifting_abuse": (
            "Livestream xin quà liên tục, phát mệt.",
            "Tặng quà trên live hết {amount}, xong bị chặn.",
        ),
        "ad_fraud_invalid_traffic": ("Chạy quảng cáo được nhiều click mà không ra đơn nào, chắc click ảo từ bot.",),
        "payments_refunds": (
            "Chờ hoàn tiền {days} ngày rồi vẫn chưa thấy, CSKH trả lời như máy.",
            "Bị trừ tiền hai lần mà chưa được hoàn tiền.",
            "Hủy đơn rồi mà tiền vẫn chưa hoàn về.",
        ),
        "advertiser_trust": (
            "Tài khoản quảng cáo bị khóa không rõ lý do, kháng nghị không ai trả lời.",
            "Đốt {amount} tiền quảng cáo xong tài khoản quảng cáo bị vô hiệu hóa.",
        ),
        "regulatory_legal": (
            "Bộ Công Thương nên xử phạt nền tảng để quảng cáo lừa đảo tràn lan.",
            "Công an đã cảnh báo về quảng cáo đầu tư giả mạo trên mạng xã hội.",
        ),
        "privacy_targeting": (
            "Vừa nói chuyện về {thing} là quảng cáo hiện ra, điện thoại nghe lén à?",
            "Lộ dữ liệu cá nhân rồi, ngày nào cũng có số lạ gọi mời chào.",
        ),
    },
    slots={
        "food": ("phở", "bún chả", "bánh mì", "trà sữa", "cơm tấm", "lẩu"),
        "show": ("phim Hàn mới", "show thực tế đó", "anime đang hot"),
        "product": ("tai nghe", "nồi chiên không dầu", "giày chạy bộ", "ốp điện thoại"),
        "thing": ("nệm mới", "sữa bột cho bé", "đi Đà Lạt", "rụng tóc"),
        "celeb": ("ca sĩ nổi tiếng", "MC truyền hình", "doanh nhân nổi tiếng"),
    },
    openers=("Nói thật,", "Mọi người ơi,", "Haizz.", "Thật sự,"),
    tails_neg=("Có ai bị giống mình không?", "Bực mình ghê.", "Cẩn thận nha mọi người."),
    tails_pos=("Đỉnh thật.", "Recommend nha.", "Vui ghê.", "Không hối hận."),
    tags=("#reviewanngon", "#saigon", "#hanoi", "#fyp"),
)
