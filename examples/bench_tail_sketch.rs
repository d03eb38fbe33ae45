//! What a tail sketch costs at capture: sketches the request of `scripts/bench-capture.sh` (a
//! 2 KiB JSON body and its headers) many times and prints the time per request and per KiB,
//! against reading the same bytes once (the baseline, measured in the same run).
//!
//! Usage: cargo run --release --example bench_tail_sketch

use std::hint::black_box;
use std::time::Instant;

use hookscope::model::HeaderField;
use hookscope::store::tail_sketch;

fn main() {
    let mut body = String::from("{\"id\":\"evt_bench\",\"type\":\"invoice.paid\",\"data\":{\"items\":[");
    for i in 1.. {
        if body.len() > 1900 {
            break;
        }
        body.push_str(&format!(
            "{{\"n\":{i},\"sku\":\"sku_{i:04}\",\"desc\":\"line item number {i} of the order\"}},"
        ));
    }
    body.push_str("{}]}}");
    let headers = vec![
        HeaderField::new("Host", "127.0.0.1:8080"),
        HeaderField::new("Content-Type", "application/json"),
        HeaderField::new("Content-Length", body.len().to_string()),
    ];
    let rounds = 200_000u32;
    let bytes = body.len() + headers.iter().map(|h| h.name.len() + h.value.len()).sum::<usize>() + 6;

    let start = Instant::now();
    let mut sum = 0u64;
    for _ in 0..rounds {
        sum += black_box(body.as_bytes()).iter().map(|&b| u64::from(b)).sum::<u64>();
    }
    let read = start.elapsed() / rounds;
    black_box(sum);

    let start = Instant::now();
    for _ in 0..rounds {
        black_box(tail_sketch::sketch(
            black_box("/bench"),
            black_box(&headers),
            black_box(body.as_bytes()),
        ));
    }
    let sketch = start.elapsed() / rounds;
    let bits: u32 = tail_sketch::sketch("/bench", &headers, body.as_bytes())
        .expect("an ASCII body gets a sketch")
        .iter()
        .map(|b| b.count_ones())
        .sum();
    println!("{bits} of {} bits set", tail_sketch::SKETCH_BYTES * 8);
    let per_kib = |d: std::time::Duration| d.as_nanos() as f64 * 1024.0 / bytes as f64;
    println!(
        "{bytes} bytes a request: sketch {:.2} us ({:.0} ns/KiB), reading them once {:.2} us ({:.0} ns/KiB): {:.1}x",
        sketch.as_nanos() as f64 / 1000.0,
        per_kib(sketch),
        read.as_nanos() as f64 / 1000.0,
        per_kib(read),
        sketch.as_nanos() as f64 / read.as_nanos().max(1) as f64
    );
}
