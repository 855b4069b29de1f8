//! How a node is run: its shutdown budget, its metrics listener and its log format
//! (docs/DEPLOYMENT.md).

use std::time::Duration;

/// An operator's settings for one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operations {
    /// After SIGTERM the node exits within this (`CLARION_SHUTDOWN_SECS`, 10): it stops
    /// accepting, answers what is queued, and lets the outbox finish its batch.
    pub shutdown: Duration,
    /// Where Prometheus text is served at `/metrics` (`CLARION_METRICS_BIND`); `None`,
    /// the default, serves none. Never the public listener.
    pub metrics_bind: Option<String>,
    /// `CLARION_LOG_FORMAT=json`: one JSON object a line. Logging starts before the
    /// configuration is read (`telemetry::init` reads the variable itself); a wrong
    /// value is refused here, naming it.
    pub log_json: bool,
}

impl Default for Operations {
    fn default() -> Self {
        Self {
            shutdown: Duration::from_secs(10),
            metrics_bind: None,
            log_json: false,
        }
    }
}

impl Operations {
    /// Reads the settings through `get`; an error names the variable and what it accepts.
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, (&'static str, String)> {
        let shutdown = match get("CLARION_SHUTDOWN_SECS") {
            Some(v) => v
                .trim()
                .parse()
                .ok()
                .filter(|s| (1..=3600).contains(s))
                .map(Duration::from_secs)
                .ok_or((
                    "CLARION_SHUTDOWN_SECS",
                    "must be a whole number of seconds from 1 to 3600".to_string(),
                ))?,
            None => Self::default().shutdown,
        };
        let log_json = match get("CLARION_LOG_FORMAT").as_deref().map(str::trim) {
            None | Some("text") => false,
            Some("json") => true,
            Some(_) => return Err(("CLARION_LOG_FORMAT", "must be text or json".into())),
        };
        let metrics_bind = get("CLARION_METRICS_BIND").map(|b| b.trim().to_string());
        Ok(Self {
            shutdown,
            metrics_bind,
            log_json,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Result<Operations, (&'static str, String)> {
        Operations::from_lookup(|name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn defaults_serve_no_metrics_and_wait_ten_seconds() {
        assert_eq!(read(&[]), Ok(Operations::default()));
        assert_eq!(Operations::default().shutdown, Duration::from_secs(10));
    }

    #[test]
    fn hostile_values_are_refused_by_name() {
        for (name, value) in [
            ("CLARION_SHUTDOWN_SECS", "0"),
            ("CLARION_SHUTDOWN_SECS", "-1"),
            ("CLARION_SHUTDOWN_SECS", "ten"),
            ("CLARION_SHUTDOWN_SECS", "99999999999999999999"),
            ("CLARION_LOG_FORMAT", "xml"),
            ("CLARION_LOG_FORMAT", "JSON<script>"),
        ] {
            let refused = read(&[(name, value)]).expect_err(value);
            assert_eq!(refused.0, name, "{value}");
        }
        let set = read(&[
            ("CLARION_SHUTDOWN_SECS", " 3 "),
            ("CLARION_LOG_FORMAT", "json"),
            ("CLARION_METRICS_BIND", "127.0.0.1:9090"),
        ])
        .unwrap();
        assert_eq!(set.shutdown, Duration::from_secs(3));
        assert!(set.log_json);
        assert_eq!(set.metrics_bind.as_deref(), Some("127.0.0.1:9090"));
    }
}
