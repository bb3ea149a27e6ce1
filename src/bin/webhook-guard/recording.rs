//! One recorded delivery: what `listen --record` appends as a JSON line and
//! `replay` sends again, byte for byte.

use base64::Engine as _;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};
use serde::{Deserialize, Serialize};

/// A delivery as it arrived: when, the method and path, every header, the
/// exact body (text where it is UTF-8, else base64), and the event ID the
/// guard verified.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Recording {
    pub(crate) time: u64,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) headers: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) body_base64: Option<String>,
    #[serde(default)]
    pub(crate) event_id: Option<String>,
}

impl Recording {
    pub(crate) fn of(
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        event_id: Option<&str>,
    ) -> Self {
        let (text, base64) = match std::str::from_utf8(body) {
            Ok(text) => (Some(text.to_owned()), None),
            Err(_) => (
                None,
                Some(base64::engine::general_purpose::STANDARD.encode(body)),
            ),
        };
        Self {
            time: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|since| since.as_secs())
                .unwrap_or_default(),
            method: method.as_str().to_owned(),
            path: uri
                .path_and_query()
                .map_or("/", |path| path.as_str())
                .to_owned(),
            headers: headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: text,
            body_base64: base64,
            event_id: event_id.map(str::to_owned),
        }
    }

    /// The JSON line, newline included.
    pub(crate) fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).unwrap_or_default();
        line.push('\n');
        line
    }

    /// A line of a recording, or why it is none.
    pub(crate) fn from_line(line: &str) -> Result<Self, String> {
        serde_json::from_str(line).map_err(|error| format!("not a recorded delivery: {error}"))
    }

    /// The exact body.
    pub(crate) fn body_bytes(&self) -> Result<Vec<u8>, String> {
        match (&self.body, &self.body_base64) {
            (Some(text), None) => Ok(text.as_bytes().to_vec()),
            (None, Some(encoded)) => base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|_| "body_base64 is not base64".to_owned()),
            (None, None) => Ok(Vec::new()),
            (Some(_), Some(_)) => Err("both body and body_base64".to_owned()),
        }
    }

    /// The headers to send again: all but those of the connection, which
    /// the new request has its own of.
    pub(crate) fn header_map(&self) -> Result<HeaderMap, String> {
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("`{name}` is not a header name"))?;
            if matches!(
                name.as_str(),
                "host" | "content-length" | "connection" | "transfer-encoding"
            ) {
                continue;
            }
            let value = HeaderValue::from_str(value)
                .map_err(|_| format!("the `{name}` value is not a header value"))?;
            headers.append(name, value);
        }
        Ok(headers)
    }
}
