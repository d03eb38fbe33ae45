//! "Did you mean": the known names closest to a mistyped one.

/// How many names an error lists.
const SHOWN: usize = 5;

/// The known names closest to `wanted`: names that contain it (or that it contains) first, then
/// by edit distance, ties by name.
pub(super) fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let wanted = wanted.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .map(|name| {
            let lower = name.to_ascii_lowercase();
            let score = if !wanted.is_empty() && (lower.contains(&wanted) || wanted.contains(&lower)) {
                0
            } else {
                strsim::levenshtein(&wanted, &lower)
            };
            (score, name)
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(SHOWN)
        .map(|(_, name)| name.to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn a_typo_is_closest_to_the_name_it_misspells() {
        let known = ["payment_intent.succeeded", "invoice.paid", "charge.refunded"];
        assert_eq!(closest("payment_intent.suceeded", known)[0], "payment_intent.succeeded");
        assert_eq!(closest("INVOICE", known)[0], "invoice.paid");
    }
}
