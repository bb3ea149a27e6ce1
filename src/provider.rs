use std::borrow::Cow;
use std::fmt;

/// Who signed a request: one of the built-in
/// [`providers`](crate::providers), or a
/// [generic](crate::scheme::GenericScheme) scheme under the name it was
/// given.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Provider {
    name: Cow<'static, str>,
    built_in: bool,
}

impl Provider {
    /// A built-in provider (see [`providers::all`](crate::providers::all)).
    pub(crate) const fn built_in(name: &'static str) -> Self {
        Self {
            name: Cow::Borrowed(name),
            built_in: true,
        }
    }

    /// A generic scheme's provider, under the name it was given.
    pub(crate) fn generic(name: String) -> Self {
        Self {
            name: Cow::Owned(name),
            built_in: false,
        }
    }

    /// A short, stable, lower-case name: the built-in provider's name as the
    /// CLI spells it (`standard`, `stripe`, `github`, `discord`, …), or the
    /// generic scheme's own name. Used as the default idempotency namespace
    /// and in logs.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether this is one of the crate's built-in providers (and not a
    /// generic scheme that happens to share its name).
    pub fn is_built_in(&self) -> bool {
        self.built_in
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
