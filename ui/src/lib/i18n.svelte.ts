// The chosen language as reactive state, remembered across restarts.
import { defaultLang, isLang, translate, type Lang, type MessageKey, type MessageParams } from "./i18n";

const storageKey = "ecabinet.lang";

function savedLang(): Lang {
  const saved = localStorage.getItem(storageKey);
  return isLang(saved) ? saved : defaultLang;
}

const initial = savedLang();
let current = $state<Lang>(initial);
// Screen readers pick their pronunciation from <html lang>, so it must follow the switch.
document.documentElement.lang = initial;

export const i18n = {
  get lang(): Lang {
    return current;
  },
  set lang(next: Lang) {
    current = next;
    localStorage.setItem(storageKey, next);
    document.documentElement.lang = next;
  },
  t(key: MessageKey, params?: MessageParams): string {
    return translate(current, key, params);
  },
};
