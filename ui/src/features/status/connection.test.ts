import { describe, expect, it } from "vitest";
import type { SyncStatus } from "../../lib/ipc/types";
import { connectionText } from "./connection";

const lastSync = Date.UTC(2025, 2, 15, 7, 5); // 14:05 in Hà Nội

function status(connection: SyncStatus["connection"], last_synced_at: number | null = null): SyncStatus {
  return { connection, last_synced_at, detail: null };
}

describe("connection badge", () => {
  it("tells an offline delegate how fresh the local papers are", () => {
    expect(connectionText(status("offline", lastSync), "vi")).toBe(
      "Ngoại tuyến — đồng bộ lần cuối lúc 14:05 15/03/2025",
    );
    expect(connectionText(status("offline", lastSync), "en")).toBe("Offline — last synced at 14:05 15/03/2025");
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
