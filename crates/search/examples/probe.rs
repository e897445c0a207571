// TMP experiment, to be deleted.
use std::time::Instant;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let index = ecabinet_search::SearchIndex::open(std::path::Path::new(&args[1])).unwrap();
    let q = ecabinet_search::Query::parse(&args[2]);
    let n: usize = args[3].parse().unwrap();
    let mut times = vec![];
    for _ in 0..n {
        let t = Instant::now();
        std::hint::black_box(index.search(&q, 20).unwrap());
        times.push(t.elapsed());
    }
    times.sort();
    println!("p50 {:?} p95 {:?}", times[n / 2], times[n * 95 / 100]);
}
