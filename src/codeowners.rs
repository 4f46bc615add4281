//! Who must approve: the code owners of a file, as GitHub reads a repository's `CODEOWNERS`.
//!
//! GitHub's rules (https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners):
//! - the file is `.github/CODEOWNERS`, `CODEOWNERS` or `docs/CODEOWNERS`; when several exist, the first in
//!   that order is used, and it is read from the pull request's base branch;
//! - each line is a pattern and owners; patterns follow gitignore's rules except that `\#` escapes, `!`
//!   negation and `[ ]` ranges do not work; paths are case-sensitive;
//! - the last matching pattern takes precedence; a pattern with no owners leaves its files without owners.
//!
//! Pattern semantics (gitignore, https://git-scm.com/docs/gitignore#_pattern_format): a leading or middle
//! `/` anchors the pattern at the repository root, otherwise it matches at any depth; a trailing `/`
//! matches a directory (so every file below it); `*` and `?` never match `/`; `**/`, `/**/` and `/**` match
//! any number of directories. A pattern that names a directory covers the files below it, except that
//! `dir/*` covers only the files directly in `dir` (GitHub's example: `docs/*` does not own
//! `docs/build-app/troubleshooting.md`).

use std::path::{Component, Path, PathBuf};

use regex::Regex;

/// Where GitHub looks for the file, in the order it looks.
pub const LOCATIONS: [&str; 3] = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// A parsed CODEOWNERS file.
#[derive(Debug, Clone)]
pub struct CodeOwners {
    /// Its path in the repository (`.github/CODEOWNERS`), with the revision it was read from when not the
    /// working tree (`main:.github/CODEOWNERS`).
    pub file: String,
    rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
struct Rule {
    line: usize,
    regex: Regex,
    owners: Vec<String>,
}

/// Who owns one file, for a violation's "who must approve".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Approvers {
    /// The file, relative to the repository root.
    pub path: String,
    /// Its owners under the last matching rule; empty when no rule matches or the rule names no owner.
    pub owners: Vec<String>,
    /// The CODEOWNERS file.
    pub codeowners: String,
    /// The line of the rule that decided, when one matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl Approvers {
    /// One sentence for every format.
    pub fn sentence(&self) -> String {
        match (self.owners.is_empty(), self.line) {
            (false, Some(line)) => format!(
                "must be approved by {} (code owners of {}, {} line {line})",
                self.owners.join(", "),
                self.path,
                self.codeowners
            ),
            (_, Some(line)) => format!(
                "{} has no code owners ({} line {line} names none), so any reviewer can approve it",
                self.path, self.codeowners
            ),
            (_, None) => format!(
                "{} has no code owners (no rule of {} matches it), so any reviewer can approve it",
                self.path, self.codeowners
            ),
        }
    }
}

impl CodeOwners {
    /// Parses the text of a CODEOWNERS file shown as `file`. Lines GitHub cannot use (negation, ranges)
    /// match nothing.
    pub fn parse(file: &str, text: &str) -> CodeOwners {
        let rules = text
            .lines()
            .enumerate()
            .filter_map(|(number, line)| {
                let line_text = line.trim();
                if line_text.is_empty() || line_text.starts_with('#') {
                    return None;
                }
                let mut words = line_text.split_whitespace();
                let pattern = words.next()?;
                let owners: Vec<String> = words
                    .take_while(|word| !word.starts_with('#'))
                    .map(str::to_string)
                    .collect();
                Some(Rule {
                    line: number + 1,
                    regex: pattern_regex(pattern)?,
                    owners,
                })
            })
            .collect();
        CodeOwners {
            file: file.to_string(),
            rules,
        }
    }

    /// The owners of `path` (relative to the repository root, `/`-separated).
    pub fn owners_of(&self, path: &str) -> Approvers {
        let rule = self.rules.iter().rev().find(|rule| rule.regex.is_match(path));
        Approvers {
            path: path.to_string(),
            owners: rule.map(|r| r.owners.clone()).unwrap_or_default(),
            codeowners: self.file.clone(),
            line: rule.map(|r| r.line),
        }
    }

    /// The CODEOWNERS file of the repository at `root`: as it is at git revision `revision` (the base of the
    /// change under review, which is the one GitHub uses) when given, else in the working tree. None when
    /// there is none.
    pub fn load(root: &Path, revision: Option<&str>) -> Option<CodeOwners> {
        LOCATIONS.iter().find_map(|location| match revision {
            Some(rev) => {
                let shown = std::process::Command::new("git")
                    .arg("-C")
                    .arg(root)
                    .args(["show", &format!("{rev}:{location}")])
                    .stderr(std::process::Stdio::null())
                    .output()
                    .ok()
                    .filter(|out| out.status.success())?;
                let text = String::from_utf8_lossy(&shown.stdout);
                Some(CodeOwners::parse(&format!("{rev}:{location}"), &text))
            }
            None => {
                let text = std::fs::read_to_string(root.join(location)).ok()?;
                Some(CodeOwners::parse(location, &text))
            }
        })
    }
}

/// The root of the git work tree that holds `start` (a directory with `.git`, a directory or a file).
pub fn repository_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// `file` (relative to `cwd`, or absolute) relative to the repository `root`, `/`-separated; None when it
/// is outside.
pub fn repository_path(root: &Path, cwd: &Path, file: &Path) -> Option<String> {
    let absolute = normalise(&cwd.join(file));
    let root = normalise(root);
    let relative = absolute.strip_prefix(&root).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `.` and `..` resolved without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The regular expression of one CODEOWNERS pattern over `/`-separated repository paths; None for the
/// syntax GitHub does not support (negation, character ranges).
fn pattern_regex(pattern: &str) -> Option<Regex> {
    if pattern.starts_with('!') || pattern.contains('[') || pattern.contains(']') {
        return None;
    }
    let directory = pattern.ends_with('/');
    let trimmed = pattern.trim_end_matches('/');
    let anchored = trimmed.contains('/');
    let trimmed = trimmed.trim_start_matches('/');
    if trimmed.is_empty() {
        return None;
    }
    let segments: Vec<&str> = trimmed.split('/').collect();
    let mut expression = String::from("^");
    if !anchored {
        expression.push_str("(?:.*/)?");
    }
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if *segment == "**" {
            expression.push_str(if last { ".*" } else { "(?:[^/]*/)*" });
            continue;
        }
        for c in segment.chars() {
            match c {
                '*' => expression.push_str("[^/]*"),
                '?' => expression.push_str("[^/]"),
                other => expression.push_str(&regex::escape(&other.to_string())),
            }
        }
        if !last {
            expression.push('/');
        }
    }
    let last = segments.last().copied().unwrap_or_default();
    if last != "**" {
        if directory {
            expression.push_str("/.*");
        } else if last == "*" && segments.len() > 1 {
            // `dir/*`: the files directly in dir.
        } else {
            expression.push_str("(?:/.*)?");
        }
    }
    expression.push('$');
    Regex::new(&expression).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(text: &str, path: &str) -> Option<String> {
        let owners = CodeOwners::parse("CODEOWNERS", text).owners_of(path);
        owners.line.map(|_| owners.owners.join(" "))
    }

    /// The examples of GitHub's documentation, each as it describes them.
    #[test]
    fn githubs_examples() {
        let file = "\
# These owners will be the default owners for everything in the repo.
*       @global-owner1 @global-owner2
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
*.txt @octo-org/octocats
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
/apps/ @octocat
/apps/github
";
        assert_eq!(
            owner(file, "README.md").as_deref(),
            Some("@global-owner1 @global-owner2")
        );
        assert_eq!(owner(file, "src/app.js").as_deref(), Some("@js-owner"));
        assert_eq!(owner(file, "cmd/main.go").as_deref(), Some("docs@example.com"));
        assert_eq!(owner(file, "build/logs/a/b.log").as_deref(), Some("@octocat"));
        // `docs/*` owns docs/getting-started.md, not nested files; `/docs/` below owns both anyway.
        assert_eq!(
            owner(file, "docs/getting-started.md").as_deref(),
            Some("@doctocat")
        );
        assert_eq!(
            owner(file, "scripts/deploy.sh").as_deref(),
            Some("@doctocat @octocat")
        );
        assert_eq!(owner(file, "a/b/logs/x.txt").as_deref(), Some("@octocat"));
        // The last matching pattern wins: /apps/github has no owners.
        assert_eq!(owner(file, "apps/web/x.tf").as_deref(), Some("@octocat"));
        assert_eq!(owner(file, "apps/github/x.tf").as_deref(), Some(""));
    }

    #[test]
    fn star_segments_stop_at_slashes() {
        let file = "docs/*  @docs\n";
        assert_eq!(owner(file, "docs/a.md").as_deref(), Some("@docs"));
        assert_eq!(owner(file, "docs/build-app/troubleshooting.md"), None);
        // Not anchored: a middle slash anchors it, so x/docs/a.md does not match.
        assert_eq!(owner(file, "x/docs/a.md"), None);
        let file = "apps/ @octocat\n";
        assert_eq!(owner(file, "x/apps/y/z.tf").as_deref(), Some("@octocat"));
        assert_eq!(owner(file, "apps"), None);
        let file = "/infra/**/main.tf @infra\n/*.tf @root\n";
        assert_eq!(owner(file, "infra/main.tf").as_deref(), Some("@infra"));
        assert_eq!(owner(file, "infra/a/b/main.tf").as_deref(), Some("@infra"));
        assert_eq!(owner(file, "main.tf").as_deref(), Some("@root"));
        assert_eq!(owner(file, "x/main.tf"), None);
        assert_eq!(owner("infra?tf @q\n", "infra/tf"), None);
        assert_eq!(owner("/infra/** @all\n", "infra/a/b").as_deref(), Some("@all"));
    }

    #[test]
    fn unsupported_syntax_matches_nothing_and_paths_are_case_sensitive() {
        let file = "* @all\n!secret.tf @nobody\n[ab].tf @range\n";
        assert_eq!(owner(file, "secret.tf").as_deref(), Some("@all"));
        assert_eq!(owner(file, "a.tf").as_deref(), Some("@all"));
        assert_eq!(owner("/Infra/ @x\n", "infra/main.tf"), None);
    }

    #[test]
    fn sentences_name_owners_rule_and_file() {
        let owners =
            CodeOwners::parse(".github/CODEOWNERS", "\n/infra/ @acme/security\n").owners_of("infra/main.tf");
        assert_eq!(
            owners.sentence(),
            "must be approved by @acme/security (code owners of infra/main.tf, .github/CODEOWNERS line 2)"
        );
        let none = CodeOwners::parse("CODEOWNERS", "/docs/ @d\n").owners_of("main.tf");
        assert_eq!(
            none.sentence(),
            "main.tf has no code owners (no rule of CODEOWNERS matches it), so any reviewer can approve it"
        );
    }

    #[test]
    fn repository_paths_resolve_dots() {
        let root = Path::new("/repo");
        assert_eq!(
            repository_path(root, Path::new("/repo/infra"), Path::new("../infra/./main.tf")).as_deref(),
            Some("infra/main.tf")
        );
        assert_eq!(
            repository_path(root, Path::new("/elsewhere"), Path::new("main.tf")),
            None
        );
        assert_eq!(
            repository_path(root, Path::new("/x"), Path::new("/repo/a.tf")).as_deref(),
            Some("a.tf")
        );
    }

    #[test]
    fn the_first_location_found_is_used() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("docs/CODEOWNERS"), "* @docs\n").unwrap();
        std::fs::write(dir.path().join("CODEOWNERS"), "* @root\n").unwrap();
        let found = CodeOwners::load(dir.path(), None).unwrap();
        assert_eq!(found.file, "CODEOWNERS");
        std::fs::create_dir_all(dir.path().join(".github")).unwrap();
        std::fs::write(dir.path().join(".github/CODEOWNERS"), "* @github\n").unwrap();
        let found = CodeOwners::load(dir.path(), None).unwrap();
        assert_eq!(found.owners_of("a.tf").owners, vec!["@github"]);
        assert!(CodeOwners::load(&dir.path().join("nowhere"), None).is_none());
    }
}
