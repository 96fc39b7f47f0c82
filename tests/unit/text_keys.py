"""Finds, from the syntax tree, every message id the code looks up.

`Translator.raw(language, key)` is where a key meets the catalog. Any function or method
that hands one of its own parameters on as the key of a lookup (also inside an f-string,
as `Words.html` does with f"impact.{key}") is a lookup itself; those are discovered until
no new one turns up, so `t`, `tp`, `Say.t`, `Words.html`, the demo's `label` and any
wrapper written tomorrow are covered without a list to keep up to date.

At every call of a lookup the key expression is resolved: string literals, both sides of
`a if c else b` and `a or b`, local and module variables (also loop variables over a
tuple of literals), small functions of the same module that return keys, and values of a
dict of literals. Parts that cannot be known (an f-string's `{kind.value}`) become `{}`,
so f"exchange.card.open_{kind}" is the pattern "exchange.card.open_{}". A key that arrives
as an attribute (`error.message_key`, `item.key`) is found where it is made instead: any
`message_key`, `title_key` or `key` assignment or keyword argument in the code.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("handlers", "bot", "models", "config")
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
HOLE = "{}"
# Attributes and keywords that carry a message id from where it is chosen to a lookup.
KEY_NAMES = frozenset({"key", "message_key", "title_key"})
TOO_MANY = 64


@dataclass(frozen=True)
class Lookup:
    """A callable whose positional argument `index` is a message id (wrapped in prefix)."""

    name: str
    method: bool
    index: int
    low: int
    high: int
    prefix: str = ""
    suffix: str = ""


# The one place a key meets the catalog: Translator.raw(language, key, count=None).
SEED = Lookup("raw", method=True, index=1, low=2, high=3)


@dataclass(frozen=True)
class Use:
    """One key (or pattern with `{}` holes) at one place in the code."""

    key: str
    where: str


@dataclass
class Module:
    """A parsed source file with what resolving names needs."""

    path: Path
    tree: ast.Module
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The path relative to the project."""
        return str(self.path.relative_to(ROOT))


def modules() -> list[Module]:
    """Every Python file of the application."""
    found = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            module = Module(path, tree)
            for node in ast.walk(tree):
                for child in ast.iter_child_nodes(node):
                    module.parents[child] = node
            for node in tree.body:
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    module.functions[node.name] = node
            found.append(module)
    return found


def _enclosing(module: Module, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    parent = module.parents.get(node)
    while parent is not None and not isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
        parent = module.parents.get(parent)
    return parent


def _is_method(module: Module, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return isinstance(module.parents.get(fn), ast.ClassDef)


def _params(module: Module, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    names = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]
    return names[1:] if _is_method(module, fn) else names


def _arity(module: Module, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, int]:
    params = _params(module, fn)
    low = len(params) - len(fn.args.defaults)
    high = TOO_MANY if fn.args.vararg else len(params)
    return low, high


def _calls(module: Module) -> Iterator[ast.Call]:
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call):
            yield node


def _matches(call: ast.Call, lookups: Iterable[Lookup]) -> list[Lookup]:
    func = call.func
    if isinstance(func, ast.Name):
        name, method = func.id, False
    elif isinstance(func, ast.Attribute):
        name, method = func.attr, True
    else:
        return []
    positional = len(call.args)
    if any(isinstance(a, ast.Starred) for a in call.args):
        return []
    fits = [
        lookup
        for lookup in lookups
        if lookup.name == name
        and lookup.method == method
        and lookup.low <= positional <= lookup.high
        and lookup.index < positional
    ]
    # Translator.plain(language, key) and Words.plain(key, count=None) both take two: the
    # signature whose required arguments the call fills is the one called.
    most = max((lookup.low for lookup in fits), default=0)
    return [lookup for lookup in fits if lookup.low == most]


def _wrapper(
    module: Module, call: ast.Call, lookup: Lookup, params: list[str]
) -> tuple[int, str, str] | None:
    """Where a parameter of the calling function is passed on as this lookup's key."""
    arg = call.args[lookup.index]
    if isinstance(arg, ast.Name) and arg.id in params:
        return params.index(arg.id), lookup.prefix, lookup.suffix
    if isinstance(arg, ast.JoinedStr):
        holes = [v for v in arg.values if isinstance(v, ast.FormattedValue)]
        if len(holes) == 1 and isinstance(holes[0].value, ast.Name):
            name = holes[0].value.id
            if name in params:
                at = arg.values.index(holes[0])
                before = "".join(_constant(v) for v in arg.values[:at])
                after = "".join(_constant(v) for v in arg.values[at + 1 :])
                return params.index(name), lookup.prefix + before, after + lookup.suffix
    return None


def _constant(node: ast.expr) -> str:
    return str(node.value) if isinstance(node, ast.Constant) else HOLE


def lookups(found: list[Module]) -> set[Lookup]:
    """The seed and every function that passes a parameter on as a lookup's key."""
    known = {SEED}
    while True:
        new = set()
        for module in found:
            for call in _calls(module):
                fn = _enclosing(module, call)
                if fn is None:
                    continue
                params = _params(module, fn)
                low, high = _arity(module, fn)
                for lookup in _matches(call, known):
                    passed = _wrapper(module, call, lookup, params)
                    if passed is not None:
                        index, prefix, suffix = passed
                        method = _is_method(module, fn)
                        new.add(Lookup(fn.name, method, index, low, high, prefix, suffix))
        if new <= known:
            return known
        known |= new


class Resolver:
    """Turns a key expression into the keys (or `{}` patterns) it can be."""

    def __init__(
        self,
        module: Module,
        wrapped: set[tuple[str, str]],
        functions: dict[str, tuple[Module, ast.FunctionDef | ast.AsyncFunctionDef]],
    ) -> None:
        self.module = module
        self.functions = functions
        # (function, parameter) pairs that are keys handed on to a lookup: seen at callers.
        self.wrapped = wrapped
        self.depth = 0

    def keys(self, node: ast.expr, scope: ast.AST | None) -> set[str]:
        """Every value node may have; unknown parts are holes."""
        self.depth += 1
        try:
            if self.depth > 12:
                return {HOLE}
            return self._keys(node, scope) or {HOLE}
        finally:
            self.depth -= 1

    def _keys(self, node: ast.expr, scope: ast.AST | None) -> set[str]:
        if isinstance(node, ast.Constant):
            return {node.value} if isinstance(node.value, str) else {HOLE}
        if isinstance(node, ast.IfExp):
            return self.keys(node.body, scope) | self.keys(node.orelse, scope)
        if isinstance(node, ast.BoolOp):
            return set().union(*(self.keys(v, scope) for v in node.values))
        if isinstance(node, ast.JoinedStr):
            parts = [
                self.keys(v.value, scope) if isinstance(v, ast.FormattedValue) else {_constant(v)}
                for v in node.values
            ]
            return self._join(parts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._join([self.keys(node.left, scope), self.keys(node.right, scope)])
        if isinstance(node, ast.Name):
            return self._name(node.id, scope)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self._returns(node.func.id)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Dict)
        ):
            # {kind: "a.b", ...}.get(kind, "a.c")
            options = [*node.func.value.values, *node.args[1:]]
            return set().union(*(self.keys(v, scope) for v in options if v is not None))
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            return self._items(node.value.id, scope)
        return {HOLE}

    def _returns(self, name: str) -> set[str]:
        if name in self.module.functions:
            module, fn = self.module, self.module.functions[name]
        elif name in self.functions:
            module, fn = self.functions[name]
        else:
            return {HOLE}
        resolver = Resolver(module, self.wrapped, self.functions)
        resolver.depth = self.depth
        returns = [r.value for r in ast.walk(fn) if isinstance(r, ast.Return) and r.value]
        return set().union(*(resolver.keys(r, fn) for r in returns)) if returns else {HOLE}

    @staticmethod
    def _join(parts: list[set[str]]) -> set[str]:
        joined = {"".join(p) for p in itertools.product(*parts)}
        return {_squash(j) for j in joined}

    def _assigned(self, name: str, scope: ast.AST) -> list[ast.expr]:
        values: list[ast.expr] = []
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                values.append(node.value)
            elif isinstance(node, ast.Assign | ast.For | ast.comprehension) and not isinstance(
                getattr(node, "target", None), ast.Name
            ):
                # `category, key = EXAMPLES[i]`, `for i, (_, key) in enumerate(EXAMPLES)`
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                source = node.value if isinstance(node, ast.Assign) else node.iter
                for target in targets:
                    path = _path(target, name)
                    if path:
                        values.extend(
                            self._unpack(source, path, element=not isinstance(node, ast.Assign))
                        )
            elif (
                isinstance(node, ast.AnnAssign | ast.NamedExpr)
                and isinstance(node.target, ast.Name)
                and node.target.id == name
                and node.value is not None
            ):
                values.append(node.value)
            elif (
                isinstance(node, ast.For | ast.comprehension)
                and isinstance(node.target, ast.Name)
                and node.target.id == name
            ):
                values.extend(self._elements(node.iter))
        return values

    def _elements(self, node: ast.expr) -> list[ast.expr]:
        """The items of a sequence of literals (a module constant or written out)."""
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return list(node.elts)
        if isinstance(node, ast.Name):
            return [
                e for v in self._assigned(node.id, self.module.tree) for e in self._elements(v)
            ]
        return []

    def _unpack(self, source: ast.expr, path: list[int], *, element: bool) -> list[ast.expr]:
        if element:
            if (
                isinstance(source, ast.Call)
                and isinstance(source.func, ast.Name)
                and source.func.id == "enumerate"
                and path[0] == 1
            ):
                items = self._elements(source.args[0])
                path = path[1:]
            else:
                items = self._elements(source)
        elif isinstance(source, ast.Subscript):
            items = self._elements(source.value)
        else:
            items = [source]
        for index in path:
            items = [
                i.elts[index]
                for i in items
                if isinstance(i, ast.Tuple | ast.List) and index < len(i.elts)
            ]
        return items

    def _name(self, name: str, scope: ast.AST | None) -> set[str]:
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            if (scope.name, name) in self.wrapped:
                return set()
            values = self._assigned(name, scope)
            if values:
                return set().union(*(self.keys(v, scope) for v in values))
        values = [
            node.value
            for node in self.module.tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign)
            and node.value is not None
            and any(
                isinstance(t, ast.Name) and t.id == name
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            )
        ]
        return set().union(*(self.keys(v, None) for v in values)) if values else {HOLE}

    def _items(self, name: str, scope: ast.AST | None) -> set[str]:
        for value in self._assigned(name, scope or self.module.tree) or self._assigned(
            name, self.module.tree
        ):
            if isinstance(value, ast.Dict):
                return set().union(*(self.keys(v, scope) for v in value.values))
            if isinstance(value, ast.Tuple | ast.List):
                return set().union(*(self.keys(v, scope) for v in value.elts))
        return {HOLE}


def _path(target: ast.expr, name: str) -> list[int]:
    """Where name sits in a tuple target: `(_, (a, key))` → [1, 1]; [] when not there."""
    if isinstance(target, ast.Tuple | ast.List):
        for index, element in enumerate(target.elts):
            if isinstance(element, ast.Name) and element.id == name:
                return [index]
            inner = _path(element, name)
            if inner:
                return [index, *inner]
    return []


def _squash(key: str) -> str:
    while HOLE + HOLE in key:
        key = key.replace(HOLE + HOLE, HOLE)
    return key


@dataclass
class Found:
    """What the code looks up, and where the finder could not tell."""

    lookups: set[Lookup]
    keys: set[Use] = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)

    def literal(self) -> set[str]:
        """Exact message ids."""
        return {u.key for u in self.keys if HOLE not in u.key}

    def patterns(self) -> dict[str, set[str]]:
        """Ids with holes, and where they are built."""
        found: dict[str, set[str]] = {}
        for use in self.keys:
            if HOLE in use.key:
                found.setdefault(use.key, set()).add(use.where)
        return found


def _carries_key(node: ast.expr) -> bool:
    """`error.message_key`, `item.key`, `section.title_key`: made elsewhere, found there."""
    return isinstance(node, ast.Attribute) and node.attr in KEY_NAMES


def find() -> Found:
    """Every message id used in the code."""
    found_modules = modules()
    known = lookups(found_modules)
    found = Found(known)
    functions = {
        name: (module, fn) for module in found_modules for name, fn in module.functions.items()
    }
    for module in found_modules:
        wrapped: set[tuple[str, str]] = set()
        for call in _calls(module):
            fn = _enclosing(module, call)
            if fn is None:
                continue
            params = _params(module, fn)
            for lookup in _matches(call, known):
                passed = _wrapper(module, call, lookup, params)
                if passed is not None:
                    wrapped.add((fn.name, params[passed[0]]))
        resolver = Resolver(module, wrapped, functions)
        for call in _calls(module):
            fn = _enclosing(module, call)
            params = _params(module, fn) if fn is not None else []
            for lookup in _matches(call, known):
                if fn is not None and _wrapper(module, call, lookup, params) is not None:
                    continue
                arg = call.args[lookup.index]
                where = f"{module.name}:{call.lineno}"
                if _carries_key(arg):
                    continue
                for key in resolver.keys(arg, fn):
                    if key == HOLE:
                        found.unknown.append(f"{where} {ast.unparse(arg)}")
                    else:
                        found.keys.add(Use(_squash(lookup.prefix + key + lookup.suffix), where))
        for node in ast.walk(module.tree):
            for value in _key_values(node):
                where = f"{module.name}:{node.lineno}"  # type: ignore[attr-defined]
                for key in resolver.keys(value, _enclosing(module, node)):
                    if KEY.match(key.replace(HOLE, "x")):
                        found.keys.add(Use(key, where))
    return found


def _key_values(node: ast.AST) -> list[ast.expr]:
    """Values given to a `key`, `message_key` or `title_key` (assignment or keyword)."""
    if isinstance(node, ast.Assign):
        named = any(isinstance(t, ast.Name) and t.id in KEY_NAMES for t in node.targets)
        return [node.value] if named else []
    if (
        isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id in KEY_NAMES
        and node.value is not None
    ):
        return [node.value]
    if isinstance(node, ast.Call):
        return [k.value for k in node.keywords if k.arg in KEY_NAMES]
    return []


def pattern(key: str) -> re.Pattern[str]:
    """A regular expression for a key with holes."""
    return re.compile("^" + r"[a-z0-9_.]+".join(map(re.escape, key.split(HOLE))) + "$")
