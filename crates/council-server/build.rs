//! Compiles the demo packet's PDFs (listed in `assets/demo/packet.json`) into the server,
//! like the demo council itself, so `serve --demo` needs no files beside the binary.

use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    let manifest = assets.join("packet.json");
    println!("cargo::rerun-if-changed={}", manifest.display());
    let mut out = String::from(
        "/// The demo packet's files, by the name `packet.json` gives them.\npub static DEMO_PAPER_FILES: &[(&str, &[u8])] = &[\n",
    );
    // A server built without its demo packet would fail only at `serve --demo`: fail here.
    let text = std::fs::read_to_string(&manifest)
        .unwrap_or_else(|e| panic!("reading {}: {e}", manifest.display()));
    let json: serde_json::Value =
        serde_json::from_str(&text).expect("assets/demo/packet.json is JSON");
    let amendments = json["amendments"].as_array().cloned().unwrap_or_default();
    for paper in json["papers"]
        .as_array()
        .expect("packet.json has a papers list")
        .iter()
        .chain(&amendments)
    {
        let file = paper["file"].as_str().expect("each paper names its file");
        assert!(
            !file.contains('/') && !file.contains(".."),
            "demo paper {file:?} must be a plain file name"
        );
        let path = assets.join("papers").join(file);
        println!("cargo::rerun-if-changed={}", path.display());
        let path = path
            .canonicalize()
            .unwrap_or_else(|e| panic!("demo paper {}: {e}", path.display()));
        writeln!(
            out,
            "    ({file:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("demo_papers.rs");
    std::fs::write(target, out).unwrap();
}
