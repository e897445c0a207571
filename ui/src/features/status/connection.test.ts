import { describe, expect, it } from "vitest";
import type { SyncStatus } from "../../lib/ipc/types";
import { connectionShortText, connectionText } from "./connection";

const lastSync = Date.UTC(2025, 2, 15, 7, 5); // 14:05 in Hà Nội

function status(connection: SyncStatus["connection"], last_synced_at: number | null = null): SyncStatus {
  return { connection, last_synced_at, detail: null };
}

describe("connection badge", () => {
  it("tells an offline delegate how fresh the local papers are", () => {
    expect(connectionText(status("offline", lastSync), "vi")).toBe("Ngoại tuyến — đồng bộ lần cuối lúc 14:05 ngày 15/03/2025");
    expect(connectionText(status("offline", lastSync), "en")).toBe("Offline — last synced at 14:05 on 15 March 2025");
  });

  it("says so when nothing was ever synced, instead of showing a fake date", () => {
    expect(connectionText(status("offline"), "vi")).toBe("Ngoại tuyến — chưa đồng bộ");
    expect(connectionText(status("offline"), "en")).toBe("Offline — not synced yet");
  });

  it("names the other states without a time", () => {
    expect(connectionText(status("online", lastSync), "vi")).toBe("Trực tuyến");
    expect(connectionText(status("connecting"), "vi")).toBe("Đang kết nối…");
    expect(connectionText(status("online"), "en")).toBe("Online");
  });
});

describe("the reader's small badge", () => {
  it("gives only the time of the last contact when it was today, and the date too when it was not", () => {
    const sameEvening = Date.UTC(2025, 2, 15, 12, 0);
    const nextMorning = Date.UTC(2025, 2, 16, 2, 0);
    expect(connectionShortText(status("offline", lastSync), "vi", sameEvening)).toBe("Ngoại tuyến · 14:05");
    expect(connectionShortText(status("offline", lastSync), "en", nextMorning)).toBe("Offline · 14:05 on 15 March 2025");
    expect(connectionShortText(status("offline"), "vi", nextMorning)).toBe("Ngoại tuyến");
    expect(connectionShortText(status("online", lastSync), "vi", nextMorning)).toBe("Trực tuyến");
  });
});
