// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { isIndexing, isSearchShortcut } from "./search";

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
