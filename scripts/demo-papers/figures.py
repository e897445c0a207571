"""The numbers behind the budget papers, computed once so the submission, the draft
resolution and the review report quote the same figures (all in triệu đồng)."""

import random

# 2027 estimates of the revenue collected in the city, by source.
REVENUE_2027 = [
    ("Thu từ doanh nghiệp nhà nước trung ương", 1_250_000),
    ("Thu từ doanh nghiệp nhà nước địa phương", 420_000),
    ("Thu từ doanh nghiệp có vốn đầu tư nước ngoài", 2_850_000),
    ("Thu từ khu vực kinh tế ngoài quốc doanh", 3_180_000),
    ("Thuế thu nhập cá nhân", 1_560_000),
    ("Thuế bảo vệ môi trường", 690_000),
    ("Lệ phí trước bạ", 740_000),
    ("Thu phí, lệ phí", 385_000),
    ("Thuế sử dụng đất phi nông nghiệp", 48_000),
    ("Tiền cho thuê đất, thuê mặt nước", 520_000),
    ("Thu tiền sử dụng đất", 3_200_000),
    ("Thu từ hoạt động xổ số kiến thiết", 310_000),
    ("Thu cổ tức, lợi nhuận được chia", 92_000),
    ("Thu khác ngân sách", 265_000),
]
IMPORT_EXPORT_2027 = 2_400_000

# Recurrent spending by field, 2027.
RECURRENT_2027 = [
    ("Chi sự nghiệp giáo dục, đào tạo và dạy nghề", 3_420_000),
    ("Chi sự nghiệp khoa học và công nghệ, đổi mới sáng tạo", 186_000),
    ("Chi sự nghiệp y tế, dân số và gia đình", 1_140_000),
    ("Chi sự nghiệp văn hóa, thông tin", 162_000),
    ("Chi sự nghiệp phát thanh, truyền hình", 58_000),
    ("Chi sự nghiệp thể dục, thể thao", 97_000),
    ("Chi sự nghiệp bảo vệ môi trường", 410_000),
    ("Chi các hoạt động kinh tế", 1_280_000),
    ("Chi quản lý hành chính nhà nước, đảng, đoàn thể", 1_560_000),
    ("Chi bảo đảm xã hội", 640_000),
    ("Chi quốc phòng", 215_000),
    ("Chi an ninh và trật tự an toàn xã hội", 168_000),
    ("Chi khác ngân sách", 74_000),
]
INVEST_2027 = [
    ("Chi đầu tư từ nguồn vốn xây dựng cơ bản tập trung", 1_870_000),
    ("Chi đầu tư từ nguồn thu tiền sử dụng đất", 2_880_000),
    ("Chi đầu tư từ nguồn thu xổ số kiến thiết", 310_000),
    ("Chi đầu tư từ nguồn bội chi ngân sách địa phương", 350_000),
]
INTEREST_2027 = 42_000
RESERVE_FUND_2027 = 1_200
SALARY_REFORM_2027 = 386_000
TARGETED_2027 = 1_125_000  # targeted transfers from the central budget
LOCAL_SHARE = 0.8  # share of domestic revenue (except land) kept by the city, in the model


def _past(rng, value):
    """2026 estimate and 2026 outturn for a 2027 figure, so growth looks plausible."""
    estimate = round(value / rng.uniform(1.04, 1.14), -3)
    outturn = round(estimate * rng.uniform(0.93, 1.12), -3)
    return int(estimate), int(outturn)


def budget(seed=2027):
    rng = random.Random(seed)
    rev = [(name, *_past(rng, v), v) for name, v in REVENUE_2027]
    domestic = [sum(r[i] for r in rev) for i in (1, 2, 3)]
    imp = (*_past(rng, IMPORT_EXPORT_2027), IMPORT_EXPORT_2027)
    total = [d + i for d, i in zip(domestic, imp)]

    land = REVENUE_2027[10][1]
    lottery = REVENUE_2027[11][1]
    shared = round((domestic[2] - land - lottery) * LOCAL_SHARE, -3) + land + lottery
    recurrent = sum(v for _, v in RECURRENT_2027)
    invest = sum(v for _, v in INVEST_2027)
    balance_transfer = 0
    deficit = INVEST_2027[3][1]
    base = invest + recurrent + INTEREST_2027 + RESERVE_FUND_2027 + SALARY_REFORM_2027
    # Contingency: about 2.5% of balanced spending, rounded; the central budget's balance
    # transfer closes the gap between what the city keeps and what it spends.
    contingency = int(round(base * 0.025, -3))
    balanced = base + contingency
    balance_transfer = balanced - deficit - shared
    assert balance_transfer > 0, balance_transfer
    local_revenue = shared + balance_transfer + TARGETED_2027
    spending = balanced + TARGETED_2027
    return {
        "revenue": rev, "domestic": domestic, "import_export": imp, "total": total,
        "shared": int(shared), "balance_transfer": int(balance_transfer),
        "targeted": TARGETED_2027, "local_revenue": int(local_revenue),
        "invest": INVEST_2027, "invest_total": invest,
        "recurrent": RECURRENT_2027, "recurrent_total": recurrent,
        "interest": INTEREST_2027, "reserve_fund": RESERVE_FUND_2027,
        "salary_reform": SALARY_REFORM_2027, "contingency": contingency,
        "balanced": balanced, "spending": spending, "deficit": deficit,
        "principal": 96_000, "borrowing": deficit + 96_000,
    }


def ward_transfers(units, seed=2028):
    """Balance transfers to each ward and commune: (unit, revenue kept, spending, transfer)."""
    rng = random.Random(seed)
    rows = []
    for u in units:
        rural = u.startswith("xã")
        spend = rng.randrange(58_000, 96_000, 100) if rural else rng.randrange(72_000, 168_000, 100)
        kept = int(spend * (rng.uniform(0.12, 0.35) if rural else rng.uniform(0.35, 0.85)))
        kept -= kept % 100
        rows.append((u, kept, spend, spend - kept))
    return rows
