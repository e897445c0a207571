// @vitest-environment jsdom
// The reader's stories against a fake core: the IPC is mocked at the Tauri boundary, everything above it is real.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { i18n } from "../../lib/i18n.svelte";
import type {
  AnnotationInput,
  AnnotationView,
  FindHitView,
  IpcError,
  OpenedPaper,
  PageTextView,
  PresentationView,
  SittingActionInput,
  SittingView,
} from "../../lib/ipc/types";
import { LiveSitting } from "../sitting/liveSitting.svelte";
import { sittingAs } from "../sitting/testing";
import type { PaperQuestion } from "../chat/chat";
import Reader, { type ReaderSitting } from "./Reader.svelte";
import { drawnOnCanvas, stubCanvas } from "../../lib/testing/canvas";

const PAGES = 10;

function paper(extra: Partial<OpenedPaper> = {}): OpenedPaper {
  return {
    paper_id: "du-thao",
    title: "Dự thảo nghị quyết dự toán ngân sách",
    page_count: PAGES,
    pages: Array.from({ length: PAGES }, () => ({ width_pt: 595, height_pt: 842 })),
    outline: [
      { title: "Điều 1. Dự toán thu", page: 2, depth: 0 },
      { title: "Khoản 1. Thu nội địa", page: 3, depth: 1 },
      { title: "Phụ lục (chưa đính kèm)", page: null, depth: 0 },
    ],
    last_page: 4,
    searchable: true,
    ...extra,
  };
}

/** A line of text at the top of the page, each character 0.01 of the page wide. */
function pageTextOf(page: number): PageTextView {
  const text = `Trang ${page + 1}: dự toán ngân sách năm 2027, ngân sách địa phương`;
  const boxes = Array.from(text).flatMap((_, index) => [0.1 + index * 0.01, 0.1, 0.11 + index * 0.01, 0.12]);
  return { page, text, boxes };
}

const query = "ngan sach";
const found: FindHitView[] = [
  { page: 4, start: 22, length: 8 },
  { page: 6, start: 22, length: 8 },
  { page: 6, start: 44, length: 8 },
];

type Call = { command: string; args: Record<string, unknown> };

let calls: Call[] = [];
/** The marks the fake core keeps, as it would answer them. */
let kept: AnnotationView[] = [];
let changes = 0;
let madeMarks = 0;

/** What the core answers a save with: the mark placed where it was made (a text mark over its characters). */
function keep(input: AnnotationInput): AnnotationView {
  const at = input.at;
  const previous = kept.find((mark) => mark.id === input.id);
  const placement: AnnotationView["placement"] =
    at === undefined
      ? (previous?.placement ?? { at: "elsewhere" })
      : at.at === "text"
        ? { at: "text", ranges: [{ page: at.page, start: at.start, end: at.end }] }
        : { at: "mark", page: at.page, dx: at.x, dy: at.y };
  const view: AnnotationView = {
    id: input.id ?? `mark-${++madeMarks}`,
    author_id: "me",
    author_name: "Nguyễn Văn An",
    own: true,
    paper_id: input.paper_id,
    kind: input.kind,
    placement,
    page: at?.page ?? previous?.page ?? 0,
    quote: at?.at === "text" ? pageTextOf(at.page).text.slice(at.start, at.end) : "",
    style: input.style,
    body: input.body,
    sharing: input.sharing,
    revision: 0,
    updated_at: 0,
    sync: { state: "pending" },
  };
  kept = [...kept.filter((mark) => mark.id !== view.id), view];
  return view;
}
let answers: Record<string, (args: Record<string, unknown>) => unknown> = {};
let opened: OpenedPaper;
let reader: ReturnType<typeof mount> | null = null;
let closed = 0;

function reject(error: IpcError): never {
  throw error;
}

function pageBytes(): ArrayBuffer {
  const bytes = new Uint8Array(8 + 8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 2, true);
  view.setUint32(4, 1, true);
  bytes.set([255, 0, 0, 255, 255, 255, 255, 255], 8);
  return bytes.buffer;
}

function startReader(
  props: { initialPage?: number; initialQuery?: string; sitting?: ReaderSitting; onasksecretariat?: (question: PaperQuestion) => void } = {},
  arranged: Partial<OpenedPaper> = {},
) {
  opened = paper(arranged);
  mockIPC((command, args) => {
    const given = (args ?? {}) as Record<string, unknown>;
    calls.push({ command, args: given });
    const answer = answers[command];
    if (answer !== undefined) return answer(given);
    switch (command) {
      case "open_paper":
        return opened;
      case "render_page":
        return pageBytes();
      case "page_text":
        return pageTextOf(given.pageIndex as number);
      case "find_in_paper":
        return given.query === query ? found : [];
      case "paper_annotation_changes":
        // Every mark each time: an answer the core gives when it keeps no changes from that far back.
        return { cursor: ++changes, full: true, changed: kept, removed: [] };
      case "file_annotations":
        return [];
      case "save_annotation":
        return keep(given.annotation as AnnotationInput);
      case "delete_annotation":
        kept = kept.filter((mark) => mark.id !== given.id);
        return null;
      case "remember_page":
      case "close_paper":
      case "set_fullscreen":
        return null;
      default:
        return reject({ code: "internal", message: `unexpected command ${command}` });
    }
  }, { shouldMockEvents: true });
  reader = mount(Reader, {
    target: document.body,
    props: {
      source: { kind: "packet", meetingId: "k10", paperId: "du-thao" },
      title: opened.title,
      onclose: () => closed++,
      ...props,
    },
  });
}

function one(selector: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(selector);
  if (element === null) throw new Error(`nothing matches ${selector}`);
  return element;
}

async function until(condition: () => boolean, what = "the expected state", attempts = 120): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    flushSync();
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never reached ${what}; the reader shows: ${document.body.textContent}`);
}

const slotPages = (selector: string) =>
  [...document.querySelectorAll<HTMLElement>(`[data-testid=viewer-page-slot]${selector}`)].map((slot) => Number(slot.dataset.page));
/** Zero-based pages on screen, and those laid out and drawn but hidden until turned to. */
const shownPages = () => slotPages(":not([data-offstage])");
const offstagePages = () => slotPages("[data-offstage]");
const renderedPage = () => document.querySelector<HTMLElement>("[data-testid=paper-canvas]")?.dataset.renderedPage;
const called = (command: string) => calls.filter((call) => call.command === command);
const press = (key: string, init: KeyboardEventInit = {}, target: Element = one("[data-testid=paper-viewer]")) =>
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init }));
const findCount = () => document.querySelector("[data-testid=viewer-find-count]")?.textContent?.trim();
const currentHit = () => document.querySelector<HTMLElement>("[data-testid=find-hit][data-current=true]");

function type(input: HTMLInputElement, text: string) {
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

async function opensAt(page: number) {
  await until(() => renderedPage() === String(page), `page ${page + 1} drawn on the current canvas`);
}

beforeEach(() => {
  localStorage.clear();
  i18n.lang = "vi";
  calls = [];
  kept = [];
  madeMarks = 0;
  answers = {};
  closed = 0;
  window.__ecabinetPageTurns = [];
  stubCanvas();
});

afterEach(async () => {
  if (reader !== null) unmount(reader);
  reader = null;
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("the reader", () => {
  it("opens where the member left off, and remembers the page they rest on", async () => {
    startReader();
    await opensAt(4);
    expect(one("[data-testid=viewer-page]").textContent?.trim()).toBe("Trang 5/10");
    expect((one("[data-testid=viewer-goto]") as HTMLInputElement).value).toBe("5");
    expect(document.activeElement?.getAttribute("data-testid"), "the keyboard is in the reader").toBe("paper-viewer");
    expect(
      document.querySelectorAll("[data-testid=viewer-page-slot]"),
      "every page has its place before any is rendered",
    ).toHaveLength(PAGES);

    press("ArrowRight");
    await opensAt(5);
    await until(() => called("remember_page").length === 1, "the page remembered", 150);
    expect(called("remember_page")[0]?.args).toEqual({ paperId: "du-thao", pageIndex: 5 });

    press("ArrowRight");
    press("Escape");
    expect(closed, "Esc closes the reader when no find bar is open").toBe(1);
    unmount(reader!);
    reader = null;
    await until(() => called("close_paper").length === 1, "the paper closed");
    const order = calls.map((call) => call.command).filter((c) => c === "remember_page" || c === "close_paper");
    expect(order, "the last page is saved before the paper is closed").toEqual(["remember_page", "remember_page", "close_paper"]);
    expect(called("remember_page")[1]?.args).toEqual({ paperId: "du-thao", pageIndex: 6 });
  });

  it("asks the secretariat about the page being read, from the toolbar", async () => {
    const asked: PaperQuestion[] = [];
    startReader({ onasksecretariat: (question) => asked.push(question) });
    await opensAt(4);
    const ask = one("[data-testid=viewer-ask-secretariat]");
    expect(ask.textContent?.trim()).toBe("Hỏi Ban thư ký");
    ask.click();
    expect(asked).toEqual([{ paperId: "du-thao", page: 4, title: "Dự thảo nghị quyết dự toán ngân sách" }]);
  });

  it("offers no question to the secretariat where nobody listens for it", async () => {
    startReader();
    await opensAt(4);
    expect(document.querySelector("[data-testid=viewer-ask-secretariat]")).toBeNull();
  });

  it("turns pages with the keyboard, pre-rendering the neighbours so a turn paints from the cache", async () => {
    startReader();
    await opensAt(4);
    await until(
      () => document.querySelector<HTMLElement>("[data-testid=page-canvas][data-page='5']")?.dataset.renderedPage === "5",
      "page 6, just below, drawn too",
    );
    // Turns timed in an earlier story may still be on their way to the list.
    await new Promise((resolve) => setTimeout(resolve, 30));
    window.__ecabinetPageTurns = [];

    press("ArrowRight");
    await opensAt(5);
    press("PageDown");
    await opensAt(6);
    press("ArrowLeft");
    await opensAt(5);
    press("ArrowUp");
    await opensAt(4);
    press(" ");
    await opensAt(5);
    press("End");
    await opensAt(9);
    expect((one("[data-testid=viewer-next]") as HTMLButtonElement).disabled, "no page after the last").toBe(true);
    press("Home");
    await opensAt(0);
    expect((one("[data-testid=viewer-previous]") as HTMLButtonElement).disabled).toBe(true);

    await until(() => (window.__ecabinetPageTurns?.length ?? 0) === 7, "every keyboard turn timed");
    const turns = window.__ecabinetPageTurns ?? [];
    expect(turns[0]?.fromCache, "the page below was already drawn").toBe(true);
    expect(turns.every((turn) => turn.ms >= 0)).toBe(true);
  });

  it("in single-page mode, renders the next page ahead so the turn to it paints from the cache", async () => {
    startReader();
    await opensAt(4);
    one("[data-testid=viewer-mode-single]").click();
    await until(() => shownPages().join() === "4", "one page shown");
    await until(() => offstagePages().join() === "3,5", "the pages either side kept ready offstage");
    await until(
      () => document.querySelector<HTMLElement>("[data-testid=page-canvas][data-page='5']")?.dataset.renderedPage === "5",
      "the next page drawn before it is turned to",
    );
    await until(() => called("render_page").some((call) => call.args.pageIndex === 5), "page 6 asked for ahead");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const rendersOfPage6 = called("render_page").filter((call) => call.args.pageIndex === 5).length;
    window.__ecabinetPageTurns = [];

    press("ArrowRight");
    await opensAt(5);
    await until(() => (window.__ecabinetPageTurns?.length ?? 0) === 1, "the turn timed");
    expect(window.__ecabinetPageTurns?.[0]?.fromCache).toBe(true);
    expect(called("render_page").filter((call) => call.args.pageIndex === 5), "no second render of page 6").toHaveLength(
      rendersOfPage6,
    );
    expect(document.querySelectorAll("[data-testid=paper-canvas]"), "one current canvas").toHaveLength(1);
    expect(shownPages(), "the turn showed the page kept offstage").toEqual([5]);
    await until(() => offstagePages().join() === "4,6", "once the turn is painted, the stage moves along with it");
  });

  it("goes to a typed page number on Enter", async () => {
    startReader();
    await opensAt(4);
    const input = one("[data-testid=viewer-goto]") as HTMLInputElement;
    input.focus();
    type(input, "9");
    press("Enter", {}, input);
    await opensAt(8);
    expect(input.value).toBe("9");
    expect(one("[data-testid=viewer-page]").textContent?.trim()).toBe("Trang 9/10");
  });

  it("finds in the paper with a count, and moves the current hit with Enter and Shift+Enter", async () => {
    startReader();
    await opensAt(4);
    press("f", { ctrlKey: true });
    await until(() => document.querySelector("[data-testid=viewer-find-input]") !== null, "the find bar");
    const input = one("[data-testid=viewer-find-input]") as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    expect(input.labels?.[0]?.textContent, "the find box has a name").toBe("Tìm trong tài liệu");

    type(input, query);
    await until(() => findCount() === "1/3", "the first of three hits");
    expect(called("find_in_paper")[0]?.args).toEqual({ paperId: "du-thao", query });
    await until(() => currentHit() !== null, "the current hit highlighted");
    expect(currentHit()?.dataset.page).toBe("4");

    press("Enter", {}, input);
    await until(() => findCount() === "2/3", "the second hit");
    await opensAt(6);
    await until(() => currentHit()?.dataset.page === "6", "the current hit on page 7");
    expect(document.querySelectorAll("[data-testid=find-hit][data-page='6']"), "both hits of page 7 are highlighted").toHaveLength(2);

    press("Enter", { shiftKey: true }, input);
    await until(() => findCount() === "1/3", "back to the first hit");
    await opensAt(4);

    press("Escape", {}, input);
    await until(() => document.querySelector("[data-testid=viewer-find-input]") === null, "the find bar closed");
    expect(closed, "Esc closed the find bar, not the reader").toBe(0);
    expect(document.querySelectorAll("[data-testid=find-hit]")).toHaveLength(0);
  });

  it("opens from a search result on the result's page, its first hit there current", async () => {
    startReader({ initialPage: 6, initialQuery: query });
    await opensAt(6);
    await until(() => findCount() === "2/3", "the first hit on page 7 (the second in the paper)");
    expect((one("[data-testid=viewer-find-input]") as HTMLInputElement).value).toBe(query);
    await until(() => currentHit()?.dataset.page === "6", "the hit highlighted");
    expect(called("remember_page"), "the result's page is not a place the member chose to rest").toHaveLength(0);
    expect(document.activeElement?.getAttribute("data-testid"), "the keyboard stays on the page").toBe("paper-viewer");
  });

  it("says a scanned paper has no text to find, rather than searching it", async () => {
    startReader({}, { searchable: false });
    await opensAt(4);
    press("f", { ctrlKey: true });
    await until(() => document.querySelector("[data-testid=viewer-find-scanned]") !== null, "the scan notice");
    expect(one("[data-testid=viewer-find-scanned]").textContent?.trim()).toBe("Tài liệu là bản quét, không có chữ để tìm.");
    expect(document.querySelector("[data-testid=viewer-find-input]")).toBeNull();
    expect(called("find_in_paper")).toHaveLength(0);
    expect(called("page_text"), "nor asks for a text layer it does not have").toHaveLength(0);
  });

  it("lays selectable text over a rendered page, one line per span", async () => {
    startReader();
    await opensAt(4);
    await until(() => document.querySelector("[data-testid=text-layer][data-page='4'] span") !== null, "the text layer");
    const spans = [...document.querySelectorAll("[data-testid=text-layer][data-page='4'] span")];
    expect(spans.map((span) => span.textContent)).toEqual([pageTextOf(4).text]);
    expect((spans[0] as HTMLElement).style.transform).toMatch(/^scaleX\(/);
  });

  it("shows pages two by two like a book, and zooms with the buttons and keys", async () => {
    startReader();
    await opensAt(4);
    one("[data-testid=viewer-mode-spread]").click();
    await until(() => one("[data-testid=viewer-page]").textContent?.trim() === "Trang 4–5/10", "the spread of pages 4 and 5");
    expect(one("[data-testid=viewer-mode-spread]").getAttribute("aria-pressed")).toBe("true");
    expect(one("[data-testid=viewer-mode-continuous]").getAttribute("aria-pressed")).toBe("false");
    expect(shownPages(), "only the spread is shown").toEqual([3, 4]);
    await until(() => offstagePages().join() === "1,2,5,6", "the spreads either side kept ready offstage");
    press("ArrowRight");
    await until(() => one("[data-testid=viewer-page]").textContent?.trim() === "Trang 6–7/10", "the next spread");
    expect((one("[data-testid=viewer-goto]") as HTMLInputElement).value, "the page box names the left page").toBe("6");
    const goto = one("[data-testid=viewer-goto]") as HTMLInputElement;
    goto.value = "9";
    goto.dispatchEvent(new Event("input", { bubbles: true }));
    goto.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    await until(() => one("[data-testid=viewer-page]").textContent?.trim() === "Trang 8–9/10", "the spread holding page 9");
    expect(goto.value, "page 9 is the right-hand page of its spread: the box says 8").toBe("8");
    press("ArrowLeft");
    await until(() => one("[data-testid=viewer-page]").textContent?.trim() === "Trang 6–7/10", "back a spread");

    const percent = () => Number.parseInt(one("[data-testid=viewer-zoom-label]").textContent ?? "", 10);
    const fitted = percent();
    one("[data-testid=viewer-zoom-in]").click();
    await until(() => percent() > fitted, "a larger zoom");
    expect(one("[data-testid=viewer-fit-width]").getAttribute("aria-pressed"), "no longer fitted").toBe("false");
    press("-");
    press("-");
    await until(() => percent() < fitted, "a smaller zoom");
    press("0");
    await until(() => percent() === fitted, "fitted to the width again");
    expect(one("[data-testid=viewer-fit-width]").getAttribute("aria-pressed")).toBe("true");
  });

  it("goes to a page from the outline and the thumbnails, and says when there is no outline", async () => {
    startReader();
    await opensAt(4);
    one("[data-testid=viewer-sidebar-toggle]").click();
    await until(() => document.querySelector("[role=tablist]") !== null, "the sidebar");
    expect(one("[data-testid=viewer-sidebar-toggle]").getAttribute("aria-pressed")).toBe("true");
    const current = one("[data-testid=thumbnail][aria-current=page]");
    expect(current.dataset.page).toBe("4");
    one("[data-testid=thumbnail][data-page='7']").click();
    await opensAt(7);

    const outlineTab = one("[data-testid=viewer-tab-outline]");
    outlineTab.click();
    await until(() => document.querySelector("[data-testid=outline-entry]") !== null, "the outline");
    expect(outlineTab.getAttribute("aria-selected")).toBe("true");
    const entries = [...document.querySelectorAll("[data-testid=outline-entry]")];
    expect(entries.map((entry) => entry.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "Điều 1. Dự toán thu 3",
      "Khoản 1. Thu nội địa 4",
    ]);
    expect((entries[1]?.parentElement as HTMLElement).style.paddingInlineStart, "a sub-entry is indented").not.toBe(
      (entries[0]?.parentElement as HTMLElement).style.paddingInlineStart,
    );
    one("[data-testid=outline-entry][data-page='3']").click();
    await opensAt(3);

    press("ArrowLeft", {}, outlineTab);
    await until(() => one("[data-testid=viewer-tab-pages]").getAttribute("aria-selected") === "true", "arrows move between tabs");
    expect(renderedPage(), "and do not turn the page").toBe("3");
  });

  it("says so when the paper has no outline", async () => {
    startReader({}, { outline: [] });
    await opensAt(4);
    one("[data-testid=viewer-sidebar-toggle]").click();
    await until(() => document.querySelector("[data-testid=viewer-tab-outline]") !== null, "the sidebar");
    one("[data-testid=viewer-tab-outline]").click();
    await until(() => document.querySelector("[data-testid=outline-empty]") !== null, "the empty outline");
    expect(one("[data-testid=outline-empty]").textContent?.trim()).toBe("Tài liệu không có mục lục.");
  });

  it("shows a page that fails to render as a message on that page, and keeps reading", async () => {
    answers.render_page = (args) =>
      args.pageIndex === 5 ? reject({ code: "page_too_large", message: "too large" }) : pageBytes();
    startReader();
    await opensAt(4);
    press("ArrowRight");
    await until(() => document.querySelector("[data-testid=page-error]") !== null, "the page's error");
    const failure = one("[data-testid=page-error]");
    expect(failure.closest("[data-page]")?.getAttribute("data-page")).toBe("5");
    expect(failure.textContent).toContain("Không hiển thị được trang 6.");
    expect(document.querySelector("[data-testid=viewer-error]"), "the reader itself is fine").toBeNull();
    press("ArrowRight");
    await opensAt(6);
  });

  it("says why a paper cannot open", async () => {
    answers.open_paper = () => reject({ code: "paper_not_downloaded", message: "not here" });
    startReader();
    await until(() => document.querySelector("[data-testid=viewer-error]") !== null, "the error");
    expect(one("[data-testid=viewer-error]").dataset.code).toBe("paper_not_downloaded");
  });

  it("remembers night reading, and in full screen shows nothing but the page until Esc", async () => {
    startReader();
    await opensAt(4);
    one("[data-testid=viewer-night]").click();
    flushSync();
    expect(one("[data-testid=paper-viewer]").classList.contains("night")).toBe(true);
    expect(localStorage.getItem("ecabinet.reader.night")).toBe("on");
    press("F11");
    await until(() => document.querySelector("[data-testid=viewer-fullscreen-on]") !== null, "full screen");
    expect(called("set_fullscreen")[0]?.args).toEqual({ on: true });
    expect(document.querySelector("header"), "no title, no toolbar: only the page").toBeNull();
    expect(renderedPage(), "the page stays").toBe("4");
    press("Escape");
    await until(() => document.querySelector("[data-testid=viewer-fullscreen]") !== null, "the chrome back");
    expect(called("set_fullscreen")[1]?.args).toEqual({ on: false });
    expect(closed, "Esc left full screen, it did not close the paper").toBe(0);
    press("f");
    await until(() => document.querySelector("[data-testid=viewer-fullscreen-on]") !== null, "full screen by F");
    // A finger has no Esc: the button left in the corner takes the chrome back.
    one("[data-testid=viewer-leave-fullscreen]").click();
    await until(() => document.querySelector("[data-testid=viewer-fullscreen]") !== null, "the chrome back by touch");
    press("F11");
    await until(() => document.querySelector("[data-testid=viewer-fullscreen-on]") !== null, "full screen again");
    unmount(reader!);
    reader = null;
    await until(() => called("set_fullscreen").length === 6, "full screen left on close");
    expect(called("set_fullscreen")[5]?.args).toEqual({ on: false });

    startReader();
    await opensAt(4);
    expect(one("[data-testid=paper-viewer]").classList.contains("night"), "night reading is remembered").toBe(true);
  });

  it("keeps its keys behind a named help button, whose panel Esc closes without closing the paper", async () => {
    startReader();
    await opensAt(4);
    const help = one("[data-testid=viewer-help]");
    expect(help.getAttribute("aria-label")).toBe("Phím tắt của trình đọc");
    expect(help.getAttribute("aria-expanded")).toBe("false");
    help.click();
    await until(() => document.querySelector("[data-testid=viewer-help-panel]") !== null, "the panel");
    expect(help.getAttribute("aria-expanded")).toBe("true");
    const panel = one("[data-testid=viewer-help-panel]");
    expect(panel.textContent).toContain("Ctrl+F");
    expect(panel.textContent).toContain("Toàn màn hình; Esc để thoát");
    press("Escape", {}, panel);
    await until(() => document.querySelector("[data-testid=viewer-help-panel]") === null, "the panel closed");
    expect(closed).toBe(0);
    expect(document.activeElement, "the keyboard back on the button").toBe(help);
  });

  it("says when fitting the page makes the text too small to read, and offers to fit the width", async () => {
    // A stage 1000×600 pixels, the reader's share of a 1366×768 laptop screen once a sidebar is open.
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockImplementation(function (this: HTMLElement) {
      return this.dataset.testid === "viewer-viewport" ? 1000 : 0;
    });
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockImplementation(function (this: HTMLElement) {
      return this.dataset.testid === "viewer-viewport" ? 600 : 0;
    });
    startReader();
    await opensAt(4);
    expect(document.querySelector("[data-testid=viewer-small-text]"), "fit width shows the page at 159 %").toBeNull();
    one("[data-testid=viewer-fit-page]").click();
    // (600 − 32) px for 842 pt: 51 % of the printed size, under the readable 60 %.
    await until(() => document.querySelector("[data-testid=viewer-small-text]") !== null, "the notice");
    expect(one("[data-testid=viewer-small-text]").textContent).toContain("Chữ đang nhỏ hơn cỡ dễ đọc (51% cỡ thật).");
    one("[data-testid=viewer-small-text] button").click();
    await until(() => document.querySelector("[data-testid=viewer-small-text]") === null, "the notice gone");
    expect(one("[data-testid=viewer-fit-width]").getAttribute("aria-pressed")).toBe("true");
  });
});

describe("marks in the reader", () => {
  const marksOn = (page: number) => [...document.querySelectorAll<HTMLElement>(`[data-testid=annotation-layer][data-page='${page}'] [data-testid=annotation]`)];

  it("highlights find's current hit with H then M, draws it over the words, and undoes and redoes it", async () => {
    startReader({ initialPage: 4, initialQuery: query });
    await until(() => currentHit() !== null, "the first hit shown");
    press("h");
    flushSync();
    expect(one("[data-testid=tool-highlight]").getAttribute("aria-pressed"), "H picks the highlighter").toBe("true");
    press("m");
    await until(() => marksOn(4).length === 1, "the highlight drawn on page 5");
    const saved = called("save_annotation")[0]?.args.annotation as AnnotationInput;
    expect(saved.kind).toEqual({ type: "highlight" });
    expect(saved.at, "the hit's characters, in the page's own count").toEqual({ at: "text", page: 4, start: 22, end_page: 4, end: 30 });
    expect(marksOn(4)[0]?.getAttribute("aria-label"), "a screen reader names the kind, the author and the words").toBe(
      "Tô sáng của bạn: sách năm",
    );
    const painted = drawnOnCanvas(one("[data-testid=annotation-layer][data-page='4'] [data-testid=annotation-canvas]") as HTMLCanvasElement);
    expect(painted, "a highlight is a tinted box over the words").toContainEqual(["globalAlpha", 0.38]);
    expect(painted.filter(([call]) => call === "fillRect"), "one box: the hit is on one line").toHaveLength(1);

    press("z", { ctrlKey: true });
    await until(() => marksOn(4).length === 0, "the highlight undone");
    expect(called("delete_annotation")).toHaveLength(1);
    press("y", { ctrlKey: true });
    await until(() => marksOn(4).length === 1, "the highlight made again");
    expect(called("save_annotation"), "redo makes it anew with the same place").toHaveLength(2);
  });

  it("lists the paper's marks with their page, goes to one, and edits and deletes its note", async () => {
    keep({
      paper_id: "du-thao",
      kind: { type: "note" },
      at: { at: "point", page: 6, x: 100, y: 120 },
      style: { colour: "#ffd54f", thickness: 1 },
      body: "Đề nghị làm rõ",
      sharing: { scope: "private" },
    });
    startReader({ initialPage: 2 });
    await opensAt(2);
    one("[data-testid=annotate-toggle]").click();
    flushSync();
    one("[data-testid=annotation-panel-toggle]").click();
    await until(() => document.querySelectorAll("[data-testid=annotation-entry]").length === 1, "the note listed");
    expect(one("[data-testid=annotation-entry]").textContent).toContain("trang 7");
    one("[data-testid=annotation-entry]").click();
    await opensAt(6);
    await until(() => marksOn(6).length === 1, "the note drawn on page 7");
    expect(marksOn(6)[0]?.getAttribute("aria-pressed"), "the note gone to is selected").toBe("true");

    const body = one("[data-testid=annotation-body]") as HTMLTextAreaElement;
    expect(body.value).toBe("Đề nghị làm rõ");
    body.value = "Đề nghị làm rõ nguồn vốn";
    body.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    one("[data-testid=annotation-save-note]").click();
    await until(() => called("save_annotation").length === 1, "the note saved");
    const edit = called("save_annotation")[0]?.args.annotation as AnnotationInput;
    expect(edit.body).toBe("Đề nghị làm rõ nguồn vốn");
    expect(edit.at, "a note edited in place keeps its anchor").toBeUndefined();

    one("[data-testid=annotation-delete]").click();
    await until(() => marksOn(6).length === 0, "the note deleted");
    expect(called("delete_annotation")[0]?.args.id).toBe("mark-1");
  });

  it("saves a copy with the member's marks, saying how many went in and how many wait for review", async () => {
    answers.export_annotated_paper = () => ({ outcome: "saved", file_name: "to-trinh (ghi chú).pdf", written: 3, left_out: 1 });
    startReader({ initialPage: 2 });
    await opensAt(2);
    one("[data-testid=annotate-toggle]").click();
    flushSync();
    one("[data-testid=annotation-panel-toggle]").click();
    flushSync();
    one("[data-testid=annotation-export]").click();
    await until(() => document.querySelector("[data-testid=annotation-exported]") !== null, "the copy saved");
    expect(called("export_annotated_paper")[0]?.args).toEqual({ paperId: "du-thao" });
    const said = one("[data-testid=annotation-exported]").textContent ?? "";
    expect(said).toContain("to-trinh (ghi chú).pdf");
    expect(said).toContain("3 ghi chú");
    expect(said, "marks left out are said, not silently dropped").toContain("1 ghi chú chưa đặt được");
  });

  it("keeps a stroke in view from the pen's release until it is saved and painted: it never blinks out", async () => {
    let release = () => {};
    answers.save_annotation = (given) => new Promise((resolve) => (release = () => resolve(keep(given.annotation as AnnotationInput))));
    startReader({ initialPage: 3 });
    await opensAt(3);
    press("p");
    const layer = one("[data-testid=annotation-layer][data-page='3']");
    vi.spyOn(layer, "getBoundingClientRect").mockReturnValue({ left: 0, top: 0, width: 595, height: 842 } as DOMRect);
    const pen = (type: string, x: number, y: number) =>
      layer.dispatchEvent(
        Object.assign(new MouseEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y }), { pointerId: 1, pointerType: "mouse" }),
      );
    pen("pointerdown", 100, 100);
    pen("pointermove", 150, 120);
    pen("pointermove", 200, 100);
    pen("pointerup", 200, 100);
    const preview = () => document.querySelector("[data-testid=annotation-preview] path");
    await until(() => called("save_annotation").length === 1, "the stroke being saved");
    expect(preview(), "let go but not saved yet: the stroke stays as drawn").not.toBeNull();
    release();
    await until(() => marksOn(3).length === 1, "the stroke saved");
    await until(() => preview() === null, "the preview gone once the stroke is painted");
    expect(drawnOnCanvas(one("[data-testid=annotation-layer][data-page='3'] [data-testid=annotation-canvas]") as HTMLCanvasElement), "painted on the page's marks").toContainEqual([
      "lineTo",
      200,
      100,
    ]);
  });

  it("places a note with Enter when the note tool is in hand, opens it for writing, and moves it with the arrows", async () => {
    startReader({ initialPage: 3 });
    await opensAt(3);
    press("n");
    press("Enter");
    await until(() => marksOn(3).length === 1, "the note placed on page 4");
    const placed = called("save_annotation")[0]?.args.annotation as AnnotationInput;
    expect(placed.kind).toEqual({ type: "note" });
    expect(placed.at).toEqual({ at: "point", page: 3, x: 595 / 3, y: 842 / 3 });
    await until(() => document.querySelector("[data-testid=annotation-body]") !== null, "the panel open on the new note");
    const note = marksOn(3)[0]!;
    note.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", shiftKey: true, bubbles: true, cancelable: true }));
    await until(() => called("save_annotation").length === 2, "the note moved");
    const moved = called("save_annotation")[1]?.args.annotation as AnnotationInput;
    expect(moved.at, "Shift+→ moves it 10 points right, and the page does not turn").toEqual({ at: "point", page: 3, x: 595 / 3 + 10, y: 842 / 3 });
    expect(one("[data-testid=viewer-page]").textContent?.trim()).toBe("Trang 4/10");
  });

  it("goes from mark to mark with the arrows, one tab stop per page, and selects and deletes one by keyboard", async () => {
    for (const [x, y] of [
      [300, 500],
      [100, 120],
    ] as const) {
      keep({
        paper_id: "du-thao",
        kind: { type: "note" },
        at: { at: "point", page: 3, x, y },
        style: { colour: "#ffd54f", thickness: 1 },
        body: `Ghi chú ở ${y}`,
        sharing: { scope: "private" },
      });
    }
    startReader({ initialPage: 3 });
    await opensAt(3);
    await until(() => marksOn(3).length === 2, "both notes drawn");
    expect(
      marksOn(3).map((mark) => mark.getAttribute("aria-label")),
      "in reading order, top of the page first",
    ).toEqual(["Ghi chú dán của bạn: Ghi chú ở 120", "Ghi chú dán của bạn: Ghi chú ở 500"]);
    expect(marksOn(3).map((mark) => mark.tabIndex), "the page's marks are one tab stop").toEqual([0, -1]);
    const [top, bottom] = marksOn(3) as [HTMLElement, HTMLElement];
    top.focus();
    top.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true, cancelable: true }));
    expect(document.activeElement, "↓ goes to the next mark").toBe(bottom);
    expect(one("[data-testid=viewer-page]").textContent?.trim(), "and does not turn the page").toBe("Trang 4/10");
    expect(called("save_annotation"), "nor moves the mark it is on").toHaveLength(0);
    bottom.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    flushSync();
    expect(bottom.getAttribute("aria-pressed"), "Enter selects it").toBe("true");
    bottom.dispatchEvent(new KeyboardEvent("keydown", { key: "Delete", bubbles: true, cancelable: true }));
    await until(() => marksOn(3).length === 1, "the selected note deleted");
    expect(marksOn(3)[0]?.getAttribute("aria-label")).toBe("Ghi chú dán của bạn: Ghi chú ở 120");
  });

  it("shares a mark with chosen participants by name, and back to private when none is left", async () => {
    keep({
      paper_id: "du-thao",
      kind: { type: "highlight" },
      at: { at: "text", page: 2, start: 9, end_page: 2, end: 16 },
      style: { colour: "#ffd54f", thickness: 1 },
      body: "",
      sharing: { scope: "private" },
    });
    answers.meeting_packet = () => ({
      participants: [
        { member_id: "me", display_name: "Nguyễn Văn An", meeting_role: "delegate", votes: true },
        { member_id: "d2", display_name: "Vũ Đức Minh", meeting_role: "delegate", votes: true },
        { member_id: "d3", display_name: "Đặng Văn Hùng", meeting_role: "delegate", votes: true },
      ],
    });
    startReader({ initialPage: 2 });
    await opensAt(2);
    one("[data-testid=annotate-toggle]").click();
    flushSync();
    one("[data-testid=annotation-panel-toggle]").click();
    await until(() => document.querySelectorAll("[data-testid=annotation-entry]").length === 1, "the mark listed");
    one("[data-testid=annotation-entry]").click();
    await until(() => document.querySelector("[data-testid=annotation-sharing] option[value=members]") !== null, "participants known");
    const sharing = one("[data-testid=annotation-sharing]") as HTMLSelectElement;
    sharing.value = "members";
    sharing.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    const people = [...document.querySelectorAll<HTMLLabelElement>("[data-testid=annotation-readers] label")];
    expect(people.map((p) => p.textContent?.trim()), "everyone but the author").toEqual(["Vũ Đức Minh", "Đặng Văn Hùng"]);
    people[1]!.querySelector("input")!.click();
    await until(() => called("save_annotation").length === 1, "shared with one");
    expect((called("save_annotation")[0]?.args.annotation as AnnotationInput).sharing).toEqual({ scope: "members", members: ["d3"] });
    flushSync();
    await until(() => document.querySelectorAll("[data-testid=annotation-readers] input").length === 2, "the list still open");
    document.querySelectorAll<HTMLInputElement>("[data-testid=annotation-readers] input")[1]!.click();
    await until(() => called("save_annotation").length === 2, "unshared");
    expect((called("save_annotation")[1]?.args.annotation as AnnotationInput).sharing).toEqual({ scope: "private" });
  });
});

describe("the presenter's page in the reader", () => {
  const presented = (page: number, paper_id = "du-thao"): PresentationView => ({
    presenter_id: "chair",
    presenter_name: "Nguyễn Văn Thành",
    paper_id,
    page,
  });
  /** The sitting as the meeting page holds it; `accept` is what each `sitting-changed` does to it. */
  function liveWith(view: SittingView): LiveSitting {
    const live = new LiveSitting("k10");
    live.accept(view);
    return live;
  }
  const bar = () => document.querySelector<HTMLElement>("[data-testid=follow-bar]");
  const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

  it("turns with the presenter while following, stops when the member turns a page, and comes back with B", async () => {
    const live = liveWith(sittingAs("delegate", { presentation: presented(2) }));
    const elsewhere: [string, number][] = [];
    startReader({ initialPage: 2, sitting: { live, follow: true, onpresenterpaper: (paper, page) => elsewhere.push([paper, page]) } });
    await opensAt(2);
    expect(bar()?.dataset.following).toBe("true");
    expect(bar()?.textContent?.replace(/\s+/g, " ").trim()).toBe("Bạn đang theo dõi người trình bày · trang 3");

    live.accept(sittingAs("delegate", { seq: 11, presentation: presented(6) }));
    await opensAt(6);
    expect(bar()?.dataset.following, "a turn made for the member keeps them following").toBe("true");

    press("ArrowRight");
    await opensAt(7);
    await until(() => bar()?.dataset.following === "false", "follow mode left");
    expect(bar()?.textContent).toContain("Bạn đã rời trang trình chiếu");
    live.accept(sittingAs("delegate", { seq: 12, presentation: presented(8) }));
    await settle();
    expect(renderedPage(), "the member reads on where they are").toBe("7");
    expect(one("[data-testid=return-to-presenter]").getAttribute("aria-keyshortcuts")).toBe("B");

    press("b");
    await opensAt(8);
    await until(() => bar()?.dataset.following === "true", "following again");

    live.accept(sittingAs("delegate", { seq: 13, presentation: presented(1, "to-trinh") }));
    await until(() => elsewhere.length > 0, "the other paper asked for");
    expect(elsewhere[0], "the meeting page opens the paper presented, at its page").toEqual(["to-trinh", 1]);
  });

  it("opens on the page presented now when following, not where the member left off", async () => {
    const live = liveWith(sittingAs("delegate", { presentation: presented(6) }));
    startReader({ sitting: { live, follow: true, onpresenterpaper: () => {} } });
    await opensAt(6);
    expect(bar()?.dataset.following).toBe("true");
  });

  it("offers a member who opened the paper themself to follow the presentation", async () => {
    const live = liveWith(sittingAs("delegate", { presentation: presented(6) }));
    startReader({ sitting: { live, follow: false, onpresenterpaper: () => {} } });
    await opensAt(4);
    expect(bar()?.dataset.following).toBe("false");
    expect(bar()?.textContent?.replace(/\s+/g, " ").trim()).toBe("Đang trình chiếu tài liệu này · trang 7");
    expect(document.querySelector("[data-testid=present-this-page]"), "a delegate without the floor does not present").toBeNull();
    one("[data-testid=return-to-presenter]").click();
    await opensAt(6);
    await until(() => bar()?.dataset.following === "true", "following");
    one("[data-testid=viewer-help]").click();
    await until(() => document.querySelector("[data-testid=viewer-help-panel]") !== null, "the keys");
    expect(one("[data-testid=viewer-help-panel]").textContent).toContain("Quay lại trang đang trình chiếu");
  });

  it("lets the chair present the page they read, then every page they turn to, until they stop", async () => {
    let seq = 20;
    const acted: SittingActionInput[] = [];
    answers.act_in_sitting = (args) => {
      const action = args.action as SittingActionInput;
      acted.push(action);
      seq += 1;
      return action.action === "present"
        ? sittingAs("chair", { seq, presentation: { ...presented(action.page), paper_id: action.paper_id } })
        : sittingAs("chair", { seq });
    };
    const live = liveWith(sittingAs("chair"));
    startReader({ sitting: { live, follow: false, onpresenterpaper: () => {} } });
    await opensAt(4);
    expect(bar(), "nothing is presented yet").toBeNull();

    one("[data-testid=present-this-page]").click();
    await until(() => document.querySelector("[data-testid=presenting-toggle]") !== null, "presenting");
    expect(one("[data-testid=presenting-toggle]").getAttribute("aria-pressed")).toBe("true");
    expect(bar(), "the presenter is not told to follow themself").toBeNull();
    press("ArrowRight");
    await opensAt(5);
    await until(() => acted.length === 2, "the turn presented");
    press("ArrowRight");
    await opensAt(6);
    await until(() => acted.length === 3, "the next turn presented");

    one("[data-testid=presenting-toggle]").click();
    await until(() => document.querySelector("[data-testid=present-this-page]") !== null, "presenting stopped");
    press("ArrowRight");
    await opensAt(7);
    await settle();
    expect(acted).toEqual([
      { action: "present", paper_id: "du-thao", page: 4 },
      { action: "present", paper_id: "du-thao", page: 5 },
      { action: "present", paper_id: "du-thao", page: 6 },
      { action: "stop_presenting" },
    ]);
  });
});
