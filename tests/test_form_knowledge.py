"""Form knowledge lives in salesxl/forms/ only: no other module picks out a form,
a table or a field by spelling its id or key as a string.

Code outside forms/ names them with the enums of `salesxl.forms.keys`
(`FormId.DAILY_REPORT`, `TableKey.DAILY`, `record[Role.AMOUNT]`), or asks the
description (`field.type`, `choice.visit`, `form.progress`).

The rule, and why it raises no false alarms on the same words used for
something else (a summary column "date", a settings cell "roster", a split
method "workdays"): a string literal that spells a form id, a table key or a
field key fails only where it *selects* a form, table or field —

1. a form id compared (``==``, ``!=``, ``in``, ``not in``, SQL ``.in_()``) with
   something called ``form_id``, ``form`` or ``id`` (``data.form_id == "roster"``),
   passed as ``form_id=``/``form=``, or looked up with ``get_form``/``FORMS``;
2. a table key given to ``.records()``/``.table()``, or used as a key of ``.tables``;
3. a field key given to ``.column()``/``.field()``/``.header_field()`` of form
   data, used as a key of form data (``record["amount"]``, ``header.get("rep_name")``,
   ``"amount" in record``), or compared with the ``.key`` of a field.

*Form data* is what the form API hands out, followed through the module by
name: the results of ``.records(...)``, ``.header``, ``.tables``, ``.fields``,
``.values``, ``.main_table``, ``.column(...)`` and the form constants, every
name assigned from or looping over them (``for r in data.records(...)``), and
every name annotated with a form type (``FormData``, ``TableData``, ``Field``,
``Form``, ``Table`` from salesxl, or ``Record``).  So ``sheet.column("date")``
on a summary sheet and ``found["roster"]`` on a settings dict pass, while the
same words on a record fail.  Code that hides records behind an unannotated
name escapes the test: annotate it with ``Record``.
"""

from __future__ import annotations

import ast
import itertools
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from salesxl.forms import FORMS

PACKAGE = Path(__file__).resolve().parents[1] / "salesxl"

FORM_IDS = frozenset(FORMS)
TABLE_KEYS = frozenset(t.key for f in FORMS.values() for t in f.tables)
FIELD_KEYS = frozenset(
    field.key
    for form in FORMS.values()
    for field in (*form.header, *(f for t in form.tables for f in t.fields))
)
KEYS = FORM_IDS | TABLE_KEYS | FIELD_KEYS

# What the form API hands out (attributes read, methods called).
_SOURCE_ATTRIBUTES = frozenset({"records", "header", "tables", "fields", "values", "main_table"})
_SOURCE_METHODS = frozenset({"records", "column", "table", "field", "header_field", "get_form"})
_FORM_TYPES = frozenset({"FormData", "TableData", "Field", "Form", "Table"})
# Calls whose result holds what their arguments hold.
_PASS_THROUGH = frozenset(
    {"sorted", "list", "tuple", "set", "reversed", "enumerate", "zip", "iter"}
)
_MAPPING_METHODS = frozenset({"get", "pop", "setdefault", "items", "values", "copy"})


@dataclass(frozen=True)
class Finding:
    line: int
    text: str
    why: str


def _dotted(node: ast.AST) -> str | None:
    """`name` or `self.attr`: what the module follows form data through."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


def _last_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _strings(node: ast.AST) -> list[str]:
    """A string constant, or the strings of a tuple/list/set display of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [s for e in node.elts for s in _strings(e)]
    if isinstance(node, ast.Call) and _last_name(node.func) in ("frozenset", "set") and node.args:
        return _strings(node.args[0])
    return []


class _Module:
    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.form_names = {"Record"}  # names of form types and constants imported here
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                ("salesxl.forms", "salesxl.validate")
            ):
                for alias in node.names:
                    name = alias.asname or alias.name
                    if alias.name in _FORM_TYPES or alias.name.isupper():
                        self.form_names.add(name)
        self.findings: list[Finding] = []

    # -- which expressions are form data ------------------------------------------------

    def form_data(self, node: ast.AST, tainted: set[str]) -> bool:
        if isinstance(node, ast.Name):
            return node.id in tainted or node.id in self.form_names
        if isinstance(node, ast.Attribute):
            dotted = _dotted(node)
            if (dotted is not None and dotted in tainted) or node.attr in _SOURCE_ATTRIBUTES:
                return True
            return self.form_data(node.value, tainted)
        if isinstance(node, ast.Subscript):
            return self.form_data(node.value, tainted)
        if isinstance(node, ast.Starred):
            return self.form_data(node.value, tainted)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                if func.attr in _SOURCE_METHODS and (func.attr != "records" or node.args):
                    return True
                if func.attr in _MAPPING_METHODS:
                    return self.form_data(func.value, tainted)
                return False
            if isinstance(func, ast.Name) and func.id in _PASS_THROUGH:
                return any(self.form_data(a, tainted) for a in node.args)
            return isinstance(func, ast.Name) and func.id == "get_form"
        if isinstance(node, ast.IfExp):
            return self.form_data(node.body, tainted) or self.form_data(node.orelse, tainted)
        if isinstance(node, ast.BoolOp):
            return any(self.form_data(v, tainted) for v in node.values)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return self.form_data(node.elt, tainted | self._comprehension_names(node, tainted))
        if isinstance(node, ast.DictComp):
            return self.form_data(node.value, tainted | self._comprehension_names(node, tainted))
        return False

    def _comprehension_names(self, node: ast.AST, tainted: set[str]) -> set[str]:
        names: set[str] = set()
        for gen in getattr(node, "generators", ()):
            if self.form_data(gen.iter, tainted | names):
                names |= self._targets(gen.target)
        return names

    def _targets(self, target: ast.AST) -> set[str]:
        dotted = _dotted(target)
        if dotted is not None:
            return {dotted}
        if isinstance(target, (ast.Tuple, ast.List)):
            return {n for e in target.elts for n in self._targets(e)}
        if isinstance(target, ast.Starred):
            return self._targets(target.value)
        return set()

    def _annotated(self, annotation: ast.AST | None) -> bool:
        return annotation is not None and any(
            isinstance(n, ast.Name) and n.id in self.form_names for n in ast.walk(annotation)
        )

    def taint(self, scope: ast.AST, start: set[str]) -> set[str]:
        """Every name of `scope` that holds form data (followed until nothing changes)."""
        tainted = set(start)
        while True:
            before = len(tainted)
            for node in ast.walk(scope):
                if isinstance(node, ast.arg) and self._annotated(node.annotation):
                    tainted.add(node.arg)
                elif isinstance(node, ast.AnnAssign) and self._annotated(node.annotation):
                    tainted |= self._targets(node.target)
                elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
                    value = node.value
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        tainted |= self._assigned(target, value, tainted)
                elif isinstance(node, (ast.For, ast.comprehension)) and self.form_data(
                    node.iter, tainted
                ):
                    tainted |= self._targets(node.target)
            if len(tainted) == before:
                return tainted

    def _assigned(self, target: ast.AST, value: ast.AST | None, tainted: set[str]) -> set[str]:
        if value is None:
            return set()
        if (
            isinstance(target, ast.Tuple)
            and isinstance(value, ast.Tuple)
            and len(target.elts) == len(value.elts)
        ):
            return {
                n
                for t, v in zip(target.elts, value.elts, strict=True)
                for n in self._assigned(t, v, tainted)
            }
        return self._targets(target) if self.form_data(value, tainted) else set()

    # -- what selects a form, table or field by its string -------------------------------

    def flag(self, node: ast.AST, why: str) -> None:
        self.findings.append(Finding(getattr(node, "lineno", 0), ast.unparse(node), why))

    def check(self, scope: ast.AST, tainted: set[str]) -> None:
        for node in ast.walk(scope):
            if isinstance(node, ast.Subscript):
                self._key_use(node, node.value, node.slice, tainted)
            elif isinstance(node, ast.Call):
                self._call(node, tainted)
            elif isinstance(node, ast.Compare):
                self._compare(node, tainted)

    def _key_use(self, node: ast.AST, mapping: ast.AST, key: ast.AST, tainted: set[str]) -> None:
        words = [s for s in _strings(key) if s in KEYS]
        if not words or not self.form_data(mapping, tainted):
            return
        if _last_name(mapping) == "tables" or words[0] in FIELD_KEYS | TABLE_KEYS:
            self.flag(node, f"selects {words[0]!r} of form data by its string")
        elif words[0] in FORM_IDS:
            self.flag(node, f"looks up form {words[0]!r} by its string")

    def _call(self, node: ast.Call, tainted: set[str]) -> None:
        func = node.func
        for kw in node.keywords:
            if kw.arg in ("form_id", "form") and any(s in FORM_IDS for s in _strings(kw.value)):
                self.flag(node, f"passes form {_strings(kw.value)[0]!r} as a string")
        named = isinstance(func, ast.Name) and func.id == "get_form" and node.args
        if named and any(s in FORM_IDS for s in _strings(node.args[0])):
            self.flag(node, "looks up a form by its id string")
        if not isinstance(func, ast.Attribute) or not node.args:
            return
        first = [s for s in _strings(node.args[0]) if s in KEYS]
        if func.attr in _MAPPING_METHODS and first:
            self._key_use(node, func.value, node.args[0], tainted)
        elif func.attr in ("records", "table") and any(s in TABLE_KEYS for s in first):
            self.flag(node, f"selects table {first[0]!r} by its string")
        elif func.attr in ("column", "field", "header_field") and first:
            if self.form_data(func.value, tainted):
                self.flag(node, f"selects field {first[0]!r} by its string")
        elif (
            func.attr == "in_"
            and _last_name(func.value) == "form_id"
            and any(s in FORM_IDS for s in _strings(node.args[0]))
        ):
            self.flag(node, "compares form ids as strings")

    def _compare(self, node: ast.Compare, tainted: set[str]) -> None:
        sides = [node.left, *node.comparators]
        for (left, right), op in zip(itertools.pairwise(sides), node.ops, strict=True):
            if not isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
                continue
            for literal, other in ((left, right), (right, left)):
                words = _strings(literal)
                if not words:
                    continue
                name = _last_name(other)
                if name in ("form_id", "form", "id") and any(w in FORM_IDS for w in words):
                    self.flag(node, f"compares {name} with form id strings")
                elif (
                    name == "key"
                    and isinstance(other, ast.Attribute)
                    and self.form_data(other.value, tainted)
                    and any(w in FIELD_KEYS | TABLE_KEYS for w in words)
                ):
                    self.flag(node, "compares a field's key with a string")
                elif (
                    isinstance(op, (ast.In, ast.NotIn))
                    and literal is left
                    and any(w in KEYS for w in words)
                    and self.form_data(other, tainted)
                ):
                    self.flag(node, f"tests form data for {words[0]!r} by its string")


def findings(source: str) -> list[Finding]:
    """What the rule finds in one module's source."""
    tree = ast.parse(source)
    module = _Module(tree)
    top = [n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    module_names = module.taint(ast.Module(body=top, type_ignores=[]), set())
    module.check(ast.Module(body=top, type_ignores=[]), module_names)
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            attributes = module.taint(node, module_names)  # self.x assigned in any method
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    module.check(item, module.taint(item, attributes))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            module.check(node, module.taint(node, module_names))
    unique = {(f.line, f.text): f for f in module.findings}
    return sorted(unique.values(), key=lambda f: f.line)


def _modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if p.relative_to(PACKAGE).parts[0] != "forms"]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_form_id_or_field_key_spelled_outside_forms(path: Path) -> None:
    found = findings(path.read_text(encoding="utf-8"))
    assert not found, (
        f"{path.relative_to(PACKAGE)} names forms, tables or fields by their strings; use "
        "FormId / TableKey / Role from salesxl.forms (or ask the form description):\n"
        + "\n".join(f"  line {f.line}: {f.text}  ({f.why})" for f in found)
    )


# The rule itself, on small modules: what it must catch, and the look-alikes it must leave.
CAUGHT = {
    "record subscript": """
        def f(data):
            for r in data.records(TableKey.DAILY):
                total = r["amount"]
    """,
    "records by table string": """
        def f(data):
            return data.records("reps")
    """,
    "column by string": """
        from salesxl.validate import TableData

        def f(table: TableData):
            return table.column("date")
    """,
    "header get": """
        def f(data):
            return data.header.get("rep_name")
    """,
    "annotated record": """
        def f(rows: list[Record]):
            return [row["customer"] for row in rows]
    """,
    "form id compare": """
        def f(data):
            return data.form_id == "daily_report"
    """,
    "form id in tuple": """
        def f(row):
            return row.form in ("daily_report", "weekly_plan")
    """,
    "form id in SQL": """
        def f(c):
            return c.form_id.in_(("daily_report", "monthly_plan"))
    """,
    "field key compare": """
        def f(table):
            for field in table.fields:
                if field.key == "product":
                    return field
    """,
    "field key via attribute": """
        class Checker:
            def __init__(self, table):
                self.mapped = [f for f in table.fields]
            def run(self, j):
                f = self.mapped[j]
                return f.key == "rep_id"
    """,
    "tables membership": """
        def f(data):
            return "daily" in data.tables
    """,
    "FORMS lookup": """
        from salesxl.forms import FORMS
        FORM = FORMS["roster"]
    """,
    "form keyword": """
        def f(path):
            return FormJob(path, form_id="roster", header={}, rows={})
    """,
}
LEFT_ALONE = {
    "summary column": """
        def f(summary):
            sheet = summary.sheet("by_rep")
            return sheet.column("name"), sheet.records()[0]["date"]
    """,
    "settings dict": """
        def f(found):
            return found["roster"], found["targets"]
    """,
    "choice code": """
        def f(method):
            return method == "workdays" or method == "weights"
    """,
    "level argument": """
        def f(level):
            return "team" if level == "team" else "region"
    """,
    "sql column": """
        def f(table):
            return table.c.get("rep_id")
    """,
    "enum use": """
        def f(data):
            return [r[Role.AMOUNT] for r in data.records(TableKey.DAILY)]
    """,
    "building a row": """
        ROW = {"date": 1, "amount": 2.0}
    """,
}


@pytest.mark.parametrize("source", CAUGHT.values(), ids=list(CAUGHT))
def test_rule_catches(source: str) -> None:
    assert findings(textwrap.dedent(source)), "the rule should have caught this"


@pytest.mark.parametrize("source", LEFT_ALONE.values(), ids=list(LEFT_ALONE))
def test_rule_leaves_look_alikes_alone(source: str) -> None:
    assert findings(textwrap.dedent(source)) == []
