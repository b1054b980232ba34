"""The metric query language of Datadog dashboards: its grammar, its vocabulary, and a parser.

One grammar serves both places a metrics query is written: a formulas-and-functions query (`queries[].query`,
one series) and a legacy request `q` (series combined by arithmetic, functions and commas).

    query        = expression { "," expression }
    expression   = term { ( "+" | "-" | "*" | "/" ) term }
    term         = [ "-" ] ( number | "(" expression ")" | call | series )
    call         = function "(" expression { "," ( expression | string | keyword ) } ")"
    keyword      = name "=" ( string | number | name )
    series       = [ aggregator [ "(" value-filter ")" ] ":" ] metric scope { method } [ grouping { method } ]
    value-filter = "v" ":" "v" comparison number { ( "and" | "AND" | "&&" ) "v" comparison number }
    scope        = "{" filter "}"
    filter       = condition { ( "," | "AND" | "OR" ) condition }
    condition    = [ "NOT" | "!" ] ( "(" filter ")" | tag-key [ "NOT" ] "IN" "(" tag { "," tag } ")" | tag | "*" )
    grouping     = "by" "{" tag-key { "," tag-key } "}"
    method       = "." in-query-function "(" [ argument { "," argument } ] ")"
    argument     = name | number | string

Tags are `key`, `key:value` (values may hold `:`, `/`, `.`, `*` wildcards, or be "quoted"), `$var` and
`key:$var.value`; spaces may surround every token. Keyword arguments are those of the algorithms
(`forecast(q, 'linear', 1, interval='60m', history='1w')`, `anomalies(q, 'basic', 2, direction='above')`,
the format Datadog documents for dashboards' JSON); string arguments of a method are those of a calendar
rollup (`.rollup(sum, monthly, 'America/Denver')`). Each in-query function takes the documented number of
arguments: none for `.as_count()`, `.as_rate()`, `.weighted()`; one or two for `.fill()`; one to four
for `.rollup()` (aggregator or interval; aggregator, interval; a calendar interval adds an alignment and a
time zone). The vocabulary below (space aggregators, in-query functions, the
arguments of `.rollup()` and `.fill()`, and the functions of a `q`) is Datadog's documented one, checked to
cover every query of the 577 dashboards Datadog ships.

The parser is recursive descent over regular-expression terminals (a grammar library costs more here than
the whole validation budget: lark's LALR parser takes about 100 microseconds a query, this one a few), and
`parse` caches its answer per query string, since dashboards repeat queries.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from metta_dash.rules.formula_syntax import FUNCTIONS, is_known_function

AGGREGATORS = frozenset({"avg", "sum", "min", "max", "count"})
_PERCENTILE = re.compile(r"p(?:[1-9]?[0-9](?:\.[0-9]+)?|100)")
IN_QUERY_FUNCTIONS = frozenset({"as_count", "as_rate", "rollup", "fill", "weighted"})
ROLLUP_AGGREGATORS = frozenset({"avg", "sum", "min", "max", "count"})
FILL_MODES = frozenset({"null", "zero", "linear", "last"})
ARGUMENT_COUNTS = {"as_count": (0, 0), "as_rate": (0, 0), "weighted": (0, 0), "fill": (1, 2), "rollup": (1, 4)}
MAX_DEPTH = 100  # nesting the parser follows before it gives up (Python's recursion limit is far beyond)


@dataclasses.dataclass(frozen=True, slots=True)
class SyntaxProblem:
    column: int  # 1-based, inside the query string
    expected: str
    found: str


@dataclasses.dataclass(frozen=True, slots=True)
class UnknownName:
    kind: str  # "aggregator", "function", "in-query function", "rollup aggregator", "fill mode"
    name: str
    column: int
    known: frozenset[str]


@dataclasses.dataclass(frozen=True, slots=True)
class Parsed:
    error: SyntaxProblem | None = None
    unknown: tuple[UnknownName, ...] = ()


_VALID = Parsed()
_AFTER_SERIES = re.compile(r"\s*(?:[-+*/,)]|$)")


class _Failure(Exception):
    def __init__(self, position: int, expected: str) -> None:
        self.position = position
        self.expected = expected


# The terminals. Each is matched at the current position after optional spaces.
_SPACE = re.compile(r"\s*")
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_STRING = re.compile(r"'[^']*'|\"[^\"]*\"")
_METRIC = re.compile(r"[A-Za-z_][\w.]*")
_AGGREGATOR = re.compile(r"([A-Za-z_]\w*)\s*(\(\s*v\s*:[^()]*\))?\s*:(?=\s*[A-Za-z_])")
_COMPARISON = r"v\s*(?:<=|>=|!=|==|<|>|=)\s*-?[\d.]+"
_VALUE_FILTER = re.compile(rf"\(\s*v\s*:\s*{_COMPARISON}(?:\s*(?:and|AND|&&)\s*{_COMPARISON})*\s*\)")
_CALL = re.compile(r"([A-Za-z_]\w*)\s*\((?!\s*v\s*:)")
_OPERATOR = re.compile(r"[-+*/]")
_TAG = re.compile(r"[^\s,{}()!\"]+(?:\"[^\"]*\")?|\"[^\"]*\"")
_TAG_KEY = re.compile(r"[^\s,{}()!:\"]+")
# The boolean keywords of a scope are accepted in either case (`AND`, `and`), as Datadog does.
_IN = re.compile(r"(?i:(NOT\s+)?IN)\s*\(")
_NOT = re.compile(r"(?i:NOT)(?:\s+|(?=\())|!")
_JOIN = re.compile(r",|(?i:AND|OR)(?=[\s(!$])")
_BY = re.compile(r"by\b")
_METHOD = re.compile(r"\.\s*([A-Za-z_]\w*)\s*\(")
_ARGUMENT = re.compile(r"[A-Za-z_]\w*|-?\d+\.?\d*|'[^']*'|\"[^\"]*\"")
_KEYWORD = re.compile(r"([A-Za-z_]\w*)\s*=(?!=)")
_KEYWORD_VALUE = re.compile(r"'[^']*'|\"[^\"]*\"|-?(?:\d+\.?\d*|\.\d+)|[A-Za-z_]\w*")
_KEYWORDS = frozenset({"and", "or", "not", "in"})


def _one_of(names: frozenset[str]) -> str:
    return "(?:" + "|".join(sorted(names)) + ")"


# Most series are plain (`sum:m{a:b,$c} by {d}.as_count()`) and use known names only. This pattern, built
# from the terminals above, accepts exactly those, so `parse` answers a query of one such series with one
# match, and the parser takes a whole plain series inside arithmetic or a function call at once (when what
# follows can only follow a complete series). Anything else (boolean scopes, unknown names, mistakes) goes
# through the grammar's productions.
_SIMPLE_CONDITION = r"!?(?!(?i:and|or|not|in)[\s,}])" + _TAG.pattern.split("|")[0]
_KNOWN_METHOD = (
    r"\.(?:as_count|as_rate|weighted)\(\)"
    rf"|\.rollup\((?:{_one_of(ROLLUP_AGGREGATORS)}(?:\s*,\s*\d+)?|\d+)\)"
    rf"|\.fill\((?:{_one_of(FILL_MODES)}|\d+)(?:\s*,\s*\d+)?\)"
)
_SIMPLE_SERIES = re.compile(
    rf"\s*(?:(?:{_one_of(AGGREGATORS)}|{_PERCENTILE.pattern}):)?{_METRIC.pattern}"
    rf"\{{\s*{_SIMPLE_CONDITION}(?:\s*,\s*{_SIMPLE_CONDITION})*\s*\}}(?:{_KNOWN_METHOD})*"
    rf"(?:\s+by\s*\{{\s*{_TAG_KEY.pattern}(?:\s*,\s*{_TAG_KEY.pattern})*\s*\}}(?:{_KNOWN_METHOD})*)?\s*"
)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0
        self.unknown: list[UnknownName] = []

    # --- helpers ---------------------------------------------------------------------------------------

    def skip(self) -> None:
        if self.text[self.pos:self.pos + 1].isspace():  # most tokens touch: skip the regex then
            self.pos = _SPACE.match(self.text, self.pos).end()

    def match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        self.skip()
        found = pattern.match(self.text, self.pos)
        if found is not None:
            self.pos = found.end()
        return found

    def literal(self, char: str) -> bool:
        self.skip()
        if self.text.startswith(char, self.pos):
            self.pos += len(char)
            return True
        return False

    def expect(self, char: str, expected: str) -> None:
        if not self.literal(char):
            raise _Failure(self.pos, expected)

    def name(self, kind: str, name: str, start: int, known: frozenset[str]) -> None:
        if name not in known and not (kind == "aggregator" and _PERCENTILE.fullmatch(name)) and not (
            kind == "function" and is_known_function(name)
        ):
            self.unknown.append(UnknownName(kind, name, start + 1, known))

    # --- the grammar -----------------------------------------------------------------------------------

    def query(self) -> None:
        self.expression()
        while self.literal(","):
            self.expression()
        self.skip()
        if self.pos < len(self.text):
            raise _Failure(self.pos, "an operator (+ - * /), ',' or the end of the query")

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RecursionError

    def expression(self) -> None:
        self.nest()
        self.term()
        while self.match(_OPERATOR):
            self.term()
        self.depth -= 1

    def term(self) -> None:
        self.literal("-")
        self.skip()
        if self.match(_NUMBER):
            return
        if self.literal("("):
            self.expression()
            self.expect(")", "')' or an operator")
            return
        call = self.match(_CALL)
        if call is not None:
            self.name("function", call.group(1), call.start(), FUNCTIONS)
            self.expression()
            while self.literal(","):
                keyword = self.match(_KEYWORD)
                if keyword is not None:
                    if not self.match(_KEYWORD_VALUE):
                        raise _Failure(self.pos, f"a value for {keyword.group(1)}= (a 'string' or a number)")
                elif not self.match(_STRING):
                    self.expression()
            self.expect(")", "',' or ')' closing the function call")
            return
        self.series()

    def series(self) -> None:
        self.skip()
        simple = _SIMPLE_SERIES.match(self.text, self.pos)
        if simple is not None and _AFTER_SERIES.match(self.text, simple.end()):
            self.pos = simple.end()
            return
        aggregator = _AGGREGATOR.match(self.text, self.pos)
        if aggregator is not None:
            self.name("aggregator", aggregator.group(1), aggregator.start(1), AGGREGATORS)
            value_filter = aggregator.group(2)
            if value_filter is not None and not _VALUE_FILTER.fullmatch(value_filter):
                raise _Failure(aggregator.start(2), "a value filter such as (v: v>=0)")
            self.pos = aggregator.end()
        if not self.match(_METRIC):
            raise _Failure(self.pos, "a metric name (or aggregator:metric, a number, a function or '(')")
        self.expect("{", "'{' opening the metric's scope (use {*} for all)")
        self.filter()
        self.expect("}", "',', AND, OR or '}' closing the scope")
        self.methods()
        if self.match(_BY):
            self.grouping()
            self.methods()

    def filter(self) -> None:
        self.nest()
        self.condition()
        while self.match(_JOIN):
            self.condition()
        self.depth -= 1

    def condition(self) -> None:
        self.match(_NOT)
        if self.literal("("):
            self.filter()
            self.expect(")", "',', AND, OR or ')'")
            return
        self.skip()
        start = self.pos
        tag = _TAG.match(self.text, self.pos)
        if tag is None or tag.group().lower() in _KEYWORDS:
            raise _Failure(start, "a tag filter (key:value, $variable or *)")
        key = _TAG_KEY.match(self.text, start)
        if key is not None and key.end() == tag.end() and self.text.startswith(" ", tag.end()):
            self.pos = tag.end()
            if self.match(_IN):
                self.tag_list()
                return
        self.pos = tag.end()

    def tag_list(self) -> None:
        while True:
            self.skip()
            if not self.match(_TAG):
                raise _Failure(self.pos, "a tag value")
            if not self.literal(","):
                break
        self.expect(")", "',' or ')' closing the IN list")

    def grouping(self) -> None:
        self.expect("{", "'{' after by: by {tag, ...}")
        while True:
            self.skip()
            start = self.pos
            if not self.match(_TAG_KEY):
                raise _Failure(start, "a tag key to group by")
            if not self.literal(","):
                break
        self.expect("}", "',' or '}' closing the grouping")

    def methods(self) -> None:
        while True:
            method = self.match(_METHOD)
            if method is None:
                return
            name = method.group(1)
            self.name("in-query function", name, method.start(1), IN_QUERY_FUNCTIONS)
            arguments = []
            self.skip()
            if not self.literal(")"):
                while True:
                    argument = self.match(_ARGUMENT)
                    if argument is None:
                        raise _Failure(self.pos, f"an argument of .{name}()")
                    arguments.append(argument)
                    if not self.literal(","):
                        break
                self.expect(")", f"',' or ')' closing .{name}(")
            self._check_argument_count(name, arguments, method.end())
            self._check_first_argument(name, arguments)

    def _check_argument_count(self, name: str, arguments: list[re.Match[str]], opened: int) -> None:
        fewest, most = ARGUMENT_COUNTS.get(name, (0, len(arguments)))
        if fewest <= len(arguments) <= most:
            return
        if len(arguments) > most:
            raise _Failure(arguments[most].start(), "')': " + _takes(name, fewest, most))
        raise _Failure(opened, "an argument: " + _takes(name, fewest, most))

    def _check_first_argument(self, name: str, arguments: list[re.Match[str]]) -> None:
        known = {"rollup": ROLLUP_AGGREGATORS, "fill": FILL_MODES}.get(name)
        if known and arguments and not arguments[0].group()[0].isdigit() and arguments[0].group()[0] != "-":
            kind = "rollup aggregator" if name == "rollup" else "fill mode"
            self.name(kind, arguments[0].group(), arguments[0].start(), known)


def _takes(name: str, fewest: int, most: int) -> str:
    if most == 0:
        return f".{name}() takes no argument"
    return f".{name}() takes {fewest} {'or' if most == fewest + 1 else 'to'} {most} arguments"


@functools.lru_cache(maxsize=16384)
def parse(query: str) -> Parsed:
    """Parse one metrics query: its first syntax error, and the unknown names it uses (cached per string)."""
    if _SIMPLE_SERIES.fullmatch(query):
        return _VALID
    return parse_fully(query)


def parse_fully(query: str) -> Parsed:
    """`parse` through the grammar's productions alone, without the plain-series shortcut."""
    parser = _Parser(query)
    try:
        parser.query()
    except RecursionError:  # thousands of nested parentheses: no dashboard means that
        return Parsed(SyntaxProblem(1, f"at most {MAX_DEPTH} nested parentheses or calls", "deeper nesting"))
    except _Failure as failure:
        found = query[failure.position:failure.position + 12]
        shown = repr(found + "...") if len(query) > failure.position + 12 else (repr(found) if found else "")
        problem = SyntaxProblem(failure.position + 1, failure.expected, shown or "the end of the query")
        return Parsed(problem, tuple(parser.unknown))
    return Parsed(None, tuple(parser.unknown))
