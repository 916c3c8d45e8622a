//! go-plugin's handshake: the magic cookie, the protocol version negotiation, the private socket
//! directory (unix only) and the one line on stdout that tells Terraform where to connect.
//! After [`announce`] nothing else may ever be written to stdout. Must not import framework or clouds.

use std::io::{self, Write};
#[cfg(unix)]
use std::path::{Path, PathBuf};

use base64::Engine;

pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// go-plugin's own handshake format version.
pub const CORE_PROTOCOL_VERSION: u32 = 1;
/// The tfplugin protocol we serve.
pub const APP_PROTOCOL_VERSION: u32 = 6;

/// Whether Terraform (or OpenTofu) started us: the cookie is present and exact.
pub fn has_magic_cookie() -> bool {
    std::env::var(MAGIC_COOKIE_KEY).is_ok_and(|v| v == MAGIC_COOKIE_VALUE)
}

/// Check `PLUGIN_PROTOCOL_VERSIONS` (e.g. `5,6`). Unset or empty means the client takes what we
/// serve, as go-plugin does. An error says what to do about it.
pub fn check_protocol_versions(offered: Option<&str>) -> Result<(), String> {
    let Some(list) = offered.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(());
    };
    let ours = APP_PROTOCOL_VERSION.to_string();
    if list.split(',').any(|v| v.trim() == ours) {
        return Ok(());
    }
    Err(format!(
        "This provider speaks plugin protocol {APP_PROTOCOL_VERSION}, but the client only offers {list:?}. \
         Use Terraform 1.0 or later, or OpenTofu."
    ))
}

/// A fresh private directory (mode 0700) holding the plugin's unix socket; removed on drop.
#[cfg(unix)]
pub struct SocketDir {
    dir: PathBuf,
}

#[cfg(unix)]
impl SocketDir {
    /// Create it under `PLUGIN_UNIX_SOCKET_DIR` (go-plugin's override) or the system temp dir.
    pub fn create() -> io::Result<SocketDir> {
        let base = std::env::var_os("PLUGIN_UNIX_SOCKET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        Self::create_in(&base)
    }

    pub fn create_in(base: &Path) -> io::Result<SocketDir> {
        use std::os::unix::fs::DirBuilderExt;
        let mut builder = std::fs::DirBuilder::new();
        builder.mode(0o700);
        for _ in 0..16 {
            let dir = base.join(format!("plugin{:016x}", rand::random::<u64>()));
            match builder.create(&dir) {
                Ok(()) => return Ok(SocketDir { dir }),
                // A name clash: try another name, never reuse someone else's directory.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "could not find a free socket directory name",
        ))
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    pub fn socket_path(&self) -> PathBuf {
        self.dir.join("plugin.sock")
    }
}

#[cfg(unix)]
impl Drop for SocketDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `1|6|<network>|<address>|grpc|<server cert DER, base64 std without padding, or empty>`,
/// the network being `unix` (address: the socket path) or `tcp` (address: `127.0.0.1:PORT`).
pub fn handshake_line(network: &str, address: &str, server_cert_der: Option<&[u8]>) -> String {
    let cert = server_cert_der
        .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!("{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|{network}|{address}|grpc|{cert}")
}

/// Print the handshake line on stdout and flush it: the only stdout output of a plugin process.
pub fn announce(line: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_version_must_include_six() {
        assert!(check_protocol_versions(Some("5,6")).is_ok());
        assert!(check_protocol_versions(Some("6")).is_ok());
        assert!(check_protocol_versions(None).is_ok());
        assert!(check_protocol_versions(Some("")).is_ok());
        let err = check_protocol_versions(Some("4,5")).expect_err("5 only");
        assert!(err.contains("protocol 6"), "{err}");
    }

    #[test]
    fn handshake_line_format() {
        let p = "/tmp/x/plugin.sock";
        assert_eq!(
            handshake_line("unix", p, None),
            "1|6|unix|/tmp/x/plugin.sock|grpc|"
        );
        // 4 bytes → 6 base64 chars without the `==` padding.
        assert_eq!(
            handshake_line("unix", p, Some(&[1, 2, 3, 4])),
            "1|6|unix|/tmp/x/plugin.sock|grpc|AQIDBA"
        );
        assert_eq!(
            handshake_line("tcp", "127.0.0.1:10001", Some(&[1, 2, 3, 4])),
            "1|6|tcp|127.0.0.1:10001|grpc|AQIDBA"
        );
    }

    #[cfg(unix)]
    #[test]
    fn socket_dir_is_private_and_removed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = SocketDir::create_in(&std::env::temp_dir()).expect("create");
        let path = dir.path().to_path_buf();
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        drop(dir);
        assert!(!path.exists());
    }
}
