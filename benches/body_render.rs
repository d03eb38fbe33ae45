//! `body::render` on a 1 MiB JSON body against plain `serde_json::from_slice` of the same bytes,
//! measured in the same run; prints the medians and their ratio. Run: `cargo bench --bench body_render`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use hookscope::body::{render, RenderOptions};
use hookscope::model::HeaderField;

const ROUNDS: usize = 30;

fn json_body(size: usize) -> Vec<u8> {
    let mut body = String::from("[");
    let mut seq = 0u64;
    while body.len() < size {
        body.push_str(&format!(
            "{{\"seq\":{seq},\"id\":\"evt_{seq:012}\",\"amount\":12.50,\"tags\":[\"a\",\"b\"],\"ok\":true}},"
        ));
        seq += 1;
    }
    body.push_str("{}]");
    body.into_bytes()
}

/// Median wall time of `ROUNDS` runs of `f`, after one warm-up run.
fn median(mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[ROUNDS / 2]
}

fn main() {
    let body = json_body(1024 * 1024);
    let headers = [HeaderField::new("Content-Type", "application/json")];
    let options = RenderOptions::default();
    let gzipped = {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&body).unwrap();
        encoder.finish().unwrap()
    };
    let gzip_headers = [
        HeaderField::new("Content-Type", "application/json"),
        HeaderField::new("Content-Encoding", "gzip"),
    ];

    let baseline = median(|| {
        black_box(serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap());
    });
    let rendered = median(|| {
        black_box(render(&headers, black_box(&body), &options));
    });
    let rendered_gzip = median(|| {
        black_box(render(&gzip_headers, black_box(&gzipped), &options));
    });
    println!(
        "body size {} bytes ({} gzipped), median of {ROUNDS} rounds",
        body.len(),
        gzipped.len()
    );
    println!("baseline serde_json::from_slice::<Value>  {baseline:>10.2?}");
    let ratio = |d: Duration| d.as_secs_f64() / baseline.as_secs_f64();
    println!(
        "body::render (JSON)                       {rendered:>10.2?}  ratio {:.2}",
        ratio(rendered)
    );
    println!(
        "body::render (gzip + JSON)                {rendered_gzip:>10.2?}  ratio {:.2}",
        ratio(rendered_gzip)
    );
}
