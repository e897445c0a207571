"""Names and sentence banks for the demo papers, and small helpers that draw from them
with a seeded random.Random, so the same seed always gives the same text.

The city, its wards and communes, rivers and people are invented."""

WARDS = [  # phường (urban wards)
    "An Phú", "Bình Minh", "Hòa Bình", "Tân An", "Phú Hưng", "Thạnh Mỹ", "Long Hòa",
    "Đông Hải", "Nam Thành", "Hưng Thịnh", "Minh Khai", "Thuận An", "Vĩnh Phú",
    "Trung An", "Quảng Phú", "Bến Đá",
]
COMMUNES = [  # xã (rural communes)
    "Phước Hải", "Tây Sơn", "Bắc Sơn", "Xuân Hòa", "Tân Lập", "Hòa Tiến", "Cát Tiên",
    "Suối Trầu", "Gò Sành", "Lộc Thọ", "Tam Giang", "Vĩnh Thạnh",
]
UNITS = [f"phường {w}" for w in WARDS] + [f"xã {c}" for c in COMMUNES]

STREETS = [
    "Trần Hưng Đạo", "Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Phan Bội Châu",
    "Nguyễn Trãi", "Lý Thường Kiệt", "Hùng Vương", "Điện Biên Phủ", "Võ Thị Sáu",
    "Nguyễn Thị Minh Khai", "Tôn Đức Thắng", "Quang Trung", "Bạch Đằng", "Chu Văn An",
    "Phạm Văn Đồng", "Hoàng Diệu", "Ngô Quyền", "Trần Phú", "Lê Thánh Tông",
    "Nguyễn Du", "Huỳnh Thúc Kháng", "Phan Chu Trinh", "Lạc Long Quân", "Âu Cơ",
    "Nguyễn Văn Cừ", "Yersin", "Nguyễn Đình Chiểu", "Trường Chinh", "Lê Hồng Phong",
]
RIVERS = ["Phú An", "Bến Đá", "Tam Giang", "Cầu Đỏ", "Suối Trầu"]
ROADS = ["ĐT.741", "ĐT.743", "ĐT.745", "ĐT.748", "ĐH.12", "ĐH.15", "ĐH.21"]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Lâm", "Đinh", "Tạ"]
MIDDLE_M = ["Văn", "Minh", "Quốc", "Đức", "Hữu", "Thanh", "Công", "Xuân"]
MIDDLE_F = ["Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ"]
GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Thắng", "Phong", "Hải", "Nam", "Sơn", "Toàn", "Trí",
           "Khang", "Bảo", "Lộc", "Tài", "Hiếu", "Nghĩa"]
GIVEN_F = ["Hoa", "Lan", "Hương", "Nga", "Thảo", "Trang", "Yến", "Vân", "Hạnh", "Loan",
           "Dung", "Oanh", "Nhung", "Phượng"]

# Signers (invented, except the council's own chair, who is in assets/demo/council.json).
UBND_CHAIR = "Lê Hoàng Nam"
HDND_CHAIR = "Nguyễn Văn Thành"
KTNS_HEAD = "Vũ Đức Minh"
MTTQ_CHAIR = "Trương Thị Kim Oanh"
OFFICE_HEAD = "Trần Thị Thu Hà"


def person(rng, female=None):
    """'ông Trần Văn Hải' / 'bà Lê Thị Lan'."""
    if female is None:
        female = rng.random() < 0.45
    if female:
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
        return "bà " + name
    return f"ông {rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"


def unit(rng):
    return rng.choice(UNITS)


def pick(rng, bank, n):
    """n different sentences from a bank, in the bank's order (so the prose reads in a
    natural sequence), joined into one paragraph."""
    idx = sorted(rng.sample(range(len(bank)), n))
    return " ".join(bank[i] for i in idx)


def paragraphs(rng, bank, count, per=(2, 3)):
    """`count` paragraphs, each of `per` sentences, using every sentence at most once
    while the bank lasts."""
    order = list(range(len(bank)))
    rng.shuffle(order)
    out = []
    for _ in range(count):
        n = rng.randint(*per)
        if len(order) < n:
            order = list(range(len(bank)))
            rng.shuffle(order)
        chosen, order = sorted(order[:n]), order[n:]
        out.append(" ".join(bank[i] for i in chosen))
    return out


BUDGET_ASSESS = [
    "Công tác quản lý, điều hành ngân sách được thực hiện chủ động, chặt chẽ, đúng quy định của pháp luật.",
    "Các cơ quan, đơn vị đã quán triệt tinh thần tiết kiệm, chống lãng phí ngay từ khâu lập và giao dự toán.",
    "Thu ngân sách nhà nước trên địa bàn ước đạt và vượt dự toán Hội đồng nhân dân thành phố giao.",
    "Một số khoản thu chiếm tỷ trọng lớn như thu từ khu vực kinh tế ngoài quốc doanh, thuế thu nhập cá nhân tăng khá so với cùng kỳ.",
    "Thu tiền sử dụng đất chưa đạt tiến độ do thị trường bất động sản phục hồi chậm và công tác đấu giá quyền sử dụng đất còn vướng mắc.",
    "Chi ngân sách địa phương cơ bản đáp ứng kịp thời các nhiệm vụ chính trị, bảo đảm an sinh xã hội và quốc phòng, an ninh.",
    "Giải ngân vốn đầu tư công có chuyển biến tích cực nhưng chưa đồng đều giữa các chủ đầu tư.",
    "Ủy ban nhân dân thành phố đã chỉ đạo rà soát, cắt giảm các khoản chi chưa thật sự cần thiết, chi hội nghị, công tác phí.",
    "Nguồn dự phòng ngân sách được sử dụng đúng mục đích, tập trung khắc phục hậu quả thiên tai, dịch bệnh và các nhiệm vụ cấp bách phát sinh.",
    "Việc thực hiện chính sách tiền lương mới và các chế độ an sinh xã hội được bảo đảm đầy đủ, kịp thời.",
    "Công tác thanh tra, kiểm tra tài chính, ngân sách được tăng cường; các sai phạm phát hiện đã được xử lý theo quy định.",
    "Tình trạng nợ đọng thuế tuy đã giảm nhưng vẫn còn ở mức cao ở một số lĩnh vực.",
    "Việc sắp xếp tổ chức bộ máy và đơn vị hành chính cấp xã đã tác động đến công tác lập, giao và thực hiện dự toán của các đơn vị.",
    "Kỷ luật, kỷ cương tài chính tiếp tục được giữ vững; công khai ngân sách được thực hiện theo đúng quy định.",
]

BUDGET_PRINCIPLES = [
    "Dự toán ngân sách năm 2027 được xây dựng trên cơ sở các chỉ tiêu phát triển kinh tế - xã hội năm 2027 và kế hoạch tài chính 05 năm giai đoạn 2026 - 2030.",
    "Dự toán thu được xây dựng tích cực, sát thực tế, tính đúng, tính đủ các khoản thu theo quy định, không đưa vào dự toán các khoản thu chưa chắc chắn.",
    "Bố trí chi thường xuyên theo hướng tiết kiệm, hiệu quả, ưu tiên các nhiệm vụ chi cho con người và an sinh xã hội.",
    "Tiếp tục thực hiện cơ chế tạo nguồn cải cách tiền lương theo quy định của Chính phủ và hướng dẫn của Bộ Tài chính.",
    "Bố trí vốn đầu tư phát triển tập trung, có trọng tâm, trọng điểm, ưu tiên thanh toán nợ đọng xây dựng cơ bản và các dự án chuyển tiếp.",
    "Dự phòng ngân sách được bố trí theo đúng tỷ lệ quy định của Luật Ngân sách nhà nước để chủ động xử lý các nhiệm vụ cấp bách, đột xuất.",
    "Tăng cường phân cấp, giao quyền tự chủ cho các đơn vị sự nghiệp công lập gắn với trách nhiệm giải trình.",
    "Bảo đảm kinh phí thực hiện chuyển đổi số, cải cách hành chính và vận hành chính quyền địa phương hai cấp.",
]

SOLUTIONS = [
    "Tăng cường công tác quản lý thu, chống thất thu, chống chuyển giá, trốn thuế; đẩy mạnh thu hồi nợ đọng thuế.",
    "Đẩy nhanh tiến độ đấu giá quyền sử dụng đất đối với các khu đất đã đủ điều kiện, bảo đảm công khai, minh bạch.",
    "Quản lý chi ngân sách chặt chẽ, đúng dự toán được giao; kiên quyết cắt giảm, thu hồi các khoản chi chậm triển khai.",
    "Đẩy nhanh tiến độ giải ngân vốn đầu tư công; xử lý trách nhiệm người đứng đầu đơn vị chậm giải ngân.",
    "Thực hiện nghiêm quy định về công khai ngân sách và tăng cường trách nhiệm giải trình của các cơ quan, đơn vị.",
    "Đẩy mạnh chuyển đổi số trong quản lý thuế, kho bạc và thanh toán không dùng tiền mặt.",
    "Rà soát, sắp xếp lại tài sản công dôi dư sau sắp xếp đơn vị hành chính, tránh thất thoát, lãng phí.",
    "Nâng cao chất lượng công tác lập, thẩm định và phê duyệt dự án, hạn chế điều chỉnh nhiều lần.",
]

REVIEW_AGREE = [
    "Ban Kinh tế – Ngân sách cơ bản thống nhất với đánh giá của Ủy ban nhân dân thành phố về tình hình thực hiện dự toán ngân sách năm 2026.",
    "Ban thống nhất với các nguyên tắc, căn cứ xây dựng dự toán ngân sách năm 2027 mà Ủy ban nhân dân thành phố trình.",
    "Dự toán thu được xây dựng trên cơ sở đánh giá khả năng thực hiện của từng lĩnh vực, từng khoản thu, có tính đến yếu tố tăng trưởng kinh tế.",
    "Việc bố trí dự toán chi cơ bản đáp ứng yêu cầu thực hiện các nhiệm vụ chính trị của thành phố.",
    "Ban đánh giá cao sự chủ động của Ủy ban nhân dân thành phố trong việc điều hành ngân sách trong bối cảnh còn nhiều khó khăn.",
    "Các khoản chi cho giáo dục, đào tạo và khoa học, công nghệ được bố trí không thấp hơn mức quy định.",
]

REVIEW_CONCERNS = [
    "Dự toán thu tiền sử dụng đất năm 2027 còn cao so với khả năng thực hiện, tiềm ẩn rủi ro mất cân đối nguồn vốn đầu tư.",
    "Một số khoản chi thường xuyên được bố trí chưa sát với nhu cầu thực tế, dẫn đến phải điều chỉnh, bổ sung nhiều lần trong năm.",
    "Tỷ lệ giải ngân vốn đầu tư công ở một số chủ đầu tư còn thấp, chưa tương xứng với kế hoạch vốn được giao.",
    "Việc phân bổ dự toán cho các phường, xã sau sắp xếp cần được tính toán kỹ để bảo đảm hoạt động của chính quyền cơ sở.",
    "Nợ đọng thuế còn lớn, đề nghị Ủy ban nhân dân thành phố có giải pháp quyết liệt hơn để thu hồi.",
    "Cần làm rõ nguồn kinh phí thực hiện các chính sách mới do Hội đồng nhân dân thành phố ban hành trong năm 2026.",
    "Số chuyển nguồn sang năm sau còn lớn, phản ánh chất lượng lập và giao dự toán ở một số đơn vị chưa cao.",
]


def roman(n):
    vals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out
