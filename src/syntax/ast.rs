//! The Deluge syntax tree: plain data with byte-offset spans, no pest types.
//!
//! Variables are resolved while the tree is built: every name a function body (or the
//! top-level script) assigns or reads gets a slot number in that body's `slots` table, so the
//! interpreter indexes a `Vec` instead of hashing names.

use std::rc::Rc;

/// A byte range `start..end` in the source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }
}

/// A node with the span of source it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

/// A variable reference: its name (for messages) and its slot in the enclosing body.
#[derive(Clone, Debug, PartialEq)]
pub struct Var {
    pub name: Rc<str>,
    pub slot: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "||",
            BinOp::And => "&&",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
    Pos,
}

/// Literal constants, already decoded (escapes applied, dates parsed by the builder's caller).
#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    Null,
    Bool(bool),
    Int(i64),
    Dec(f64),
    Text(Rc<str>),
    /// A single-quoted literal that reads as a date or date-time (`'01-Jan-2019'`): kept as
    /// text here; the evaluator's constant folding turns it into a Date/DateTime value.
    DateText(Rc<str>),
}

pub type Expr = Spanned<ExprKind>;

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Lit(Lit),
    Var(Var),
    /// `{a, b}` or `[a, b]`
    List(Vec<Expr>),
    /// `{k: v, ...}`; `{}` is an empty collection that can still become a list
    Map(Vec<(Expr, Expr)>),
    EmptyCollection,
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `if(cond, a, b)`: only the chosen branch is evaluated
    IfElse(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `ifnull(a, b)`: `b` is evaluated only when `a` is null
    IfNull(Box<Expr>, Box<Expr>),
    /// `name(args)`: a built-in function or a constructor (`Map()`, `List()`, `Collection(..)`)
    /// or a function defined in the script; the name as written
    Call {
        name: Rc<str>,
        args: Vec<Arg>,
    },
    /// `thisapp.f(..)`, `standalone.f(..)`, `automation.f(..)`
    UserCall {
        name: Rc<str>,
        args: Vec<Arg>,
    },
    /// `List:String()` and friends: the element type as written
    TypedCtor {
        kind: Rc<str>,
        elem: Rc<str>,
        args: Vec<Arg>,
    },
    /// `recv.name(args)`
    Method {
        recv: Box<Expr>,
        name: Rc<str>,
        args: Vec<Arg>,
    },
    /// `recv.name` without a call (Creator `input.Field`, `row.Qty`)
    Field {
        recv: Box<Expr>,
        name: Rc<str>,
    },
    /// `Form[criteria]` (Creator record fetch)
    Index {
        recv: Box<Expr>,
        index: Box<Expr>,
    },
    /// `zoho.currentdate`, `zoho.loginuserid`, ...: the lower-case name after `zoho.`
    ZohoValue(Rc<str>),
    /// `zoho.crm.getRecordById(..)`, `zoho.encryption.base64Encode(..)`: the dotted path after
    /// `zoho.` as written, with its arguments
    ZohoTask {
        path: Rc<str>,
        args: Vec<Arg>,
    },
    /// `invokeurl [ key: value ... ]`
    InvokeUrl(Vec<BlockPair>),
    /// `invokeapi [ service: ... path: ... ]` (Zoho's own-API calls; parsed, not run)
    InvokeApi(Vec<BlockPair>),
    /// Creator `insert into Form [ Field = value ... ]`
    InsertInto {
        form: Rc<str>,
        fields: Vec<(Rc<str>, Expr)>,
    },
}

/// A call argument: a value, or `key: value` inside `Collection("k": "v")`.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub key: Option<Expr>,
    pub value: Expr,
}

/// `key: value` inside `invokeurl [...]` or `sendmail [...]`; the key lower-cased.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockPair {
    pub key: Rc<str>,
    pub key_span: Span,
    pub value: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    Set,
    Add,
    Sub,
    Mul,
    Div,
}

pub type Stmt = Spanned<StmtKind>;

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `x = e;` `x += e;`
    Assign {
        var: Var,
        op: AssignOp,
        value: Expr,
    },
    /// `a.b.c = e;` puts key `c` in the map `a.b`
    SetField {
        var: Var,
        path: Vec<Rc<str>>,
        op: AssignOp,
        value: Expr,
    },
    Expr(Expr),
    Info(Expr),
    If {
        branches: Vec<(Expr, Block)>,
        otherwise: Option<Block>,
    },
    ForEach {
        var: Var,
        iter: Expr,
        body: Block,
    },
    ForIndex {
        var: Var,
        iter: Expr,
        body: Block,
    },
    Try {
        body: Block,
        err: Var,
        handler: Block,
    },
    Return(Option<Expr>),
    Break,
    Continue,
    SendMail(Vec<BlockPair>),
    /// A Creator-only statement (`delete from`, `alert`, `cancel submit`): parsed, refused when run
    CreatorOnly(&'static str),
}

pub type Block = Vec<Stmt>;

/// A function definition: `void automation.sync(map contact) { ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    /// The return type as written (`void`, `string`, `map` ...).
    pub return_type: Rc<str>,
    /// The namespace as written, lower-cased (`automation`, `thisapp`, `standalone`), if any.
    pub namespace: Option<Rc<str>>,
    pub name: Rc<str>,
    pub params: Vec<Param>,
    pub body: Body,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub type_name: Rc<str>,
    pub var: Var,
}

/// Statements plus the slot table of their variables.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Body {
    pub stmts: Block,
    pub slots: Vec<Rc<str>>,
}

/// A parsed file: either a body of statements, or function definitions.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Script {
    pub main: Body,
    pub functions: Vec<Function>,
}
