"""Item "Tổng hợp ý kiến, kiến nghị của cử tri trước kỳ họp": the report of the Vietnam
Fatherland Front committee of the city on what voters said at the pre-session meetings."""

import random

from blocks import (MTTQ, caption, data_table, heading, header, paras, recipient, signature,
                    subheading, title)
from common import build, dec, num
from texts import MTTQ_CHAIR, RIVERS, ROADS, STREETS, UNITS

FIELDS = [
    ("Kinh tế, tài chính, ngân sách và đầu tư công", [
        "phản ánh dự án nâng cấp đường {road} thi công kéo dài, gây bụi, ngập úng, ảnh hưởng đến việc đi lại, buôn bán của người dân. Đề nghị Ủy ban nhân dân thành phố chỉ đạo chủ đầu tư đẩy nhanh tiến độ, bảo đảm vệ sinh môi trường trong quá trình thi công.",
        "đề nghị thành phố sớm bố trí vốn cải tạo chợ {u}, hiện đã xuống cấp nghiêm trọng, không bảo đảm an toàn phòng cháy, chữa cháy.",
        "đề nghị công khai tiến độ thực hiện và giải ngân các dự án đầu tư công trên địa bàn để Nhân dân cùng theo dõi, giám sát.",
        "kiến nghị có chính sách hỗ trợ hộ kinh doanh chuyển đổi sang hoạt động theo mô hình doanh nghiệp; đơn giản hóa thủ tục kê khai thuế đối với hộ kinh doanh.",
        "phản ánh việc hỗ trợ chuyển đổi cơ cấu cây trồng còn chậm, mức hỗ trợ giống chưa sát với giá thị trường.",
        "đề nghị thành phố quan tâm đầu tư hạ tầng cụm công nghiệp để thu hút doanh nghiệp, tạo việc làm cho lao động địa phương.",
    ]),
    ("Đô thị, đất đai, tài nguyên và môi trường", [
        "phản ánh tình trạng ngập úng cục bộ trên đường {street} mỗi khi mưa lớn. Đề nghị sớm nạo vét, cải tạo hệ thống thoát nước khu vực này.",
        "đề nghị đẩy nhanh việc cấp giấy chứng nhận quyền sử dụng đất cho các hộ dân đã sử dụng đất ổn định, không có tranh chấp.",
        "phản ánh việc thu gom rác thải sinh hoạt chưa đúng giờ, còn tình trạng đổ rác không đúng nơi quy định ở khu vực ven sông {river}.",
        "kiến nghị niêm yết công khai quy hoạch phân khu và kế hoạch sử dụng đất hằng năm tại trụ sở phường, xã để người dân biết, thực hiện.",
        "phản ánh tình trạng sạt lở bờ sông {river} đe dọa an toàn nhà ở của nhiều hộ dân. Đề nghị sớm đầu tư kè chống sạt lở.",
        "đề nghị giải quyết dứt điểm việc bồi thường, hỗ trợ tái định cư cho các hộ dân bị ảnh hưởng bởi dự án nâng cấp đường {road}.",
        "phản ánh nhiều tuyến hẻm xuống cấp, đèn chiếu sáng công cộng hư hỏng nhưng chưa được thay thế kịp thời.",
    ]),
    ("Văn hóa - xã hội, giáo dục và y tế", [
        "đề nghị bố trí đủ giáo viên, nhất là giáo viên tiếng Anh, tin học cho các trường tiểu học; giảm sĩ số học sinh trên lớp.",
        "phản ánh trạm y tế còn thiếu bác sĩ, thiếu thuốc bảo hiểm y tế. Đề nghị tăng cường nhân lực và trang thiết bị cho y tế cơ sở.",
        "đề nghị xem xét nâng mức hỗ trợ đối với người cao tuổi, người có công với cách mạng và hộ cận nghèo.",
        "kiến nghị đầu tư thêm sân chơi, điểm sinh hoạt cộng đồng cho thanh thiếu niên và người cao tuổi.",
        "phản ánh tình trạng dạy thêm, học thêm chưa đúng quy định. Đề nghị ngành giáo dục tăng cường kiểm tra, xử lý.",
        "đề nghị quan tâm giải quyết việc làm cho lao động lớn tuổi bị mất việc tại các doanh nghiệp.",
    ]),
    ("Cải cách hành chính và hoạt động của chính quyền địa phương hai cấp", [
        "phản ánh sau sắp xếp đơn vị hành chính, trụ sở mới ở xa, việc đi lại làm thủ tục còn khó khăn. Đề nghị bố trí điểm tiếp nhận hồ sơ tại các khu vực đông dân cư.",
        "đề nghị cập nhật thông tin địa chỉ mới trên giấy tờ của công dân mà không thu phí, không yêu cầu người dân đi lại nhiều lần.",
        "kiến nghị tiếp tục hướng dẫn người cao tuổi sử dụng dịch vụ công trực tuyến; không bắt buộc nộp hồ sơ trực tuyến khi người dân chưa đủ điều kiện.",
        "đề nghị có phương án sử dụng hiệu quả các trụ sở dôi dư sau sắp xếp, tránh để xuống cấp, lãng phí.",
        "phản ánh thời gian giải quyết hồ sơ đất đai còn kéo dài, nhiều hồ sơ bị trễ hẹn.",
    ]),
    ("Quốc phòng, an ninh, trật tự an toàn xã hội", [
        "phản ánh tình trạng tụ tập đua xe trái phép vào ban đêm trên đường {street}. Đề nghị lực lượng công an tăng cường tuần tra, xử lý nghiêm.",
        "đề nghị tăng cường tuyên truyền, ngăn chặn các hình thức lừa đảo qua mạng, đặc biệt đối với người cao tuổi.",
        "kiến nghị lắp đặt thêm camera giám sát tại các nút giao thông và khu vực phức tạp về an ninh, trật tự.",
        "phản ánh tình trạng lấn chiếm vỉa hè, lòng đường để buôn bán, gây mất an toàn giao thông.",
        "đề nghị xử lý nghiêm tình trạng khai thác cát trái phép trên sông {river}.",
    ]),
]


def _who(rng):
    if rng.random() < 0.3:
        a, b = rng.sample(UNITS, 2)
        return f"Cử tri {a}, {b}"
    return f"Cử tri {rng.choice(UNITS)}"


def _meetings(rng):
    """Meetings per delegates' group: (group, units, meetings, voters, opinions)."""
    units = UNITS[:]
    rows = []
    for i in range(14):
        covered = units[2 * i:2 * i + 2]
        rows.append((f"Tổ đại biểu số {i + 1}", ", ".join(covered), rng.randint(3, 6),
                     rng.randint(380, 1150), rng.randint(18, 64)))
    return rows


def voters_report(path, seed=105):
    rng = random.Random(seed)
    meetings = _meetings(rng)
    n_meet = sum(m[2] for m in meetings)
    n_voters = sum(m[3] for m in meetings)
    n_ops = sum(m[4] for m in meetings)
    s = header(MTTQ, "Số: 156/BC-MTTQ-BTT", 24, 11)
    s += title("BÁO CÁO", "Tổng hợp ý kiến, kiến nghị của cử tri trước Kỳ họp thứ mười,",
               "Hội đồng nhân dân thành phố khóa XVI")
    s += recipient("Hội đồng nhân dân thành phố Phú An")
    s += paras([
        "Thực hiện Nghị quyết liên tịch về hướng dẫn tiếp xúc cử tri của đại biểu Hội đồng "
        "nhân dân và Chương trình phối hợp giữa Thường trực Hội đồng nhân dân thành phố với "
        "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam thành phố, trong tháng 11 năm 2026 "
        "các Tổ đại biểu Hội đồng nhân dân thành phố đã tổ chức tiếp xúc cử tri trước Kỳ họp "
        "thứ mười. Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam thành phố tổng hợp ý kiến, "
        "kiến nghị của cử tri như sau:"])
    s.append(heading("I. KẾT QUẢ TỔ CHỨC TIẾP XÚC CỬ TRI"))
    s += paras([
        f"Các Tổ đại biểu đã tổ chức {n_meet} buổi tiếp xúc cử tri tại {len(UNITS)} phường, "
        f"xã với {num(n_voters)} lượt cử tri tham dự; có {n_ops} lượt ý kiến phát biểu. Ngoài "
        "các buổi tiếp xúc trực tiếp, Ban Thường trực còn tiếp nhận ý kiến của cử tri qua hộp "
        "thư góp ý, đường dây nóng và Cổng Thông tin điện tử của Hội đồng nhân dân thành phố.",
        "Công tác tổ chức tiếp xúc cử tri được chuẩn bị chu đáo, đúng quy định; thông báo thời "
        "gian, địa điểm được gửi đến cử tri trước ít nhất 05 ngày. Nhiều buổi tiếp xúc có sự "
        "tham dự của lãnh đạo các sở, ngành để trực tiếp giải trình, làm rõ những vấn đề cử "
        "tri quan tâm."])
    rows = [[str(i), g, u, str(m), num(v), str(o)]
            for i, (g, u, m, v, o) in enumerate(meetings, 1)]
    rows.insert(0, ["", "TỔNG CỘNG", "", str(n_meet), num(n_voters), str(n_ops)])
    s.append(caption("Bảng 1. KẾT QUẢ TIẾP XÚC CỬ TRI CỦA CÁC TỔ ĐẠI BIỂU"))
    s.append(data_table(["STT", "Tổ đại biểu", "Địa bàn tiếp xúc", "Số buổi",
                         "Số lượt cử tri", "Số ý kiến"], rows,
                        [0.07, 0.2, 0.38, 0.1, 0.13, 0.12], "cllrrr", bold_rows={0},
                        shade_rows={0}))

    s.append(heading("II. Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI"))
    s += paras(["Qua tổng hợp, cử tri thành phố phấn khởi, tin tưởng vào sự lãnh đạo của Đảng, "
                "sự điều hành của chính quyền; đánh giá cao việc sắp xếp tổ chức bộ máy và vận "
                "hành chính quyền địa phương hai cấp. Bên cạnh đó, cử tri có những ý kiến, kiến "
                "nghị cụ thể sau:"])
    counts = []
    for i, (field, items) in enumerate(FIELDS, 1):
        s.append(subheading(f"{i}. Lĩnh vực {field[0].lower() + field[1:]}"))
        texts = []
        for j, t in enumerate(items, 1):
            text = t.format(road=rng.choice(ROADS), street=rng.choice(STREETS),
                            river=rng.choice(RIVERS), u=rng.choice(UNITS))
            texts.append(f"{i}.{j}. {_who(rng)} {text}")
        s += paras(texts)
        counts.append([field, len(items) * rng.randint(9, 16)])
    # Scale the per-field counts so that they add up to the opinions in Bảng 1.
    weight = sum(c for _, c in counts)
    for c in counts:
        c[1] = round(c[1] * n_ops / weight)
    counts[0][1] += n_ops - sum(c for _, c in counts)

    s.append(heading("III. VỀ KẾT QUẢ GIẢI QUYẾT KIẾN NGHỊ CỬ TRI KỲ HỌP TRƯỚC"))
    total = sum(c for _, c in counts)
    s += paras([
        "Cử tri ghi nhận nhiều kiến nghị gửi đến kỳ họp trước đã được các cơ quan, đơn vị "
        "giải quyết, trả lời cụ thể, rõ ràng. Tuy nhiên, một số kiến nghị còn được trả lời "
        "chung chung, chưa nêu rõ thời gian giải quyết; một số vấn đề cử tri kiến nghị nhiều "
        "lần nhưng chậm được xử lý, nhất là về ngập úng, bồi thường giải phóng mặt bằng và "
        "cấp giấy chứng nhận quyền sử dụng đất."])
    rows = [[str(i), f, str(c), dec(c / total * 100)] for i, (f, c) in enumerate(counts, 1)]
    rows.insert(0, ["", "TỔNG SỐ", str(total), "100,0"])
    s.append(caption("Bảng 2. SỐ LƯỢT Ý KIẾN, KIẾN NGHỊ THEO LĨNH VỰC"))
    s.append(data_table(["STT", "Lĩnh vực", "Số lượt ý kiến", "Tỷ lệ (%)"], rows,
                        [0.08, 0.6, 0.16, 0.16], "clrr", bold_rows={0}, shade_rows={0}))
    s.append(heading("IV. ĐỀ XUẤT, KIẾN NGHỊ"))
    s += paras([
        "1. Đề nghị Thường trực Hội đồng nhân dân thành phố chuyển các ý kiến, kiến nghị nêu "
        "trên đến các cơ quan có thẩm quyền để xem xét, giải quyết và trả lời cử tri theo quy "
        "định; đưa một số vấn đề cử tri quan tâm vào nội dung chất vấn tại kỳ họp.",
        "2. Đề nghị Ủy ban nhân dân thành phố chỉ đạo các sở, ngành và Ủy ban nhân dân các "
        "phường, xã giải quyết dứt điểm các kiến nghị tồn đọng kéo dài; công khai kết quả giải "
        "quyết trên các phương tiện thông tin đại chúng.",
        "3. Ủy ban Mặt trận Tổ quốc Việt Nam các phường, xã tiếp tục theo dõi, giám sát việc "
        "giải quyết kiến nghị của cử tri và kịp thời phản ánh những vấn đề mới phát sinh.",
        "Trên đây là báo cáo tổng hợp ý kiến, kiến nghị của cử tri trước Kỳ họp thứ mười, Hội "
        "đồng nhân dân thành phố khóa XVI. Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam "
        "thành phố kính gửi Hội đồng nhân dân thành phố xem xét./."])
    s += signature(["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"], MTTQ_CHAIR, [
        "Thường trực Thành ủy;", "Thường trực HĐND thành phố;", "UBND thành phố;",
        "Đại biểu HĐND thành phố;", "Ủy ban MTTQ Việt Nam các phường, xã;", "Lưu: VT."])
    return build(path, s, "Báo cáo tổng hợp ý kiến, kiến nghị của cử tri",
                 "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Phú An")
