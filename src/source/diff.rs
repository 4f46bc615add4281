//! The inputs of `trustgate diff --base REV [DIR]`: the HCL in DIR at git revision REV and in the working
//! tree, turned into policy sites (base → working tree) that the pipeline judges exactly as `check` judges
//! a plan, with no plan and no cloud credentials.
//!
//! The base revision is read through `git ls-tree` and `git cat-file` into a private temporary directory;
//! the working tree is never touched.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use super::eval::SourcePolicy;
use super::variables::InputVariables;
use super::{Evaluator, SourceIndex};
use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::extract::{PolicySite, PolicyValue};
use crate::plan::ChangeAction;

/// The `trustgate:*` tags of a source policy's resource.
fn annotation_tags_of(tags: &BTreeMap<String, String>) -> BTreeMap<&str, &str> {
    tags.iter()
        .filter(|(name, _)| name.starts_with("trustgate:"))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect()
}

/// Files of the base revision that sources can need.
const SOURCE_EXTENSIONS: [&str; 6] = [".tf", ".tfvars", ".json", ".tpl", ".tftpl", ".hcl"];
/// Larger files of the base revision are not read (no configuration file is this big).
const MAX_BLOB: usize = 8 << 20;
/// At most this many files are read from the base revision.
const MAX_FILES: usize = 20_000;

/// A temporary directory removed when dropped (also when `diff` fails part-way). Random name, mode 0700
/// before anything is written, so the copies of the base revision are never readable by other users.
struct TempDir(tempfile::TempDir);

impl TempDir {
    fn path(&self) -> &Path {
        self.0.path()
    }
}

/// Removes `dir` when the process is stopped by SIGINT, SIGTERM or SIGHUP (Ctrl-C, a CI job cancelled),
/// where no destructor runs. The handler only writes the signal number to a pipe (async-signal-safe); a
/// thread waiting on the pipe removes the directory, then ends the process with the same signal.
#[cfg(unix)]
fn remove_on_signal(dir: &Path) {
    use std::sync::atomic::{AtomicI32, Ordering};
    static PIPE: AtomicI32 = AtomicI32::new(-1);
    extern "C" fn on_signal(signal: libc::c_int) {
        let fd = PIPE.load(Ordering::SeqCst);
        if fd >= 0 {
            let byte = signal as u8;
            // SAFETY: write(2) on a pipe is async-signal-safe; the buffer is one byte on the stack.
            unsafe {
                libc::write(fd, (&byte as *const u8).cast(), 1);
            }
        }
    }
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: pipe(2) fills the two descriptors of a valid array.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return;
    }
    let previous = PIPE.swap(fds[1], Ordering::SeqCst);
    let dir = dir.to_path_buf();
    let read_end = fds[0];
    std::thread::spawn(move || {
        let mut byte = 0u8;
        // SAFETY: read(2) into a one-byte buffer from the pipe this thread owns.
        let got = unsafe { libc::read(read_end, (&mut byte as *mut u8).cast(), 1) };
        if got == 1 {
            let _ = std::fs::remove_dir_all(&dir);
            let signal = libc::c_int::from(byte);
            // SAFETY: restoring the default action and re-raising ends the process as the signal asked.
            unsafe {
                libc::signal(signal, libc::SIG_DFL);
                libc::raise(signal);
            }
        }
    });
    if previous < 0 {
        let handler: extern "C" fn(libc::c_int) = on_signal;
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: installs a handler that only calls async-signal-safe functions.
            unsafe {
                libc::signal(signal, handler as libc::sighandler_t);
            }
        }
    }
}

#[cfg(not(unix))]
fn remove_on_signal(_dir: &Path) {}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| Error::Usage(format!("cannot run git: {e}")))?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Err(Error::Usage(format!("git {}: {message}", args.join(" "))));
    }
    Ok(output.stdout)
}

fn git_text(dir: &Path, args: &[&str]) -> Result<String> {
    Ok(String::from_utf8_lossy(&git(dir, args)?)
        .trim_end_matches('\n')
        .to_string())
}

/// Writes the source files of `rev` into a fresh temporary directory; returns it, and why it holds less than
/// the revision's source files (more than `MAX_FILES`, or a file larger than `MAX_BLOB`), if it does.
fn materialise(toplevel: &Path, rev: &str) -> Result<(TempDir, Option<String>)> {
    let temp = TempDir(
        tempfile::Builder::new()
            .prefix("trustgate-diff-")
            .tempdir()
            .map_err(|e| Error::Usage(format!("cannot create a temporary directory: {e}")))?,
    );
    // Private before anything is written into it (tempfile leaves the mode to the umask).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o700))
            .map_err(|e| Error::Usage(format!("cannot make the temporary directory private: {e}")))?;
    }
    remove_on_signal(temp.path());
    let listing = git(
        toplevel,
        &["ls-tree", "-r", "-z", "--name-only", "--full-tree", rev],
    )?;
    let mut names: Vec<String> = listing
        .split(|&b| b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .filter(|name| SOURCE_EXTENSIONS.iter().any(|ext| name.ends_with(ext)))
        .take(MAX_FILES + 1)
        .collect();
    let mut incomplete = (names.len() > MAX_FILES).then(|| {
        format!("it has more than {MAX_FILES} source files, and only the first {MAX_FILES} are read")
    });
    names.truncate(MAX_FILES);
    let names: Vec<String> = names
        .into_iter()
        .filter(|name| {
            !name.contains('\n')
                && Path::new(name)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)))
        })
        .collect();
    for (name, bytes) in names.iter().zip(blobs(toplevel, rev, &names)?) {
        let Some(bytes) = bytes else {
            incomplete.get_or_insert_with(|| {
                format!("{name} is larger than {} MiB and is not read", MAX_BLOB >> 20)
            });
            continue;
        };
        let target = temp.path().join(name);
        if let Some(parent) = target.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        std::fs::write(&target, bytes)
            .map_err(|e| Error::Usage(format!("cannot write a temporary file: {e}")))?;
    }
    Ok((temp, incomplete))
}

/// The contents of `names` at `rev`, in order, through one `git cat-file --batch` (one process, not one
/// per file); None for a blob larger than `MAX_BLOB`.
fn blobs(toplevel: &Path, rev: &str, names: &[String]) -> Result<Vec<Option<Vec<u8>>>> {
    use std::io::{BufRead, BufReader, Read, Write};
    let failed = |e: std::io::Error| Error::Usage(format!("cannot run git cat-file: {e}"));
    let mut child = Command::new("git")
        .arg("-C")
        .arg(toplevel)
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(failed)?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| failed(std::io::Error::other("no stdin")))?;
    let requests: String = names.iter().map(|name| format!("{rev}:{name}\n")).collect();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(requests.as_bytes());
    });
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| failed(std::io::Error::other("no stdout")))?;
    let mut reader = BufReader::new(stdout);
    let mut out = Vec::with_capacity(names.len());
    for _ in names {
        let mut header = String::new();
        reader.read_line(&mut header).map_err(failed)?;
        let size = header
            .trim_end()
            .rsplit(' ')
            .next()
            .and_then(|size| size.parse::<usize>().ok())
            .filter(|_| header.split(' ').nth(1) == Some("blob"));
        let Some(size) = size else {
            // Not a blob (a submodule): nothing to read.
            out.push(Some(Vec::new()));
            continue;
        };
        if size > MAX_BLOB {
            // Skip its bytes (and the newline after them).
            std::io::copy(&mut (&mut reader).take(size as u64 + 1), &mut std::io::sink()).map_err(failed)?;
            out.push(None);
            continue;
        }
        let mut bytes = vec![0; size];
        reader.read_exact(&mut bytes).map_err(failed)?;
        let mut newline = [0u8; 1];
        reader.read_exact(&mut newline).map_err(failed)?;
        out.push(Some(bytes));
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}

/// Everything a policy of the module at `path` can depend on: the files of that module, of the modules
/// above it (variables, arguments) and below it (outputs), and the other files in their directories
/// (`file()`, `templatefile()`, tfvars).
fn fingerprint(index: &SourceIndex, path: &[String]) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for (module_path, module) in &index.modules {
        let related = module_path.starts_with(path) || path.starts_with(module_path);
        if !related {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&module.dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| {
                let name = p.to_string_lossy();
                SOURCE_EXTENSIONS.iter().any(|ext| name.ends_with(ext))
            })
            .collect();
        files.sort();
        for file in files {
            let name = file.file_name().map(PathBuf::from).unwrap_or_default();
            let bytes = std::fs::read(&file).unwrap_or_default();
            out.push((module_path.iter().collect::<PathBuf>().join(name), bytes));
        }
    }
    out
}

/// The base revision's source files, checked out into a private temporary directory that is removed when
/// this is dropped.
pub struct BaseTree {
    _temp: TempDir,
    /// The root module directory inside the checkout (DIR's place in the repository).
    pub dir: PathBuf,
    /// The revision as given, for messages.
    rev: String,
    /// Why the checkout holds less than the revision's source files, if it does: then the base vouches for
    /// nothing (see `sites`).
    pub incomplete: Option<String>,
}

impl BaseTree {
    /// Names the base revision (`main:`) instead of the temporary directory in messages about its files.
    pub fn relabel(&self, messages: &[String]) -> Vec<String> {
        let base_label = format!("{}:", self.rev);
        let temp_label = self.dir.display().to_string();
        messages
            .iter()
            .map(|m| m.replace(&temp_label, &base_label))
            .collect()
    }
}

/// Checks out the source files of revision `base` of the repository that holds `dir`.
pub fn check_out_base(dir: &Path, base: &str) -> Result<BaseTree> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!("{}: not a directory", dir.display())));
    }
    let toplevel = PathBuf::from(git_text(dir, &["rev-parse", "--show-toplevel"])?);
    let prefix = git_text(dir, &["rev-parse", "--show-prefix"])?;
    git(
        dir,
        &["rev-parse", "--verify", "--quiet", &format!("{base}^{{commit}}")],
    )
    .map_err(|_| Error::Usage(format!("--base {base}: not a revision of this repository")))?;
    let (temp, incomplete) = materialise(&toplevel, base)?;
    let dir = temp.path().join(&prefix);
    Ok(BaseTree {
        _temp: temp,
        dir,
        rev: base.to_string(),
        incomplete,
    })
}

/// The policy sites of a diff and the number of resources they belong to.
pub struct DiffSites {
    pub sites: Vec<PolicySite>,
    pub resources: usize,
}

/// The first file of the working tree that does not parse, as an error: with no plan to fall back on, its
/// policies would be lost.
pub fn unparsable(index: &SourceIndex) -> Option<Error> {
    index
        .modules
        .values()
        .flat_map(|m| &m.files)
        .find_map(|f| {
            f.syntax_error
                .as_ref()
                .map(|(place, message)| (f, place, message))
        })
        .map(|(file, place, message)| {
            Error::invalid(
                &file.display,
                place.clone(),
                format!("{message} (diff has no plan to check its policies from)"),
            )
        })
}

/// The first variable definitions file of the working tree (or given with `--var-file`) that cannot be read or
/// does not parse, as an error: Terraform would stop there, so no value of it may be guessed.
pub fn unparsable_definitions(dir: &Path, inputs: &InputVariables) -> Option<Error> {
    super::variables::check(dir, inputs).err().map(|e| {
        Error::invalid(
            super::index::display_path(&e.file),
            e.place,
            format!("{} (diff has no plan to take variables from)", e.message),
        )
    })
}

/// Stand-ins for what the sources of one tree cannot show: a module call whose module was not read (each
/// a site with no value, so that it is unverifiable), and, when Terraform would reject the configuration,
/// the reason (every policy is then unverifiable).
fn unread_policies(index: &SourceIndex) -> Vec<SourcePolicy> {
    index
        .unread
        .iter()
        .map(|unread| SourcePolicy {
            module_address: unread.path[..unread.path.len() - 1]
                .iter()
                .map(|name| format!("module.{name}"))
                .collect::<Vec<_>>()
                .join("."),
            address: unread
                .path
                .iter()
                .map(|name| format!("module.{name}"))
                .collect::<Vec<_>>()
                .join("."),
            resource_type: "module".to_string(),
            attribute: "source".to_string(),
            role: crate::analysis::PolicyRole::Resource,
            service: String::new(),
            value: None,
            tags: BTreeMap::new(),
        })
        .collect()
}

/// Pairs the policies of the base tree with those of the working tree: a site for every policy that was
/// created, deleted or may have changed.
///
/// Root variables take their values as `terraform plan` would from `inputs` on both sides. When a file of
/// the base revision does not parse, or was not read (`!base_complete`), the base's policies vouch for nothing (each is compared as unknown, so
/// every grant of the working tree is checked as new): read without that file, the base could be wider than
/// what was deployed and hide a widening.
pub fn sites(
    base_index: &SourceIndex,
    work_index: &SourceIndex,
    catalog: &Catalog,
    inputs: &InputVariables,
    base_complete: bool,
) -> DiffSites {
    let mut base = Evaluator::new(base_index, None)
        .with_inputs(inputs)
        .policy_attributes(catalog);
    let mut work = Evaluator::new(work_index, None)
        .with_inputs(inputs)
        .policy_attributes(catalog);
    let base_broken = !base_complete
        || base_index
            .modules
            .values()
            .flat_map(|m| &m.files)
            .any(|f| f.syntax_error.is_some())
        || base_index
            .modules
            .get(&Vec::new())
            .is_some_and(|root| super::variables::check(&root.dir, &InputVariables::default()).is_err());
    base.extend(unread_policies(base_index));
    work.extend(unread_policies(work_index));
    let unread_reason = |index: &SourceIndex, address: &str| {
        index
            .unread
            .iter()
            .find(|u| {
                u.path.iter().map(|n| format!("module.{n}")).collect::<Vec<_>>().join(".") == address
            })
            .map(|u| {
                format!(
                    "{address} (source \"{}\") was not read: {}; with no plan, the policies it creates cannot \
                     be checked",
                    u.source, u.reason
                )
            })
    };
    let rejected = |index: &SourceIndex| {
        index
            .conflicts()
            .first()
            .map(|c| format!("the configuration does not load in Terraform, so no policy is evaluated: {c}"))
    };
    let (base_rejected, work_rejected) = (rejected(base_index), rejected(work_index));
    let mut sides: BTreeMap<(String, String), (Option<SourcePolicy>, Option<SourcePolicy>)> = BTreeMap::new();
    for policy in base {
        let key = (policy.address.clone(), policy.attribute.clone());
        sides.entry(key).or_default().0 = Some(policy);
    }
    for policy in work {
        let key = (policy.address.clone(), policy.attribute.clone());
        sides.entry(key).or_default().1 = Some(policy);
    }
    let value = |policy: &Option<SourcePolicy>, index: &SourceIndex, rejected: &Option<String>| match policy {
        None => PolicyValue::Absent,
        Some(p) => match &p.value {
            Some(resolved) => PolicyValue::Known(resolved.policy.clone()),
            None => match unread_reason(index, &p.address).or_else(|| rejected.clone()) {
                Some(reason) => PolicyValue::Unverifiable(reason),
                None => PolicyValue::Unknown,
            },
        },
    };
    let mut sites = Vec::new();
    for ((address, attribute), (before, after)) in &sides {
        let Some(any) = after.as_ref().or(before.as_ref()) else {
            continue;
        };
        let change = match (before, after) {
            (None, Some(_)) => ChangeAction::Create,
            (Some(_), None) => ChangeAction::Delete,
            _ => ChangeAction::Update,
        };
        let (before_policy, after_policy) = (before.as_ref(), after.as_ref());
        let (before, after) = (
            match value(before, base_index, &base_rejected) {
                PolicyValue::Known(_) if base_broken => PolicyValue::Unknown,
                other => other,
            },
            value(after, work_index, &work_rejected),
        );
        // Two equal known policies cannot widen. Two policies that both fail to evaluate are the same only
        // when nothing they can depend on changed (their module, its ancestors and descendants).
        let unchanged = match (&before, &after) {
            (
                PolicyValue::Unknown | PolicyValue::Unverifiable(_),
                PolicyValue::Unknown | PolicyValue::Unverifiable(_),
            ) => {
                let path = crate::extract::module_call_path(&any.module_address).unwrap_or_default();
                fingerprint(base_index, &path) == fingerprint(work_index, &path)
            }
            _ => before == after,
        };
        if change == ChangeAction::Update && unchanged {
            continue;
        }
        sites.push(PolicySite {
            address: address.clone(),
            module_address: any.module_address.clone(),
            resource_type: any.resource_type.clone(),
            attribute: attribute.clone(),
            role: any.role,
            service: any.service.clone(),
            change,
            before,
            after,
            tags: any.tags.clone(),
            tags_changed: match (before_policy, after_policy) {
                (Some(old), Some(new)) => annotation_tags_of(&old.tags) != annotation_tags_of(&new.tags),
                _ => true,
            },
            partition: "aws".to_string(),
            previous_address: None,
            session: None,
            grant: None,
        });
    }

    let resources = sides
        .keys()
        .map(|(address, _)| address)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    DiffSites { sites, resources }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn base_copies_are_private_and_removed() {
        use std::os::unix::fs::PermissionsExt;
        let repo = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let ok = Command::new("git")
                .arg("-C")
                .arg(repo.path())
                .args(args)
                .env("GIT_AUTHOR_NAME", "t")
                .env("GIT_AUTHOR_EMAIL", "t@example.com")
                .env("GIT_COMMITTER_NAME", "t")
                .env("GIT_COMMITTER_EMAIL", "t@example.com")
                .status()
                .unwrap()
                .success();
            assert!(ok, "git {args:?}");
        };
        run(&["init", "-q"]);
        std::fs::write(repo.path().join("main.tf"), "locals {}\n").unwrap();
        run(&["add", "-A"]);
        run(&["commit", "-q", "-m", "base"]);
        let (temp, incomplete) = materialise(repo.path(), "HEAD").unwrap();
        assert_eq!(incomplete, None);
        let mode = std::fs::metadata(temp.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{mode:o}");
        assert!(temp.path().join("main.tf").is_file());
        let path = temp.path().to_path_buf();
        drop(temp);
        assert!(!path.exists());
    }
}
