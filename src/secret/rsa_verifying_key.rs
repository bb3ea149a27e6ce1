/// An RSA PKCS#1 v1.5 / SHA-256 verifying key, comparable as its public
/// key is (`rsa`'s own type is `PartialEq` only).
#[derive(Clone, PartialEq)]
pub(crate) struct RsaVerifyingKey(pub(crate) rsa::pkcs1v15::VerifyingKey<sha2::Sha256>);

impl Eq for RsaVerifyingKey {}
