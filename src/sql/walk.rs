//! Every search and rewrite over sqlparser's tree goes through here, with one visitor type each
//! way.
//!
//! sqlparser derives a `visit` for each of its node types, generic over the visitor: each visitor
//! type (a closure given to `visit_expressions_mut` is one) compiles its own copy of the walk of
//! the whole tree, statements included, some 30 KB of wasm apiece. With the planner's eight
//! rewrites and four searches that was the largest part of the worker module after the parser
//! (issue 17). Here the one [`Rewriter`] and the one [`Searcher`] hand each node to a `dyn`
//! callback, so the walk is compiled once per kind of root (an expression, a query).
//!
//! The order is sqlparser's: an expression is entered before its children and left after them;
//! what the callback writes into a node on entering is what the walk then descends into.
//! sqlparser's walk recurses; statements reach it only after the parser bounded their depth
//! (src/sql/parser.rs).

use std::ops::ControlFlow;

use sqlparser::ast::{Expr, Ident, TableFactor, Visit, VisitMut, Visitor, VisitorMut};

use super::SqlError;

/// A node a rewrite is shown, in the walk's order.
pub enum Node<'a> {
    /// An expression, before its children.
    Enter(&'a mut Expr),
    /// An expression, after its children.
    Leave(&'a mut Expr),
    /// A table factor (a table, a derived table, a table function call …), before its children.
    TableFactor(&'a mut TableFactor),
    /// A name, wherever it stands: a column, a table, an alias, a function's … (after the
    /// expression or table factor that holds it was entered).
    Ident(&'a mut Ident),
}

/// Calls `f` on each expression in `node`, each before its children; stops early where `f`
/// breaks.
pub fn search<N: Visit + ?Sized>(node: &N, mut f: impl FnMut(&Expr) -> ControlFlow<()>) {
    search_dyn(node, &mut f);
}

fn search_dyn<N: Visit + ?Sized>(node: &N, f: &mut dyn FnMut(&Expr) -> ControlFlow<()>) {
    let _ = node.visit(&mut Searcher { f });
}

/// Rewrites each expression in `node` after its children (as sqlparser's `visit_expressions_mut`
/// does): what `f` puts in place of an expression is not walked again.
pub fn rewrite_exprs<N: VisitMut + ?Sized>(node: &mut N, mut f: impl FnMut(&mut Expr)) {
    let _ = rewrite_dyn(node, &mut |n: Node<'_>| {
        if let Node::Leave(e) = n {
            f(e);
        }
        Ok(())
    });
}

/// Shows `f` every [`Node`] of `node` in the walk's order; the first error `f` returns stops the
/// walk and is returned.
pub fn rewrite<N: VisitMut + ?Sized>(node: &mut N, mut f: impl FnMut(Node<'_>) -> Result<(), SqlError>) -> Result<(), SqlError> {
    rewrite_dyn(node, &mut f)
}

fn rewrite_dyn<N: VisitMut + ?Sized>(node: &mut N, f: &mut dyn FnMut(Node<'_>) -> Result<(), SqlError>) -> Result<(), SqlError> {
    let mut rewriter = Rewriter { f, error: None };
    let _ = node.visit(&mut rewriter);
    rewriter.error.map_or(Ok(()), Err)
}

/// The one mutable visitor: its `Break` is `()` (a flag in the walk's code, where an error
/// would be copied through every level); the error waits here.
struct Rewriter<'f> {
    f: &'f mut dyn FnMut(Node<'_>) -> Result<(), SqlError>,
    error: Option<SqlError>,
}

impl Rewriter<'_> {
    fn call(&mut self, node: Node<'_>) -> ControlFlow<()> {
        match (self.f)(node) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                self.error = Some(e);
                ControlFlow::Break(())
            }
        }
    }
}

impl VisitorMut for Rewriter<'_> {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        self.call(Node::Enter(expr))
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        self.call(Node::Leave(expr))
    }

    fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        self.call(Node::TableFactor(factor))
    }

    fn pre_visit_ident(&mut self, ident: &mut Ident) -> ControlFlow<()> {
        self.call(Node::Ident(ident))
    }
}

/// The one immutable visitor.
struct Searcher<'f> {
    f: &'f mut dyn FnMut(&Expr) -> ControlFlow<()>,
}

impl Visitor for Searcher<'_> {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        (self.f)(expr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::{parse_script, Statement};

    fn query(sql: &str) -> sqlparser::ast::Query {
        match parse_script(sql).map(|mut s| s.remove(0).statement) {
            Ok(Statement::Query(q)) => *q,
            _ => panic!("not a query: {sql}"),
        }
    }

    #[test]
    fn a_search_sees_outer_expressions_before_inner_ones_and_stops_when_told() {
        let q = query("SELECT a + b * c FROM t WHERE d > 1");
        let mut seen = Vec::new();
        search(&q, |e| {
            seen.push(e.to_string());
            if seen.len() == 4 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!(seen, ["a + b * c", "a", "b * c", "b"]);
    }

    #[test]
    fn a_rewrite_of_expressions_works_from_the_inside_out() {
        let mut q = query("SELECT a + b FROM t");
        let mut order = Vec::new();
        rewrite_exprs(&mut q, |e| {
            order.push(e.to_string());
            if let Expr::Identifier(i) = e {
                i.value = i.value.to_uppercase();
            }
        });
        assert_eq!(order, ["a", "b", "A + B"]);
        assert_eq!(q.to_string(), "SELECT A + B FROM t");
    }

    #[test]
    fn what_a_rewrite_puts_in_on_entering_is_walked_and_its_error_stops_the_walk() {
        let mut q = query("SELECT x.a, f(y.b) FROM s AS x, t AS y");
        let mut tables = Vec::new();
        let result = rewrite(&mut q, |n| match n {
            Node::Enter(e) => {
                if let Expr::CompoundIdentifier(parts) = e {
                    *e = Expr::Identifier(parts[1].clone());
                }
                Ok(())
            }
            Node::Leave(Expr::Identifier(i)) if i.value == "b" => Err(SqlError::new("stop at b")),
            Node::Leave(_) => Ok(()),
            Node::TableFactor(f) => {
                tables.push(f.to_string());
                Ok(())
            }
            Node::Ident(_) => Ok(()),
        });
        assert_eq!(result.map_err(|e| e.message), Err("stop at b".to_string()));
        assert_eq!(q.to_string(), "SELECT a, f(b) FROM s AS x, t AS y");
        assert!(tables.is_empty(), "the walk stopped in the SELECT list, before FROM: {tables:?}");
    }
}
