//! Config files on disk (`testdata/config/`) through the public API: loading, exception matching and
//! validation together, and the exact one-line error each broken fixture produces.
//!
//! A broken fixture states its expected error in its first line: `# expect: <place>: <message>`.

use std::path::{Path, PathBuf};

use trustgate::analysis::WideningKind;
use trustgate::annotation::{self, Origin};
use trustgate::config::{self, AnnotationSettings};
use trustgate::date::Date;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/config")
}

#[test]
fn design_example_loads_and_drives_annotations() {
    let path = fixtures().join("valid.trustgate.hcl");
    let config = config::load(Some(&path), Path::new("/nonexistent")).expect("valid fixture");
    assert_eq!(config.accounts, vec!["111111111111"]);
    assert_eq!(config.organizations, vec!["o-a1b2c3d4e5"]);
    assert_eq!(config.annotations, AnnotationSettings::default());
    assert_eq!(config.exceptions.len(), 2);

    let today = Date::parse_iso("2026-11-24").expect("date");
    let address = r#"module.vendor["datadog"].aws_iam_role.this"#;

    // Datadog's exception applies to its account (bare id or ARN) but not to another one.
    let datadog = annotation::matching_exception(
        &config.exceptions,
        address,
        "464622532012",
        WideningKind::ExternalAccount,
    )
    .expect("datadog exception matches");
    assert_eq!(
        datadog.annotation.origin,
        Origin::Exception {
            file: path.clone(),
            line: 13
        }
    );
    assert!(annotation::validate(&datadog.annotation, &config.annotations, today).is_empty());
    assert!(
        annotation::matching_exception(
            &config.exceptions,
            address,
            "999999999999",
            WideningKind::ExternalAccount,
        )
        .is_none()
    );

    // The CI exception matches any principal and reports its expiry.
    let ci = annotation::matching_exception(
        &config.exceptions,
        "aws_iam_role.ci_deploy",
        "*",
        WideningKind::Public,
    )
    .expect("ci exception matches");
    assert_eq!(ci.annotation.origin, Origin::Exception { file: path, line: 22 });
    assert_eq!(
        annotation::validate(&ci.annotation, &config.annotations, today),
        vec!["expired on 2026-01-31, 297 days ago"]
    );
}

#[test]
fn broken_fixtures_fail_with_their_expected_line() {
    let mut checked = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixture dir")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("fixture text");
        let Some(expected) = text
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("# expect: "))
        else {
            continue;
        };
        let error = config::load(Some(&path), Path::new("/")).expect_err("broken fixture");
        assert_eq!(
            error.to_string(),
            format!("{}: {expected}", path.display()),
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} broken fixtures found");
}

#[test]
fn default_file_is_found_in_the_working_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(config::load(None, dir.path()).expect("default").path, None);
    std::fs::copy(
        fixtures().join("valid.trustgate.hcl"),
        dir.path().join(config::DEFAULT_FILE_NAME),
    )
    .expect("copy");
    let config = config::load(None, dir.path()).expect("found");
    assert_eq!(config.path, Some(dir.path().join(config::DEFAULT_FILE_NAME)));
    assert_eq!(config.exceptions.len(), 2);
}
