//! What AWS documents about service principals (`policies/services.hcl`, embedded; overridable with
//! `--services FILE`): services a role is handed to only with `iam:PassRole` (same account only), condition
//! keys a service principal's request never carries, and service-specific keys that pin on whose behalf a
//! service acts. Every entry of the file cites its AWS documentation.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use hcl::{Body, Expression, Structure};

use crate::policy::glob::glob_matches;

/// The built-in data, compiled into the binary.
pub const BUILTIN_SERVICES_HCL: &str = include_str!("../../policies/services.hcl");

/// Which services an absent key applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbsentFor {
    AllServices,
    PassRoleServices,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsentKey {
    pub services: AbsentFor,
    /// Lower-case service principals documented to carry the key after all.
    pub except: Vec<String>,
    pub source: String,
}

/// How the value of a service pin names the account it acts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinValue {
    Arn,
    Account,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePin {
    /// Lower-case service principal patterns (`*` any run).
    pub services: Vec<String>,
    pub value: PinValue,
    pub source: String,
    /// The AWS page stating that the names in the service's ARNs never contain `:` (`names_without_colon`):
    /// then an ARN value the service sends has exactly five `:`, and a `StringLike` pattern with a
    /// wildcard region still fixes the account.
    pub names_without_colon: Option<String>,
}

/// The whole file. Keys are lower case (condition keys and service names are case-insensitive).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceKnowledge {
    /// Service principal → documentation URL.
    pub passrole: BTreeMap<String, String>,
    /// Condition key (a trailing `/*` matches any tag key) → entry.
    pub absent_keys: BTreeMap<String, AbsentKey>,
    pub pins: BTreeMap<String, ServicePin>,
}

static INSTALLED: OnceLock<ServiceKnowledge> = OnceLock::new();

/// The knowledge in use: what [`install`] set, else the built-in file.
pub fn knowledge() -> &'static ServiceKnowledge {
    if let Some(installed) = INSTALLED.get() {
        return installed;
    }
    builtin()
}

/// The built-in file, parsed once.
pub fn builtin() -> &'static ServiceKnowledge {
    static BUILTIN: OnceLock<ServiceKnowledge> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        // The embedded file is covered by unit tests; failing here is a build defect, not bad input.
        ServiceKnowledge::parse(BUILTIN_SERVICES_HCL)
            .unwrap_or_else(|err| panic!("built-in policies/services.hcl is invalid: {err}"))
    })
}

/// Uses `knowledge` for the rest of the process (the `--services FILE` override). Only the first call counts.
pub fn install(knowledge: ServiceKnowledge) {
    let _ = INSTALLED.set(knowledge);
}

/// The service name without the China partition suffix (`lambda.amazonaws.com.cn` → `lambda.amazonaws.com`).
fn base_name(service: &str) -> &str {
    service.strip_suffix(".cn").unwrap_or(service)
}

impl ServiceKnowledge {
    /// Is a role handed to this service only with `iam:PassRole`?
    pub fn is_passrole(&self, service: &str) -> bool {
        self.passrole.contains_key(base_name(service))
    }

    /// Does a request by this service principal never carry `key` (lower case)?
    pub fn never_carries(&self, service: &str, key: &str) -> bool {
        let service = base_name(service);
        let entry = self.absent_keys.get(key).or_else(|| {
            self.absent_keys
                .iter()
                .find(|(k, _)| {
                    k.strip_suffix('*')
                        .is_some_and(|prefix| prefix.ends_with('/') && key.starts_with(prefix))
                })
                .map(|(_, v)| v)
        });
        let Some(entry) = entry else { return false };
        if entry.except.iter().any(|e| e == service) {
            return false;
        }
        match entry.services {
            AbsentFor::AllServices => true,
            AbsentFor::PassRoleServices => self.is_passrole(service),
        }
    }

    /// The pin of `key` for this service, if the key is a documented pin for it.
    pub fn pin(&self, service: &str, key: &str) -> Option<&ServicePin> {
        let service = base_name(service);
        let pin = self.pins.get(key)?;
        pin.services
            .iter()
            .any(|pattern| glob_matches(pattern, service))
            .then_some(pin)
    }

    /// Parses the file format of `policies/services.hcl`. Errors name the entry.
    pub fn parse(text: &str) -> Result<ServiceKnowledge, String> {
        let body: Body =
            hcl::parse(text).map_err(|e| format!("invalid HCL: {}", e.to_string().replace('\n', " ")))?;
        let mut knowledge = ServiceKnowledge::default();
        for structure in body.iter() {
            let Structure::Block(block) = structure else {
                return Err("unexpected top-level attribute; expected passrole_service, absent_key or service_pin blocks".into());
            };
            let kind = block.identifier.as_str();
            let [label] = block.labels.as_slice() else {
                return Err(format!("{kind} takes exactly one label"));
            };
            let name = label.as_str().to_lowercase();
            let mut attributes: BTreeMap<&str, &Expression> = BTreeMap::new();
            for s in block.body.iter() {
                match s {
                    Structure::Attribute(a) => {
                        attributes.insert(a.key.as_str(), &a.expr);
                    }
                    Structure::Block(_) => return Err(format!("{kind} \"{name}\": unexpected nested block")),
                }
            }
            let allowed: &[&str] = match kind {
                "passrole_service" => &["source"],
                "absent_key" => &["services", "except", "source"],
                "service_pin" => &["services", "value", "source", "names_without_colon"],
                other => {
                    return Err(format!(
                        "unknown block \"{other}\"; expected passrole_service, absent_key or service_pin"
                    ));
                }
            };
            if let Some(unknown) = attributes.keys().find(|k| !allowed.contains(k)) {
                return Err(format!("{kind} \"{name}\": unknown attribute \"{unknown}\""));
            }
            let string = |key: &str| -> Result<String, String> {
                match attributes.get(key) {
                    Some(Expression::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
                    Some(_) => Err(format!("{kind} \"{name}\": {key} must be a non-empty string")),
                    None => Err(format!("{kind} \"{name}\": {key} is required")),
                }
            };
            let list = |key: &str| -> Result<Vec<String>, String> {
                match attributes.get(key) {
                    None => Ok(Vec::new()),
                    Some(Expression::Array(items)) => items
                        .iter()
                        .map(|item| match item {
                            Expression::String(s) => Ok(s.to_lowercase()),
                            _ => Err(format!("{kind} \"{name}\": {key} must be a list of strings")),
                        })
                        .collect(),
                    Some(_) => Err(format!("{kind} \"{name}\": {key} must be a list of strings")),
                }
            };
            let source = string("source")?;
            if !source.starts_with("https://") {
                return Err(format!(
                    "{kind} \"{name}\": source must be an https:// documentation URL"
                ));
            }
            match kind {
                "passrole_service" => {
                    knowledge.passrole.insert(name, source);
                }
                "absent_key" => {
                    let services = match string("services")?.as_str() {
                        "all" => AbsentFor::AllServices,
                        "passrole" => AbsentFor::PassRoleServices,
                        other => {
                            return Err(format!(
                                "{kind} \"{name}\": services must be \"all\" or \"passrole\", not \"{other}\""
                            ));
                        }
                    };
                    let except = list("except")?;
                    knowledge.absent_keys.insert(
                        name,
                        AbsentKey {
                            services,
                            except,
                            source,
                        },
                    );
                }
                _ => {
                    let value = match string("value")?.as_str() {
                        "arn" => PinValue::Arn,
                        "account" => PinValue::Account,
                        other => {
                            return Err(format!(
                                "{kind} \"{name}\": value must be \"arn\" or \"account\", not \"{other}\""
                            ));
                        }
                    };
                    let services = list("services")?;
                    if services.is_empty() {
                        return Err(format!(
                            "{kind} \"{name}\": services must name at least one service"
                        ));
                    }
                    let names_without_colon = match attributes.get("names_without_colon") {
                        None => None,
                        Some(Expression::String(url)) if url.starts_with("https://") => Some(url.clone()),
                        Some(_) => {
                            return Err(format!(
                                "{kind} \"{name}\": names_without_colon must be an https:// documentation URL"
                            ));
                        }
                    };
                    if names_without_colon.is_some() && value != PinValue::Arn {
                        return Err(format!(
                            "{kind} \"{name}\": names_without_colon applies only to value = \"arn\""
                        ));
                    }
                    knowledge.pins.insert(
                        name,
                        ServicePin {
                            services,
                            value,
                            source,
                            names_without_colon,
                        },
                    );
                }
            }
        }
        Ok(knowledge)
    }

    /// This knowledge with every entry of `overrides` replacing (or adding) the entry of the same name.
    pub fn with_overrides(&self, overrides: &ServiceKnowledge) -> ServiceKnowledge {
        let mut merged = self.clone();
        merged.passrole.extend(overrides.passrole.clone());
        merged.absent_keys.extend(overrides.absent_keys.clone());
        merged.pins.extend(overrides.pins.clone());
        merged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_file_parses_and_every_entry_cites_aws_documentation() {
        let k = ServiceKnowledge::parse(BUILTIN_SERVICES_HCL).unwrap();
        assert!(k.is_passrole("lambda.amazonaws.com"));
        assert!(k.is_passrole("lambda.amazonaws.com.cn"));
        assert!(k.is_passrole("pods.eks.amazonaws.com"));
        assert!(!k.is_passrole("s3.amazonaws.com"));
        for source in k
            .passrole
            .values()
            .chain(k.absent_keys.values().map(|a| &a.source))
            .chain(k.pins.values().map(|p| &p.source))
            .chain(k.pins.values().filter_map(|p| p.names_without_colon.as_ref()))
        {
            assert!(source.starts_with("https://docs.aws.amazon.com/"), "{source}");
        }
    }

    #[test]
    fn names_without_colon_is_an_optional_url_for_arn_pins_only() {
        let pin = |extra: &str, value: &str| {
            ServiceKnowledge::parse(&format!(
                "service_pin \"k\" {{\n services = [\"x.amazonaws.com\"]\n value = \"{value}\"\n source = \"https://a\"\n{extra}}}\n"
            ))
        };
        assert_eq!(
            pin("names_without_colon = \"https://b\"\n", "arn").unwrap().pins["k"].names_without_colon,
            Some("https://b".to_string())
        );
        assert_eq!(pin("", "arn").unwrap().pins["k"].names_without_colon, None);
        assert!(pin("names_without_colon = \"b\"\n", "arn").is_err());
        assert!(pin("names_without_colon = \"https://b\"\n", "account").is_err());
    }

    #[test]
    fn absent_keys_and_pins() {
        let k = builtin();
        assert!(k.never_carries("codedeploy.amazonaws.com", "aws:multifactorauthpresent"));
        assert!(k.never_carries("s3.amazonaws.com", "aws:principalorgid"));
        assert!(k.never_carries("s3.amazonaws.com", "aws:principaltag/team"));
        assert!(k.never_carries("codedeploy.amazonaws.com", "sts:externalid"));
        // Not a PassRole service: it may pass an external id.
        assert!(!k.never_carries("mystery.amazonaws.com", "sts:externalid"));
        assert!(!k.never_carries("cognito-idp.amazonaws.com", "sts:externalid"));
        assert!(!k.never_carries("s3.amazonaws.com", "aws:sourceaccount"));
        assert_eq!(
            k.pin(
                "logs.eu-west-1.amazonaws.com",
                "kms:encryptioncontext:aws:logs:arn"
            )
            .map(|p| p.value),
            Some(PinValue::Arn)
        );
        assert_eq!(
            k.pin("s3.amazonaws.com", "kms:encryptioncontext:aws:logs:arn")
                .map(|p| p.value),
            None
        );
    }

    #[test]
    fn bad_files_are_rejected_with_the_entry_named() {
        let err = ServiceKnowledge::parse("passrole_service \"x.amazonaws.com\" {}\n").unwrap_err();
        assert!(err.contains("source is required"), "{err}");
        let err = ServiceKnowledge::parse("nonsense \"x\" { source = \"https://a\" }\n").unwrap_err();
        assert!(err.contains("unknown block"), "{err}");
        let err =
            ServiceKnowledge::parse("absent_key \"k\" {\n services = \"some\"\n source = \"https://a\"\n}\n")
                .unwrap_err();
        assert!(err.contains("\"all\" or \"passrole\""), "{err}");
        let overrides =
            ServiceKnowledge::parse("passrole_service \"new.amazonaws.com\" { source = \"https://a\" }\n")
                .unwrap();
        assert!(
            builtin()
                .with_overrides(&overrides)
                .is_passrole("new.amazonaws.com")
        );
    }
}
