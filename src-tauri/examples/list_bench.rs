//! Fills a database with N captured requests (if it has fewer) and times the queries the window
//! makes: the first page, a deep keyset page, a method filter and a full-text search.
//!
//! `cargo run --release -p hookscope-desktop --example list_bench -- PATH.db 1000000`

use std::time::Instant;

use hookscope::model::{CapturedRequest, HeaderField};
use hookscope::store::{requests, Store};

fn request(i: u64) -> CapturedRequest {
    let body = format!(
        r#"{{"id":"evt_{i:08}","type":"{}","created":{},"data":{{"object":{{"amount":{},"currency":"usd","customer":"cus_{:06}"}}}}}}"#,
        [
            "invoice.paid",
            "charge.refunded",
            "customer.created",
            "payment_intent.succeeded"
        ][(i % 4) as usize],
        1_700_000_000 + i,
        (i * 37) % 100_000,
        i % 50_000
    );
    CapturedRequest {
        received_at_ns: 1_700_000_000_000_000_000 + i as i64 * 1_000_000,
        remote_addr: Some("127.0.0.1:50000".into()),
        method: if i % 10 == 0 { "PUT".into() } else { "POST".into() },
        headers: vec![
            HeaderField::new("Content-Type", "application/json"),
            HeaderField::new("User-Agent", "Stripe/1.0"),
            HeaderField::new("Stripe-Signature", format!("t={i},v1=abc")),
        ],
        ..CapturedRequest::posted(
            &format!("SEED{i:022}"),
            &format!("/hooks/{}", i % 100),
            body.into_bytes(),
        )
    }
}

fn time<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let value = f();
    println!("{what}: {:.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    value
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = std::path::PathBuf::from(args.next().ok_or("usage: list_bench PATH.db N")?);
    let wanted: u64 = args.next().ok_or("usage: list_bench PATH.db N")?.parse()?;
    let store = Store::open(&path)?;
    let have = store.read(requests::count).await?;
    if have < wanted {
        let start = Instant::now();
        let mut next = have;
        while next < wanted {
            let end = (next + 20_000).min(wanted);
            store
                .write(move |conn| {
                    let tx = conn.transaction()?;
                    for i in next..end {
                        requests::insert(&tx, &request(i))?;
                    }
                    tx.commit()?;
                    Ok(())
                })
                .await?;
            next = end;
        }
        println!(
            "seeded {} requests in {:.1} s",
            wanted - have,
            start.elapsed().as_secs_f64()
        );
    }
    let page = |query: requests::ListQuery| {
        let store = store.clone();
        move || store.read_blocking(|conn| requests::list(conn, &query)).unwrap()
    };
    let total = time("count", || store.read_blocking(requests::count).unwrap());
    println!("rows: {total}");
    let first = time(
        "first page (200 newest)",
        page(requests::ListQuery {
            limit: 200,
            ..Default::default()
        }),
    );
    let middle = first[0].seq - (total as i64) / 2;
    time(
        "keyset page half way down (200)",
        page(requests::ListQuery {
            limit: 200,
            before_seq: Some(middle),
            ..Default::default()
        }),
    );
    time(
        "method filter PUT (200)",
        page(requests::ListQuery {
            limit: 200,
            method: Some("PUT".into()),
            ..Default::default()
        }),
    );
    let hits = time(
        "full-text search 'refunded' (200)",
        page(requests::ListQuery {
            limit: 200,
            search: Some("refunded".into()),
            ..Default::default()
        }),
    );
    println!("search hits on first page: {}", hits.len());
    time(
        "full-text search for one customer 'cus_004242' (200)",
        page(requests::ListQuery {
            limit: 200,
            search: Some("cus_004242".into()),
            ..Default::default()
        }),
    );
    Ok(())
}
