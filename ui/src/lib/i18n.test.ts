import { describe, expect, it } from "vitest";
import { messages, translate, type Lang, type MessageKey } from "./i18n";

const langs = Object.keys(messages) as Lang[];
const keys = Object.keys(messages.vi) as MessageKey[];

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "").sort();
}

// Vietnamese words that are correctly written without any diacritic.
// A plain-ASCII word in a Vietnamese message must be listed here, so "Dang nhap" cannot slip through:
// adding a word means someone checked that it really has no tone mark.
const plainVietnameseWords = new Set([
  "ai",
  "ba",
  "ban",
  "bao",
  "chi",
  "chia",
  "cho",
  "chung",
  "con",
  "danh",
  "di",
  "ghi",
  "do",
  "dung",
  "elip",
  "gian",
  "hai",
  "hay",
  "hoa",
  "in",
  "khai",
  "khi",
  "khung",
  "mang",
  "ngay",
  "ngang",
  "nhanh",
  "nhau",
  "qua",
  "quay",
  "quy",
  "ra",
  "sang",
  "sao",
  "thanh",
  "sau",
  "so",
  "tham",
  "thay",
  "thao",
  "theo",
  "to",
  "thu",
  "tin",
  "tra",
  "trang",
  "tri",
  "trong",
  "vai",
  "vui",
  "xem",
  "xin",
  "xong",
]);
// Words that are not Vietnamese on purpose: file formats, units, key and product names.
const foreignWords = new Set(["alt", "byte", "csv", "ctrl", "delete", "down", "end", "enter", "esc", "f", "home", "mb", "page", "pdf", "shift", "up", "utf", "word"]);
// Written without their marks on purpose: the search hint shows that typing without accents still finds the words.
const unaccentedOnPurpose = new Set(["giay", "hop", "khong"]);

function wordsOf(text: string): string[] {
  return text
    .replace(/\{\w+\}/g, " ") // placeholders are filled in later
    .replace(/https?:\/\/\S+/g, " ") // example addresses
    .split(/[^\p{L}]+/u)
    .filter((word) => word.length > 0);
}

describe("interface text", () => {
  it("exists in every language for every key, and is never empty", () => {
    for (const lang of langs) {
      expect(Object.keys(messages[lang]).sort(), `${lang} must have exactly the same keys as vi`).toEqual(
        [...keys].sort(),
      );
      for (const key of keys) {
        expect(messages[lang][key].trim(), `${lang} ${key} is shown to users`).not.toBe("");
      }
    }
  });

  it("uses the same placeholders in every language, so no value is dropped in translation", () => {
    for (const key of keys) {
      for (const lang of langs) {
        expect(placeholders(messages[lang][key]), `${lang} ${key}`).toEqual(placeholders(messages.vi[key]));
      }
    }
  });

  it("writes Vietnamese with its diacritics", () => {
    for (const key of keys) {
      for (const word of wordsOf(messages.vi[key])) {
        const lower = word.toLowerCase();
        const isPlainAscii = /^[a-z]+$/.test(lower);
        if (!isPlainAscii) continue;
        expect(
          plainVietnameseWords.has(lower) || foreignWords.has(lower) || unaccentedOnPurpose.has(lower),
          `"${word}" in vi ${key} has no diacritic; fix the spelling or list it as a plain Vietnamese word`,
        ).toBe(true);
      }
    }
  });

  it("stores text precomposed (NFC), which renders and searches reliably", () => {
    for (const lang of langs) {
      for (const key of keys) {
        expect(messages[lang][key], `${lang} ${key}`).toBe(messages[lang][key].normalize("NFC"));
      }
    }
  });

  it("translates everything into English rather than copying the Vietnamese", () => {
    for (const key of keys) {
      expect(messages.en[key], `en ${key}`).not.toBe(messages.vi[key]);
      expect(messages.en[key], `en ${key} must not carry Vietnamese letters`).not.toMatch(
        /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/iu,
      );
    }
  });

  it("keeps the wording the brief fixes for the main labels", () => {
    expect(translate("vi", "login.submit")).toBe("Đăng nhập");
    expect(translate("vi", "login.server_url")).toBe("Địa chỉ máy chủ");
    expect(translate("vi", "session.logout")).toBe("Đăng xuất");
    expect(translate("vi", "connection.online")).toBe("Trực tuyến");
    expect(translate("vi", "connection.connecting")).toBe("Đang kết nối…");
  });

  it("fills placeholders and leaves unknown ones visible, so a missing value is noticed", () => {
    expect(translate("vi", "agenda.minutes", { minutes: 15 })).toBe("Thời gian dự kiến: 15 phút");
    expect(translate("en", "agenda.presenter")).toBe("Presenter: {name}");
  });
});
