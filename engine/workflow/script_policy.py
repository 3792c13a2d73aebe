"""What a diagram script may say: RestrictedPython's policy, made stricter.

RestrictedPython already refuses names and attributes starting with `_`, frame and generator
internals (`gi_frame`, `f_back`, `tb_frame` ...), `exec`/`eval`, and routes every attribute,
item, iteration and in-place operator through guard functions (script_guards). On top of it:
- only a whitelist of statements and expressions: no def, lambda, class, import, try, with,
  yield, global, match — nothing that makes frames, catches the guards' errors or binds names
  behind the guards' back;
- no names of Python's introspection builtins (`getattr`, `type`, `vars`, `globals` ...), and a
  call must name a safe builtin, a helper or one of the sandbox's values;
- attribute assignment refused; f-string format specs constant and small;
- every binary operator and `*`/`**` unpacking goes through a guard that checks sizes and
  charges what is built; every loop round ticks the budget.
"""
import ast
import re

from RestrictedPython.transformer import RestrictingNodeTransformer, copy_locations

ALLOWED_NODES = (
    ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.For,
    ast.While, ast.Break, ast.Continue, ast.Pass, ast.Raise, ast.Assert, ast.Delete,
    ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.IfExp, ast.Dict, ast.Set, ast.List, ast.Tuple,
    ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.comprehension,
    ast.Compare, ast.Call, ast.keyword, ast.Constant, ast.Attribute, ast.Subscript, ast.Slice,
    ast.Starred, ast.Name, ast.NamedExpr, ast.JoinedStr, ast.FormattedValue,
    ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop,
)
# Builtins that walk attributes, reach frames, globals or the interpreter, or print.
FORBIDDEN_NAMES = frozenset({
    "getattr", "setattr", "delattr", "hasattr", "type", "vars", "dir", "globals", "locals",
    "compile", "exec", "eval", "open", "breakpoint", "input", "help", "memoryview", "object",
    "super", "iter", "next", "aiter", "anext", "format", "classmethod", "staticmethod",
    "property", "print", "exit", "quit", "id", "issubclass", "bytearray", "repr", "ascii",
    "callable", "hash", "copyright", "credits", "license", "printed",
})
_WORDS = {"Import": "import", "ImportFrom": "import", "FunctionDef": "def", "Lambda": "lambda",
          "ClassDef": "class", "Try": "try", "TryStar": "try", "With": "with",
          "Yield": "yield", "YieldFrom": "yield", "Global": "global", "Nonlocal": "nonlocal",
          "AsyncFunctionDef": "async def", "Await": "await", "Match": "match",
          "Return": "return", "AnnAssign": "an annotation"}
OPERATORS = {ast.Mult: "*", ast.Add: "+", ast.Pow: "**", ast.LShift: "<<", ast.Mod: "%",
             ast.Sub: "-", ast.Div: "/", ast.FloorDiv: "//", ast.RShift: ">>", ast.BitOr: "|",
             ast.BitAnd: "&", ast.BitXor: "^", ast.MatMult: "@"}
BIG_NUMBER = re.compile(r"\d{4,}")  # a width or precision of 1000 or more


class ScriptPolicy(RestrictingNodeTransformer):
    """RestrictedPython's transformer with the platform's stricter rules."""

    callable_names: frozenset[str] = frozenset()  # set per compile (see policy_for)

    def visit(self, node):
        if not isinstance(node, ALLOWED_NODES):
            what = _WORDS.get(type(node).__name__, type(node).__name__.lower())
            self.error(node, f"{what} is not allowed in scripts")
            return node
        return super().visit(node)

    def visit_Name(self, node: ast.Name):
        if node.id in FORBIDDEN_NAMES:
            self.error(node, f"'{node.id}' is not available in scripts")
        return super().visit_Name(node)

    def visit_Call(self, node: ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id not in FORBIDDEN_NAMES \
                and node.func.id not in self.callable_names:
            self.error(node, f"'{node.func.id}' is not an allowed function")
        return super().visit_Call(node)

    def visit_Attribute(self, node: ast.Attribute):
        if not isinstance(node.ctx, ast.Load):
            self.error(node, f"assigning attribute '{node.attr}' is not allowed")
        return super().visit_Attribute(node)

    def visit_FormattedValue(self, node: ast.FormattedValue):
        spec = node.format_spec
        if spec is not None:
            parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
            if not all(isinstance(p, ast.Constant) for p in parts):
                self.error(node, "a format spec must be constant")
            elif any(BIG_NUMBER.search(str(p.value)) for p in parts):
                self.error(node, "a format width or precision of 1000 or more is not allowed")
        # The spec's parts are constants (checked above): only the value needs visiting, and
        # the spec must stay a JoinedStr (visit_JoinedStr would wrap it in a call).
        node.value = _call("_fmt_", self.visit(node.value), node=node.value)
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr):
        node = self.node_contents_visit(node)
        return _call("_built_", node, node=node)  # the string an f-string builds is charged

    def visit_BinOp(self, node: ast.BinOp):
        node = self.node_contents_visit(node)
        symbol = OPERATORS[type(node.op)]
        return _call("_binop_", ast.Constant(symbol), node.left, node.right, node=node)

    def visit_Starred(self, node: ast.Starred):
        node = self.node_contents_visit(node)
        if isinstance(node.ctx, ast.Load):  # `*x` copies x; `a, *b = x` unpacks (guarded)
            node.value = _call("_starred_", node.value, node=node.value)
        return node

    def visit_Dict(self, node: ast.Dict):
        node = self.node_contents_visit(node)
        node.values = [_call("_starred_", v, node=v) if k is None else v
                       for k, v in zip(node.keys, node.values, strict=True)]
        return node

    def visit_While(self, node: ast.While):
        node = self.node_contents_visit(node)
        node.body.insert(0, _tick(node))  # `for` needs none: its _getiter_ ticks per item
        return node


def _call(name: str, *args: ast.expr, node: ast.AST) -> ast.Call:
    call = ast.Call(func=ast.Name(name, ast.Load()), args=list(args), keywords=[])
    copy_locations(call, node)
    return call


def _tick(node: ast.AST) -> ast.Expr:
    stmt = ast.Expr(_call("_tick_", node=node))
    copy_locations(stmt, node)
    return stmt


def policy_for(callable_names: frozenset[str]) -> type[ScriptPolicy]:
    """The policy class for scripts that may call `callable_names` (builtins and helpers)."""
    return type("BoundScriptPolicy", (ScriptPolicy,), {"callable_names": callable_names})
