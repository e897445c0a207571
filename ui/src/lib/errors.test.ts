import { describe, expect, it, vi } from "vitest";
import { errorCode, errorMessageKeys } from "./errors";
import { messages } from "./i18n";
import type { IpcErrorCode } from "./ipc/types";

const codes = Object.keys(errorMessageKeys) as IpcErrorCode[];

describe("error messages", () => {
  it("give every code its own message in both languages", () => {
    const keys = codes.map((code) => errorMessageKeys[code]);
    expect(new Set(keys).size, "two codes sharing a message would hide what to do").toBe(codes.length);
    for (const key of keys) {
      expect(messages.vi[key], key).toBeTruthy();
      expect(messages.en[key], key).toBeTruthy();
    }
  });

  it("keep the wording the brief gives for an unreachable server", () => {
    expect(messages.vi[errorMessageKeys.server_unreachable]).toBe(
      "Không kết nối được máy chủ. Kiểm tra địa chỉ và mạng rồi thử lại.",
    );
  });

  it("decide by code, never by the message text", () => {
    expect(errorCode({ code: "invalid_credentials", message: "server unreachable" })).toBe("invalid_credentials");
  });

  it("treat anything that is not one of our errors as internal", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(errorCode("command login not found")).toBe("internal");
    expect(errorCode({ code: "teapot", message: "unknown code from a newer core" })).toBe("internal");
    expect(errorCode(new TypeError("window.__TAURI_INTERNALS__ is undefined"))).toBe("internal");
    expect(log).toHaveBeenCalledTimes(3);
    log.mockRestore();
  });
});
