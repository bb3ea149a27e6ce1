use crate::limits::{MAX_TEMPLATE_LEN, MAX_TEMPLATE_PLACEHOLDERS};
use crate::scheme::message_template::placeholder_names;

/// Why a message template could not be read
/// ([`MessagePart::parse_template`](crate::scheme::MessagePart::parse_template)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// The template is longer than [`MAX_TEMPLATE_LEN`].
    #[error("the message template is {len} bytes; at most {MAX_TEMPLATE_LEN}")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The template has more than [`MAX_TEMPLATE_PLACEHOLDERS`] placeholders.
    #[error("the message template has more than {MAX_TEMPLATE_PLACEHOLDERS} placeholders")]
    TooManyPlaceholders,
    /// A placeholder names no part of a message.
    #[error(
        "unknown placeholder {{{name}}} in the message template; known: {}",
        placeholder_names()
    )]
    UnknownPlaceholder {
        /// The name between the braces.
        name: String,
    },
    /// A `{` opens a placeholder that no `}` closes (write `{{` for a
    /// literal brace).
    #[error(
        "the `{{` at byte {at} of the message template is not closed (`{{{{` is a literal brace)"
    )]
    UnclosedPlaceholder {
        /// The brace's byte offset in the template.
        at: usize,
    },
    /// A `}` closes nothing (write `}}` for a literal brace).
    #[error(
        "the `}}` at byte {at} of the message template closes nothing (`}}}}` is a literal brace)"
    )]
    UnmatchedBrace {
        /// The brace's byte offset in the template.
        at: usize,
    },
}
