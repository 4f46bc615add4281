//! Terraform's override files (`override.tf`, `*_override.tf`, and their `.tf.json` forms), merged into the
//! primary files of a module as Terraform merges them
//! (<https://developer.hashicorp.com/terraform/language/files/override>):
//!
//! * override files are skipped while the primary files load, then applied one by one in lexicographic order
//!   of their names, each in block order;
//! * a top-level block merges into the primary block with the same header (type and labels): an argument of
//!   the override replaces the argument of that name, and the nested blocks of one type in the override
//!   replace *all* nested blocks of that type (a `dynamic` block is of type `dynamic`, so override `dynamic`
//!   blocks replace every `dynamic` block of the original); the contents of nested blocks are not merged,
//!   except `lifecycle`, merged argument by argument;
//! * `locals` merge value by value, whichever `locals` block defines them.
//!
//! An override block with no primary block to merge into is an error in Terraform ("Missing base … to
//! override"); `index` reports it and every policy of the configuration is then unverifiable, so it is
//! skipped here.

use hcl::{Block, Body, Structure};

/// Whether a file name is an override file.
pub fn is_override(name: &str) -> bool {
    let stem = name
        .strip_suffix(".tf.json")
        .or_else(|| name.strip_suffix(".tf"))
        .unwrap_or(name);
    stem == "override" || stem.ends_with("_override")
}

/// The primary bodies of a module with the override bodies (in the order to apply them) merged in.
pub fn merge(mut primary: Vec<Body>, overrides: Vec<Body>) -> Vec<Body> {
    for body in overrides {
        for structure in body.0 {
            let Structure::Block(block) = structure else {
                continue;
            };
            if block.identifier() == "locals" {
                merge_locals(&mut primary, block);
            } else if let Some(base) = find_block(&mut primary, &block) {
                merge_block(base, block);
            }
        }
    }
    primary
}

fn find_block<'a>(bodies: &'a mut [Body], wanted: &Block) -> Option<&'a mut Block> {
    bodies
        .iter_mut()
        .flat_map(|b| b.0.iter_mut())
        .find_map(|s| match s {
            Structure::Block(block)
                if block.identifier() == wanted.identifier()
                    && block.labels.len() == wanted.labels.len()
                    && block
                        .labels
                        .iter()
                        .zip(&wanted.labels)
                        .all(|(a, b)| a.as_str() == b.as_str()) =>
            {
                Some(block)
            }
            _ => None,
        })
}

fn merge_locals(primary: &mut [Body], over: Block) {
    for structure in over.body.0 {
        let Structure::Attribute(attribute) = structure else {
            continue;
        };
        let existing = primary
            .iter_mut()
            .flat_map(|b| b.0.iter_mut())
            .filter_map(|s| match s {
                Structure::Block(block) if block.identifier() == "locals" => Some(block),
                _ => None,
            })
            .flat_map(|block| block.body.0.iter_mut())
            .find_map(|s| match s {
                Structure::Attribute(a) if a.key.as_str() == attribute.key.as_str() => Some(a),
                _ => None,
            });
        if let Some(existing) = existing {
            existing.expr = attribute.expr;
        }
    }
}

fn merge_block(base: &mut Block, over: Block) {
    let mut replaced_types: Vec<String> = Vec::new();
    for structure in over.body.0 {
        match structure {
            Structure::Attribute(attribute) => {
                set_attribute(&mut base.body, attribute);
            }
            Structure::Block(block) if block.identifier() == "lifecycle" => {
                match base.body.0.iter_mut().find_map(|s| match s {
                    Structure::Block(b) if b.identifier() == "lifecycle" => Some(b),
                    _ => None,
                }) {
                    Some(existing) => {
                        for inner in block.body.0 {
                            if let Structure::Attribute(attribute) = inner {
                                set_attribute(&mut existing.body, attribute);
                            }
                        }
                    }
                    None => base.body.0.push(Structure::Block(block)),
                }
            }
            Structure::Block(block) => {
                let kind = block.identifier().to_string();
                if !replaced_types.contains(&kind) {
                    base.body
                        .0
                        .retain(|s| !matches!(s, Structure::Block(b) if b.identifier() == kind));
                    replaced_types.push(kind);
                }
                base.body.0.push(Structure::Block(block));
            }
        }
    }
}

fn set_attribute(body: &mut Body, attribute: hcl::Attribute) {
    match body.0.iter_mut().find_map(|s| match s {
        Structure::Attribute(a) if a.key.as_str() == attribute.key.as_str() => Some(a),
        _ => None,
    }) {
        Some(existing) => existing.expr = attribute.expr,
        None => body.0.push(Structure::Attribute(attribute)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_file_names() {
        for name in [
            "override.tf",
            "override.tf.json",
            "a_override.tf",
            "x_override.tf.json",
        ] {
            assert!(is_override(name), "{name}");
        }
        for name in ["main.tf", "overrides.tf", "myoverride.tf", "override.tfvars"] {
            assert!(!is_override(name), "{name}");
        }
    }

    #[test]
    fn arguments_replace_and_nested_block_types_replace_wholesale() {
        let primary = hcl::parse(
            r#"
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = "old"
  inline_policy {
    name = "a"
    policy = "pa"
  }
  inline_policy {
    name = "b"
    policy = "pb"
  }
  lifecycle {
    ignore_changes = [tags]
  }
}
locals {
  one = 1
}
locals {
  two = 2
}
"#,
        )
        .unwrap();
        let first = hcl::parse(
            r#"
resource "aws_iam_role" "r" {
  assume_role_policy = "new"
  inline_policy {
    name = "c"
    policy = "pc"
  }
  lifecycle {
    create_before_destroy = true
  }
}
locals {
  two = "second"
}
"#,
        )
        .unwrap();
        let second =
            hcl::parse("locals {\n  two = \"third\"\n}\nresource \"aws_iam_role\" \"missing\" {}\n").unwrap();
        let merged = merge(vec![primary], vec![first, second]);
        let expected = hcl::parse(
            r#"
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = "new"
  lifecycle {
    ignore_changes = [tags]
    create_before_destroy = true
  }
  inline_policy {
    name = "c"
    policy = "pc"
  }
}
locals {
  one = 1
}
locals {
  two = "third"
}
"#,
        )
        .unwrap();
        assert_eq!(merged, vec![expected]);
    }
}
