//! Text for the standard fonts' WinAnsiEncoding, which free text appearances are drawn in.
//!
//! The standard 14 fonts need no embedding, so every reader has them, but they cover only
//! WinAnsi's 218 characters: Latin-1 and a few more. Vietnamese letters beyond it (ă, ơ, ư, đ,
//! and every letter with two marks, like ế) are drawn as the nearest letter WinAnsi has (ế as
//! ê, ơ as o, đ as d), so the drawn words stay readable; `/Contents` and XFDF keep the exact
//! text, which is what readers show in their comment panes and what is read back.

use unicode_normalization::UnicodeNormalization;

/// The byte of `c` in WinAnsiEncoding, if it has one.
pub(crate) fn encode(c: char) -> Option<u8> {
    let code = u32::from(c);
    match code {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(code).ok(),
        _ => Some(match c {
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8A,
            '‹' => 0x8B,
            'Œ' => 0x8C,
            'Ž' => 0x8E,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9A,
            '›' => 0x9B,
            'œ' => 0x9C,
            'ž' => 0x9E,
            'Ÿ' => 0x9F,
            _ => return None,
        }),
    }
}

/// The WinAnsi byte drawn for `c`: its own, else the letter with its first mark only, else
/// the bare letter, else `?`.
pub(crate) fn drawable(c: char) -> u8 {
    if let Some(byte) = encode(c) {
        return byte;
    }
    match c {
        'đ' => return b'd',
        'Đ' => return b'D',
        '\t' => return b' ',
        _ => {}
    }
    let decomposed: Vec<char> = std::iter::once(c).nfd().collect();
    if let [base, first_mark, ..] = decomposed.as_slice() {
        let composed: Vec<char> = [*base, *first_mark].into_iter().nfc().collect();
        if let [one] = composed.as_slice()
            && let Some(byte) = encode(*one)
        {
            return byte;
        }
    }
    decomposed
        .first()
        .and_then(|base| encode(*base))
        .unwrap_or(b'?')
}

/// A line of text as WinAnsi bytes, one per character.
pub(crate) fn line(text: &str) -> Vec<u8> {
    text.chars().map(drawable).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_beyond_winansi_is_drawn_as_the_nearest_letter_it_has() {
        assert_eq!(line("Điều"), b"Di\xeau".to_vec(), "ề drawn as ê");
        assert_eq!(
            line("ngân sách"),
            b"ng\xe2n s\xe1ch".to_vec(),
            "â and á are Latin-1"
        );
        assert_eq!(line("ơư"), b"ou".to_vec());
        assert_eq!(line("“12,5%” – €"), b"\x9312,5%\x94 \x96 \x80".to_vec());
        assert_eq!(line("中"), b"?".to_vec());
    }
}
