# SPDX-License-Identifier: GPL-3.0-or-later
"""The Python half of MemScope's step runner, run inside the embedded interpreter.

The C++ side (pythonbackend.cpp) drives a run: `plan()` parses the source
and compiles each top-level statement on its own, then C++ executes each
compiled statement once in `__main__` and asks `describe_exception()` how
it ended. Statements come from the AST with their exact source ranges, so
two statements on one line are two steps and nothing runs twice.

MemScope's own work here runs while the interpreter's builtins are the ones
it started with (C++ swaps the user's back in only around user code), so
`del builtins.compile` breaks the user's code, never this file.
"""
import ast
import codeop
import importlib.util
import os
import sys
import traceback


class Runner:
    """Plans statements, keeps the console's unfinished block, formats errors."""

    def __init__(self, main_module, stdout, stderr):
        self._main = main_module
        self._stdout = stdout
        self._stderr = stderr
        self._planned = []
        self.reset()

    # -- namespace ----------------------------------------------------------

    def reset(self):
        """A fresh `__main__` namespace, as a new interpreter would have."""
        import builtins
        ns = self._main.__dict__
        ns.clear()
        ns.update(__name__="__main__", __doc__=None, __package__=None, __loader__=None, __spec__=None,
                  __builtins__=builtins)
        self._compiler = codeop.CommandCompiler()  # keeps the console's __future__ flags
        self._flags = 0                            # __future__ flags of scripts run so far
        self._buffer = []
        self._planned = []

    def enter_script(self, filename, argv):
        """What `python script.py` sets up: __file__, sys.argv, the script's folder on sys.path."""
        path = os.path.abspath(filename)
        self._main.__dict__["__file__"] = path
        self._main.__dict__["__cached__"] = None
        sys.argv = [filename] + list(argv)
        folder = os.path.dirname(os.path.realpath(filename))
        if not sys.path or sys.path[0] != folder:
            sys.path.insert(0, folder)

    def restore_streams(self):
        """Puts the runner's streams back if user code replaced them.

        Called at the start of every run (a console line, a script): output
        sent to a replacement goes there for the rest of that run, as under
        `python`; the next run writes to MemScope again.
        """
        replaced = []
        if sys.stdout is not self._stdout:
            sys.stdout = self._stdout
            replaced.append("sys.stdout")
        if sys.stderr is not self._stderr:
            sys.stderr = self._stderr
            replaced.append("sys.stderr")
        if replaced:
            self._stderr.write("MemScope: %s had been replaced; MemScope's stream is back.\n"
                               % " and ".join(replaced))

    # -- console input ------------------------------------------------------

    def push_line(self, line):
        """Adds one console line; returns the complete block's source, or None while it is open."""
        self._buffer.append(line)
        source = "\n".join(self._buffer)
        try:
            code = self._compiler(source, "<console>", "single")
        except (SyntaxError, ValueError, OverflowError):
            code = True  # complete, and wrong: plan() reports it
        if code is None:
            return None
        self._buffer = []
        return source

    def cancel_input(self):
        self._buffer = []

    # -- planning -----------------------------------------------------------

    def plan(self, source, filename, console):
        """Parses and compiles `source`; returns [(line, col, end_line, end_col, text)], one per statement.

        `source` is bytes for a script (decoded as Python decodes a file:
        BOM, `# coding:` line, else UTF-8) and text for the console. Raises
        SyntaxError (or UnicodeDecodeError) when it does not compile: then
        nothing may run.
        """
        self._planned = []
        if isinstance(source, bytes):
            text = importlib.util.decode_source(source)
        else:
            text = source
        flags = (self._compiler.compiler.flags if console else self._flags) & _FUTURE_FLAGS
        tree = compile(text, filename, "exec", ast.PyCF_ONLY_AST | flags, dont_inherit=True)
        lines = text.encode("utf-8", "surrogatepass").splitlines(keepends=True)
        planned, ranges = [], []
        for node in tree.body:
            if console:
                code = compile(ast.Interactive(body=[node]), filename, "single", flags, dont_inherit=True)
            else:
                code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec", flags, dont_inherit=True)
            flags |= code.co_flags & _FUTURE_FLAGS  # `from __future__ import ...` holds for what follows
            line, col = node.lineno, node.col_offset
            for d in getattr(node, "decorator_list", ()):
                if (d.lineno, d.col_offset - 1) < (line, col):
                    line, col = d.lineno, d.col_offset - 1  # the '@'
            planned.append(code)
            ranges.append((line, col, node.end_lineno, node.end_col_offset,
                           _segment(lines, line, col, node.end_lineno, node.end_col_offset)))
        if console:
            self._compiler.compiler.flags |= flags
        else:
            self._flags = flags
        self._planned = planned
        return ranges

    def code_of(self, i):
        return self._planned[i]

    def format_syntax_error(self, etype, value):
        return "".join(traceback.format_exception_only(etype, value))

    # -- how a statement ended ----------------------------------------------

    def describe_exception(self, etype, value, tb, console):
        """(status, text, exit code) for an exception that ended a statement.

        The traceback goes to MemScope's own stderr, so it is shown even when
        user code set sys.stderr to None.
        """
        if isinstance(value, SystemExit):
            code, message = _exit_status(value)
            if console:
                text = "SystemExit(%r) ignored: the console stays open.\n" % (value.code,)
                self._stderr.write(text)
                return ("error", text, code)
            if message:
                self._stderr.write(message + "\n")
            return ("exited", message, code)
        sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb  # for pdb.pm()
        try:
            text = "".join(traceback.format_exception(etype, value, tb))
        except BaseException as e:  # a broken __str__ or __repr__ must not hide what happened
            text = "%s (its traceback could not be formatted: %s)\n" % (_type_name(etype), _type_name(type(e)))
        self._stderr.write(text)
        return ("interrupted" if isinstance(value, KeyboardInterrupt) else "error", text, 1)

    # -- completion and versions --------------------------------------------

    def complete(self, text):
        """Completions for the text before the cursor: jedi when present, rlcompleter otherwise."""
        namespace = self._main.__dict__
        try:
            import jedi  # noqa: optional
            script = jedi.Interpreter(text, [namespace])
            prefix = text[: len(text) - len(_word_at_end(text))]
            return [prefix + _word_at_end(text) + c.complete for c in script.complete()][:200]
        except ImportError:
            pass
        except Exception:  # jedi can fail on odd input; fall back
            pass
        import rlcompleter
        completer = rlcompleter.Completer(namespace)
        word = _word_at_end(text)
        prefix = text[: len(text) - len(word)]
        out = []
        for state in range(200):
            try:
                match = completer.complete(word, state)
            except Exception:
                break
            if match is None:
                break
            out.append(prefix + match)
        return out


def _future_flags():
    import __future__
    flags = 0
    for name in __future__.all_feature_names:
        flags |= getattr(__future__, name).compiler_flag
    return flags


_FUTURE_FLAGS = _future_flags()


def _segment(lines, line, col, end_line, end_col):
    """The source text from (line, col) to (end_line, end_col); columns are UTF-8 byte offsets."""
    if line == end_line:
        chunk = lines[line - 1][col:end_col]
    else:
        chunk = lines[line - 1][col:] + b"".join(lines[line:end_line - 1]) + lines[end_line - 1][:end_col]
    return chunk.decode("utf-8", "replace")


def _exit_status(e):
    """Python's own rule: None is 0, an int is itself, anything else is printed and is 1."""
    code = e.code
    if code is None:
        return 0, ""
    if isinstance(code, int):
        return code, ""
    try:
        return 1, str(code)
    except BaseException:
        return 1, "<unprintable exit value>"


def _type_name(t):
    try:
        return t.__qualname__
    except BaseException:
        return "exception"


def _word_at_end(text):
    i = len(text)
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_."):
        i -= 1
    return text[i:]


def assignments(source):
    """[(name, [referenced names])] for the names a statement binds.

    `t = torch.tensor(a)` gives [("t", ["torch", "a"])]; `a[0] = 1` binds
    nothing. Unparseable source gives [].
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    out = {}
    for node in ast.walk(tree):
        targets, value = [], None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            targets, value = [node.target], node.value
        elif isinstance(node, ast.NamedExpr):
            targets, value = [node.target], node.value
        else:
            continue
        referenced = []
        for sub in ast.walk(value):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load) and sub.id not in referenced:
                referenced.append(sub.id)
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            referenced.insert(0, node.target.id)
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    out[sub.id] = referenced
    return list(out.items())


def versions():
    """'Python 3.11.2 (/path/python)' and each framework's installed version,
    read from package metadata: nothing is imported for it."""
    from importlib import metadata
    lines = ["Python %s (%s)" % (sys.version.split()[0], sys.executable)]
    for dist, name in (("numpy", "NumPy"), ("torch", "PyTorch"), ("tensorflow-cpu", "TensorFlow"),
                       ("tensorflow", "TensorFlow"), ("jax", "JAX"), ("cupy", "CuPy")):
        if any(line.startswith(name + " ") for line in lines):
            continue
        try:
            lines.append("%s %s" % (name, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            pass
    return "\n".join(lines)


def drain():
    """Does nothing; calling it raises a pending asynchronous KeyboardInterrupt (see pythonbackend.cpp)."""
