//! Memoised evaluation of a module instance's locals and policy documents (`data
//! "aws_iam_policy_document"`), which may refer to each other: each is evaluated once, after what it refers
//! to, and all of them within a work budget, so that no configuration (a chain of thousands of locals, a
//! local that doubles at every step) can stall the check. Past the budget a value is a symbol that says so,
//! and every policy that depends on it is unverifiable.
//!
//! Before, locals were evaluated in a fixed number of rounds over all of them, each reference copying the
//! whole `local` object: a chain longer than the rounds stayed unknown, and a long one took quadratic time.

use std::collections::HashMap;

use hcl::template::{Directive, Element, Template};
use hcl::{Body, Expression, ObjectKey, TraversalOperator, Value};

/// Work allowed for the locals and policy documents of one module instance, in value nodes: the nodes of
/// every value a reference copies into an evaluation, and of every result. A chain of 4,000 locals costs
/// 12,000; the budget only binds on configurations no one writes by hand.
pub(crate) const WORK_BUDGET: usize = 2_000_000;

/// Values nested deeper than this count as past the budget (they would be rendered and compared
/// recursively later).
const MAX_VALUE_DEPTH: usize = 64;

pub(crate) use crate::symbol::OVER_BUDGET;

/// What an expression (or a block body) refers to among the locals and policy documents.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct References {
    /// `local.NAME`, once per occurrence.
    pub locals: Vec<String>,
    /// `data.aws_iam_policy_document.NAME`, once per occurrence.
    pub documents: Vec<String>,
    /// `local` used other than as `local.NAME`: it may reach every local.
    pub all_locals: bool,
    /// `data` or `data.aws_iam_policy_document` used other than with a name: every document.
    pub all_documents: bool,
}

impl References {
    pub(crate) fn of_expression(expr: &Expression) -> References {
        let mut refs = References::default();
        refs.expression(expr);
        refs
    }

    pub(crate) fn of_body(body: &Body) -> References {
        let mut refs = References::default();
        refs.body(body);
        refs
    }

    fn body(&mut self, body: &Body) {
        for attribute in body.attributes() {
            self.expression(&attribute.expr);
        }
        for block in body.blocks() {
            self.body(&block.body);
        }
    }

    fn expression(&mut self, expr: &Expression) {
        // An explicit stack: expressions nest as deep as the source (bounded by the nesting check, but
        // recursion is not needed).
        let mut stack = vec![expr];
        while let Some(expr) = stack.pop() {
            match expr {
                Expression::Null | Expression::Bool(_) | Expression::Number(_) | Expression::String(_) => {}
                Expression::Variable(v) => match v.as_str() {
                    "local" => self.all_locals = true,
                    "data" => self.all_documents = true,
                    _ => {}
                },
                Expression::Traversal(traversal) => {
                    self.traversal(&traversal.expr, &traversal.operators);
                    if !matches!(traversal.expr, Expression::Variable(_)) {
                        stack.push(&traversal.expr);
                    }
                    for operator in &traversal.operators {
                        if let TraversalOperator::Index(index) = operator {
                            stack.push(index);
                        }
                    }
                }
                Expression::Array(items) => stack.extend(items),
                Expression::Object(object) => {
                    for (key, value) in object {
                        if let ObjectKey::Expression(key) = key {
                            stack.push(key);
                        }
                        stack.push(value);
                    }
                }
                Expression::TemplateExpr(template) => {
                    if let Ok(template) = Template::from_expr(template) {
                        self.template(&template);
                    }
                }
                Expression::FuncCall(call) => stack.extend(&call.args),
                Expression::Parenthesis(inner) => stack.push(inner),
                Expression::Conditional(c) => stack.extend([&c.cond_expr, &c.true_expr, &c.false_expr]),
                Expression::Operation(operation) => match operation.as_ref() {
                    hcl::Operation::Unary(op) => stack.push(&op.expr),
                    hcl::Operation::Binary(op) => stack.extend([&op.lhs_expr, &op.rhs_expr]),
                },
                Expression::ForExpr(f) => {
                    stack.push(&f.collection_expr);
                    stack.push(&f.value_expr);
                    stack.extend(f.key_expr.as_ref());
                    stack.extend(f.cond_expr.as_ref());
                }
                // A kind of expression added to hcl-rs later: it may refer to anything.
                _ => {
                    self.all_locals = true;
                    self.all_documents = true;
                }
            }
        }
    }

    fn template(&mut self, template: &Template) {
        for element in template.elements() {
            match element {
                Element::Literal(_) => {}
                Element::Interpolation(interpolation) => self.expression(&interpolation.expr),
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(d) => {
                        self.expression(&d.cond_expr);
                        self.template(&d.true_template);
                        if let Some(f) = &d.false_template {
                            self.template(f);
                        }
                    }
                    Directive::For(d) => {
                        self.expression(&d.collection_expr);
                        self.template(&d.template);
                    }
                },
            }
        }
    }

    /// `local.NAME…` and `data.aws_iam_policy_document.NAME…`; any other use of `local` or `data` as a
    /// whole reaches everything.
    fn traversal(&mut self, root: &Expression, operators: &[TraversalOperator]) {
        let Expression::Variable(root) = root else {
            return;
        };
        let attr = |i: usize| match operators.get(i) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str().to_string()),
            _ => None,
        };
        match root.as_str() {
            "local" => match attr(0) {
                Some(name) => self.locals.push(name),
                None => self.all_locals = true,
            },
            "data" => match attr(0).as_deref() {
                Some("aws_iam_policy_document") => match attr(1) {
                    Some(name) => self.documents.push(name),
                    None => self.all_documents = true,
                },
                Some(_) => {}
                None => self.all_documents = true,
            },
            _ => {}
        }
    }
}

/// The nodes of a value (each scalar, list, object and object entry counts one, a string one more per 8
/// bytes), counted up to `cap`; a value nested deeper than `MAX_VALUE_DEPTH` counts as `cap`.
pub(crate) fn value_cost(value: &Value, cap: usize) -> usize {
    let mut count = 0usize;
    let mut stack = vec![(value, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        count += 1;
        if count >= cap || depth > MAX_VALUE_DEPTH {
            return cap;
        }
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            Value::Object(map) => {
                count = count.saturating_add(map.len());
                stack.extend(map.values().map(|v| (v, depth + 1)));
            }
            Value::String(text) => count = count.saturating_add(text.len() / 8),
            _ => {}
        }
    }
    count.min(cap)
}

/// The outcome of one local or document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// Evaluated to this value.
    Value(Value),
    /// Did not evaluate (an error, an unsupported construct): left to the caller's default.
    Failed,
    /// Not evaluated: the budget was spent.
    OverBudget,
}

/// The locals and documents of one module instance: nodes `0..local_count` are locals, the rest documents.
pub(crate) struct Graph {
    names: Vec<String>,
    refs: Vec<References>,
    local_count: usize,
    local_index: HashMap<String, usize>,
    document_index: HashMap<String, usize>,
}

/// What one evaluation may see: each local and document it refers to with its outcome so far (`None`
/// while it is still being evaluated, as in a cycle).
pub(crate) struct Inputs<'o> {
    pub locals: Vec<(&'o str, Option<&'o Outcome>)>,
    pub documents: Vec<(&'o str, Option<&'o Outcome>)>,
}

impl Graph {
    /// Of two definitions of one name the later one counts (as the rounds before did).
    pub(crate) fn new(locals: Vec<(String, References)>, documents: Vec<(String, References)>) -> Graph {
        let local_count = locals.len();
        let (mut names, mut refs) = (Vec::new(), Vec::new());
        let (mut local_index, mut document_index) = (HashMap::new(), HashMap::new());
        for (i, (name, r)) in locals.into_iter().chain(documents).enumerate() {
            let index = if i < local_count {
                &mut local_index
            } else {
                &mut document_index
            };
            index.insert(name.clone(), i);
            names.push(name);
            refs.push(r);
        }
        Graph {
            names,
            refs,
            local_count,
            local_index,
            document_index,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// The node that a name stands for (the later of two definitions).
    pub(crate) fn is_current(&self, node: usize) -> bool {
        let index = if node < self.local_count {
            &self.local_index
        } else {
            &self.document_index
        };
        index.get(&self.names[node]) == Some(&node)
    }

    /// Unique dependencies of a node, as node indices.
    fn dependencies(&self, node: usize) -> Vec<usize> {
        let refs = &self.refs[node];
        let mut deps: Vec<usize> = if refs.all_locals {
            self.local_index.values().copied().collect()
        } else {
            refs.locals
                .iter()
                .filter_map(|n| self.local_index.get(n).copied())
                .collect()
        };
        if refs.all_documents {
            deps.extend(self.document_index.values().copied());
        } else {
            deps.extend(
                refs.documents
                    .iter()
                    .filter_map(|n| self.document_index.get(n).copied()),
            );
        }
        deps.sort_unstable();
        deps.dedup();
        deps
    }

    /// Evaluates every node once, dependencies first, charging `budget`: listing a node's dependencies
    /// costs one per dependency, an evaluation one plus the cost of every value a reference copies in, and
    /// its result its size ([`value_cost`]). `evaluate` is given the node and what it may refer to.
    pub(crate) fn evaluate(
        &self,
        budget: usize,
        mut evaluate: impl FnMut(usize, &Inputs<'_>) -> Option<Value>,
    ) -> Vec<Outcome> {
        let n = self.len();
        let mut outcomes: Vec<Option<Outcome>> = vec![None; n];
        let mut costs: Vec<usize> = vec![1; n];
        let mut open = vec![false; n];
        let mut spent = 0usize;
        for start in 0..n {
            if outcomes[start].is_some() {
                continue;
            }
            // Depth-first with an explicit stack: a chain of locals is as long as the source makes it.
            let mut stack: Vec<(usize, Vec<usize>, usize)> = Vec::new();
            open[start] = true;
            let deps = self.dependencies(start);
            spent = spent.saturating_add(deps.len());
            stack.push((start, deps, 0));
            while let Some((node, deps, next)) = stack.last_mut() {
                if *next < deps.len() {
                    let dep = deps[*next];
                    *next += 1;
                    if outcomes[dep].is_none() && !open[dep] && spent <= budget {
                        open[dep] = true;
                        let dep_deps = self.dependencies(dep);
                        spent = spent.saturating_add(dep_deps.len());
                        stack.push((dep, dep_deps, 0));
                    }
                    continue;
                }
                let node = *node;
                let deps = std::mem::take(deps);
                stack.pop();
                open[node] = false;
                let outcome = self.evaluate_one(
                    node,
                    &deps,
                    budget,
                    &mut spent,
                    (&outcomes, &costs),
                    &mut evaluate,
                );
                if let Outcome::Value(value) = &outcome {
                    costs[node] = value_cost(value, budget.saturating_add(1));
                }
                outcomes[node] = Some(outcome);
            }
        }
        outcomes
            .into_iter()
            .map(|o| o.unwrap_or(Outcome::OverBudget))
            .collect()
    }

    fn evaluate_one(
        &self,
        node: usize,
        deps: &[usize],
        budget: usize,
        spent: &mut usize,
        (outcomes, costs): (&[Option<Outcome>], &[usize]),
        evaluate: &mut impl FnMut(usize, &Inputs<'_>) -> Option<Value>,
    ) -> Outcome {
        let refs = &self.refs[node];
        // What the references copy into the evaluation, each occurrence separately.
        let copied: usize = if refs.all_locals || refs.all_documents {
            deps.iter().map(|&i| costs[i]).sum()
        } else {
            refs.locals
                .iter()
                .filter_map(|n| self.local_index.get(n))
                .chain(refs.documents.iter().filter_map(|n| self.document_index.get(n)))
                .map(|&i| costs[i])
                .sum()
        };
        *spent = spent.saturating_add(1).saturating_add(copied);
        if *spent > budget {
            return Outcome::OverBudget;
        }
        let (locals, documents): (Vec<usize>, Vec<usize>) = deps.iter().partition(|&&i| i < self.local_count);
        let view = |list: Vec<usize>| -> Vec<(&str, Option<&Outcome>)> {
            list.into_iter()
                .map(|i| (self.names[i].as_str(), outcomes[i].as_ref()))
                .collect()
        };
        let inputs = Inputs {
            locals: view(locals),
            documents: view(documents),
        };
        match evaluate(node, &inputs) {
            Some(value) => {
                let cost = value_cost(&value, budget.saturating_add(1));
                *spent = spent.saturating_add(cost);
                if *spent > budget {
                    Outcome::OverBudget
                } else {
                    Outcome::Value(value)
                }
            }
            None => Outcome::Failed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(source: &str) -> References {
        let body = hcl::parse(&format!("x = {source}\n")).unwrap();
        References::of_expression(&body.attributes().next().unwrap().expr)
    }

    #[test]
    fn references_are_found_everywhere_an_expression_can_hold_one() {
        let found = refs(
            r#"{ (local.k) = [for x in local.list : "${local.prefix}-${x}" if local.on], y = merge(local.a, data.aws_iam_policy_document.d.json, data.aws_caller_identity.me.account_id) }"#,
        );
        let mut locals = found.locals.clone();
        locals.sort();
        assert_eq!(locals, ["a", "k", "list", "on", "prefix"]);
        assert_eq!(found.documents, ["d"]);
        assert!(!found.all_locals && !found.all_documents);
        assert!(refs("values(local)").all_locals);
        assert!(refs("local[\"a\"]").all_locals);
        assert!(refs("data.aws_iam_policy_document[\"d\"]").all_documents);
        assert_eq!(refs("local.a == local.a ? 1 : -local.b").locals.len(), 3);
    }

    #[test]
    fn value_cost_counts_nodes_and_caps_depth() {
        let value: Value = hcl::value!({ a = [1, 2], b = "x" });
        assert_eq!(value_cost(&value, 1000), 7);
        assert_eq!(value_cost(&Value::from("x".repeat(80)), 1000), 11);
        assert_eq!(value_cost(&value, 3), 3);
        let mut deep = Value::from(1);
        for _ in 0..100 {
            deep = Value::Array(vec![deep]);
        }
        assert_eq!(value_cost(&deep, 1000), 1000);
    }
}
