// The core keeps one paper open at a time and `close_paper` names none, so a close still on its way must not
// land after the next open. Every open and close of the reader goes through this one queue.
import { closePaper, openLaunchPdf, openLocalPdf, openPaper, unlockLocalPdf } from "../../lib/ipc/commands";
import type { OpenedPaper } from "../../lib/ipc/types";

let queue: Promise<unknown> = Promise.resolve();

function inTurn<T>(step: () => Promise<T>): Promise<T> {
  const result = queue.then(step);
  queue = result.catch(() => undefined);
  return result;
}

export function openPacketPaper(meetingId: string, paperId: string): Promise<OpenedPaper> {
  return inTurn(() => openPaper(meetingId, paperId));
}

export function openLocalFile(): Promise<OpenedPaper | null> {
  return inTurn(() => openLocalPdf());
}

/** The PDF the app was started with, once (`null` after the first ask, or when there was none). */
export function openLaunchFile(): Promise<OpenedPaper | null> {
  return inTurn(() => openLaunchPdf());
}

export function unlockLocalFile(password: string): Promise<OpenedPaper> {
  return inTurn(() => unlockLocalPdf(password));
}

/** Closes the open paper after `before` (saving the page being read) has finished. */
export function closeOpenPaper(before: () => Promise<void>): Promise<void> {
  return inTurn(async () => {
    await before();
    await closePaper();
  }).catch((error: unknown) => console.error("closing the paper", error));
}
