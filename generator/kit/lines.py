"""Where things are in kit.toml: the line of every table, key and array item, so that each problem of a kit
names its line, as tomllib itself does not say."""
from __future__ import annotations

import sys


def toml():
    """tomllib (tomli before Python 3.11), imported only when a kit.toml is read: the built-in kit, which
    every plain `validate` and `build` loads, needs none of it."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:                               # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


class Lines:
    """The line of every table, key and array item of a TOML text, by its path: ("fields", 0, "kind").

    A small scanner over text tomllib has already accepted, so it need not check anything.
    """

    def __init__(self, text: str):
        self.text = text
        self.where: dict[tuple, int] = {}
        self.arrays: dict[tuple, int] = {}
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        try:
            self._scan()
        except (ValueError, IndexError, toml().TOMLDecodeError):   # something it does not follow: the lines
            pass                                                    # found so far, the rest by their table

    def line(self, path: tuple) -> int | None:
        """The line of `path`, else of the nearest thing holding it."""
        path = tuple(path)
        while path:
            if path in self.where:
                return self.where[path]
            path = path[:-1]
        return None

    def _line_of(self, pos: int) -> int:
        import bisect

        return bisect.bisect_right(self.starts, pos)

    def _note(self, path: tuple, pos: int) -> None:
        self.where.setdefault(path, self._line_of(pos))

    def _scan(self) -> None:
        text, pos, table = self.text, 0, ()
        while pos < len(text):
            pos = self._skip_blank(pos, newlines=True)
            if pos >= len(text):
                break
            if text.startswith("[[", pos):
                keys, pos = self._keys(pos + 2)
                pos = text.index("]]", pos) + 2
                array = self._resolve(keys[:-1]) + (keys[-1],)
                index = self.arrays.get(array, 0)
                self.arrays[array] = index + 1
                self._note(array, pos)
                table = (*array, index)
                self._note(table, pos)
            elif text[pos] == "[":
                keys, pos = self._keys(pos + 1)
                pos = text.index("]", pos) + 1
                table = self._resolve(keys)
                self._note(table, pos)
            else:
                start = pos
                keys, pos = self._keys(pos)
                pos = text.index("=", pos) + 1
                for i in range(1, len(keys) + 1):
                    self._note((*table, *keys[:i]), start)
                pos = self._value(pos, (*table, *keys))
            pos = self._skip_to_line_end(pos)

    def _resolve(self, keys: tuple) -> tuple:
        """A table header's keys as a path: through the last item of each array of tables on the way."""
        path: tuple = ()
        for key in keys:
            path = (*path, key)
            if path in self.arrays:
                path = (*path, self.arrays[path] - 1)
        return path

    def _skip_blank(self, pos: int, newlines: bool) -> int:
        text = self.text
        while pos < len(text):
            c = text[pos]
            if c in " \t" or (newlines and c in "\r\n"):
                pos += 1
            elif c == "#":
                while pos < len(text) and text[pos] != "\n":
                    pos += 1
            else:
                break
        return pos

    def _skip_to_line_end(self, pos: int) -> int:
        pos = self._skip_blank(pos, newlines=False)
        return pos + 1 if pos < len(self.text) and self.text[pos] == "\n" else pos

    def _keys(self, pos: int) -> tuple[tuple, int]:
        """A dotted key from `pos`: its parts, and where it ends."""
        text, keys = self.text, []
        while True:
            pos = self._skip_blank(pos, newlines=False)
            if text[pos] in "\"'":
                end = self._string_end(pos)
                keys.append(toml().loads(f"k = {text[pos:end]}")["k"])
                pos = end
            else:
                start = pos
                while pos < len(text) and (text[pos].isalnum() or text[pos] in "_-"):
                    pos += 1
                keys.append(text[start:pos])
            pos = self._skip_blank(pos, newlines=False)
            if pos < len(text) and text[pos] == ".":
                pos += 1
                continue
            return tuple(keys), pos

    def _string_end(self, pos: int) -> int:
        text = self.text
        quote = text[pos]
        if text.startswith(quote * 3, pos):
            end = text.index(quote * 3, pos + 3)
            while text.startswith(quote, end + 3):      # up to two quotes may end a multi-line string
                end += 1
            return end + 3
        pos += 1
        while text[pos] != quote:
            pos += 2 if quote == '"' and text[pos] == "\\" else 1
        return pos + 1

    def _value(self, pos: int, path: tuple) -> int:
        text = self.text
        pos = self._skip_blank(pos, newlines=False)
        c = text[pos]
        if c in "\"'":
            return self._string_end(pos)
        if c == "[":
            pos, index = pos + 1, 0
            while True:
                pos = self._skip_blank(pos, newlines=True)
                if text[pos] == "]":
                    return pos + 1
                self._note((*path, index), pos)
                pos = self._value(pos, (*path, index))
                pos = self._skip_blank(pos, newlines=True)
                if text[pos] == ",":
                    pos += 1
                index += 1
        if c == "{":
            pos += 1
            while True:
                pos = self._skip_blank(pos, newlines=True)
                if text[pos] == "}":
                    return pos + 1
                start = pos
                keys, pos = self._keys(pos)
                for i in range(1, len(keys) + 1):
                    self._note((*path, *keys[:i]), start)
                pos = text.index("=", pos) + 1
                pos = self._value(pos, (*path, *keys))
                pos = self._skip_blank(pos, newlines=True)
                if text[pos] == ",":
                    pos += 1
        while pos < len(text) and text[pos] not in ",]}\n#":
            pos += 1
        return pos

