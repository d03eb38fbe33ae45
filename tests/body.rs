//! Rendering captured bodies for display: every format the viewer shows, hostile input included.

use std::io::Write;

use base64::Engine as _;
use flate2::write::{GzEncoder, ZlibEncoder};
use flate2::Compression;
use hookscope::body::{hex_dump, part_bytes, render, BodyContent, BodyView, RenderOptions, TextSyntax};
use hookscope::model::HeaderField;

fn headers(pairs: &[(&str, &str)]) -> Vec<HeaderField> {
    pairs
        .iter()
        .map(|(name, value)| HeaderField::new(*name, *value))
        .collect()
}

fn view(pairs: &[(&str, &str)], body: &[u8]) -> BodyView {
    render(&headers(pairs), body, &RenderOptions::default())
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        writer.write_all(data).unwrap();
    }
    out
}

#[test]
fn json_sent_as_text_plain_is_pretty_printed_in_key_order_with_the_original_kept() {
    let body = br#"{"zeta":1,"alpha":{"id":12345678901234567890,"ok":true},"list":[1.50,"x"]}"#;
    let view = view(&[("Content-Type", "text/plain")], body);
    let BodyContent::Json { pretty, original, .. } = &view.content else {
        panic!("expected JSON, got {:?}", view.content);
    };
    assert_eq!(original.as_bytes(), body);
    let zeta = pretty.find("\"zeta\"").unwrap();
    let alpha = pretty.find("\"alpha\"").unwrap();
    assert!(zeta < alpha, "key order lost:\n{pretty}");
    assert!(pretty.contains("\n    \"id\": 12345678901234567890,"), "{pretty}");
    assert!(pretty.contains("1.50"), "number spelling changed:\n{pretty}");
    assert!(!view.preview_truncated);
    assert_eq!(view.total_size, body.len() as u64);
}

#[test]
fn text_that_only_looks_like_json_stays_text() {
    let view = view(&[("Content-Type", "application/json")], b"{\"unterminated\": ");
    assert!(matches!(view.content, BodyContent::Text { .. }), "{:?}", view.content);
}

#[test]
fn gzip_body_is_decoded_for_display_and_sizes_are_reported() {
    let json = br#"{"event":"payment.succeeded"}"#;
    let compressed = gzip(json);
    let view = view(
        &[("Content-Encoding", "gzip"), ("Content-Type", "application/json")],
        &compressed,
    );
    assert_eq!(view.content_encodings, ["gzip"]);
    assert_eq!(view.decoded_size, Some(json.len() as u64));
    assert_eq!(view.total_size, compressed.len() as u64);
    assert!(view.decode_error.is_none());
    assert!(matches!(&view.content, BodyContent::Json { original, .. } if original.as_bytes() == json));
}

#[test]
fn stacked_encodings_are_undone_in_reverse_order() {
    // The sender gzipped, then brotli-compressed the result: `Content-Encoding: gzip, br`.
    let text = b"stacked encodings decoded";
    let body = brotli(&gzip(text));
    let view = view(&[("Content-Encoding", "gzip, br")], &body);
    assert_eq!(view.content_encodings, ["gzip", "br"]);
    assert!(
        matches!(&view.content, BodyContent::Text { text: t, .. } if t.as_bytes() == text),
        "{view:?}"
    );
}

#[test]
fn brotli_and_zlib_deflate_bodies_are_decoded() {
    let view_br = view(&[("content-encoding", "br")], &brotli(b"brotli body text"));
    assert!(matches!(&view_br.content, BodyContent::Text { text, .. } if text == "brotli body text"));

    let mut zlib = ZlibEncoder::new(Vec::new(), Compression::default());
    zlib.write_all(b"a=1&b=2").unwrap();
    let view_deflate = view(&[("Content-Encoding", "deflate")], &zlib.finish().unwrap());
    assert!(matches!(&view_deflate.content, BodyContent::Form { fields } if fields.len() == 2));
}

#[test]
fn gzip_bomb_stops_at_the_cap_with_a_clear_error_and_raw_bytes_shown() {
    // 1 GiB of zeros, compressed by streaming it through the encoder in 1 MiB chunks.
    let zeros = vec![0u8; 1024 * 1024];
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    for _ in 0..1024 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    let options = RenderOptions::default();
    let view = render(&headers(&[("Content-Encoding", "gzip")]), &bomb, &options);
    let error = view.decode_error.as_deref().expect("a decode error");
    assert!(
        error.contains(&format!("decoded size exceeds {}", options.max_decoded_size)),
        "{error}"
    );
    assert_eq!(view.decoded_size, None);
    assert_eq!(view.total_size, bomb.len() as u64);
    // The captured (compressed) bytes are what is shown instead: gzip data in hex.
    let BodyContent::Binary { mime, hex_dump } = &view.content else {
        panic!("expected the raw bytes as binary, got {:?}", view.content);
    };
    assert_eq!(mime.as_deref(), Some("application/gzip"));
    assert!(hex_dump.starts_with("00000000  1f 8b"));
}

#[test]
fn corrupt_gzip_is_an_error_not_a_failure() {
    let view = view(&[("Content-Encoding", "gzip")], b"not gzip at all, just text");
    assert!(view.decode_error.as_deref().unwrap().contains("gzip"));
    assert!(matches!(&view.content, BodyContent::Text { text, .. } if text == "not gzip at all, just text"));
}

#[test]
fn xml_and_svg_are_text_and_svg_is_flagged() {
    let xml = view(
        &[("Content-Type", "text/plain")],
        b"<?xml version=\"1.0\"?><order id=\"7\"/>",
    );
    assert!(
        matches!(&xml.content, BodyContent::Xml { svg: false, .. }),
        "{:?}",
        xml.content
    );

    let svg_body = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    let svg = view(&[("Content-Type", "image/svg+xml")], svg_body);
    let BodyContent::Xml { text, svg: true, .. } = &svg.content else {
        panic!("SVG must come back as XML text, got {:?}", svg.content);
    };
    assert_eq!(text.as_bytes(), svg_body);
}

#[test]
fn hostile_html_comes_back_verbatim_as_html_text() {
    let body = "<script>document.title='pwned'</script><img src=x onerror=\"window.marker=1\">";
    let view = view(&[("Content-Type", "text/html")], body.as_bytes());
    let BodyContent::Text { text, syntax, .. } = &view.content else {
        panic!("expected text, got {:?}", view.content);
    };
    assert_eq!(*syntax, TextSyntax::Html);
    assert_eq!(text, body);
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["content"]["kind"], "text");
    assert_eq!(json["content"]["text"], body);
}

#[test]
fn form_fields_are_decoded_in_order_with_duplicates() {
    let body = b"item=apple&qty=2&item=pear+tart&note=caf%C3%A9%26co";
    let view = view(&[("Content-Type", "application/x-www-form-urlencoded")], body);
    let BodyContent::Form { fields } = &view.content else {
        panic!("expected a form, got {:?}", view.content);
    };
    let pairs: Vec<(&str, &str)> = fields.iter().map(|f| (f.name.as_str(), f.value.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("item", "apple"),
            ("qty", "2"),
            ("item", "pear tart"),
            ("note", "café&co")
        ]
    );
}

#[test]
fn latin1_text_is_decoded_with_its_charset() {
    let view = view(
        &[("Content-Type", "text/plain; charset=ISO-8859-1")],
        b"Gr\xfc\xdfe aus K\xf6ln",
    );
    let BodyContent::Text {
        text,
        had_invalid_bytes,
        ..
    } = &view.content
    else {
        panic!("expected text, got {:?}", view.content);
    };
    assert_eq!(text, "Grüße aus Köln");
    assert!(!had_invalid_bytes);
}

#[test]
fn utf16_with_a_bom_is_decoded() {
    let mut body = vec![0xff, 0xfe];
    body.extend("héllo wörld".encode_utf16().flat_map(u16::to_le_bytes));
    let view = view(&[], &body);
    assert!(
        matches!(&view.content, BodyContent::Text { text, charset, .. } if text == "héllo wörld" && charset == "UTF-16LE"),
        "{:?}",
        view.content
    );
}

#[test]
fn invalid_utf8_is_shown_with_replacement_and_flagged() {
    let view = view(
        &[("Content-Type", "text/plain; charset=utf-8")],
        b"price: 10\xff EUR, ok",
    );
    let BodyContent::Text {
        text,
        had_invalid_bytes,
        ..
    } = &view.content
    else {
        panic!("expected text, got {:?}", view.content);
    };
    assert_eq!(text, "price: 10\u{fffd} EUR, ok");
    assert!(had_invalid_bytes);
}

#[test]
fn images_are_returned_as_base64_by_magic_bytes_not_by_header() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
    let view = view(&[("Content-Type", "application/octet-stream")], png);
    let BodyContent::Image { mime, base64 } = &view.content else {
        panic!("expected an image, got {:?}", view.content);
    };
    assert_eq!(mime, "image/png");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(base64.as_deref().unwrap())
        .unwrap();
    assert_eq!(decoded, png);
}

#[test]
fn binary_bodies_get_a_bounded_hex_dump() {
    let body: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let options = RenderOptions {
        max_hex_preview: 64,
        ..RenderOptions::default()
    };
    let view = render(&[], &body, &options);
    let BodyContent::Binary { hex_dump: dump, .. } = &view.content else {
        panic!("expected binary, got {:?}", view.content);
    };
    assert_eq!(dump, &hex_dump(&body, 64));
    assert_eq!(dump.lines().count(), 4);
    assert!(view.preview_truncated);
    assert_eq!(view.total_size, 100_000);
}

fn multipart_body(boundary: &str, binary: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    write!(
        body,
        "--{boundary}\r\nContent-Disposition: form-data; name=\"payload\"\r\nContent-Type: application/json\r\n\r\n\
         {{\"type\":\"upload\"}}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"blob.bin\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .unwrap();
    body.extend_from_slice(binary);
    write!(body, "\r\n--{boundary}--\r\n").unwrap();
    body
}

#[test]
fn multipart_parts_carry_headers_names_sizes_and_their_own_views() {
    let binary: Vec<u8> = (0..=255u8).collect();
    let body = multipart_body("----hookscope7MA4YWxk", &binary);
    let hdrs = headers(&[("Content-Type", "multipart/form-data; boundary=----hookscope7MA4YWxk")]);
    let view = render(&hdrs, &body, &RenderOptions::default());
    let BodyContent::Multipart {
        subtype, parts, error, ..
    } = &view.content
    else {
        panic!("expected multipart, got {:?}", view.content);
    };
    assert_eq!(subtype, "form-data");
    assert!(error.is_none(), "{error:?}");
    assert_eq!(parts.len(), 2);

    assert_eq!(parts[0].name.as_deref(), Some("payload"));
    assert!(matches!(parts[0].view.content, BodyContent::Json { .. }));

    let file = &parts[1];
    assert_eq!(file.filename.as_deref(), Some("blob.bin"));
    assert_eq!(file.content_type.as_deref(), Some("application/octet-stream"));
    assert_eq!(file.size, 256);
    assert!(file
        .headers
        .iter()
        .any(|h| h.name == "content-disposition" && h.value.contains("blob.bin")));
    assert!(
        matches!(file.view.content, BodyContent::Binary { .. }),
        "{:?}",
        file.view.content
    );

    // The UI downloads a part by its index; the bytes are exactly those sent.
    assert_eq!(
        part_bytes(&hdrs, &body, &RenderOptions::default(), &[1]).unwrap(),
        binary
    );
    let missing = part_bytes(&hdrs, &body, &RenderOptions::default(), &[5]).unwrap_err();
    assert!(missing.to_string().contains("no part 6"), "{missing}");
}

#[test]
fn multipart_mixed_nested_parts_are_rendered_and_reachable() {
    let inner = b"--in\r\nContent-Type: text/plain\r\n\r\ninner text\r\n--in--\r\n";
    let mut body = b"--out\r\nContent-Type: multipart/mixed; boundary=in\r\n\r\n".to_vec();
    body.extend_from_slice(inner);
    body.extend_from_slice(b"\r\n--out--\r\n");
    let hdrs = headers(&[("Content-Type", "multipart/mixed; boundary=out")]);
    let view = render(&hdrs, &body, &RenderOptions::default());
    let BodyContent::Multipart { subtype, parts, .. } = &view.content else {
        panic!("expected multipart, got {:?}", view.content);
    };
    assert_eq!(subtype, "mixed");
    let BodyContent::Multipart { parts: inner_parts, .. } = &parts[0].view.content else {
        panic!("expected nested multipart, got {:?}", parts[0].view.content);
    };
    assert!(matches!(&inner_parts[0].view.content, BodyContent::Text { text, .. } if text == "inner text"));
    assert_eq!(
        part_bytes(&hdrs, &body, &RenderOptions::default(), &[0, 0]).unwrap(),
        b"inner text"
    );
}

#[test]
fn a_25_mib_body_gives_a_bounded_preview_and_its_total_size() {
    let options = RenderOptions::default();
    let line = "{\"seq\":12345,\"message\":\"a line of a very long webhook payload\"},";
    let mut json = String::from("[");
    while json.len() < 25 * 1024 * 1024 {
        json.push_str(line);
    }
    json.push_str("{}]");
    let view = render(&[], json.as_bytes(), &options);
    assert_eq!(view.total_size, json.len() as u64);
    assert!(view.preview_truncated);
    let BodyContent::Json { pretty, original, .. } = &view.content else {
        panic!("expected JSON, got a different kind");
    };
    assert!(pretty.len() <= options.max_text_preview);
    assert!(original.len() <= options.max_text_preview);
    assert!(json.starts_with(original.as_str()));

    let text = "x".repeat(25 * 1024 * 1024);
    let view = render(&[], text.as_bytes(), &options);
    assert!(view.preview_truncated);
    assert!(matches!(&view.content, BodyContent::Text { text, .. } if text.len() == options.max_text_preview));
}

#[test]
fn the_view_serializes_as_plain_tagged_camel_case_data() {
    let view = view(&[("Content-Type", "application/json")], b"{\"a\":1}");
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["content"]["kind"], "json");
    assert_eq!(json["content"]["hadInvalidBytes"], false);
    assert_eq!(json["totalSize"], 7);
    assert_eq!(json["previewTruncated"], false);
    assert_eq!(json["declaredType"], "application/json");
}

#[test]
fn empty_bodies_are_empty() {
    assert_eq!(
        view(&[("Content-Type", "application/json")], b"").content,
        BodyContent::Empty
    );
}

#[test]
fn arbitrary_bytes_and_headers_never_panic() {
    // A fixed pseudo-random walk over prefixes of real formats and noise, with every header combination.
    let seeds: [&[u8]; 6] = [
        b"{\"a\":[1,{\"b\":\"\\u00e9\"}]}",
        b"--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b--",
        b"<?xml version=\"1.0\"?><a><b/></a>",
        b"a=%ZZ&b=%e9&=&&",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff",
        b"\x89PNG\r\n\x1a\n",
    ];
    let header_sets = [
        vec![],
        headers(&[("Content-Encoding", "gzip, br, deflate")]),
        headers(&[("Content-Type", "multipart/form-data; boundary=b")]),
        headers(&[("Content-Type", "text/plain; charset=utf-16be")]),
        headers(&[("Content-Type", "application/x-www-form-urlencoded; charset=bogus")]),
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let options = RenderOptions::default();
    for round in 0..300 {
        let mut body = seeds[round % seeds.len()].to_vec();
        for _ in 0..(round % 40) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let position = (state as usize) % (body.len() + 1);
            body.insert(position, (state >> 32) as u8);
        }
        for hdrs in &header_sets {
            let view = render(hdrs, &body, &options);
            assert_eq!(view.total_size, body.len() as u64);
            serde_json::to_string(&view).unwrap();
        }
    }
}

#[test]
fn options_from_the_ui_may_name_only_what_they_change_and_are_honoured() {
    let options: RenderOptions = serde_json::from_str(r#"{"maxTextPreview": 5}"#).unwrap();
    assert_eq!(options.max_decoded_size, RenderOptions::default().max_decoded_size);
    let view = render(&[], "hello, world".as_bytes(), &options);
    assert!(matches!(&view.content, BodyContent::Text { text, .. } if text == "hello"));
    assert!(view.preview_truncated);
}
