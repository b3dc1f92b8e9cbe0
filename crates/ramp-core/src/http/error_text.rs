//! How errors are written: the parts of their `Display`, and the body snippet they keep.

use std::fmt;
use std::time::Duration;

/// How many characters of a response body an error keeps.
pub const SNIPPET_CHARS: usize = 256;

/// `" (retry after 30s)"` or nothing.
pub(super) struct RetryAfter<'a>(pub(super) &'a Option<Duration>);

impl fmt::Display for RetryAfter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(wait) => write!(f, " (retry after {wait:?})"),
            None => Ok(()),
        }
    }
}

/// `"timed out after 30s"` or `"timed out while connecting (not sent)"`.
pub(super) struct TimeoutWhat(pub(super) bool, pub(super) Duration);

impl fmt::Display for TimeoutWhat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self(true, _) => f.write_str("timed out while connecting (the request was not sent)"),
            Self(false, timeout) => write!(f, "timed out after {timeout:?}"),
        }
    }
}

/// `" [request id X]"` or nothing.
pub(super) struct RequestId<'a>(pub(super) &'a Option<String>);

impl fmt::Display for RequestId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, " [request id {id}]"),
            None => Ok(()),
        }
    }
}

/// A snippet, or `<empty body>`.
pub(super) struct Snippet<'a>(pub(super) &'a str);

impl fmt::Display for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("<empty body>")
        } else {
            f.write_str(self.0)
        }
    }
}

/// The start of a body as one line of text: invalid UTF-8 replaced, runs of whitespace
/// collapsed, cut at [`SNIPPET_CHARS`] characters with `…` marking the cut.
pub fn snippet(body: &[u8]) -> String {
    // Look at a bounded prefix only: a 1 MiB body needs no full lossy conversion.
    let prefix = &body[..body.len().min(SNIPPET_CHARS * 4 + 4)];
    let text = String::from_utf8_lossy(prefix);
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        for c in word.chars() {
            if chars == SNIPPET_CHARS {
                out.push('…');
                return out;
            }
            out.push(c);
            chars += 1;
        }
    }
    if prefix.len() < body.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_collapses_whitespace_and_truncates_on_a_char_boundary() {
        assert_eq!(snippet(b""), "");
        assert_eq!(
            snippet(b"  <html>\n  <body>Bad\tGateway</body>\n"),
            "<html> <body>Bad Gateway</body>"
        );
        let long = "é".repeat(1000);
        let s = snippet(long.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
        assert_eq!(snippet(&[0xff, b'a']), "\u{fffd}a");
    }
}
