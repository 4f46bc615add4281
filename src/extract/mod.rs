//! Extraction: one `PolicySite` per (resource instance, policy attribute) from a plan, using the catalog.
//! Non-JSON grants (`aws_lambda_permission`, …) are turned into equivalent IAM policy JSON here, so that
//! every later stage sees one kind of input.
//!
//! INTERFACE CONTRACT: everything `pub` in this file.

mod boundary;
mod configured;
mod embedded;
mod grants;
mod json;
mod opensearch_serverless;

pub use configured::module_call_path;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde_json::value::RawValue;

use crate::analysis::{Boundary, PolicyRole};
use crate::catalog::{AttributePath, Catalog, GrantConverter, PathStep, PolicyAttribute, PolicySource};
use crate::plan::{ChangeAction, Plan, ResourceChange, ResourceMode};

/// A policy value on one side of a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyValue {
    /// The policy JSON text (for synthesised grants: JSON we generated).
    Known(String),
    /// Known only after apply.
    Unknown,
    /// No policy on this side (create/delete, or attribute null/empty).
    Absent,
    /// The input carries access trustgate cannot read as a policy (a CloudFormation intrinsic in a
    /// principal, a resource type outside the catalog with a `Principal` in an attribute, an authorization
    /// whose grantee account is not in the plan, …). The text says why; the site is reported unverifiable.
    Unverifiable(String),
}

/// One policy-bearing attribute of one resource instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySite {
    /// Absolute instance address, e.g. `module.a["k"].aws_iam_role.x[0]`.
    pub address: String,
    /// Module part of the address (`module.a["k"]`), empty for the root module.
    pub module_address: String,
    pub resource_type: String,
    /// Attribute path, e.g. `assume_role_policy`, `inline_policy[0].policy`, `details[0].policy`;
    /// for synthesised grants the field names the grant came from, e.g. `principal`.
    pub attribute: String,
    pub role: PolicyRole,
    /// Service prefix of the actions this policy governs (`sts`, `s3`, `kms`, …).
    pub service: String,
    pub change: ChangeAction,
    pub before: PolicyValue,
    pub after: PolicyValue,
    /// Tags of the resource after the change (before, for deletes), for tag annotations.
    pub tags: BTreeMap<String, String>,
    /// Whether this change writes the `trustgate:*` tags: the resource is new, or its annotation tags
    /// differ between before and after. An unchanged tag annotation was given for an earlier policy.
    pub tags_changed: bool,
    /// ARN partition of the resource (default `aws`).
    pub partition: String,
    /// `previous_address` when a moved block applied.
    pub previous_address: Option<String>,
    /// For a role's trust policy: `max_session_duration` on each side, in seconds.
    pub session: Option<SessionSeconds>,
    /// For a grant synthesised from resource fields: what its fields known only after apply are (None for
    /// policy documents). Present on every grant site, so that later stages know the attribute names a
    /// field, not a policy.
    pub grant: Option<GrantFields>,
}

/// The fields of a synthesised grant that the plan knows only after apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantFields {
    /// The grant's policy with each such field written as the hole `${<address>.<field>}` (empty when the
    /// after side is known, or when an unknown field cannot stand as a hole: the grant stays unknown).
    pub template: String,
    /// (field, hole symbol) for each hole in `template`.
    pub holes: Vec<(String, String)>,
}

/// `max_session_duration` of a role before and after the change (None: absent, or known only after apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionSeconds {
    pub before: Option<u64>,
    pub after: Option<u64>,
}

/// AWS's default `MaxSessionDuration` for a role: one hour (IAM API Reference, CreateRole).
pub const DEFAULT_SESSION_SECONDS: u64 = 3600;

/// Everything the later stages need from one plan.
#[derive(Debug, Clone, Default)]
pub struct PlanScan {
    pub format_version: String,
    pub terraform_version: Option<String>,
    /// Number of resource instances in `resource_changes` (managed mode).
    pub resources: usize,
    pub sites: Vec<PolicySite>,
    /// Boundary detected from the plan (caller identity data source, own resource ARNs), with a
    /// sentence saying where it came from.
    pub detected_boundary: Option<(Boundary, String)>,
    /// Set instead of `detected_boundary` when the detectable sources name several accounts: the
    /// sentence to stop with (exit 2) unless the boundary is declared.
    pub boundary_conflict: Option<String>,
    /// Resources whose provider `default_tags` (in `tags_all`) carry `trustgate:*` keys their own `tags`
    /// do not: such tags approve nothing, and the report says so.
    pub default_tag_annotations: Vec<String>,
    /// Sites that write the same real policy as another site (the catalog's `also_in`).
    pub shared: Vec<SharedSite>,
}

/// A policy resource and the parent whose own policy argument is the same real policy
/// (`aws_sns_topic_policy.t` and `aws_sns_topic.t` `policy`), each as (address, attribute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedSite {
    pub site: (String, String),
    pub parent: (String, String),
}

/// Walks `resource_changes` and yields the sites the catalog names.
///
/// Deposed objects (create_before_destroy leftovers) are included: their address gets the suffix
/// ` (deposed <key>)`, so that a policy that only lives on in a deposed object is still seen going away.
/// Data sources are never sites.
pub fn scan(plan: &Plan<'_>, catalog: &Catalog) -> PlanScan {
    let configured = configured::ConfiguredAttributes::from_plan(plan.configuration);
    let (detected, sites) = rayon::join(
        || boundary::detect(plan, configured.as_ref()),
        || {
            plan.resource_changes
                .par_iter()
                .map(|change| sites_of_change(change, catalog, configured.as_ref()))
                .collect::<Vec<_>>()
        },
    );
    let mut default_tag_annotations = Vec::new();
    let sites: Vec<PolicySite> = sites
        .into_iter()
        .flat_map(|(sites, default_tagged)| {
            if default_tagged && let Some(site) = sites.first() {
                default_tag_annotations.push(site.address.clone());
            }
            sites
        })
        .collect();
    let (detected_boundary, boundary_conflict) = match detected {
        boundary::Detected::Nothing => (None, None),
        boundary::Detected::Found(boundary, source) => (Some((boundary, source)), None),
        boundary::Detected::Conflict(message) => (None, Some(message)),
    };
    let resources = plan
        .resource_changes
        .iter()
        .filter(|change| change.mode == ResourceMode::Managed && change.deposed.is_none())
        .count();
    let shared = configured
        .as_ref()
        .map(|configured| shared_sites(&sites, catalog, configured))
        .unwrap_or_default();
    PlanScan {
        format_version: plan.format_version.to_string(),
        terraform_version: plan.terraform_version.as_ref().map(|v| v.to_string()),
        resources,
        sites,
        detected_boundary,
        boundary_conflict,
        default_tag_annotations,
        shared,
    }
}

/// The sites whose catalog attribute says `also_in`, each with the one parent site its `by` argument
/// references in the plan's configuration: in the same module instance, the instance the reference names
/// (`aws_sns_topic.t[0]`) or the only instance there is. A `by` that references several parents, or
/// anything else (a variable, a local), links nothing.
fn shared_sites(
    sites: &[PolicySite],
    catalog: &Catalog,
    configured: &configured::ConfiguredAttributes,
) -> Vec<SharedSite> {
    let mut out = Vec::new();
    for site in sites {
        if site.address.contains(" (deposed ") {
            continue;
        }
        let Some(shared) = catalog.entry(&site.resource_type).and_then(|entry| {
            entry
                .attributes
                .iter()
                .find(|a| a.path.to_string() == site.attribute)
                .and_then(|a| a.shared.as_ref())
        }) else {
            continue;
        };
        let prefix = if site.module_address.is_empty() {
            String::new()
        } else {
            format!("{}.", site.module_address)
        };
        let Some(local) = site.address.strip_prefix(&prefix) else {
            continue;
        };
        let config_address = local.split('[').next().unwrap_or(local);
        let references = configured.references(&site.module_address, config_address, &shared.by);
        // (parent config address, instance key text when the reference names one)
        let mut named: Vec<(String, Option<String>)> = Vec::new();
        for reference in references {
            let Some(rest) = reference
                .strip_prefix(shared.resource_type.as_str())
                .and_then(|r| r.strip_prefix('.'))
            else {
                continue;
            };
            let name_end = rest.find(['.', '[']).unwrap_or(rest.len());
            let name = &rest[..name_end];
            let key = rest[name_end..]
                .strip_prefix('[')
                .and_then(|k| k.find(']').map(|end| format!("[{}]", &k[..end])));
            named.push((format!("{}.{name}", shared.resource_type), key));
        }
        let parents: BTreeSet<&String> = named.iter().map(|(p, _)| p).collect();
        let [parent] = parents.into_iter().collect::<Vec<_>>()[..] else {
            continue;
        };
        let keys: BTreeSet<&String> = named.iter().filter_map(|(_, k)| k.as_ref()).collect();
        let candidates: Vec<&PolicySite> = sites
            .iter()
            .filter(|p| {
                p.module_address == site.module_address
                    && p.resource_type == shared.resource_type
                    && p.attribute == shared.attribute
                    && p.address.strip_prefix(&prefix).is_some_and(|local| {
                        let base = local.split('[').next().unwrap_or(local);
                        let key = &local[base.len()..];
                        base == parent && (keys.is_empty() || keys.iter().any(|k| k.as_str() == key))
                    })
            })
            .collect();
        if let [only] = candidates[..] {
            out.push(SharedSite {
                site: (site.address.clone(), site.attribute.clone()),
                parent: (only.address.clone(), only.attribute.clone()),
            });
        }
    }
    out
}

/// The two sides of one resource change, with the side that does not exist already removed.
struct Sides<'a> {
    before: Option<&'a RawValue>,
    after: Option<&'a RawValue>,
    after_unknown: Option<&'a RawValue>,
}

impl<'a> Sides<'a> {
    /// Both sides present with byte-identical JSON text.
    fn same_bags(&self) -> bool {
        matches!((self.before, self.after), (Some(before), Some(after)) if before.get() == after.get())
    }

    fn of(change: &ResourceChange<'a>) -> Sides<'a> {
        let action = change.change.action;
        let not_null = |raw: Option<&'a RawValue>| raw.filter(|value| !json::is_null(value));
        let has_before = action != ChangeAction::Create;
        let has_after = !matches!(action, ChangeAction::Delete | ChangeAction::Forget);
        Sides {
            before: not_null(change.change.before).filter(|_| has_before),
            after: not_null(change.change.after).filter(|_| has_after),
            after_unknown: not_null(change.change.after_unknown).filter(|_| has_after),
        }
    }
}

fn sites_of_change(
    change: &ResourceChange<'_>,
    catalog: &Catalog,
    configured: Option<&configured::ConfiguredAttributes>,
) -> (Vec<PolicySite>, bool) {
    if change.mode != ResourceMode::Managed {
        return (Vec::new(), false);
    }
    let sides = Sides::of(change);
    let Some(entry) = catalog.entry(&change.resource_type) else {
        return (uncatalogued_sites(change, &sides), false);
    };
    let partition = partition_of(&sides);
    let (tags, default_tagged) = tags_of(&sides);
    let tags_changed = annotation_tags_changed(&sides);
    let address = match &change.deposed {
        Some(key) => format!("{} (deposed {key})", change.address),
        None => change.address.to_string(),
    };
    let session = (change.resource_type == "aws_iam_role").then(|| SessionSeconds {
        before: session_seconds(sides.before, None),
        after: session_seconds(sides.after, sides.after_unknown),
    });
    let mut sites = Vec::new();
    for attribute in &entry.attributes {
        let mut site = |attribute_text: String, before: PolicyValue, after: PolicyValue| {
            sites.push(PolicySite {
                address: address.clone(),
                module_address: change.module_address.as_deref().unwrap_or_default().to_string(),
                resource_type: change.resource_type.to_string(),
                attribute: attribute_text,
                role: attribute.role,
                service: attribute.service.clone(),
                change: change.change.action,
                before,
                after,
                tags: tags.clone(),
                tags_changed,
                partition: partition.clone(),
                previous_address: change.previous_address.as_ref().map(|a| a.to_string()),
                session: session.filter(|_| attribute.role == PolicyRole::Trust),
                grant: None,
            })
        };
        match attribute.source {
            PolicySource::Grant(converter) => {
                let context = grants::GrantContext {
                    resource_type: &change.resource_type,
                    partition: &partition,
                };
                let before = grants::synthesise(converter, &context, sides.before, None);
                let after = grants::synthesise(converter, &context, sides.after, sides.after_unknown);
                let unchanged_unverifiable =
                    matches!(&after, PolicyValue::Unverifiable(_)) && before == after;
                if !unchanged_unverifiable {
                    let fields = match after {
                        PolicyValue::Unknown => {
                            grants::template(converter, &context, &address, sides.after, sides.after_unknown)
                        }
                        _ => None,
                    };
                    site(attribute.path.to_string(), before, after);
                    if let Some(last) = sites.last_mut() {
                        last.grant = Some(fields.unwrap_or_default());
                    }
                }
                // Removing a public access block is switching it off: judge the bucket without it.
                let guard_removed = converter == GrantConverter::S3PublicAccessBlock
                    && change.change.action == ChangeAction::Delete;
                if guard_removed && let Some(last) = sites.last_mut() {
                    let none = RawValue::from_string("{}".to_string()).ok();
                    last.change = ChangeAction::Update;
                    last.after = grants::synthesise(converter, &context, none.as_deref(), None);
                }
            }
            PolicySource::CloudFormationTemplate | PolicySource::CloudControl => {
                let document = |root: Option<&RawValue>, unknown: Option<&RawValue>| {
                    embedded_document(attribute, root, unknown)
                };
                let found = embedded::sites(
                    &attribute.path.to_string(),
                    attribute.source,
                    document(sides.before, None),
                    document(sides.after, sides.after_unknown),
                    catalog,
                    &partition,
                );
                for embedded in found {
                    sites.push(PolicySite {
                        address: address.clone(),
                        module_address: change.module_address.as_deref().unwrap_or_default().to_string(),
                        resource_type: change.resource_type.to_string(),
                        attribute: embedded.attribute,
                        role: embedded.role,
                        service: embedded.service,
                        change: change.change.action,
                        before: embedded.before,
                        after: embedded.after,
                        tags: tags.clone(),
                        tags_changed,
                        partition: partition.clone(),
                        previous_address: change.previous_address.as_ref().map(|a| a.to_string()),
                        session: None,
                        grant: None,
                    });
                }
            }
            PolicySource::IamJson | PolicySource::OpenSearchServerless => {
                // Only an optional attribute can be absent; a required one (assume_role_policy, the policy
                // of a policy resource) is always written by the configuration, even when the plan's
                // configuration section shows no expression for it (a module variable, say).
                let not_configured =
                    attribute.optional && not_configured(change, &attribute.path.steps, configured);
                for concrete in expand_path(&attribute.path.steps, &sides) {
                    let before = document_value(attribute, &partition, sides.before, None, &concrete);
                    // Same bag text on both sides (no-op changes, most of a plan): the same value, unless
                    // after_unknown marks it; saves finding and decoding it a second time.
                    let mut after = if sides.same_bags() && !json::unknown_at(sides.after_unknown, &concrete)
                    {
                        before.clone()
                    } else {
                        document_value(attribute, &partition, sides.after, sides.after_unknown, &concrete)
                    };
                    if after == PolicyValue::Unknown && not_configured {
                        after = PolicyValue::Absent;
                    }
                    let text = AttributePath { steps: concrete }.to_string();
                    site(text, before, after);
                }
            }
        }
    }
    (sites, default_tagged)
}

/// True when the plan's configuration section shows that the resource does not set the attribute (its
/// first path step) at all, so an unknown value there is computed by AWS, not written by this change.
fn not_configured(
    change: &ResourceChange<'_>,
    steps: &[PathStep],
    configured: Option<&configured::ConfiguredAttributes>,
) -> bool {
    let (Some(configured), Some(PathStep::Key(attribute))) = (configured, steps.first()) else {
        return false;
    };
    let resource = configured::resource_config_address(&change.resource_type, &change.name);
    let module = change.module_address.as_deref().unwrap_or_default();
    configured.sets(module, &resource, attribute) == Some(false)
}

/// Replaces each `[*]` by the indexes present on either side (or marked in `after_unknown`). A list with
/// no elements anywhere yields no path, unless it is unknown: then the `[*]` path stays, unresolved.
fn expand_path(steps: &[PathStep], sides: &Sides<'_>) -> Vec<Vec<PathStep>> {
    let Some(star) = steps.iter().position(|step| *step == PathStep::EachElement) else {
        return vec![steps.to_vec()];
    };
    let prefix = &steps[..star];
    let count = [sides.before, sides.after, sides.after_unknown]
        .into_iter()
        .map(|root| json::list_len(json::value_at(root, prefix)))
        .max()
        .unwrap_or(0);
    if count == 0 {
        let list_unknown = json::unknown_at(sides.after_unknown, prefix);
        return if list_unknown {
            vec![steps.to_vec()]
        } else {
            Vec::new()
        };
    }
    let mut expanded = Vec::new();
    for index in 0..count {
        let mut concrete = prefix.to_vec();
        concrete.push(PathStep::Index(index));
        concrete.extend_from_slice(&steps[star + 1..]);
        expanded.extend(expand_path(&concrete, sides));
    }
    expanded
}

/// The safety net for resource types outside the catalog: every attribute whose value is a JSON policy
/// document naming a principal, new or changed by this change, is one unverifiable site, so that a gap in
/// the catalog is reported instead of passing in silence.
fn uncatalogued_sites(change: &ResourceChange<'_>, sides: &Sides<'_>) -> Vec<PolicySite> {
    let Some(after) = sides.after else {
        return Vec::new();
    };
    // Cheap test first: most resources carry no principal anywhere.
    if !after.get().contains("Principal") {
        return Vec::new();
    }
    let documents = |raw: Option<&RawValue>| -> BTreeMap<String, String> {
        let mut found = BTreeMap::new();
        if let Some(value) = raw.and_then(|r| serde_json::from_str::<serde_json::Value>(r.get()).ok()) {
            principal_documents(&value, String::new(), 0, &mut found);
        }
        found
    };
    let before = documents(sides.before);
    let address = match &change.deposed {
        Some(key) => format!("{} (deposed {key})", change.address),
        None => change.address.to_string(),
    };
    documents(Some(after))
        .into_iter()
        .filter(|(path, text)| before.get(path) != Some(text))
        .map(|(path, _)| PolicySite {
            address: address.clone(),
            module_address: change.module_address.as_deref().unwrap_or_default().to_string(),
            resource_type: change.resource_type.to_string(),
            attribute: path.clone(),
            role: PolicyRole::Resource,
            service: "*".to_string(),
            change: change.change.action,
            before: PolicyValue::Absent,
            after: PolicyValue::Unverifiable(format!(
                "{} is not in the catalog, and its attribute {path} holds a policy document with a \
                 Principal, so what it grants cannot be checked (add the type to a catalog file with \
                 --catalog)",
                change.resource_type
            )),
            tags: tags_of(sides).0,
            tags_changed: annotation_tags_changed(sides),
            partition: partition_of(sides),
            previous_address: change.previous_address.as_ref().map(|a| a.to_string()),
            session: None,
            grant: None,
        })
        .collect()
}

/// Attribute paths (`a.b[0].c`) of string values that are JSON documents naming a principal.
fn principal_documents(
    value: &serde_json::Value,
    path: String,
    depth: usize,
    found: &mut BTreeMap<String, String>,
) {
    use serde_json::Value;
    if depth > 32 {
        return;
    }
    match value {
        Value::String(text) if text.contains("Principal") => {
            let document = serde_json::from_str::<Value>(text).ok();
            if document.is_some_and(|d| d.is_object() && embedded::principal_key(&d, 0).is_some()) {
                found.insert(path, text.clone());
            }
        }
        Value::Object(object) => {
            for (key, child) in object {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                principal_documents(child, child_path, depth + 1, found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                principal_documents(item, format!("{path}[{index}]"), depth + 1, found);
            }
        }
        _ => {}
    }
}

/// One side of a template / desired-state attribute.
fn embedded_document(
    attribute: &PolicyAttribute,
    root: Option<&RawValue>,
    unknown: Option<&RawValue>,
) -> embedded::Document {
    use embedded::Document;
    let steps = &attribute.path.steps;
    if root.is_none() && !unknown.is_some_and(json::is_true) {
        return Document::Absent;
    }
    if json::unknown_at(unknown, steps) {
        return Document::Unknown;
    }
    let type_name = if attribute.source == PolicySource::CloudControl {
        if json::unknown_at(unknown, &[PathStep::Key("type_name".into())]) {
            return Document::Unreadable(format!(
                "{}: the resource type (type_name) is known only after apply",
                attribute.path
            ));
        }
        root.and_then(|r| json::member(r, "type_name"))
            .and_then(json::as_text)
    } else {
        None
    };
    match json::value_at(root, steps).and_then(json::as_text) {
        Some(text) if !text.trim().is_empty() => Document::Text(text, type_name),
        _ => {
            // A stack whose template comes from S3: the template is not in the plan.
            let url = root
                .and_then(|r| json::member(r, "template_url"))
                .filter(|v| !json::is_null(v));
            let url_unknown = json::unknown_at(unknown, &[PathStep::Key("template_url".into())]);
            if url.is_some() || url_unknown {
                Document::Unreadable(format!(
                    "the template comes from template_url, which is not in the plan, so the policies in                      it cannot be checked ({} is empty)",
                    attribute.path
                ))
            } else {
                Document::Absent
            }
        }
    }
}

/// Known / Unknown / Absent for a policy document attribute on one side.
fn document_value(
    attribute: &PolicyAttribute,
    partition: &str,
    root: Option<&RawValue>,
    unknown: Option<&RawValue>,
    steps: &[PathStep],
) -> PolicyValue {
    if json::unknown_at(unknown, steps) {
        return PolicyValue::Unknown;
    }
    let Some(value) = json::value_at(root, steps) else {
        return PolicyValue::Absent;
    };
    let text = match json::as_text(value) {
        Some(text) if text.trim().is_empty() => return PolicyValue::Absent,
        Some(text) => text,
        // Not a string: hand the JSON on as it is; the policy parser decides whether it is a document.
        None => value.get().to_string(),
    };
    match attribute.source {
        PolicySource::OpenSearchServerless => {
            PolicyValue::Known(opensearch_serverless::to_iam_policy(&text, partition).unwrap_or(text))
        }
        _ => PolicyValue::Known(text),
    }
}

/// A role's `max_session_duration`, unless it is absent or known only after apply.
fn session_seconds(root: Option<&RawValue>, unknown: Option<&RawValue>) -> Option<u64> {
    let steps = [PathStep::Key("max_session_duration".to_string())];
    if json::unknown_at(unknown, &steps) {
        return None;
    }
    json::member(root?, "max_session_duration")?
        .get()
        .trim()
        .parse()
        .ok()
}

/// The prefix of the annotation tags (`trustgate:owner`, …).
const ANNOTATION_TAG_PREFIX: &str = "trustgate:";

/// The resource's own `tags` after the change (before, for deletes), and whether `tags_all` carries a
/// `trustgate:*` key that `tags` does not. Only the resource's own tags approve: `tags_all` adds the
/// provider's `default_tags`, and one provider block would otherwise approve every widening of the
/// workspace.
fn tags_of(sides: &Sides<'_>) -> (BTreeMap<String, String>, bool) {
    let Some(object) = sides.after.or(sides.before) else {
        return (BTreeMap::new(), false);
    };
    let Some(members) = json::object_members(object) else {
        return (BTreeMap::new(), false);
    };
    let string_map = |key: &str| -> BTreeMap<String, String> {
        members
            .get(key)
            .and_then(|raw| json::object_members(raw))
            .map(|tags| {
                tags.into_iter()
                    .filter_map(|(name, value)| Some((name, json::as_text(value)?)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let own = string_map("tags");
    let from_defaults = string_map("tags_all")
        .into_keys()
        .any(|key| key.starts_with(ANNOTATION_TAG_PREFIX) && !own.contains_key(&key));
    (own, from_defaults)
}

/// The `trustgate:*` entries of a bag's own `tags`.
fn annotation_tags(bag: Option<&RawValue>) -> Option<BTreeMap<String, Option<String>>> {
    let tags = json::member(bag?, "tags")?;
    let members = json::object_members(tags)?;
    Some(
        members
            .into_iter()
            .filter(|(name, _)| name.starts_with(ANNOTATION_TAG_PREFIX))
            .map(|(name, value)| (name, json::as_text(value)))
            .collect(),
    )
}

/// True unless the resource existed before and its annotation tags are the same on both sides.
fn annotation_tags_changed_between(before: Option<&RawValue>, after: Option<&RawValue>) -> bool {
    let Some(before) = before else {
        return true;
    };
    let before = annotation_tags(Some(before)).unwrap_or_default();
    let after = annotation_tags(after).unwrap_or_default();
    before != after
}

fn annotation_tags_changed(sides: &Sides<'_>) -> bool {
    annotation_tags_changed_between(sides.before, sides.after.or(sides.before))
}

/// ARN partition from the resource's own `arn` attribute; `aws` when it has none or it is not known yet.
fn partition_of(sides: &Sides<'_>) -> String {
    [sides.after, sides.before]
        .into_iter()
        .flatten()
        .find_map(|object| {
            let arn = json::as_text(json::member(object, "arn")?)?;
            let partition = arn.strip_prefix("arn:")?.split(':').next()?;
            (!partition.is_empty()).then(|| partition.to_string())
        })
        .unwrap_or_else(|| "aws".to_string())
}

#[cfg(test)]
mod tests;
