"""Windows command lines, split and quoted by CommandLineToArgvW's rules: the service XML's `<arguments>`, a
scheduled task's arguments, the command lines setup registers for itself. Plain text handling, no Windows call."""

from __future__ import annotations

import re


def split_windows_args(text: str) -> list[str]:
    """Split a command line the way CommandLineToArgvW splits everything after the program name.

    Backslashes are literal unless they precede a quote: 2n of them then give n and the quote opens or closes
    a quoted part, 2n+1 give n and a literal quote. Inside a quoted part two quotes give one literal quote and
    end the part; every third quote of a run does the same.
    """
    args: list[str] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            return args
        out: list[str] = []
        quotes = 0  # 1 while inside a quoted part
        slashes = 0
        while i < n:
            char = text[i]
            if char in " \t" and quotes == 0:
                break
            if char == "\\":
                out.append(char)
                slashes += 1
                i += 1
                continue
            if char == '"':
                if slashes % 2 == 0:
                    del out[len(out) - slashes // 2:]
                    quotes += 1
                else:
                    del out[len(out) - slashes // 2 - 1:]
                    out.append('"')
                slashes = 0
                i += 1
                while i < n and text[i] == '"':
                    quotes += 1
                    if quotes == 3:
                        out.append('"')
                        quotes = 0
                    i += 1
                if quotes == 2:
                    quotes = 0
                continue
            out.append(char)
            slashes = 0
            i += 1
        args.append("".join(out))


def quote_windows_arg(arg: str, force: bool = False) -> str:
    """One argument as split_windows_args reads it back; quoted only when needed (or `force`)."""
    if arg and not force and not any(c in arg for c in ' \t"\n\r\v'):
        return arg
    out = ['"']
    slashes = 0
    for char in arg:
        if char == "\\":
            slashes += 1
            continue
        if char == '"':
            out.append("\\" * (2 * slashes + 1) + '"')
        else:
            out.append("\\" * slashes + char)
        slashes = 0
    out.append("\\" * (2 * slashes) + '"')
    return "".join(out)


def join_windows_args(args: list[str]) -> str:
    """The command line that split_windows_args turns back into `args`."""
    return " ".join(quote_windows_arg(a) for a in args)


def jar_file_name(jar_arg: str) -> str:
    """The file name in a jar argument, whichever separator a Windows path uses."""
    return re.split(r"[\\/]", jar_arg)[-1]
