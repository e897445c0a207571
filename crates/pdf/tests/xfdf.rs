//! XFDF out and in: every kind eCabinet makes, replies and colours, exactly as they were; and
//! a paper's annotations through XFDF into a new copy and out again, unchanged.

mod every_kind;

use ecabinet_pdf::markup::xfdf::{from_xfdf, to_xfdf};
use ecabinet_pdf::markup::{self, MarkupSubtype};
use every_kind::{every_kind, fixture, submission};

#[test]
fn every_kind_goes_through_xfdf_unchanged() {
    let mut marks = every_kind();
    // Text that XML would otherwise change: markup characters, line breaks of every kind, a
    // tab, and a name with quotes.
    marks[6].contents = Some("Dòng 1\r\nDòng 2\rDòng 3\n\t<b>&amp;</b> \"trích\" 'dẫn'".to_owned());
    marks[2].name = Some("a\"b'c<d>&e".to_owned());
    marks[3].contents = Some(String::new());
    marks[4].needs_review = true;
    let xfdf = to_xfdf(&marks);
    assert_eq!(from_xfdf(&xfdf).unwrap(), marks, "{xfdf}");
    for subtype in MarkupSubtype::ALL {
        assert!(
            marks.iter().any(|m| m.subtype == subtype),
            "{subtype:?} is among the kinds checked"
        );
    }
}

#[test]
fn the_xfdf_speaks_the_standard_vocabulary() {
    let xfdf = to_xfdf(&every_kind());
    for expected in [
        "<xfdf xmlns=\"http://ns.adobe.com/xfdf/\"",
        "<highlight page=\"0\" rect=\"299,759,521,777\" color=\"#ffd400\" opacity=\"0.5\"",
        "coords=\"300,776,520,776,300,760,520,760\"",
        "<strikeout ",
        "<squiggly ",
        "<inklist>\n<gesture>70,570;150,650;250,570</gesture>",
        "ec:pressure=\"0.25,0.5,;,\"",
        "<freetext ",
        "<square ",
        "<circle ",
        "start=\"70,320\" end=\"280,380\" head=\"None\" tail=\"OpenArrow\"",
        "name=\"mark-12\" title=\"Trần Thị Bình\" date=\"D:20261205013000Z\" inreplyto=\"mark-6\"",
        "<contents>Đồng ý, sẽ bổ sung</contents>",
    ] {
        assert!(
            xfdf.contains(expected),
            "{expected:?} missing from:\n{xfdf}"
        );
    }
}

#[test]
fn xfdf_from_another_tool_is_read_with_what_ecabinet_keeps() {
    // As Acrobat writes it: empty elements, other attributes, kinds eCabinet does not make.
    let xfdf = r##"<?xml version="1.0" encoding="UTF-8"?>
<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve"><annots>
<square color="#FF0000" creationdate="D:20261201" flags="print" date="D:20261201" name="sq" page="2" rect="10,20,110,120" subject="Rectangle" title="An"/>
<stamp page="0" rect="1,2,3,4" name="st"/>
<text page="0" rect="5,6,25,26" name="re" inreplyto="sq"><contents-richtext><body/></contents-richtext><contents>Đúng &#8211; đồng ý</contents></text>
</annots><fields/></xfdf>"##;
    let read = from_xfdf(xfdf).unwrap();
    assert_eq!(read.len(), 2, "the stamp is not a kind eCabinet keeps");
    assert_eq!(read[0].subtype, MarkupSubtype::Square);
    assert_eq!(read[0].page, 2);
    assert_eq!(read[0].colour.map(|c| c.hex()).as_deref(), Some("#ff0000"));
    assert_eq!(read[1].in_reply_to.as_deref(), Some("sq"));
    assert_eq!(read[1].contents.as_deref(), Some("Đúng – đồng ý"));
}

#[test]
fn broken_xfdf_is_refused_with_a_reason() {
    for (xfdf, why) in [
        (
            "<xfdf><annots><square page=\"0\" rect=\"1,2,3,4\"></annots></xfdf>",
            "mismatched tags",
        ),
        ("<annots/>", "no xfdf root"),
        (
            "<xfdf><annots><square rect=\"1,2,3,4\"/></annots></xfdf>",
            "no page",
        ),
        (
            "<xfdf><annots><square page=\"0\"/></annots></xfdf>",
            "no rect",
        ),
        (
            "<xfdf><annots><square page=\"0\" rect=\"1,2,x,4\"/></annots></xfdf>",
            "a rect that is not numbers",
        ),
        (
            "<xfdf><annots><square page=\"0\" rect=\"1,2,3,4\" color=\"red\"/></annots></xfdf>",
            "a colour that is not #rrggbb",
        ),
        (
            "<xfdf><annots><highlight page=\"0\" rect=\"1,2,3,4\" coords=\"1,2,3\"/></annots></xfdf>",
            "a quad of three numbers",
        ),
        (
            "<xfdf><annots><ink page=\"0\" rect=\"1,2,3,4\"><inklist><gesture>1,2;3</gesture></inklist></ink></annots></xfdf>",
            "a point of one number",
        ),
        (
            "<xfdf><annots><square page=\"0\" rect=\"1,2,3,4\"><contents>a",
            "the end inside an annotation",
        ),
    ] {
        let error = from_xfdf(xfdf).expect_err(why);
        assert_eq!(error.code(), "bad_xfdf", "{why}: {error}");
    }
}

#[test]
fn a_papers_annotations_go_out_as_xfdf_into_a_new_copy_and_out_again_unchanged() {
    // A paper annotated once, its annotations exported, written into a fresh copy of the
    // paper, and exported again: the same XFDF.
    let annotated = markup::write_annotations(&submission(), &every_kind()).unwrap();
    let exported = to_xfdf(&markup::read_annotations(&annotated).unwrap());
    let again = markup::write_annotations(&submission(), &from_xfdf(&exported).unwrap()).unwrap();
    let re_exported = to_xfdf(&markup::read_annotations(&again).unwrap());
    assert_eq!(re_exported, exported);

    // A file another reader annotated: its marks, colours included, survive the same trip.
    let foreign =
        std::fs::read(fixture("../corpus/realworld/annotation-square-circle.pdf")).unwrap();
    let exported = to_xfdf(&markup::read_annotations(&foreign).unwrap());
    assert!(
        exported.contains("<square ") && exported.contains("<circle "),
        "{exported}"
    );
    assert!(
        exported.contains("color=\"#"),
        "other readers' colours are read: {exported}"
    );
    let copy = markup::write_annotations(&foreign, &from_xfdf(&exported).unwrap()).unwrap();
    let added = markup::read_annotations(&copy).unwrap();
    let (before, after) = added.split_at(added.len() / 2);
    assert_eq!(
        to_xfdf(after),
        exported,
        "the copy's new annotations read as the XFDF said"
    );
    assert_eq!(
        to_xfdf(before),
        exported,
        "and the file's own are still there"
    );
}
