//! TLS material. With no certificate configured, Keyfleet makes a local CA and a certificate for
//! localhost/127.0.0.1 on first start (kept under `<data-dir>/tls/`), so the stock clients — which
//! refuse plain HTTP — can be pointed at it by trusting the CA file.

use crate::ServerError;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use std::path::{Path, PathBuf};

/// Paths of a certificate chain and key, plus the CA that signed it when we generated it.
pub struct TlsFiles {
    /// Server certificate (PEM).
    pub cert: PathBuf,
    /// Private key (PEM).
    pub key: PathBuf,
    /// Our generated CA, when self-signed.
    pub ca: Option<PathBuf>,
}

fn cert_error(e: rcgen::Error) -> ServerError {
    ServerError::Config(format!(
        "could not generate the self-signed certificate: {e}"
    ))
}

/// Returns the self-signed material under `data_dir/tls`, generating it if missing.
/// `extra_names` are added to the certificate (e.g. the host of the public URL).
pub fn self_signed(data_dir: &Path, extra_names: &[String]) -> Result<TlsFiles, ServerError> {
    let dir = data_dir.join("tls");
    let files = TlsFiles {
        cert: dir.join("server.pem"),
        key: dir.join("server.key"),
        ca: Some(dir.join("ca.pem")),
    };
    if files.cert.exists() && files.key.exists() && files.ca.as_ref().is_some_and(|c| c.exists()) {
        return Ok(files);
    }
    std::fs::create_dir_all(&dir)?;

    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(cert_error)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Keyfleet local CA");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().map_err(cert_error)?;
    let ca_cert = ca_params.self_signed(&ca_key).map_err(cert_error)?;

    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    names.extend(extra_names.iter().cloned());
    let mut leaf = CertificateParams::new(names).map_err(cert_error)?;
    leaf.distinguished_name.push(DnType::CommonName, "Keyfleet");
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    let leaf_key = KeyPair::generate().map_err(cert_error)?;
    let leaf_cert = leaf
        .signed_by(&leaf_key, &ca_cert, &ca_key)
        .map_err(cert_error)?;

    write_private(&files.key, leaf_key.serialize_pem().as_bytes())?;
    std::fs::write(&files.cert, format!("{}{}", leaf_cert.pem(), ca_cert.pem()))?;
    if let Some(ca) = &files.ca {
        std::fs::write(ca, ca_cert.pem())?;
    }
    Ok(files)
}

/// Writes a file readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}
