// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { SearchHitView } from "../../lib/ipc/types";
import { groupByPaper, isIndexing, isSearchShortcut } from "./search";

const key = (key: string, extra: Partial<KeyboardEvent> = {}) =>
  ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, target: document.body, ...extra }) as KeyboardEvent;

describe("the search box", () => {
  it("is reached with Ctrl+Shift+F anywhere, and with / when not typing", () => {
    expect(isSearchShortcut(key("F", { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(isSearchShortcut(key("f", { metaKey: true, shiftKey: true }))).toBe(true);
    expect(isSearchShortcut(key("f", { ctrlKey: true })), "Ctrl+F alone is the reader's find").toBe(false);
    expect(isSearchShortcut(key("/"))).toBe(true);
    const field = document.createElement("input");
    expect(isSearchShortcut(key("/", { target: field })), "a / typed in a field is just a /").toBe(false);
  });

  it("says indexing is under way until every paper is indexed", () => {
    expect(isIndexing({ indexed: 3, total: 9 })).toBe(true);
    expect(isIndexing({ indexed: 9, total: 9 })).toBe(false);
    expect(isIndexing({ indexed: 0, total: 0 })).toBe(false);
  });
});

describe("results grouped by paper", () => {
  const hit = (paper: string, page: number): SearchHitView => ({
    meeting_id: "k10",
    meeting_title: "Kỳ họp thứ mười",
    paper_id: paper,
    paper_title: `Tài liệu ${paper}`,
    page,
    snippet: [{ text: `trang ${page + 1}`, hit: true }],
  });

  it("gives one row per paper, led by the paper with the best page, with its count and best pages first", () => {
    // Best first, as the index ranks them.
    const ranked = [hit("to-trinh", 7), hit("du-thao", 2), hit("to-trinh", 1), hit("to-trinh", 12), hit("to-trinh", 4), hit("to-trinh", 9)];
    const rows = groupByPaper(ranked);
    expect(rows.map((row) => [row.paperId, row.count])).toEqual([
      ["to-trinh", 5],
      ["du-thao", 1],
    ]);
    expect(rows[0]?.best.map((page) => page.page), "the three best, in rank order").toEqual([7, 1, 12]);
    expect(rows[0]?.more.map((page) => page.page), "the rest by page number").toEqual([4, 9]);
  });

  it("keeps the same paper in two meetings apart", () => {
    const other = { ...hit("to-trinh", 3), meeting_id: "k9" };
    expect(groupByPaper([hit("to-trinh", 1), other])).toHaveLength(2);
  });
});
