//! The plan reader: raw bytes of a `terraform show -json` capture (any encoding the CLI accepts) → the
//! whole `check` pipeline without sources (parse, extract the policy sites, compare, judge), the report in
//! every format, and the same text read as what stands (`inventory`: a state or a plan's planned values).
//!
//! Bad input must come back as an `Err` naming the file; a panic, an abort or a stall is a finding, and
//! so is a raw control character or bidirectional override in the human, GitHub or Markdown report.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trustgate::catalog::Catalog;
use trustgate::config::Config;
use trustgate::date::Date;
use trustgate::pipeline::{self, Inputs, PlanInput, Settings, StandingInput};
use trustgate::report::{self, Format};

mod common;

struct Fixed {
    catalog: Catalog,
    config: Config,
    accounts: Vec<String>,
    orgs: Vec<String>,
    today: Date,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| Fixed {
        catalog: Catalog::builtin(),
        config: Config::default(),
        // A declared boundary, so that a plan whose providers disagree is still judged.
        accounts: vec!["111111111111".to_string()],
        orgs: vec!["o-own1234567".to_string()],
        today: Date::new(2026, 6, 1).expect("a valid date"),
    })
}

fuzz_target!(|data: &[u8]| {
    let fixed = fixed();
    let path = Path::new("fuzz-plan.json");
    let text = match trustgate::input::decode_text(data.to_vec(), path) {
        Ok(text) => text,
        Err(error) => return common::check_error(&error, path),
    };
    let settings = Settings {
        flag_accounts: &fixed.accounts,
        flag_orgs: &fixed.orgs,
        config: &fixed.config,
        catalog: &fixed.catalog,
        today: fixed.today,
    };
    let input = PlanInput {
        text: &text,
        display_path: PathBuf::from(path),
        source_dir: None,
        base: None,
    };
    match pipeline::judge_inputs(Inputs::Plan(input), &settings) {
        Ok(report) => {
            for format in Format::ALL {
                let text = report::render(&report, format, false);
                if matches!(format, Format::Human | Format::Github | Format::Markdown) {
                    common::check_rendered(&text, format.as_str());
                }
            }
        }
        Err(error) => common::check_error(&error, path),
    }
    let standing = StandingInput {
        text: &text,
        display_path: PathBuf::from(path),
        source_dir: None,
    };
    match pipeline::judge_standing(standing, &settings) {
        Ok(standing) => {
            let _ = report::render(&standing.report, Format::Json, false);
        }
        Err(error) => common::check_error(&error, path),
    }
});
