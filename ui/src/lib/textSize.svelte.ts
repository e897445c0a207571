// The text size of the whole app, chosen by each member and remembered on this device under their member id, so a
// delegate who needs large text gets it back after signing in again while a colleague on the same laptop does not.
// It sets the root font size: every size given in rem (text, buttons, spacing, the reader's tools) follows.
export const TEXT_SIZES = ["normal", "large", "larger"] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

/** The root font size for each step, as a share of the user's own browser setting (app.css starts at 125 %). */
export const ROOT_PERCENT: Record<TextSize, number> = { normal: 125, large: 150, larger: 175 };

const DEFAULT: TextSize = "normal";
const keyFor = (memberId: string) => `ecabinet.text-size.${memberId}`;

function isTextSize(value: unknown): value is TextSize {
  return TEXT_SIZES.includes(value as TextSize);
}

function savedFor(memberId: string | null): TextSize {
  if (memberId === null) return DEFAULT;
  const saved = localStorage.getItem(keyFor(memberId));
  return isTextSize(saved) ? saved : DEFAULT;
}

function apply(size: TextSize) {
  const root = document.documentElement;
  root.style.fontSize = `${ROOT_PERCENT[size]}%`;
  root.dataset.textSize = size;
}

let current = $state<TextSize>(DEFAULT);
let member: string | null = null;

export const textSize = {
  get value(): TextSize {
    return current;
  },
  /** The member's choice: applied at once and remembered for them. */
  set value(next: TextSize) {
    current = next;
    if (member !== null) localStorage.setItem(keyFor(member), next);
    apply(next);
  },
  /** Follows who is signed in (`null` when nobody is): their saved size, or the default. */
  follow(memberId: string | null) {
    member = memberId;
    current = savedFor(memberId);
    apply(current);
  },
};
