//! AutoMTLS as go-plugin does it: Terraform passes its client certificate (PEM) in
//! `PLUGIN_CLIENT_CERT`; we answer with a fresh self-signed server certificate (in the handshake
//! line) and accept exactly that client certificate, nothing else — client auth is mandatory.
//!
//! Terraform's client cert is ECDSA P-521 and marked as a CA, so WebPki-based verifiers (and
//! `ring`) reject it; we pin the exact DER instead and check handshake signatures with the
//! aws-lc-rs algorithms. Must not import framework or clouds.

use std::sync::Arc;

use base64::Engine;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{aws_lc_rs, CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{
    CertificateError, DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme,
};

/// The environment variable holding the client certificate PEM.
pub const CLIENT_CERT_ENV: &str = "PLUGIN_CLIENT_CERT";

/// The server side of AutoMTLS: the rustls config and our certificate (for the handshake line).
pub struct ServerTls {
    pub config: Arc<ServerConfig>,
    pub cert_der: Vec<u8>,
}

/// `Some` when `PLUGIN_CLIENT_CERT` is set (TLS required), `None` for plaintext.
pub fn from_env() -> Result<Option<ServerTls>, String> {
    match std::env::var(CLIENT_CERT_ENV) {
        Ok(pem) if !pem.trim().is_empty() => server_tls(&pem).map(Some),
        _ => Ok(None),
    }
}

/// Build the server TLS config pinned to the first certificate in `client_cert_pem`.
pub fn server_tls(client_cert_pem: &str) -> Result<ServerTls, String> {
    let client_der = pem_certificates(client_cert_pem)?
        .into_iter()
        .next()
        .ok_or_else(|| format!("{CLIENT_CERT_ENV} holds no PEM certificate"))?;
    // Pinning bytes that are no certificate would serve a TLS socket that refuses everyone;
    // say so at startup instead.
    let parsed = CertificateDer::from(client_der.as_slice());
    webpki::EndEntityCert::try_from(&parsed).map_err(|e| {
        format!("{CLIENT_CERT_ENV} holds a PEM block that is not an X.509 certificate ({e:?})")
    })?;
    let (cert_der, key_der) = self_signed_server_cert()?;
    let provider = Arc::new(aws_lc_rs::default_provider());
    let verifier = PinnedClientCert::new(client_der, &provider);
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(
            vec![CertificateDer::from(cert_der.clone())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_der)),
        )
        .map_err(|e| format!("TLS setup failed: {e}"))?;
    // grpc-go refuses servers that do not negotiate h2 via ALPN.
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(ServerTls {
        config: Arc::new(config),
        cert_der,
    })
}

/// A fresh ECDSA P-256 certificate for `localhost` (DER) and its PKCS#8 key (DER). Shaped like
/// go-plugin's own: self-signed, CA flag set, usable for server and client auth.
fn self_signed_server_cert() -> Result<(Vec<u8>, Vec<u8>), String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
        .map_err(|e| format!("key generation failed: {e}"))?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()])
        .map_err(|e| format!("certificate setup failed: {e}"))?;
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "paasform");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let cert = params
        .self_signed(&key)
        .map_err(|e| format!("certificate signing failed: {e}"))?;
    Ok((cert.der().to_vec(), key.serialize_der()))
}

/// Every `CERTIFICATE` block in a PEM text, as DER.
pub fn pem_certificates(pem: &str) -> Result<Vec<Vec<u8>>, String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut out = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find(BEGIN) {
        let body_start = start + BEGIN.len();
        let len = rest[body_start..]
            .find(END)
            .ok_or("unterminated PEM certificate")?;
        let body: String = rest[body_start..body_start + len]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|e| format!("invalid base64 in PEM certificate: {e}"))?;
        out.push(der);
        rest = &rest[body_start + len + END.len()..];
    }
    Ok(out)
}

/// Accepts exactly one client certificate, byte for byte; still checks the handshake
/// signature, so only the holder of that certificate's key gets in.
#[derive(Debug)]
struct PinnedClientCert {
    expected: Vec<u8>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedClientCert {
    fn new(expected: Vec<u8>, provider: &CryptoProvider) -> Self {
        PinnedClientCert {
            expected,
            algorithms: provider.signature_verification_algorithms,
        }
    }
}

impl ClientCertVerifier for PinnedClientCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_slice() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pem_blocks() {
        let pem = "junk\n-----BEGIN CERTIFICATE-----\nAQID\nBA==\n-----END CERTIFICATE-----\n\
                   -----BEGIN CERTIFICATE-----\nBQY=\n-----END CERTIFICATE-----\n";
        assert_eq!(
            pem_certificates(pem).expect("parse"),
            vec![vec![1, 2, 3, 4], vec![5, 6]]
        );
        assert!(pem_certificates("-----BEGIN CERTIFICATE-----\nAQID").is_err());
        assert!(pem_certificates("no pem here").expect("parse").is_empty());
    }

    #[test]
    fn builds_a_config_for_a_real_client_cert() {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("key");
        let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
            .expect("params")
            .self_signed(&key)
            .expect("cert");
        let tls = server_tls(&cert.pem()).expect("server tls");
        assert_eq!(tls.config.alpn_protocols, vec![b"h2".to_vec()]);
        assert!(!tls.cert_der.is_empty());
        assert!(server_tls("not a cert").is_err());
    }

    #[test]
    fn a_pem_block_that_is_no_certificate_is_refused() {
        // Valid PEM armour and base64, but the body is not DER of a certificate.
        let pem = "-----BEGIN CERTIFICATE-----\nAQIDBAUGBwgJ\n-----END CERTIFICATE-----\n";
        let err = server_tls(pem).err().expect("refused");
        assert!(err.contains("not an X.509 certificate"), "{err}");
        // A truncated real certificate is refused too.
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("key");
        let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
            .expect("params")
            .self_signed(&key)
            .expect("cert");
        let der = cert.der();
        let cut = base64::engine::general_purpose::STANDARD.encode(&der[..der.len() - 10]);
        let pem = format!("-----BEGIN CERTIFICATE-----\n{cut}\n-----END CERTIFICATE-----\n");
        assert!(server_tls(&pem).is_err());
    }
}
