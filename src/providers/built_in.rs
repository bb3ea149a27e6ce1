use crate::scheme::Scheme;

/// What a provider's verifier is given, as the provider hands it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// A shared secret: the same value signs and verifies (HMAC, or a token
    /// compared as it is).
    Secret,
    /// A public key: the provider signs with its private key, the receiver
    /// holds the public half.
    PublicKey,
    /// Either, by the key given (Standard Webhooks: `whsec_` secrets for
    /// `v1`, `whpk_` public keys for `v1a`).
    SecretOrPublicKey,
}

impl KeyKind {
    /// A short description, for listings: `secret`, `public key`,
    /// `secret or public key`.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Secret => "secret",
            Self::PublicKey => "public key",
            Self::SecretOrPublicKey => "secret or public key",
        }
    }
}

/// A named variant of a provider's scheme, and its constructor.
pub(crate) type Variant = (&'static str, fn() -> Scheme);

/// One entry of the provider registry: a built-in provider's name, how its
/// verifier is keyed, and how to build its scheme.
///
/// The registry ([`all`](crate::providers::all)) is the one list of
/// providers: the CLI, the known-answer tests, the round-trip property
/// tests and the fuzz targets all iterate it.
#[derive(Debug, Clone, Copy)]
pub struct BuiltInProvider {
    pub(crate) name: &'static str,
    pub(crate) title: &'static str,
    pub(crate) aliases: &'static [&'static str],
    pub(crate) key_kind: KeyKind,
    pub(crate) scheme: fn() -> Scheme,
    pub(crate) variants: &'static [Variant],
}

impl BuiltInProvider {
    /// The provider's name: its CLI name, its [`Provider::name`], the
    /// default idempotency namespace, and the stem of its vectors file
    /// (`tests/data/<name>.json`).
    ///
    /// [`Provider::name`]: crate::Provider::name
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The provider as people write it (`Standard Webhooks`, `GitHub`).
    pub fn title(&self) -> &'static str {
        self.title
    }

    /// Other names the CLI accepts for it (`svix` for `standard`).
    pub fn aliases(&self) -> &'static [&'static str] {
        self.aliases
    }

    /// What its verifier is given.
    pub fn key_kind(&self) -> KeyKind {
        self.key_kind
    }

    /// Its scheme, as [`Scheme`]'s constructor of the same name builds it.
    pub fn scheme(&self) -> Scheme {
        (self.scheme)()
    }

    /// A named variant of its scheme (`github`'s `with_sha1`), if it has
    /// one by that name.
    pub fn variant(&self, name: &str) -> Option<Scheme> {
        self.variants
            .iter()
            .find(|(variant, _)| *variant == name)
            .map(|(_, scheme)| scheme())
    }

    /// Its scheme, then each of its variants' schemes.
    pub fn schemes(&self) -> impl Iterator<Item = Scheme> + '_ {
        std::iter::once(self.scheme()).chain(self.variants.iter().map(|(_, scheme)| scheme()))
    }

    /// The names of its variants.
    pub fn variant_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.variants.iter().map(|(name, _)| *name)
    }
}
