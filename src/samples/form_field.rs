//! Changing one field of a form body (`application/x-www-form-urlencoded`, Twilio's and
//! Mandrill's bodies) in place: only the value bytes of the first field of that name change.

/// `body` with the value of the first field named `name` replaced by `value`, form-encoded; the
/// other fields, their order and their encoding are kept byte for byte.
pub fn splice(body: &str, name: &str, value: &str) -> Result<String, String> {
    let mut start = 0;
    for segment in body.split('&') {
        let end = start + segment.len();
        let (raw_name, _) = segment.split_once('=').unwrap_or((segment, ""));
        if decode(raw_name) == name {
            let value_start = start + raw_name.len();
            let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
            return Ok(format!("{}={encoded}{}", &body[..value_start], &body[end..]));
        }
        start = end + 1;
    }
    Err(format!("the form has no field \"{name}\""))
}

fn decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("{text}=").as_bytes())
        .next()
        .map(|(name, _)| name.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::splice;

    #[test]
    fn only_the_named_field_changes() {
        let body = "To=%2B1415&Body=Hi+there&From=%2B1999&Body=second";
        assert_eq!(
            splice(body, "Body", "Où est ma commande?").unwrap(),
            "To=%2B1415&Body=O%C3%B9+est+ma+commande%3F&From=%2B1999&Body=second"
        );
        assert_eq!(
            splice("a=1&payload%5Bid%5D=7", "payload[id]", "8").unwrap(),
            "a=1&payload%5Bid%5D=8"
        );
        assert_eq!(splice("flag&b=2", "flag", "x").unwrap(), "flag=x&b=2");
        assert!(splice(body, "Nope", "x").unwrap_err().contains("no field \"Nope\""));
    }
}
