// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { readerCommand, type KeyPress } from "./keys";

const page = document.createElement("div");
const press = (key: string, init: Partial<KeyPress> = {}) =>
  readerCommand({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, target: page, ...init });
const inside = (html: string, selector: string) => {
  const holder = document.createElement("div");
  holder.innerHTML = html;
  return holder.querySelector(selector);
};

describe("the reader's keys", () => {
  it("turn pages with every arrow, Page Up/Down and Space, whatever the view", () => {
    expect(["ArrowRight", "ArrowDown", "PageDown", " "].map((key) => press(key))).toEqual(["next", "next", "next", "next"]);
    expect(["ArrowLeft", "ArrowUp", "PageUp"].map((key) => press(key))).toEqual(["previous", "previous", "previous"]);
    expect(press(" ", { shiftKey: true }), "Shift+Space goes back").toBe("previous");
    expect([press("Home"), press("End")]).toEqual(["first", "last"]);
  });

  it("zoom with + − 0, with or without Ctrl, and go full screen with F and F11", () => {
    expect([press("+"), press("="), press("-"), press("0")]).toEqual(["zoom-in", "zoom-in", "zoom-out", "fit-width"]);
    expect([press("+", { ctrlKey: true }), press("-", { metaKey: true }), press("0", { ctrlKey: true })]).toEqual([
      "zoom-in",
      "zoom-out",
      "fit-width",
    ]);
    expect([press("f"), press("F"), press("F11")]).toEqual(["fullscreen", "fullscreen", "fullscreen"]);
  });

  it("find with Ctrl+F, and Esc steps back, from anywhere, the find box included", () => {
    const findBox = inside('<input type="search">', "input");
    expect(press("f", { ctrlKey: true })).toBe("find");
    expect(press("F", { metaKey: true, target: findBox })).toBe("find");
    expect(press("Escape", { target: findBox })).toBe("escape");
    expect(press("F11", { target: findBox })).toBe("fullscreen");
    expect(press("f", { ctrlKey: true, shiftKey: true }), "Ctrl+Shift+F is not find").toBeNull();
  });

  it("go back to the presenter's page with B, but not while typing", () => {
    expect([press("b"), press("B")]).toEqual(["presenter", "presenter"]);
    expect(press("b", { ctrlKey: true }), "Ctrl+B is the system's").toBeNull();
    expect(press("b", { target: inside('<input type="text">', "input") }), "typing a b is not a return").toBeNull();
  });

  it("leave typing to fields: the page box keeps its arrows and digits", () => {
    const pageBox = inside('<label><input type="text"></label>', "input");
    expect(press("ArrowRight", { target: pageBox })).toBeNull();
    expect(press("0", { target: pageBox })).toBeNull();
    expect(press("f", { target: pageBox }), "typing an f is not full screen").toBeNull();
    const editable = inside('<div contenteditable="true"><span>x</span></div>', "span");
    expect(press(" ", { target: editable })).toBeNull();
  });

  it("leave Space on a button to press it, and other shortcuts with Ctrl or Alt to the system", () => {
    const button = inside('<button type="button"><span>→</span></button>', "span");
    expect(press(" ", { target: button }), "Space presses the button").toBeNull();
    expect(press("ArrowRight", { target: button }), "an arrow on a button still turns").toBe("next");
    expect(press("ArrowRight", { altKey: true }), "Alt+Right is the system's").toBeNull();
    expect(press("End", { ctrlKey: true })).toBeNull();
    expect(press("x")).toBeNull();
  });
});
