//! A `hexdump -C` style view of binary bytes.

use std::fmt::Write;

const ROW: usize = 16;

/// Dumps the first `max` bytes of `bytes`, 16 per line: an 8-digit hex offset, the bytes in hex
/// (split in two groups of 8), and the printable ASCII characters between bars (others as `.`).
/// Lines end with `\n`; nothing is printed for the bytes past `max`.
pub fn hex_dump(bytes: &[u8], max: usize) -> String {
    let shown = &bytes[..bytes.len().min(max)];
    let mut out = String::with_capacity(shown.len().div_ceil(ROW) * 79);
    for (row_index, row) in shown.chunks(ROW).enumerate() {
        let _ = write!(out, "{:08x} ", row_index * ROW);
        for column in 0..ROW {
            if column == ROW / 2 {
                out.push(' ');
            }
            match row.get(column) {
                Some(byte) => {
                    let _ = write!(out, " {byte:02x}");
                }
                None => out.push_str("   "),
            }
        }
        out.push_str("  |");
        out.extend(row.iter().map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        }));
        out.push_str("|\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::hex_dump;

    #[test]
    fn rows_show_offset_hex_and_ascii() {
        let dump = hex_dump(b"Hello, hex world!\x00\xff", 1024);
        let lines: Vec<&str> = dump.lines().collect();
        assert_eq!(
            lines[0],
            "00000000  48 65 6c 6c 6f 2c 20 68  65 78 20 77 6f 72 6c 64  |Hello, hex world|"
        );
        assert_eq!(
            lines[1],
            "00000010  21 00 ff                                          |!..|"
        );
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn stops_at_the_maximum() {
        let dump = hex_dump(&[0xab; 100], 32);
        assert_eq!(dump.lines().count(), 2);
        assert!(dump.lines().last().unwrap().starts_with("00000010 "));
        assert_eq!(hex_dump(&[], 10), "");
    }
}
