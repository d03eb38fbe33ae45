//! HAR files written by the tools people use, imported through `Workbench` into a real database:
//! the stored bytes are compared byte for byte with what was sent (mitmproxy's files were made
//! here with mitmdump; the sent bytes are fixture files beside them), and the notes say which
//! entries were skipped and which bodies the file does not carry exactly. Fixtures and how each
//! was made: tests/fixtures/har/README.md.

mod common;

use std::path::PathBuf;

use common::TestDb;
use hookscope::delivery::ClientOptions;
use hookscope::export::{ImportNote, ImportNoteKind, ImportReport};
use hookscope::model::CapturedRequest;
use hookscope::Workbench;

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/har")
        .join(path)
}

async fn import(db: &TestDb, path: &str) -> (Workbench, ImportReport, Vec<CapturedRequest>) {
    let workbench = Workbench::open(&db.path(), ClientOptions::default()).await.unwrap();
    let report = workbench.import_file(&fixture(path)).await.unwrap();
    let mut stored = Vec::new();
    for id in &report.ids {
        stored.push(workbench.request(id).await.unwrap());
    }
    (workbench, report, stored)
}

/// The notes of `report` as (entry, kind), for asserting which entries got which note.
fn kinds(report: &ImportReport) -> Vec<(usize, ImportNoteKind)> {
    report.notes.iter().map(|note| (note.entry, note.kind)).collect()
}

fn note(report: &ImportReport, entry: usize) -> &ImportNote {
    report
        .notes
        .iter()
        .find(|note| note.entry == entry)
        .unwrap_or_else(|| panic!("no note on entry {entry}: {:?}", report.notes))
}

fn names_values(request: &CapturedRequest) -> Vec<(String, String)> {
    request
        .headers
        .iter()
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

/// A request as the generator sent it: the request line's method and target, the header lines
/// in order, and the body.
struct Sent {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn sent(name: &str) -> Sent {
    let raw = std::fs::read(fixture(&format!("mitmproxy/sent/{name}.http"))).unwrap();
    let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..head_end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap().split(' ');
    let (method, target) = (request_line.next().unwrap(), request_line.next().unwrap());
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(": ").unwrap();
            (name.to_owned(), value.to_owned())
        })
        .collect();
    let body = std::fs::read(fixture(&format!("mitmproxy/sent/{name}.body"))).unwrap();
    assert_eq!(body, raw[head_end + 4..], "the .body file is the .http file's body");
    Sent {
        method: method.into(),
        target: target.into(),
        headers,
        body,
    }
}

const MITMPROXY_SENT: [&str; 10] = [
    "01-binary-put",
    "02-utf8-json",
    "03-urlencoded-form",
    "04-gzip-json",
    "05-utf8-text-no-charset",
    "06-json-invalid-utf8",
    "07-get-query-duplicates",
    "08-multipart-form",
    "09-shift-jis-text",
    "10-binary-answer",
];

#[tokio::test]
async fn a_mitmproxy_har_imports_every_request_byte_for_byte_and_says_which_body_it_compressed_again() {
    let db = TestDb::new();
    let (_workbench, report, stored) = import(&db, "mitmproxy/mitmproxy.har").await;
    assert_eq!(stored.len(), MITMPROXY_SENT.len());
    for (name, request) in MITMPROXY_SENT.iter().zip(&stored) {
        let sent = sent(name);
        assert_eq!(request.method, sent.method, "{name}");
        assert_eq!(request.target, sent.target, "{name}");
        assert_eq!(request.http_version, "HTTP/1.1", "{name}");
        assert_eq!(
            names_values(request),
            sent.headers,
            "{name}: header lines in order, duplicates kept"
        );
        if *name == "04-gzip-json" {
            // mitmproxy writes the decoded JSON; the bytes of the gzip stream are not in the file.
            assert_ne!(request.body, sent.body);
            assert_eq!(
                gunzip(&request.body),
                gunzip(&sent.body),
                "the same content, compressed again"
            );
        } else {
            assert_eq!(request.body, sent.body, "{name}: the body byte for byte");
        }
        assert_eq!(request.body_size, request.body.len() as u64);
    }
    // The 12-byte binary PUT of the issue: code points U+0000–U+00FF, bodySize 12.
    assert_eq!(stored[0].body.len(), 12);
    assert_eq!(stored[9].response.status, 200);
    assert_eq!(
        stored[9].response.body,
        (0..=255u8).collect::<Vec<_>>(),
        "a binary answer too"
    );

    assert_eq!(kinds(&report), [(4, ImportNoteKind::NotExact)], "{:?}", report.notes);
    let gzip = note(&report, 4);
    assert_eq!(gzip.request_id.as_deref(), Some(stored[3].id.as_str()));
    assert!(gzip.message.contains("Content-Encoding: gzip"), "{}", gzip.message);
    assert!(gzip.message.contains("differ from those sent"), "{}", gzip.message);
}

#[tokio::test]
async fn a_chrome_har_drops_pseudo_headers_rebuilds_a_form_and_says_where_bytes_are_lost() {
    let db = TestDb::new();
    let (_workbench, report, stored) = import(&db, "chrome/devtools-export.har").await;
    assert_eq!(stored.len(), 4, "the data: URL entry is skipped");

    let json = &stored[0];
    assert_eq!(
        json.body,
        r#"{"event":"invoice.paid","customer":"Zoë Ångström","amount":4200}"#.as_bytes()
    );
    assert_eq!(json.http_version, "HTTP/2.0");
    assert_eq!(json.target, "/stripe/webhook?attempt=1");
    assert_eq!(
        names_values(json),
        [
            ("Host", "hooks.example.test"),
            ("accept", "*/*"),
            ("content-length", "67"),
            ("content-type", "application/json"),
            ("x-tag", "one"),
            ("x-tag", "two"),
        ]
        .map(|(n, v)| (n.to_owned(), v.to_owned())),
        "no pseudo-headers; Host from :authority; order and duplicates kept"
    );
    assert_eq!(stored[1].body, b"name=Zo%C3%AB&tags=a+b&tags=c");
    assert_eq!(stored[1].http_version, "HTTP/1.1");

    let multipart = &stored[3];
    let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQ3 report\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n\r\n--{boundary}--\r\n"
    );
    assert_eq!(String::from_utf8_lossy(&multipart.body), expected);

    assert_eq!(
        kinds(&report),
        [
            (3, ImportNoteKind::NotExact),
            (4, ImportNoteKind::Rebuilt),
            (5, ImportNoteKind::Skipped)
        ]
    );
    assert!(note(&report, 3).message.contains("does not carry the exact bytes"));
    assert!(
        note(&report, 3).message.contains("15 bytes (Content-Length)"),
        "{}",
        note(&report, 3).message
    );
    assert!(note(&report, 4).message.contains("rebuilt"));
    assert!(
        note(&report, 4).message.contains("report.pdf"),
        "{}",
        note(&report, 4).message
    );
    assert!(note(&report, 5).message.contains("not an http(s) URL"));
    assert_eq!(note(&report, 5).request_id, None);
}

#[tokio::test]
async fn a_firefox_har_counts_characters_in_body_size_so_content_length_decides_and_a_missing_body_is_said() {
    let db = TestDb::new();
    let (_workbench, report, stored) = import(&db, "firefox/devtools-export.har").await;
    assert_eq!(stored.len(), 4);
    // bodySize 24 counts UTF-16 units; Content-Length says 33 bytes, the UTF-8 of the text.
    assert_eq!(stored[0].body, r#"{"city":"Łódź","party":"🎉"}"#.as_bytes());
    assert_eq!(stored[0].http_version, "HTTP/2.0");
    // No Content-Length: the character count is not taken for one byte per character.
    assert_eq!(stored[1].body, "grüße aus köln".as_bytes());
    assert_eq!(stored[1].http_version, "HTTP/1.1", "an empty httpVersion");
    assert_eq!(stored[2].body, b"q=caf%C3%A9&page=2");
    assert!(stored[3].body.is_empty());
    assert_eq!(
        kinds(&report),
        [(2, ImportNoteKind::Unchecked), (4, ImportNoteKind::NotExact)]
    );
    let missing = &note(&report, 4).message;
    assert!(
        missing.contains("does not carry the body of 2097152 bytes"),
        "{missing}"
    );
    assert!(missing.contains("Request bodies are not included."), "{missing}");
}

#[tokio::test]
async fn a_charles_har_with_null_fields_and_a_form_listed_as_fields_is_rebuilt_to_its_declared_size() {
    let db = TestDb::new();
    let (_workbench, report, stored) = import(&db, "charles/session-export.har").await;
    assert_eq!(stored.len(), 2);
    let form = &stored[0];
    assert_eq!(form.body, br#"{"className":"ReqWeal","opType":1,"index":2}"#);
    assert_eq!(form.target, "/game?sessionId=6a6db26b");
    assert_eq!(form.header("host"), Some("api.example.test"));
    assert!(form.headers.iter().all(|h| !h.name.starts_with(':')));
    assert_eq!(form.response.status, 200);
    assert!(form.response.headers.iter().all(|h| !h.name.starts_with(':')));
    assert_eq!(stored[1].body, r##"{"order":"#42","note":"naïve café"}"##.as_bytes());
    assert_eq!(stored[1].response.status, 502);
    assert_eq!(kinds(&report), [(1, ImportNoteKind::Rebuilt)]);
    assert!(
        note(&report, 1).message.contains("matches the 44 bytes"),
        "{}",
        note(&report, 1).message
    );
}

#[tokio::test]
async fn an_http_toolkit_har_reads_its_base64_content_field_and_says_what_it_left_out() {
    let db = TestDb::new();
    let (_workbench, report, stored) = import(&db, "httptoolkit/export.har").await;
    assert_eq!(stored.len(), 5);
    assert_eq!(
        stored[0].body,
        r#"{"type":"charge.succeeded","amount":1999,"currency":"eur","description":"Crème brûlée"}"#.as_bytes()
    );
    assert_eq!(
        stored[1].body,
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0xFF, 0xFE],
        "the body from `_content`, base64"
    );
    assert_eq!(gunzip(&stored[2].body), br#"{"compressed":true,"items":[1,2,3]}"#);
    let h2 = &stored[3];
    assert_eq!(
        (h2.http_version.as_str(), h2.target.as_str()),
        ("HTTP/2.0", "/hooks/h2?x=1")
    );
    assert_eq!(h2.header("host"), Some("localhost:8443"));
    assert_eq!(h2.body, b"hello");
    assert!(stored[4].body.is_empty());
    assert_eq!(stored[4].response.note.as_deref(), Some("imported without a response"));
    assert_eq!(
        kinds(&report),
        [(3, ImportNoteKind::NotExact), (5, ImportNoteKind::NotExact)]
    );
    assert!(note(&report, 3).message.contains("compressed again with gzip"));
    assert!(
        note(&report, 5).message.contains("discarded:too-large"),
        "{}",
        note(&report, 5).message
    );
}

#[tokio::test]
async fn an_insomnia_har_gets_its_query_string_into_the_target_and_its_base64_file_body_decoded() {
    let db = TestDb::new();
    let (_workbench, report, stored) = import(&db, "insomnia/export.har").await;
    assert_eq!(stored.len(), 3);
    let json = &stored[0];
    assert_eq!(json.target, "/api/hooks?page=2&filter=a%20b%26c");
    assert_eq!(json.header("host"), Some("localhost:3000"));
    assert_eq!(json.body, r#"{"message":"über webhook","count":3}"#.as_bytes());
    assert_eq!(json.response.status, 201);

    let upload = &stored[1];
    let content_type = upload.header("content-type").unwrap().to_owned();
    let boundary = content_type.split_once("boundary=").expect("a boundary was chosen").1;
    let body = String::from_utf8(upload.body.clone()).unwrap();
    assert!(body.starts_with(&format!("--{boundary}\r\n")), "{body}");
    assert!(body.contains("name=\"label\"\r\n\r\ninvoice\r\n"), "{body}");
    assert!(body.ends_with(&format!("--{boundary}--\r\n")), "{body}");
    assert_eq!(upload.response.note.as_deref(), Some("imported without a response"));

    assert_eq!(
        stored[2].body,
        [0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A, 0x80, 0x81, 0xFF]
    );
    assert_eq!(
        kinds(&report),
        [
            (1, ImportNoteKind::Rebuilt),
            (1, ImportNoteKind::Unchecked),
            (2, ImportNoteKind::Rebuilt),
            (3, ImportNoteKind::Unchecked)
        ]
    );
    assert!(
        report.notes[0].message.contains("page, filter"),
        "{}",
        report.notes[0].message
    );
    assert!(note(&report, 2).message.contains("invoice.pdf"));
    assert!(note(&report, 2).message.contains("chose"));
}

#[tokio::test]
async fn har_requests_converted_from_a_postman_collection_import_without_a_log() {
    let db = TestDb::new();
    let (_workbench, report, stored) = import(&db, "postman/collection-as-har-requests.json").await;
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[0].body, br#"{"event":"order.created","id":"ord_1"}"#);
    assert_eq!(stored[0].target, "/orders?source=postman");
    assert_eq!(stored[0].header("host"), Some("hooks.example.test"));
    assert_eq!(stored[0].header("x-signature"), Some("t=1,v1=abc"));
    assert_eq!(stored[1].body, b"a=1&b=two");
    let multipart = stored[2].header("content-type").unwrap();
    assert!(
        multipart.starts_with("multipart/form-data; boundary=hookscope-"),
        "{multipart}"
    );
    assert_eq!(kinds(&report), [(3, ImportNoteKind::Rebuilt)]);
}

#[tokio::test]
async fn entries_without_a_usable_request_are_skipped_with_their_reason_and_the_rest_imported() {
    let db = TestDb::new();
    let (_workbench, report, stored) = import(&db, "invalid/unusable-entries.har").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].body, b"ok");
    let skipped: Vec<(usize, &str)> = report
        .notes
        .iter()
        .map(|n| {
            assert_eq!(n.kind, ImportNoteKind::Skipped);
            assert_eq!(n.request_id, None);
            (n.entry, n.message.as_str())
        })
        .collect();
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    assert!(skipped[0] == (1, "it holds a response only, no request"), "{skipped:?}");
    assert!(skipped[1] == (2, "its request has no method"), "{skipped:?}");
    assert!(skipped[2].0 == 4 && skipped[2].1.contains("not base64"), "{skipped:?}");
    assert!(
        skipped[3].0 == 5 && skipped[3].1.contains("not an http(s) URL"),
        "{skipped:?}"
    );
    assert_eq!(
        report.notes[0].to_string(),
        "entry 1 skipped: it holds a response only, no request"
    );
}

#[tokio::test]
async fn files_that_are_not_har_are_refused_with_a_clear_error_and_store_nothing() {
    let db = TestDb::new();
    let workbench = Workbench::open(&db.path(), ClientOptions::default()).await.unwrap();
    let not_json = workbench
        .import_file(&fixture("invalid/not-json.har"))
        .await
        .unwrap_err();
    assert!(
        not_json
            .to_string()
            .contains("not a HAR document: it is not valid JSON"),
        "{not_json}"
    );
    let no_entries = workbench
        .import_file(&fixture("invalid/no-entries.har"))
        .await
        .unwrap_err();
    assert!(
        no_entries.to_string().contains("its `log` has no `entries` array"),
        "{no_entries}"
    );
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    let count: i64 = conn
        .query_row("SELECT COUNT(*) FROM requests", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 0);
}
