//! Folding: the form of text that search compares, so that a member typing without accents
//! (most keyboards in a meeting room have no Telex input set up) finds the accented words.

use std::sync::LazyLock;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Text as search compares it, with where each of its chars came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    /// Lowercase, without diacritics, `đ` as `d`.
    pub text: String,
    /// `origin[i]` is the char index, in the text that was folded, of the `i`th char of
    /// `text`. Several folded chars may share one origin (`ﬁ` folds to `fi`), and an input
    /// char may have none (a combining accent of decomposed input).
    pub origin: Vec<u32>,
}

/// Folds `text` for search: lowercase, every diacritic removed (compatibility decomposition,
/// combining marks dropped), `đ`/`Đ` as `d` (it has no decomposition), zero-width chars and
/// soft hyphens dropped, so "Họp KHÔNG giấy" folds to "hop khong giay". Precomposed and
/// decomposed input fold alike.
///
/// Compatibility decomposition rather than canonical (NFKD, not NFD) so that the ligatures,
/// full-width forms and non-breaking spaces PDF text layers are full of fold to the letters
/// and spaces a member types. Hangul syllables are kept whole: decomposing them into jamo
/// would only make Korean text unreadable in `text`.
pub fn fold(text: &str) -> Folded {
    let mut folded = Folded {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len()),
    };
    let table: &[char] = &TABLE;
    for (index, c) in text.chars().enumerate() {
        // A page's text is far shorter than 4 G chars.
        let index = index as u32;
        fold_char(table, c, |f| {
            folded.text.push(f);
            folded.origin.push(index);
        });
    }
    folded
}

/// Calls `emit` with the words of `text` (UTF-8) as indexed: its folded alphanumeric runs.
/// `scratch` holds the word being built and is reused between calls.
///
/// This is the loop ranking spends its time in (rank.rs), so it decodes the UTF-8 itself and
/// folds through `TABLE`: page text read back from SQLite is never validated into a `String`
/// first, and the common case (ASCII, or a Vietnamese letter folding to one) is a lookup.
/// Bytes that are not UTF-8 separate words.
pub(crate) fn for_each_word(text: &[u8], scratch: &mut Vec<u8>, mut emit: impl FnMut(&[u8])) {
    let table: &[char] = &TABLE;
    scratch.clear();
    let mut flush = |scratch: &mut Vec<u8>| {
        if !scratch.is_empty() {
            emit(scratch);
            scratch.clear();
        }
    };
    let mut i = 0;
    while i < text.len() {
        let byte = text[i];
        if byte.is_ascii_alphanumeric() {
            // A run of ASCII letters and digits in one go: most of any page.
            let start = i;
            while i < text.len() && text[i].is_ascii_alphanumeric() {
                i += 1;
            }
            scratch.extend(text[start..i].iter().map(u8::to_ascii_lowercase));
            continue;
        }
        if byte.is_ascii() {
            flush(scratch);
            i += 1;
            continue;
        }
        let (c, length) = decode(&text[i..]);
        i += length;
        let Some(c) = c else {
            flush(scratch);
            continue;
        };
        let mut push = |f: char| {
            if f.is_ascii() {
                if f.is_ascii_alphanumeric() {
                    scratch.push(f as u8);
                } else {
                    flush(scratch);
                }
            } else if f.is_alphanumeric() {
                scratch.extend_from_slice(f.encode_utf8(&mut [0; 4]).as_bytes());
            } else {
                flush(scratch);
            }
        };
        match table.get(c as usize) {
            Some(&NOTHING) => {}
            Some(&SEVERAL) | None => fold_slowly(c, push),
            Some(&folded) => push(folded),
        }
    }
    flush(scratch);
}

/// The char that `bytes` (non-ASCII first) start with, and its length in bytes; `None` (of
/// length 1) for what is not UTF-8.
#[inline]
fn decode(bytes: &[u8]) -> (Option<char>, usize) {
    let length = match bytes[0] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return (None, 1),
    };
    let Some(tail) = bytes.get(1..length) else {
        return (None, 1);
    };
    if tail.iter().any(|b| b & 0xC0 != 0x80) {
        return (None, 1);
    }
    let mut code = u32::from(bytes[0]) & (0x7F >> length);
    for b in tail {
        code = (code << 6) | u32::from(b & 0x3F);
    }
    // Overlong forms and surrogates are not chars of any valid text.
    let shortest = match length {
        2 => 0x80,
        3 => 0x800,
        _ => 0x1_0000,
    };
    match char::from_u32(code) {
        Some(c) if code >= shortest => (Some(c), length),
        _ => (None, 1),
    }
}

/// Chars below this fold through `TABLE`: Latin (Vietnamese included), the combining marks,
/// Greek, Cyrillic and the rest of the alphabets before U+2000.
const TABLE_END: u32 = 0x2000;
/// In `TABLE`: the char folds to nothing (a combining mark). A noncharacter, which no char
/// below `TABLE_END` folds to.
const NOTHING: char = '\u{FFFF}';
/// In `TABLE`: the char folds to several chars, so it takes the slow path.
const SEVERAL: char = '\u{FFFE}';

/// The fold of every char below `TABLE_END`, made once from `fold_slowly` so the two cannot
/// disagree. Folding is most of the cost of ranking a page (see rank.rs), and the table makes
/// it several times faster than decomposing every accented char.
static TABLE: LazyLock<Vec<char>> = LazyLock::new(|| {
    (0..TABLE_END)
        .map(|code| {
            let Some(c) = char::from_u32(code) else {
                return SEVERAL;
            };
            let mut folded = Vec::new();
            fold_slowly(c, |f| folded.push(f));
            match folded[..] {
                [] => NOTHING,
                [one] => one,
                _ => SEVERAL,
            }
        })
        .collect()
});

#[inline]
fn fold_char(table: &[char], c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    match table.get(c as usize) {
        Some(&NOTHING) => {}
        Some(&SEVERAL) | None => fold_slowly(c, emit),
        Some(&folded) => emit(folded),
    }
}

fn fold_slowly(c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    match c {
        'đ' | 'Đ' => emit('d'),
        // Invisible chars some PDFs put inside words (zero-width space and joiners, word
        // joiner, byte order mark, soft hyphen): dropped, so the word stays one word.
        '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
        '\u{AC00}'..='\u{D7A3}' => emit(c),
        _ => decompose_compatible(c, |part| {
            if is_combining_mark(part) {
                return;
            }
            if part.is_ascii() {
                emit(part.to_ascii_lowercase());
                return;
            }
            // A few lowercase forms carry a mark of their own (İ lowercases to i + U+0307).
            for lower in part.to_lowercase() {
                if !is_combining_mark(lower) {
                    emit(lower);
                }
            }
        }),
    }
}

/// The words of folded text: runs of alphanumeric chars, as `(start, end)` char indices into
/// the folded text together with the word.
pub(crate) fn words(folded: &str) -> Vec<Word<'_>> {
    let mut words = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    let mut chars = 0;
    for (byte, c) in folded.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some((byte, chars));
            }
        } else if let Some((start_byte, start_char)) = start.take() {
            words.push(Word {
                text: &folded[start_byte..byte],
                start: start_char,
                end: chars,
            });
        }
        chars += 1;
    }
    if let Some((start_byte, start_char)) = start {
        words.push(Word {
            text: &folded[start_byte..],
            start: start_char,
            end: chars,
        });
    }
    words
}

/// A word of folded text: its chars are `start..end` of the folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> String {
        fold(text).text
    }

    #[test]
    fn every_vietnamese_vowel_with_every_tone_folds_to_its_base_letter() {
        // Each row: the base vowel, then the vowel with no tone, huyền, sắc, hỏi, ngã, nặng,
        // in lowercase and uppercase.
        let rows = [
            ("a", "aàáảãạ AÀÁẢÃẠ"),
            ("a", "ăằắẳẵặ ĂẰẮẲẴẶ"),
            ("a", "âầấẩẫậ ÂẦẤẨẪẬ"),
            ("e", "eèéẻẽẹ EÈÉẺẼẸ"),
            ("e", "êềếểễệ ÊỀẾỂỄỆ"),
            ("i", "iìíỉĩị IÌÍỈĨỊ"),
            ("o", "oòóỏõọ OÒÓỎÕỌ"),
            ("o", "ôồốổỗộ ÔỒỐỔỖỘ"),
            ("o", "ơờớởỡợ ƠỜỚỞỠỢ"),
            ("u", "uùúủũụ UÙÚỦŨỤ"),
            ("u", "ưừứửữự ƯỪỨỬỮỰ"),
            ("y", "yỳýỷỹỵ YỲÝỶỸỴ"),
        ];
        for (base, forms) in rows {
            let expected = format!("{0}{0}{0}{0}{0}{0} {0}{0}{0}{0}{0}{0}", base);
            assert_eq!(
                folded(forms),
                expected,
                "every tone and vowel mark of {forms} is a diacritic on {base}"
            );
        }
    }

    #[test]
    fn folding_table() {
        let cases = [
            (
                "Họp KHÔNG giấy",
                "hop khong giay",
                "tones and marks go, case goes",
            ),
            (
                "đồng",
                "dong",
                "đ has no decomposition and is mapped by hand",
            ),
            ("ĐẠI BIỂU Quốc hội", "dai bieu quoc hoi", "uppercase Đ too"),
            (
                "Ho\u{323}p kho\u{302}ng gia\u{302}\u{301}y",
                "hop khong giay",
                "decomposed (NFD) input folds like precomposed",
            ),
            (
                "Ngân sách: 2.051 tỷ đồng (năm 2027)!",
                "ngan sach: 2.051 ty dong (nam 2027)!",
                "punctuation and digits stay as they are",
            ),
            (
                "Москва ΑΘΗΝΑ 北京",
                "москва αθηνα 北京",
                "other scripts are lowercased",
            ),
            (
                "ﬁnal Ｎăm",
                "final nam",
                "ligatures and full-width forms are compatibility forms",
            ),
            ("a\u{a0}b", "a b", "a non-breaking space is a space"),
            (
                "quy\u{ad}ết đị\u{200b}nh\u{feff}",
                "quyet dinh",
                "zero-width chars and soft hyphens vanish instead of splitting a word",
            ),
            ("서울", "서울", "Hangul syllables stay whole"),
            ("", "", "nothing folds to nothing"),
        ];
        for (input, expected, why) in cases {
            assert_eq!(folded(input), expected, "{why}");
        }
    }

    #[test]
    fn origins_point_at_the_input_chars() {
        let input = "Đô\u{301}ng ﬁ";
        let folded = fold(input);
        assert_eq!(folded.text, "dong fi");
        // Input chars: Đ(0) ô(1) U+0301(2) n(3) g(4) space(5) ﬁ(6).
        assert_eq!(
            folded.origin,
            vec![0, 1, 3, 4, 5, 6, 6],
            "the accent (2) folds to nothing, and both letters of the ligature come from 6"
        );
    }

    #[test]
    fn the_fast_path_folds_like_the_slow_one() {
        for code in 0..0x3_0000 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let (mut fast, mut slow) = (String::new(), String::new());
            fold_char(&TABLE, c, |f| fast.push(f));
            fold_slowly(c, |f| slow.push(f));
            assert_eq!(fast, slow, "U+{code:04X} folds the same through the table");
        }
    }

    #[test]
    fn indexed_words_are_the_words_of_the_folded_text() {
        let input = "Tờ trình về dự toán ngân sách, Ñ ﬁ İ ½; Ho\u{323}p";
        let mut indexed = Vec::new();
        for_each_word(input.as_bytes(), &mut Vec::new(), |word| {
            indexed.push(String::from_utf8(word.to_vec()).unwrap());
        });
        let folded = fold(input);
        let expected: Vec<&str> = words(&folded.text).into_iter().map(|w| w.text).collect();
        assert_eq!(
            indexed, expected,
            "indexing and queries must see the same words"
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_separate_words() {
        let mut words = Vec::new();
        let bytes = b"ng\xC3\xA2n\xFFs\xE1\xBA\xA1ch\xE1\xBA";
        for_each_word(bytes, &mut Vec::new(), |word| words.push(word.to_vec()));
        assert_eq!(
            words,
            [b"ngan".to_vec(), b"sach".to_vec()],
            "no panic, no garbage"
        );
    }

    #[test]
    fn the_decoder_reads_every_char_as_the_standard_library_does() {
        let mut text = String::new();
        for code in (0..0x11_0000).step_by(7) {
            if let Some(c) = char::from_u32(code) {
                text.push(c);
            }
        }
        let bytes = text.as_bytes();
        let mut i = 0;
        for c in text.chars() {
            if c.is_ascii() {
                i += 1;
                continue;
            }
            assert_eq!(
                decode(&bytes[i..]),
                (Some(c), c.len_utf8()),
                "U+{:04X}",
                c as u32
            );
            i += c.len_utf8();
        }
    }

    #[test]
    fn words_are_alphanumeric_runs() {
        let folded = "ngan sach, 2.051 ty-dong!";
        let words: Vec<_> = words(folded).into_iter().map(|w| w.text).collect();
        assert_eq!(words, ["ngan", "sach", "2", "051", "ty", "dong"]);
        assert_eq!(
            super::words("  ab")[0],
            Word {
                text: "ab",
                start: 2,
                end: 4
            },
            "word positions are char indices"
        );
    }
}
