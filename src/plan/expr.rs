//! Bound scalar expressions: names resolved to column positions, types checked and known.
//! The engine evaluates these column-at-a-time (`engine::eval`).

use std::fmt;
use std::sync::Arc;

pub use super::functions::user::UserFunction;
pub use super::functions::Function;
use crate::types::decimal::DecimalOp;
use crate::types::{SqlType, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: SqlType,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// The input column at this position.
    Column(usize),
    Literal(Value),
    Not(Box<Expr>),
    Negate(Box<Expr>),
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    IsNull {
        arg: Box<Expr>,
        negated: bool,
    },
    /// `IS [NOT] TRUE/FALSE`.
    IsBool {
        arg: Box<Expr>,
        value: bool,
        negated: bool,
    },
    Cast {
        arg: Box<Expr>,
        try_cast: bool,
    },
    /// Searched CASE (a simple CASE is rewritten into this form).
    Case {
        whens: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
    },
    InList {
        arg: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    /// `arg [NOT] LIKE pattern [ESCAPE escape]`, or SIMILAR TO when `similar`.
    Like {
        arg: Box<Expr>,
        pattern: Box<Expr>,
        escape: Option<Box<Expr>>,
        negated: bool,
        similar: bool,
    },
    Call {
        func: Function,
        args: Vec<Expr>,
    },
    /// A user-defined scalar function (`plan/functions/user.rs`), evaluated by the session's
    /// host a batch at a time; `args` are already cast to its parameter types.
    UserCall {
        func: Arc<UserFunction>,
        args: Vec<Expr>,
    },
    /// A field of a ROW value: `loc.lat`.
    Field {
        arg: Box<Expr>,
        index: usize,
        name: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    And,
    Or,
    Concat,
}

impl BinaryOp {
    pub fn is_comparison(self) -> bool {
        matches!(self, BinaryOp::Eq | BinaryOp::NotEq | BinaryOp::Lt | BinaryOp::LtEq | BinaryOp::Gt | BinaryOp::GtEq)
    }
    pub fn is_arithmetic(self) -> bool {
        self.decimal_op().is_some()
    }
    /// The arithmetic operator as `types::decimal` computes it over DECIMALs.
    pub fn decimal_op(self) -> Option<DecimalOp> {
        Some(match self {
            BinaryOp::Add => DecimalOp::Add,
            BinaryOp::Subtract => DecimalOp::Subtract,
            BinaryOp::Multiply => DecimalOp::Multiply,
            BinaryOp::Divide => DecimalOp::Divide,
            BinaryOp::Modulo => DecimalOp::Modulo,
            _ => return None,
        })
    }
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Modulo => "%",
            BinaryOp::Eq => "=",
            BinaryOp::NotEq => "<>",
            BinaryOp::Lt => "<",
            BinaryOp::LtEq => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::GtEq => ">=",
            BinaryOp::And => "AND",
            BinaryOp::Or => "OR",
            BinaryOp::Concat => "||",
        }
    }
}

impl Expr {
    pub fn column(index: usize, ty: SqlType) -> Expr {
        Expr { kind: ExprKind::Column(index), ty }
    }
    pub fn literal(value: Value, ty: SqlType) -> Expr {
        Expr { kind: ExprKind::Literal(value), ty }
    }
    /// The column this expression is, if it is a bare column reference.
    pub fn as_column(&self) -> Option<usize> {
        match self.kind {
            ExprKind::Column(i) => Some(i),
            _ => None,
        }
    }
    /// Calls `f` on every column this expression reads.
    pub fn visit_columns(&self, f: &mut impl FnMut(usize)) {
        match &self.kind {
            ExprKind::Column(i) => f(*i),
            ExprKind::Literal(_) => {}
            ExprKind::Not(a) | ExprKind::Negate(a) => a.visit_columns(f),
            ExprKind::IsNull { arg, .. } | ExprKind::IsBool { arg, .. } | ExprKind::Cast { arg, .. } | ExprKind::Field { arg, .. } => {
                arg.visit_columns(f)
            }
            ExprKind::Binary { left, right, .. } => {
                left.visit_columns(f);
                right.visit_columns(f);
            }
            ExprKind::Case { whens, otherwise } => {
                for (w, t) in whens {
                    w.visit_columns(f);
                    t.visit_columns(f);
                }
                if let Some(o) = otherwise {
                    o.visit_columns(f);
                }
            }
            ExprKind::InList { arg, list, .. } => {
                arg.visit_columns(f);
                list.iter().for_each(|e| e.visit_columns(f));
            }
            ExprKind::Like { arg, pattern, escape, .. } => {
                arg.visit_columns(f);
                pattern.visit_columns(f);
                if let Some(e) = escape {
                    e.visit_columns(f);
                }
            }
            ExprKind::Call { args, .. } | ExprKind::UserCall { args, .. } => args.iter().for_each(|e| e.visit_columns(f)),
        }
    }
    /// Calls `f` on this expression and every expression inside it.
    pub fn visit(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Column(_) | ExprKind::Literal(_) => {}
            ExprKind::Not(a) | ExprKind::Negate(a) => a.visit(f),
            ExprKind::IsNull { arg, .. } | ExprKind::IsBool { arg, .. } | ExprKind::Cast { arg, .. } | ExprKind::Field { arg, .. } => {
                arg.visit(f)
            }
            ExprKind::Binary { left, right, .. } => {
                left.visit(f);
                right.visit(f);
            }
            ExprKind::Case { whens, otherwise } => {
                for (w, t) in whens {
                    w.visit(f);
                    t.visit(f);
                }
                if let Some(o) = otherwise {
                    o.visit(f);
                }
            }
            ExprKind::InList { arg, list, .. } => {
                arg.visit(f);
                list.iter().for_each(|e| e.visit(f));
            }
            ExprKind::Like { arg, pattern, escape, .. } => {
                arg.visit(f);
                pattern.visit(f);
                if let Some(e) = escape {
                    e.visit(f);
                }
            }
            ExprKind::Call { args, .. } | ExprKind::UserCall { args, .. } => args.iter().for_each(|e| e.visit(f)),
        }
    }

    /// Rewrites column references through `map` (used when pushing expressions through a
    /// projection).
    pub fn remap_columns(&self, map: &impl Fn(usize) -> usize) -> Expr {
        let mut e = self.clone();
        e.remap_in_place(map);
        e
    }
    fn remap_in_place(&mut self, map: &impl Fn(usize) -> usize) {
        match &mut self.kind {
            ExprKind::Column(i) => *i = map(*i),
            ExprKind::Literal(_) => {}
            ExprKind::Not(a) | ExprKind::Negate(a) => a.remap_in_place(map),
            ExprKind::IsNull { arg, .. } | ExprKind::IsBool { arg, .. } | ExprKind::Cast { arg, .. } | ExprKind::Field { arg, .. } => {
                arg.remap_in_place(map)
            }
            ExprKind::Binary { left, right, .. } => {
                left.remap_in_place(map);
                right.remap_in_place(map);
            }
            ExprKind::Case { whens, otherwise } => {
                for (w, t) in whens {
                    w.remap_in_place(map);
                    t.remap_in_place(map);
                }
                if let Some(o) = otherwise {
                    o.remap_in_place(map);
                }
            }
            ExprKind::InList { arg, list, .. } => {
                arg.remap_in_place(map);
                list.iter_mut().for_each(|e| e.remap_in_place(map));
            }
            ExprKind::Like { arg, pattern, escape, .. } => {
                arg.remap_in_place(map);
                pattern.remap_in_place(map);
                if let Some(e) = escape {
                    e.remap_in_place(map);
                }
            }
            ExprKind::Call { args, .. } | ExprKind::UserCall { args, .. } => args.iter_mut().for_each(|e| e.remap_in_place(map)),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Column(i) => write!(f, "${i}"),
            ExprKind::Literal(Value::Str(s)) => write!(f, "'{s}'"),
            ExprKind::Literal(v) => write!(f, "{v}"),
            ExprKind::Not(a) => write!(f, "NOT({a})"),
            ExprKind::Negate(a) => write!(f, "-({a})"),
            ExprKind::Field { arg, name, .. } => write!(f, "{arg}.{name}"),
            ExprKind::Binary { op, left, right } => write!(f, "({left} {} {right})", op.symbol()),
            ExprKind::IsNull { arg, negated } => {
                write!(f, "{arg} IS {}NULL", if *negated { "NOT " } else { "" })
            }
            ExprKind::IsBool { arg, value, negated } => {
                write!(f, "{arg} IS {}{}", if *negated { "NOT " } else { "" }, if *value { "TRUE" } else { "FALSE" })
            }
            ExprKind::Cast { arg, try_cast } => {
                write!(f, "{}({arg} AS {})", if *try_cast { "TRY_CAST" } else { "CAST" }, self.ty)
            }
            ExprKind::Case { whens, otherwise } => {
                f.write_str("CASE")?;
                for (w, t) in whens {
                    write!(f, " WHEN {w} THEN {t}")?;
                }
                if let Some(o) = otherwise {
                    write!(f, " ELSE {o}")?;
                }
                f.write_str(" END")
            }
            ExprKind::InList { arg, list, negated } => {
                write!(f, "{arg} {}IN (", if *negated { "NOT " } else { "" })?;
                for (i, e) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{e}")?;
                }
                f.write_str(")")
            }
            ExprKind::Like { arg, pattern, escape, negated, similar } => {
                let op = if *similar { "SIMILAR TO" } else { "LIKE" };
                write!(f, "{arg} {}{op} {pattern}", if *negated { "NOT " } else { "" })?;
                match escape {
                    Some(e) => write!(f, " ESCAPE {e}"),
                    None => Ok(()),
                }
            }
            // An operator kept as a function (`a IS DISTINCT FROM b`) prints as the operator.
            ExprKind::Call { func, args } if func.name().contains(' ') && args.len() == 2 => {
                write!(f, "{} {} {}", args[0], func.name(), args[1])
            }
            ExprKind::Call { func, args } => write_call(f, func.name(), args),
            ExprKind::UserCall { func, args } => write_call(f, &func.name, args),
        }
    }
}

fn write_call(f: &mut fmt::Formatter<'_>, name: &str, args: &[Expr]) -> fmt::Result {
    write!(f, "{name}(")?;
    for (i, e) in args.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{e}")?;
    }
    f.write_str(")")
}
