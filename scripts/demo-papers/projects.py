"""The invented public-investment projects of Phú An behind the appendix of figures and
the list of new projects (amounts in triệu đồng). Seeded, so always the same list."""

import random
import re
from dataclasses import dataclass

from texts import COMMUNES, RIVERS, ROADS, STREETS, UNITS, WARDS

SCHOOL_NAMES = ["Kim Đồng", "Lê Quý Đôn", "Nguyễn Bỉnh Khiêm", "Trần Quốc Toản", "Võ Trường Toản",
                "Lương Thế Vinh", "Chu Văn An", "Nguyễn Khuyến", "Hoa Sen", "Sơn Ca", "Họa Mi",
                "Trưng Vương", "Đinh Tiên Hoàng", "Lý Tự Trọng", "Phan Đình Phùng"]
WARDS_UNITS = [f"phường {w}" for w in WARDS]
COMMUNE_UNITS = [f"xã {c}" for c in COMMUNES]
KHOA = ["Truyền nhiễm", "Ung bướu", "Hồi sức tích cực - Chống độc", "Nhi", "Sản", "Chấn thương chỉnh hình"]
LAKES = ["Bàu Sen", "Đồng Xoài", "Hố Đá", "Suối Tiên", "Bàu Trắng"]
OFFICES = ["Sở Tài chính", "Sở Xây dựng", "Sở Nội vụ", "Sở Tư pháp", "Sở Y tế",
           "Sở Giáo dục và Đào tạo", "Sở Nông nghiệp và Môi trường", "Sở Công Thương",
           "Sở Văn hóa, Thể thao và Du lịch", "Thanh tra thành phố", "Văn phòng UBND thành phố"]
PARKS = ["Bắc Sơn", "Nam Cảng", "Tân Phú", "Hòa Hiệp", "Đông Bình"]


def _km(r):
    return f"{r.uniform(0.6, 8.5):.2f}".replace(".", ",")


def _w(r):
    return r.choice(["7,5", "10,5", "12", "15", "21", "24"])


def _cap(s):
    return s[0].upper() + s[1:]


# Each sector: (title, investor, (min, max) total investment, [template(r) -> (name, place, scale)])
SECTORS = [
    ("Giao thông", "Ban QLDA ĐTXD các công trình giao thông", (18_000, 1_450_000), [
        lambda r: (f"Xây dựng tuyến đường {r.choice(STREETS)} (đoạn từ đường {r.choice(STREETS)} đến đường {r.choice(STREETS)})",
                   r.choice(WARDS_UNITS), f"Dài {_km(r)} km, nền đường rộng {_w(r)} m"),
        lambda r: (f"Nâng cấp, mở rộng đường {r.choice(ROADS)}, đoạn qua {(u := r.choice(UNITS))}", u,
                   f"Dài {_km(r)} km, mặt đường bê tông nhựa rộng {_w(r)} m"),
        lambda r: (f"Xây dựng cầu {r.choice(SCHOOL_NAMES[:6] + LAKES)} bắc qua sông {r.choice(RIVERS)}",
                   r.choice(UNITS), f"Cầu bê tông cốt thép dài {r.randint(60, 480)} m, rộng {_w(r)} m"),
        lambda r: (f"Cải tạo nút giao đường {r.choice(STREETS)} – đường {r.choice(STREETS)}",
                   r.choice(WARDS_UNITS), "Mở rộng nút giao, bổ sung đèn tín hiệu giao thông"),
        lambda r: (f"Đường nối từ {(a := r.choice(UNITS))} đến {r.choice([u for u in UNITS if u != a])}", a,
                   f"Dài {_km(r)} km, đường cấp III đồng bằng"),
        lambda r: (f"Hệ thống chiếu sáng công cộng tuyến đường {r.choice(STREETS)}", r.choice(WARDS_UNITS),
                   f"Dài {_km(r)} km, đèn LED tiết kiệm năng lượng"),
    ]),
    ("Nông nghiệp, thủy lợi, phòng chống thiên tai", "Ban QLDA ĐTXD các công trình nông nghiệp",
     (6_000, 420_000), [
        lambda r: (f"Kiên cố hóa kênh mương nội đồng {(u := r.choice(COMMUNE_UNITS))}", u,
                   f"Dài {_km(r)} km kênh bê tông cốt thép"),
        lambda r: (f"Nạo vét, gia cố bờ sông {r.choice(RIVERS)} đoạn qua {(u := r.choice(UNITS))}", u,
                   f"Kè bê tông dài {_km(r)} km"),
        lambda r: (f"Kè chống sạt lở bờ sông {r.choice(RIVERS)}, khu vực {(u := r.choice(UNITS))}", u,
                   f"Kè mái đá hộc dài {r.randint(300, 2500)} m"),
        lambda r: (f"Nâng cấp hồ chứa nước {r.choice(LAKES)}", r.choice(COMMUNE_UNITS),
                   f"Dung tích {r.randint(2, 18)} triệu m³, tưới cho {r.randint(150, 900)} ha"),
        lambda r: (f"Trạm bơm tưới tiêu {(u := r.choice(COMMUNE_UNITS))}", u,
                   f"Công suất {r.randint(2, 12) * 500} m³/h"),
    ]),
    ("Cấp nước, thoát nước và môi trường", "Ban QLDA ĐTXD các công trình hạ tầng kỹ thuật",
     (8_000, 980_000), [
        lambda r: (f"Hệ thống thoát nước mưa khu vực {(u := r.choice(WARDS_UNITS))}", u,
                   f"Cống hộp dài {_km(r)} km"),
        lambda r: (f"Cải tạo hệ thống thoát nước đường {r.choice(STREETS)} (đoạn từ đường {r.choice(STREETS)} đến đường {r.choice(STREETS)})",
                   r.choice(WARDS_UNITS), f"Dài {_km(r)} km, cống tròn D800 - D1500"),
        lambda r: (f"Tuyến cống bao thu gom nước thải khu vực {(u := r.choice(UNITS))}", u,
                   f"Dài {_km(r)} km, trạm bơm chuyển bậc"),
        lambda r: (f"Cải tạo cảnh quan, môi trường hồ {r.choice(LAKES)}", r.choice(UNITS),
                   f"Diện tích {r.randint(3, 25)} ha"),
        lambda r: (f"Công viên cây xanh {r.choice(PARKS)}", r.choice(WARDS_UNITS),
                   f"Diện tích {r.randint(2, 15)} ha"),
        lambda r: (f"Hệ thống cấp nước sinh hoạt tập trung {(u := r.choice(COMMUNE_UNITS))}", u,
                   f"Công suất {r.randint(2, 20) * 500} m³/ngày đêm"),
    ]),
    ("Giáo dục và đào tạo", "Ban QLDA ĐTXD các công trình dân dụng", (5_000, 160_000), [
        lambda r: (f"Xây dựng Trường Mầm non {r.choice(SCHOOL_NAMES)}, {(u := r.choice(UNITS))}", u,
                   f"{r.randint(8, 20)} nhóm, lớp và các hạng mục phụ trợ"),
        lambda r: (f"Cải tạo, nâng cấp Trường Tiểu học {r.choice(SCHOOL_NAMES)}, {(u := r.choice(UNITS))}", u,
                   f"{r.randint(12, 30)} phòng học, nhà đa năng"),
        lambda r: (f"Xây dựng khối phòng học bộ môn Trường THCS {r.choice(SCHOOL_NAMES)}, {(u := r.choice(UNITS))}",
                   u, f"{r.randint(6, 14)} phòng học bộ môn, thư viện"),
        lambda r: (f"Xây dựng nhà đa năng Trường THPT {r.choice(SCHOOL_NAMES)}, {(u := r.choice(UNITS))}", u,
                   f"Nhà thi đấu {r.randint(600, 1500)} m² sàn"),
    ]),
    ("Y tế, dân số và gia đình", "Ban QLDA ĐTXD các công trình dân dụng", (4_000, 620_000), [
        lambda r: (f"Nâng cấp Trạm Y tế {(u := r.choice(UNITS))}", u, f"Nhà {r.randint(2, 3)} tầng, {r.randint(300, 800)} m² sàn"),
        lambda r: (f"Cải tạo, mở rộng Trung tâm Y tế khu vực {(u := r.choice(UNITS))}", u,
                   f"Bổ sung {r.randint(30, 120)} giường bệnh"),
        lambda r: (f"Xây dựng Khoa {r.choice(KHOA)}, Bệnh viện Đa khoa thành phố", "phường Trung An",
                   f"Quy mô {r.randint(60, 250)} giường bệnh"),
        lambda r: (f"Đầu tư trang thiết bị y tế Trung tâm Y tế khu vực {(u := r.choice(UNITS))}", u,
                   "Trang thiết bị chẩn đoán hình ảnh, xét nghiệm"),
    ]),
    ("Văn hóa, thể thao và du lịch", "Ban QLDA ĐTXD các công trình dân dụng", (3_000, 240_000), [
        lambda r: (f"Trung tâm Văn hóa - Thể thao {(u := r.choice(UNITS))}", u,
                   f"Hội trường {r.randint(200, 500)} chỗ, sân thể thao"),
        lambda r: (f"Sân vận động {(u := r.choice(UNITS))}", u, f"Sân bóng đá {r.choice(['7', '11'])} người, khán đài"),
        lambda r: (f"Tu bổ, tôn tạo di tích đình {r.choice(WARDS + COMMUNES)}", r.choice(UNITS),
                   "Tu bổ kiến trúc, sân vườn, tường rào"),
        lambda r: (f"Hạ tầng du lịch ven sông {r.choice(RIVERS)}, khu vực {(u := r.choice(UNITS))}", u,
                   f"Đường dạo dài {_km(r)} km, bến thuyền"),
    ]),
    ("Quản lý nhà nước, quốc phòng và an ninh", "Ban QLDA ĐTXD các công trình dân dụng", (4_000, 90_000), [
        lambda r: (f"Trụ sở làm việc Đảng ủy - HĐND - UBND {(u := r.choice(UNITS))}", u,
                   f"Nhà {r.randint(3, 5)} tầng, {r.randint(1200, 3500)} m² sàn"),
        lambda r: (f"Trung tâm Phục vụ hành chính công {(u := r.choice(UNITS))}", u,
                   f"{r.randint(400, 900)} m² sàn, trang thiết bị số hóa"),
        lambda r: (f"Trụ sở Công an {(u := r.choice(UNITS))}", u, f"Nhà {r.randint(3, 4)} tầng và hạng mục phụ trợ"),
        lambda r: (f"Cải tạo, sửa chữa trụ sở {r.choice(OFFICES)}", "phường Trung An",
                   "Sửa chữa, chống thấm, phòng cháy và chữa cháy"),
    ]),
    ("Khoa học, công nghệ và chuyển đổi số", "Sở Khoa học và Công nghệ", (5_000, 180_000), [
        lambda r: (f"Hệ thống camera giám sát an ninh, trật tự {(u := r.choice(UNITS))}", u,
                   f"{r.randint(40, 260)} camera, kết nối Trung tâm điều hành"),
        lambda r: (f"Số hóa hồ sơ, tài liệu lưu trữ của {(u := r.choice(UNITS))}", u,
                   f"Khoảng {r.randint(80, 600)} nghìn trang tài liệu"),
        lambda r: (f"Hạ tầng mạng và thiết bị phòng họp không giấy {(u := r.choice(UNITS))}", u,
                   "Mạng nội bộ, thiết bị đầu cuối, phần mềm"),
    ]),
]

NOTES_OLD = ["", "", "", "Hoàn thành năm 2027", "Dự án trọng điểm", "Vốn đối ứng ODA",
             "Thanh toán khối lượng hoàn thành", "Chuyển tiếp từ giai đoạn 2021 - 2025"]
NOTES_WARD = ["", "", "", "Hoàn thành năm 2027", "Thanh toán khối lượng hoàn thành",
              "Nhân dân cùng đóng góp"]
NOTES_NEW = ["", "Đã phê duyệt chủ trương đầu tư", "Đã phê duyệt dự án",
             "Khởi công quý II/2027", "Khởi công quý III/2027"]


@dataclass
class Project:
    name: str
    place: str
    investor: str
    period: str
    total: int
    before: int  # allocated up to the end of 2026
    y2027: int
    note: str
    new: bool
    scale: str


def _round(x, step=100):
    return max(step, int(round(x / step)) * step)


def _group_digits(m):
    return f"{int(m.group(0)):,}".replace(",", ".")


def _project(r, name, place, scale, investor, lo_hi, new, notes_old=NOTES_OLD):
    lo, hi = lo_hi
    total = _round(lo * (hi / lo) ** (r.random() ** 1.6), 1000 if lo > 5000 else 100)
    if new:
        start = 2027
        before = 0 if r.random() < 0.7 else _round(total * r.uniform(0.01, 0.03))
        y = _round(total * r.uniform(0.1, 0.3))
        note = r.choice(NOTES_NEW)
    else:
        start = r.randint(2022, 2026)
        before = _round(total * r.uniform(0.2, 0.8))
        y = min(total - before, _round(total * r.uniform(0.12, 0.4)))
        note = r.choice(notes_old)
        if note in ("Dự án trọng điểm", "Vốn đối ứng ODA") and total < 200_000:
            note = ""
    end = max(start + r.randint(1, 4), 2027)
    scale = re.sub(r"\b\d{4,}\b", _group_digits, scale)  # 2622 m² -> 2.622 m²
    return Project(_cap(name), _cap(place), investor, f"{start}-{end}", total, before, y,
                   note, new, scale)


def city_projects(per_sector=(200, 150, 140, 160, 80, 110, 90, 70), seed=2030):
    """{sector title: [projects, transitional ones first]} for the city budget (Part B)."""
    r = random.Random(seed)
    seen, out = set(), {}
    for (sector, investor, lo_hi, templates), n in zip(SECTORS, per_sector):
        items = []
        for _ in range(40 * n):  # bounded: a sector with few distinct names stops short
            if len(items) == n:
                break
            name, place, scale = r.choice(templates)(r)
            if name in seen:
                continue
            seen.add(name)
            items.append(_project(r, name, place, scale, investor, lo_hi, r.random() < 0.12))
        items.sort(key=lambda p: p.new)
        out[sector] = items
    return out


WARD_WORKS = [
    lambda r, g: (f"Bê tông hóa đường nội bộ {g} {r.randint(1, 12)}", f"Dài {r.randint(150, 1200)} m, rộng {r.choice(['3', '3,5', '4', '5'])} m"),
    lambda r, g: (f"Nâng cấp hẻm {r.randint(2, 180)} đường {r.choice(STREETS)}", f"Dài {r.randint(80, 600)} m, thoát nước dọc"),
    lambda r, g: (f"Sửa chữa, nâng cấp nhà văn hóa {g} {r.randint(1, 12)}", f"{r.randint(80, 250)} m² sàn, sân, tường rào"),
    lambda r, g: (f"Nạo vét, kiên cố mương thoát nước {g} {r.randint(1, 12)}", f"Dài {r.randint(200, 1500)} m"),
    lambda r, g: (f"Lắp đặt đèn chiếu sáng {g} {r.randint(1, 12)}", f"{r.randint(20, 90)} bộ đèn LED"),
    lambda r, g: (f"Sửa chữa Trường Mầm non {r.choice(SCHOOL_NAMES)} (điểm {g} {r.randint(1, 12)})", "Thay mái, chống thấm, sân chơi"),
    lambda r, g: (f"Xây dựng sân chơi cho trẻ em {g} {r.randint(1, 12)}", f"Diện tích {r.randint(300, 1500)} m²"),
    lambda r, g: (f"Cải tạo chợ {g} {r.randint(1, 12)}", "Mái che, hệ thống phòng cháy, chữa cháy"),
]


def ward_projects(count=(28, 44), seed=2031):
    """{unit: [projects]} for the wards' and communes' own budgets (Part B of the appendix)."""
    r = random.Random(seed)
    out = {}
    for u in UNITS:
        group = "khu phố" if u.startswith("phường") else "thôn"
        seen, items = set(), []
        for _ in range(r.randint(*count)):
            works = WARD_WORKS if group == "khu phố" else WARD_WORKS[:1] + WARD_WORKS[2:]
            name, scale = r.choice(works)(r, group)
            if name in seen:
                continue
            seen.add(name)
            items.append(_project(r, name, u, scale, f"UBND {u}", (800, 18_000),
                                  r.random() < 0.3, NOTES_WARD))
        items.sort(key=lambda p: p.new)
        out[u] = items
    return out


def plan(invest_total):
    """Both parts of the plan, the city's projects scaled so that all 2027 allocations add up
    to the budget's development spending (`invest_total`, from figures.budget())."""
    city, wards = city_projects(), ward_projects()
    target = invest_total - sum(p.y2027 for ps in wards.values() for p in ps)
    factor = target / sum(p.y2027 for ps in city.values() for p in ps)
    for p in (p for ps in city.values() for p in ps):
        p.total = max(1_500, _round(p.total * factor))
        p.before = _round(p.before * factor) if p.before else 0
        p.y2027 = min(_round(p.y2027 * factor), p.total - p.before)
    biggest = max((p for ps in city.values() for p in ps), key=lambda p: p.y2027)
    biggest.y2027 += target - sum(p.y2027 for ps in city.values() for p in ps)
    return city, wards
