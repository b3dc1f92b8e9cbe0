//! Ed25519 keys: the private key that signs (PKCS#8 PEM in, never printed), the public key
//! Onramper registers (SPKI PEM or hex out).

use crate::ErrorKind;
use std::fmt;
use std::path::Path;

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signer as _, Verifier as _};
use zeroize::Zeroizing;

use crate::Error;

/// An Ed25519 private key for Signature V2.
///
/// Load it from the PKCS#8 PEM that `openssl genpkey -algorithm ED25519` and Node's
/// `generateKeyPairSync('ed25519')` write ([`from_pkcs8_pem`](Self::from_pkcs8_pem),
/// [`from_pem_file`](Self::from_pem_file), [`from_env`](Self::from_env)), or make a new one
/// ([`generate`](Self::generate)). The key bytes are zeroized when it is dropped, and `Debug`
/// prints only the public key.
///
/// ```
/// use ramp_onramper_sign::v2::SigningKey;
///
/// // RFC 8032, test 1.
/// let pem = "-----BEGIN PRIVATE KEY-----
/// MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
/// -----END PRIVATE KEY-----";
/// let key = SigningKey::from_pkcs8_pem(pem)?;
/// assert_eq!(
///     key.public_key().to_hex(),
///     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
/// );
/// assert!(!format!("{key:?}").contains("MC4CAQAw"));
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub struct SigningKey(ed25519_dalek::SigningKey);

/// An Ed25519 public key: what you send Onramper at onboarding, and what verifies a V2
/// signature.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

fn invalid(reason: impl Into<String>) -> Error {
    ErrorKind::InvalidKey {
        reason: reason.into(),
    }
    .into()
}

impl SigningKey {
    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`). A key of another type
    /// (RSA, EC), an encrypted key, a public key or anything that is not PEM is
    /// [`ErrorKind::InvalidKey`], which never repeats the input.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, Error> {
        let pem = pem.trim();
        if pem.is_empty() {
            return Err(invalid("the PEM is empty"));
        }
        if pem.contains("BEGIN ENCRYPTED PRIVATE KEY") {
            return Err(invalid(
                "the PEM is an encrypted private key; decrypt it first (openssl pkey)",
            ));
        }
        if pem.contains("BEGIN PUBLIC KEY") {
            return Err(invalid("the PEM is a public key, not a private key"));
        }
        if !pem.contains("BEGIN PRIVATE KEY") {
            return Err(invalid(
                "not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)",
            ));
        }
        ed25519_dalek::SigningKey::from_pkcs8_pem(pem)
            .map(Self)
            .map_err(|err| invalid(describe_pkcs8(&err.to_string())))
    }

    /// Reads a PKCS#8 PEM private key from a file.
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|err| ErrorKind::KeyFile {
            path: path.display().to_string(),
            reason: err.to_string(),
        })?;
        Self::from_pkcs8_pem(&Zeroizing::new(text))
    }

    /// Reads a PKCS#8 PEM private key from the environment variable `name`. A value whose
    /// line breaks were written as the two characters `\n` (common in `.env` files) is read
    /// as if they were line breaks.
    pub fn from_env(name: &str) -> Result<Self, Error> {
        use ramp_core::ExposeSecret as _;
        let secret = ramp_core::secret_from_env(name)?;
        let text = secret.expose_secret();
        if text.contains('\n') {
            Self::from_pkcs8_pem(text)
        } else {
            Self::from_pkcs8_pem(&Zeroizing::new(text.replace("\\n", "\n")))
        }
    }

    /// A new key from the operating system's randomness.
    pub fn generate() -> Result<Self, Error> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|err| ErrorKind::Randomness {
            reason: err.to_string(),
        })?;
        Ok(Self(ed25519_dalek::SigningKey::from_bytes(&seed)))
    }

    /// The key as PKCS#8 PEM (the private key only, as `openssl genpkey` writes it), held so
    /// that it is zeroized when dropped. Write it to a file only readable by its owner.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, Error> {
        let bytes = ed25519_dalek::pkcs8::KeypairBytes {
            secret_key: self.0.to_bytes(),
            public_key: None,
        };
        bytes
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|err| invalid(format!("could not encode the key: {err}")))
    }

    /// The public key that goes with it.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// The 64-byte Ed25519 signature of `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }
}

/// The pkcs8 crate's message, in the words a user needs: the common mistake is a key of
/// another type.
fn describe_pkcs8(message: &str) -> String {
    if message.contains("OID") || message.contains("algorithm") {
        format!("not an Ed25519 key (the PEM holds a key of another type: {message})")
    } else {
        format!("not a valid PKCS#8 Ed25519 private key ({message})")
    }
}

impl fmt::Debug for SigningKey {
    /// Only the public key; the private key never prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("public_key", &self.public_key().to_hex())
            .field("private_key", &"[REDACTED]")
            .finish()
    }
}

impl PublicKey {
    /// Reads an SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`).
    pub fn from_spki_pem(pem: &str) -> Result<Self, Error> {
        let pem = pem.trim();
        if pem.contains("PRIVATE KEY") {
            return Err(invalid(
                "the PEM is a private key; give the public key (SPKI, -----BEGIN PUBLIC KEY-----)",
            ));
        }
        ed25519_dalek::VerifyingKey::from_public_key_pem(pem)
            .map(Self)
            .map_err(|err| invalid(format!("not an Ed25519 SPKI public key ({err})")))
    }

    /// Reads a public key written as 64 hex digits (32 bytes).
    pub fn from_hex(hex_text: &str) -> Result<Self, Error> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(hex_text.trim(), &mut bytes)
            .map_err(|_| invalid("a hex public key is 64 hex digits (32 bytes)"))?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map(Self)
            .map_err(|_| invalid("the 32 bytes are not an Ed25519 public key"))
    }

    /// The key as SPKI PEM, the form Onramper asks for at onboarding.
    pub fn to_spki_pem(&self) -> String {
        self.0
            .to_public_key_pem(LineEnding::LF)
            .unwrap_or_else(|_| String::new())
    }

    /// The key as 64 lower-case hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.as_bytes())
    }

    /// Whether `signature` is this key's signature of `message` (RFC 8032 strict checks:
    /// non-canonical encodings and small-order points are refused).
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let signature = ed25519_dalek::Signature::from_bytes(signature);
        self.0.verify(message, &signature).is_ok()
            && self.0.verify_strict(message, &signature).is_ok()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PublicKey").field(&self.to_hex()).finish()
    }
}

impl fmt::Display for PublicKey {
    /// The hex form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}
