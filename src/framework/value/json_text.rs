//! A small JSON reader that keeps numbers as their text, and a string
//! writer.
//!
//! `serde_json` (without its `arbitrary_precision` feature, which this crate
//! does not enable) turns large or long numbers into `f64`, losing digits;
//! Terraform numbers are arbitrary-precision. So stored state is read by this
//! reader, which hands each number's exact text to
//! [`Number::parse_decimal`](super::Number::parse_decimal).

use super::error::{ValueError, ValueErrorKind};

/// How deep a JSON document may nest. Above the value limit, because a
/// dynamic value adds a `{"type", "value"}` level and its type JSON nests too.
const MAX_JSON_DEPTH: usize = 4 * super::MAX_DEPTH;

/// A parsed JSON node; numbers keep their text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    String(String),
    Array(Vec<Json<'a>>),
    /// Members in document order; duplicates are kept for the caller.
    Object(Vec<(String, Json<'a>)>),
}

impl Json<'_> {
    /// The node as a `serde_json::Value`, for type JSON (numbers, which no
    /// type JSON has, become null and so fail type parsing).
    pub(crate) fn to_serde(&self) -> serde_json::Value {
        use serde_json::Value as Serde;
        match self {
            Json::Null | Json::Number(_) => Serde::Null,
            Json::Bool(flag) => Serde::Bool(*flag),
            Json::String(text) => Serde::String(text.clone()),
            Json::Array(elements) => Serde::Array(elements.iter().map(Json::to_serde).collect()),
            Json::Object(members) => Serde::Object(
                members
                    .iter()
                    .map(|(name, member)| (name.clone(), member.to_serde()))
                    .collect(),
            ),
        }
    }

    /// A description of the node's kind for messages.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Json::Null => "json null",
            Json::Bool(_) => "json bool",
            Json::Number(_) => "json number",
            Json::String(_) => "json string",
            Json::Array(_) => "json array",
            Json::Object(_) => "json object",
        }
    }
}

/// Parses one JSON document (surrounding whitespace allowed).
pub(crate) fn parse(bytes: &[u8]) -> Result<Json<'_>, ValueError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ValueErrorKind::InvalidUtf8)?;
    let mut parser = Parser { text, position: 0 };
    parser.skip_whitespace();
    let node = parser.value(0)?;
    parser.skip_whitespace();
    if parser.position < text.len() {
        return Err(parser.error("trailing characters"));
    }
    Ok(node)
}

/// Appends `text` as a JSON string literal.
pub(crate) fn write_json_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    for character in text.chars() {
        match character {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            control if u32::from(control) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", u32::from(control)).as_bytes());
            }
            other => {
                let mut buffer = [0u8; 4];
                out.extend_from_slice(other.encode_utf8(&mut buffer).as_bytes());
            }
        }
    }
    out.push(b'"');
}

struct Parser<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> Parser<'a> {
    /// A syntax error; it names the byte offset, never the text there.
    fn error(&self, what: &str) -> ValueError {
        ValueErrorKind::InvalidJson(format!("{what} at byte {}", self.position)).into()
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.position).copied()
    }

    fn next_byte(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.position += 1;
        Some(byte)
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.position += 1;
        }
    }

    fn expect_word(&mut self, word: &str, node: Json<'a>) -> Result<Json<'a>, ValueError> {
        let end = self.position + word.len();
        if self.text.get(self.position..end) == Some(word) {
            self.position = end;
            Ok(node)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json<'a>, ValueError> {
        match self.peek() {
            None => Err(ValueErrorKind::Truncated.into()),
            Some(b'n') => self.expect_word("null", Json::Null),
            Some(b't') => self.expect_word("true", Json::Bool(true)),
            Some(b'f') => self.expect_word("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[' | b'{') if depth >= MAX_JSON_DEPTH => {
                Err(ValueErrorKind::TooDeep(MAX_JSON_DEPTH).into())
            }
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json<'a>, ValueError> {
        self.position += 1;
        let mut elements = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.position += 1;
            return Ok(Json::Array(elements));
        }
        loop {
            self.skip_whitespace();
            elements.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.next_byte() {
                Some(b',') => {}
                Some(b']') => return Ok(Json::Array(elements)),
                None => return Err(ValueErrorKind::Truncated.into()),
                Some(_) => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json<'a>, ValueError> {
        self.position += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.position += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name"));
            }
            let name = self.string()?;
            self.skip_whitespace();
            if self.next_byte() != Some(b':') {
                return Err(self.error("expected ':'"));
            }
            self.skip_whitespace();
            members.push((name, self.value(depth + 1)?));
            self.skip_whitespace();
            match self.next_byte() {
                Some(b',') => {}
                Some(b'}') => return Ok(Json::Object(members)),
                None => return Err(ValueErrorKind::Truncated.into()),
                Some(_) => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    /// Reads a number's text, checked against JSON's grammar.
    fn number(&mut self) -> Result<Json<'a>, ValueError> {
        let start = self.position;
        let digits = |parser: &mut Parser<'a>| {
            let from = parser.position;
            while matches!(parser.peek(), Some(b'0'..=b'9')) {
                parser.position += 1;
            }
            parser.position - from
        };
        if self.peek() == Some(b'-') {
            self.position += 1;
        }
        let integer_start = self.position;
        let integer_digits = digits(self);
        let leading_zero = self.text.as_bytes().get(integer_start) == Some(&b'0');
        if integer_digits == 0 || leading_zero && integer_digits > 1 {
            return Err(self.error("malformed number"));
        }
        if self.peek() == Some(b'.') {
            self.position += 1;
            if digits(self) == 0 {
                return Err(self.error("malformed number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.position += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.position += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("malformed number"));
            }
        }
        let text = self
            .text
            .get(start..self.position)
            .ok_or_else(|| self.error("malformed number"))?;
        Ok(Json::Number(text))
    }

    fn string(&mut self) -> Result<String, ValueError> {
        self.position += 1;
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control byte;
            // those are ASCII, so the run ends on a character boundary.
            let rest = self.text.get(self.position..).unwrap_or_default();
            let run = rest
                .bytes()
                .position(|byte| byte == b'"' || byte == b'\\' || byte < 0x20)
                .ok_or(ValueErrorKind::Truncated)?;
            out.push_str(rest.get(..run).unwrap_or_default());
            self.position += run;
            match self.next_byte() {
                Some(b'"') => return Ok(out),
                Some(b'\\') => {
                    let escaped = match self.next_byte() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        None => return Err(ValueErrorKind::Truncated.into()),
                        Some(_) => return Err(self.error("invalid escape")),
                    };
                    out.push(escaped);
                }
                _ => return Err(self.error("control character in string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ValueError> {
        let digits = self
            .text
            .get(self.position..self.position + 4)
            .ok_or(ValueErrorKind::Truncated)?;
        if !digits.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Err(self.error("invalid unicode escape"));
        }
        self.position += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid unicode escape"))
    }

    /// The character of a `\u` escape (after the `u`), joining surrogate
    /// pairs. A lone surrogate becomes U+FFFD, as Go's decoder does.
    fn unicode_escape(&mut self) -> Result<char, ValueError> {
        let first = self.hex4()?;
        if (0xd800..0xdc00).contains(&first)
            && self.text.get(self.position..self.position + 2) == Some("\\u")
        {
            let saved = self.position;
            self.position += 2;
            let second = self.hex4()?;
            if (0xdc00..0xe000).contains(&second) {
                let combined = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                return Ok(char::from_u32(combined).unwrap_or('\u{fffd}'));
            }
            // Not a pair: the second escape is read on its own.
            self.position = saved;
        }
        Ok(char::from_u32(first).unwrap_or('\u{fffd}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, text: &str, expected: Json<'_>) {
        assert_eq!(parse(text.as_bytes()).unwrap(), expected, "{name}");
    }

    #[test]
    fn parses_documents() {
        check("null", " null ", Json::Null);
        check(
            "number text kept",
            "123456789012345678901234567890",
            Json::Number("123456789012345678901234567890"),
        );
        check("fraction", "-0.5e-3", Json::Number("-0.5e-3"));
        check(
            "nested",
            r#"{"a":[true,false,{}],"b":"x"}"#,
            Json::Object(vec![
                (
                    "a".into(),
                    Json::Array(vec![
                        Json::Bool(true),
                        Json::Bool(false),
                        Json::Object(vec![]),
                    ]),
                ),
                ("b".into(), Json::String("x".into())),
            ]),
        );
        check(
            "escapes",
            r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#,
            Json::String("a\"\\/\u{8}\u{c}\n\r\té😀".into()),
        );
        check(
            "lone surrogate",
            r#""\ud800x""#,
            Json::String("\u{fffd}x".into()),
        );
        check("raw unicode", "\"héllo\"", Json::String("héllo".into()));
    }

    #[test]
    fn rejects_malformed_documents() {
        for text in [
            "",
            "nul",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{1:2}",
            "01",
            "1.",
            "-",
            "1e",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "\"a\nb\"",
            "[",
            "{\"a\":1",
            "1 2",
            "+1",
            ".5",
            "\u{1}",
        ] {
            assert!(parse(text.as_bytes()).is_err(), "{text:?}");
        }
        assert_eq!(
            parse(&[0x22, 0xff, 0x22]).unwrap_err().kind(),
            &ValueErrorKind::InvalidUtf8
        );
        let deep = "[".repeat(MAX_JSON_DEPTH + 1);
        assert_eq!(
            parse(deep.as_bytes()).unwrap_err().kind(),
            &ValueErrorKind::TooDeep(MAX_JSON_DEPTH)
        );
    }

    #[test]
    fn error_names_offset_not_text() {
        let err = parse(br#"{"secret": tru}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid json: invalid literal at byte 11 at the top level"
        );
    }

    #[test]
    fn writes_strings() {
        let mut out = Vec::new();
        write_json_string(&mut out, "a\"b\\c\nd\u{1}é");
        assert_eq!(String::from_utf8(out).unwrap(), r#""a\"b\\c\nd\u0001é""#);
    }
}
