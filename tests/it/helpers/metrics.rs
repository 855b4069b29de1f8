//! Prometheus text as a scraper reads it from a node's `CLARION_METRICS_BIND`.

/// The sum of the samples named `name` whose labels include every one of `labels`.
pub fn value(metrics: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    metrics
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (series, number) = l.rsplit_once(' ')?;
            let (metric, rest) = series.split_once('{').unwrap_or((series, ""));
            let matched = metric == name
                && labels
                    .iter()
                    .all(|(k, v)| rest.contains(&format!("{k}=\"{v}\"")));
            matched.then(|| number.parse::<f64>().ok()).flatten()
        })
        .sum()
}

/// The text at `at`, checked to be Prometheus' text format.
pub async fn scrape(client: &reqwest::Client, at: &str) -> String {
    let answer = client.get(at).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    let kind = answer.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    answer.text().await.unwrap()
}
