# SPDX-License-Identifier: GPL-3.0-or-later
"""The Python half of MemScope's console, run inside the embedded interpreter.

Multi-line input is decided by Python's own `code` module; tracebacks are
formatted by `traceback`; what a statement binds is read from its AST.
"""
import ast
import code
import sys
import traceback


class Console(code.InteractiveConsole):
    """An InteractiveConsole that records what happened to each statement."""

    def __init__(self, namespace, stdout, stderr):
        super().__init__(namespace, filename="<console>")
        self._stdout = stdout
        self._stderr = stderr
        self._reset_status()

    def _reset_status(self):
        self.error = None          # traceback text of the last statement, or None
        self.interrupted = False   # the last statement ended in KeyboardInterrupt
        self.last_source = None    # the complete statement that was compiled

    def write(self, data):
        sys.stderr.write(data)

    def restore_streams(self):
        """Puts the console's streams back if user code replaced them.

        Output written to a replacement during one statement goes where the
        user sent it; the next statement writes to the console again.
        """
        replaced = []
        if sys.stdout is not self._stdout:
            sys.stdout = self._stdout
            replaced.append("sys.stdout")
        if sys.stderr is not self._stderr:
            sys.stderr = self._stderr
            replaced.append("sys.stderr")
        if replaced:
            self._stderr.write("MemScope: %s had been replaced; the console's stream is back.\n"
                               % " and ".join(replaced))

    def showtraceback(self):
        etype, value, tb = sys.exc_info()
        self.interrupted = isinstance(value, KeyboardInterrupt)
        # Drop the console's own frame (runcode) so the traceback starts at user code.
        lines = traceback.format_exception(etype, value, tb.tb_next if tb else None)
        self.error = "".join(lines)
        self.write(self.error)

    def showsyntaxerror(self, filename=None):
        etype, value, _ = sys.exc_info()
        if filename and isinstance(value, SyntaxError):
            value.filename = filename
        self.error = "".join(traceback.format_exception_only(etype, value))
        self.write(self.error)

    def runsource(self, source, filename="<input>", symbol="single"):
        # Blank lines and comments run nothing: no statement, no new step.
        self.last_source = source if _has_statements(source) else None
        return super().runsource(source, filename, symbol)

    def push_line(self, line):
        """Feeds one console line; returns True while the statement is incomplete."""
        self._reset_status()
        self.restore_streams()
        try:
            return self.push(line)
        except SystemExit as e:
            self._ended_by("SystemExit(%r) ignored: the console stays open.\n" % (e.code,))
        except KeyboardInterrupt:
            # Arrived between compiling and running, outside runcode's handler.
            self.interrupted = True
            self._ended_by("KeyboardInterrupt\n")
        return False

    def run_block(self, source, filename, first_line=1):
        """Runs a whole block as one step; tracebacks name `filename` and its lines."""
        self._reset_status()
        self.restore_streams()
        self.last_source = source
        padded = "\n" * (first_line - 1) + source
        try:
            compiled = compile(padded, filename, "exec")
        except (SyntaxError, ValueError, OverflowError):
            self.showsyntaxerror(filename)
            return
        try:
            exec(compiled, self.locals)
        except SystemExit as e:
            self._ended_by("SystemExit(%r) ignored: MemScope stays open.\n" % (e.code,))
        except BaseException:
            self.showtraceback()

    def _ended_by(self, message):
        self.resetbuffer()
        self.error = message
        self.write(message)

    def complete(self, text):
        """Completions for the text before the cursor: jedi when present, rlcompleter otherwise."""
        try:
            import jedi  # noqa: optional
            script = jedi.Interpreter(text, [self.locals])
            prefix = text[: len(text) - len(_word_at_end(text))]
            return [prefix + _word_at_end(text) + c.complete for c in script.complete()][:200]
        except ImportError:
            pass
        except Exception:  # jedi can fail on odd input; fall back
            pass
        import rlcompleter
        completer = rlcompleter.Completer(self.locals)
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


def _has_statements(source):
    try:
        return bool(ast.parse(source).body)
    except (SyntaxError, ValueError):
        return True  # let Python report it


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


def split_statements(source, filename):
    """[(first line, source)] of each top-level statement, for step-by-step runs.

    A syntax error raises SyntaxError naming the file and line.
    """
    tree = ast.parse(source, filename)
    lines = source.splitlines(keepends=True)
    out = []
    for node in tree.body:
        start = node.lineno
        if getattr(node, "decorator_list", None):
            start = min(d.lineno for d in node.decorator_list)
        out.append((start, "".join(lines[start - 1: node.end_lineno])))
    return out


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
