"""The same task in each framework, side by side: the code of Versus's framework benchmark
apps (`bench/frameworks/<framework>/`), read from the very files the benchmark runs.

Each app marks a task's code with comment lines `[task:<name>]` … `[/task:<name>]` (in
Python `# [task:json]`, in templates `{# [task:fortunes] #}`); a task may span several files
(a view and its template). `task_code()` collects them per framework and highlights them
with Pygments on the server. Read once per process: the files only change with a deploy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_for_filename
from pygments.util import ClassNotFound

APPS_DIR = Path(settings.BASE_DIR) / "bench" / "frameworks"
MARK = re.compile(r"\[(/?)task:([a-z-]+)\]")
SKIPPED_DIRS = {".venv", "__pycache__", "node_modules"}
CODE_SUFFIXES = {".py", ".html", ".jinja", ".jinja2", ".txt", ".json", ".toml", ".cfg"}


@dataclass(frozen=True)
class Task:
    slug: str
    name: str
    description: str
    benchmark_test: str  # the test of the benchmark suite that runs this code


TASKS = [
    Task("setup", "The application", "Creating the app, connecting to the database and "
         "declaring the two tables: the code every other task leans on.", ""),
    Task("plaintext", "Plain text", "Answer `Hello, World!` as text/plain: the framework's "
         "routing and response path and nothing else.", "plaintext"),
    Task("json", "JSON serialisation", "Serialise a small object to JSON on every request "
         "through the framework's usual JSON response.", "json"),
    Task("db", "One database query", "Read one random row by primary key and return it as "
         "JSON: the ORM or query layer, one round trip.", "db"),
    Task("queries", "Several queries", "Read N random rows, one query each (N from the query "
         "string, clamped to 1–500), and return them as a JSON array.", "queries"),
    Task("fortunes", "A template with escaping", "Read every fortune, add one at request "
         "time, sort them and render an HTML table through the framework's template engine, "
         "escaping what must be escaped.", "fortunes"),
    Task("updates", "Updates", "Read N random rows one by one, give each a new random number "
         "and write them back, then return them as JSON.", "updates"),
]  # fmt: skip
TASKS_BY_SLUG = {task.slug: task for task in TASKS}
# Features whose cells a task's code illustrates: the cell page links to it.
FEATURE_TASKS = {"orm": "db", "html-templates": "fortunes", "request-validation": "queries"}


@dataclass(frozen=True)
class Excerpt:
    """One marked region of one file."""

    path: str  # relative to bench/frameworks/<framework>/
    code: str
    html: SafeString

    @property
    def line_count(self):
        return sum(1 for line in self.code.splitlines() if line.strip())


@dataclass(frozen=True)
class FrameworkCode:
    framework: str  # the app folder's name: a framework slug
    excerpts: tuple[Excerpt, ...]

    @property
    def line_count(self):
        return sum(excerpt.line_count for excerpt in self.excerpts)


def app_folders(root: Path | None = None) -> list[Path]:
    root = root or APPS_DIR
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "servers.json").is_file())


def source_files(folder: Path):
    for path in sorted(folder.rglob("*")):
        if (
            path.is_file()
            and path.suffix in CODE_SUFFIXES
            and not (SKIPPED_DIRS & set(path.relative_to(folder).parts))
        ):
            yield path


def regions(text: str) -> dict[str, list[str]]:
    """Each task's code in one file: the lines between its markers (markers dropped)."""
    found: dict[str, list[str]] = {}
    open_tasks: dict[str, list[str]] = {}
    for line in text.splitlines():
        mark = MARK.search(line)
        if mark:
            closing, name = mark.groups()
            if closing:
                lines = open_tasks.pop(name, None)
                if lines is not None:
                    found.setdefault(name, []).append(dedent(lines))
            else:
                open_tasks[name] = []
            continue
        for lines in open_tasks.values():
            lines.append(line)
    return {name: ["\n".join(block).strip("\n") for block in blocks if block]
            for name, blocks in found.items()}  # fmt: skip


def dedent(lines):
    widths = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(widths, default=0)
    return [line[cut:] for line in lines]


def highlighted(path: str, code: str) -> SafeString:
    try:
        lexer = get_lexer_for_filename(path, code)
    except ClassNotFound:
        lexer = get_lexer_for_filename("x.txt")
    # Pygments escapes the code; classes only (the stylesheet is static/css/code.css).
    return mark_safe(highlight(code, lexer, HtmlFormatter(cssclass="code", wrapcode=True)))


@lru_cache(maxsize=4)
def task_code(root: Path | None = None) -> dict[str, list[FrameworkCode]]:
    """Every task's code per framework: {task slug: [FrameworkCode, ...]} in app order."""
    collected: dict[str, dict[str, list[Excerpt]]] = {}
    for folder in app_folders(root):
        for path in source_files(folder):
            relative = str(path.relative_to(folder))
            for name, blocks in regions(path.read_text(encoding="utf-8")).items():
                for code in blocks:
                    excerpt = Excerpt(relative, code, highlighted(relative, code))
                    collected.setdefault(name, {}).setdefault(folder.name, []).append(excerpt)
    return {
        name: [FrameworkCode(framework, tuple(excerpts)) for framework, excerpts in by.items()]
        for name, by in collected.items()
    }
