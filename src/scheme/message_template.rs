//! `{timestamp}.{body}`: a signed-message layout written as text.

use crate::limits::{MAX_TEMPLATE_LEN, MAX_TEMPLATE_PLACEHOLDERS};
use crate::scheme::{MessagePart, TemplateError};

/// Each placeholder's name and the part it stands for, in the order an
/// error lists them.
const PLACEHOLDERS: [(&str, MessagePart); 7] = [
    ("id", MessagePart::Id),
    ("timestamp", MessagePart::Timestamp),
    ("body", MessagePart::Body),
    ("body_crc32", MessagePart::BodyCrc32),
    ("method", MessagePart::Method),
    ("url", MessagePart::Url),
    ("form_parameters", MessagePart::FormParameters),
];

impl MessagePart {
    /// The parts of a message written as a template: placeholders in braces
    /// for the variable parts, literal text between them, `{{` and `}}` for
    /// a literal brace.
    ///
    /// The placeholders are `{id}`, `{timestamp}`, `{body}`,
    /// `{body_crc32}`, `{method}`, `{url}` and `{form_parameters}` (see the
    /// variants of [`MessagePart`]); a
    /// [`GenericScheme`](crate::scheme::GenericScheme) signs the first four
    /// only. A template is at most
    /// [`MAX_TEMPLATE_LEN`] bytes with at most
    /// [`MAX_TEMPLATE_PLACEHOLDERS`] placeholders. Whether the layout is
    /// unambiguous is the scheme's check, when it is built.
    ///
    /// ```
    /// use webhook_guard::scheme::MessagePart;
    ///
    /// let parts = MessagePart::parse_template("v0:{timestamp}:{body}")?;
    /// assert_eq!(
    ///     parts,
    ///     [
    ///         MessagePart::literal("v0:"),
    ///         MessagePart::Timestamp,
    ///         MessagePart::literal(":"),
    ///         MessagePart::Body,
    ///     ]
    /// );
    /// assert!(MessagePart::parse_template("{timestamp}.{payload}").is_err());
    /// # Ok::<(), webhook_guard::scheme::TemplateError>(())
    /// ```
    pub fn parse_template(template: &str) -> Result<Vec<MessagePart>, TemplateError> {
        if template.len() > MAX_TEMPLATE_LEN {
            return Err(TemplateError::TooLong {
                len: template.len(),
            });
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut placeholders = 0usize;
        let mut rest = template;
        while let Some(at) = rest.find(['{', '}']) {
            let offset = template.len() - rest.len() + at;
            literal.push_str(&rest[..at]);
            let brace = &rest[at..at + 1];
            let after = &rest[at + 1..];
            if let Some(doubled) = after.strip_prefix(brace) {
                literal.push_str(brace);
                rest = doubled;
                continue;
            }
            if brace == "}" {
                return Err(TemplateError::UnmatchedBrace { at: offset });
            }
            let close = after
                .find(['{', '}'])
                .filter(|end| after.as_bytes()[*end] == b'}')
                .ok_or(TemplateError::UnclosedPlaceholder { at: offset })?;
            let name = &after[..close];
            let part = PLACEHOLDERS
                .iter()
                .find(|(known, _)| *known == name)
                .map(|(_, part)| part.clone())
                .ok_or_else(|| TemplateError::UnknownPlaceholder {
                    name: name.to_owned(),
                })?;
            placeholders += 1;
            if placeholders > MAX_TEMPLATE_PLACEHOLDERS {
                return Err(TemplateError::TooManyPlaceholders);
            }
            if !literal.is_empty() {
                parts.push(MessagePart::literal(std::mem::take(&mut literal)));
            }
            parts.push(part);
            rest = &after[close + 1..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(MessagePart::literal(literal));
        }
        Ok(parts)
    }
}

/// The placeholder names, for an error message.
pub(crate) fn placeholder_names() -> String {
    let names: Vec<String> = PLACEHOLDERS
        .iter()
        .map(|(name, _)| format!("{{{name}}}"))
        .collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(template: &str) -> Result<Vec<MessagePart>, TemplateError> {
        MessagePart::parse_template(template)
    }

    #[test]
    fn placeholders_and_literals_become_parts_in_order() {
        assert_eq!(
            parse("{id}.{timestamp}.{body}").unwrap(),
            [
                MessagePart::Id,
                MessagePart::literal("."),
                MessagePart::Timestamp,
                MessagePart::literal("."),
                MessagePart::Body,
            ]
        );
        assert_eq!(parse("{body}").unwrap(), [MessagePart::Body]);
        assert_eq!(parse("").unwrap(), []);
        assert_eq!(
            parse("{method}{url}{form_parameters}").unwrap(),
            [
                MessagePart::Method,
                MessagePart::Url,
                MessagePart::FormParameters
            ]
        );
    }

    #[test]
    fn doubled_braces_are_literal_braces() {
        assert_eq!(
            parse("{{{timestamp}}}:{body}").unwrap(),
            [
                MessagePart::literal("{"),
                MessagePart::Timestamp,
                MessagePart::literal("}:"),
                MessagePart::Body,
            ]
        );
        assert_eq!(parse("{{body}}").unwrap(), [MessagePart::literal("{body}")]);
    }

    #[test]
    fn malformed_templates_say_where() {
        assert_eq!(
            parse("{timestamp}.{payload}").unwrap_err(),
            TemplateError::UnknownPlaceholder {
                name: "payload".to_owned()
            }
        );
        assert_eq!(
            parse("{}").unwrap_err(),
            TemplateError::UnknownPlaceholder {
                name: String::new()
            }
        );
        assert_eq!(
            parse("{BODY}").unwrap_err(),
            TemplateError::UnknownPlaceholder {
                name: "BODY".to_owned()
            }
        );
        assert_eq!(
            parse("a.{body").unwrap_err(),
            TemplateError::UnclosedPlaceholder { at: 2 }
        );
        assert_eq!(
            parse("{ti{body}").unwrap_err(),
            TemplateError::UnclosedPlaceholder { at: 0 }
        );
        assert_eq!(
            parse("{body}}").unwrap_err(),
            TemplateError::UnmatchedBrace { at: 6 }
        );
    }

    #[test]
    fn unknown_placeholder_error_names_the_known_ones() {
        let message = parse("{payload}").unwrap_err().to_string();
        for name in ["{id}", "{timestamp}", "{body}"] {
            assert!(message.contains(name), "{message}");
        }
    }

    #[test]
    fn templates_are_bounded() {
        let long = ".".repeat(MAX_TEMPLATE_LEN + 1);
        assert_eq!(
            parse(&long).unwrap_err(),
            TemplateError::TooLong { len: long.len() }
        );
        let at_limit = "{body}".repeat(MAX_TEMPLATE_PLACEHOLDERS);
        assert_eq!(parse(&at_limit).unwrap().len(), MAX_TEMPLATE_PLACEHOLDERS);
        let over = "{body}".repeat(MAX_TEMPLATE_PLACEHOLDERS + 1);
        assert_eq!(
            parse(&over).unwrap_err(),
            TemplateError::TooManyPlaceholders
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for template in [
            "{",
            "}",
            "{{",
            "}}",
            "{{{",
            "}}}",
            "{é}",
            "é{body}é",
            "{body}{",
            "\u{0}{id}",
            "{{}",
            "{}}",
        ] {
            let _ = parse(template);
        }
        assert_eq!(
            parse("é{body}").unwrap(),
            [MessagePart::literal("é"), MessagePart::Body]
        );
    }
}
