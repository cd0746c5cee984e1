"""The tokenizer of DynamoDB's expression language (condition, key, filter, projection, update)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .. import errors

NAME, ALIAS, VALUE, INDEX, PUNCT, EOF = "NAME", "ALIAS", "VALUE", "INDEX", "PUNCT", "EOF"
_TWO_CHAR = ("<>", "<=", ">=")
_ONE_CHAR = "()[],.=<>+-"


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    def is_word(self, word: str) -> bool:
        """A bare word matching a keyword, case-insensitively (`and`, `SET`)."""
        return self.kind == NAME and self.text.upper() == word


def syntax_error(kind: str, source: str, token: Token, previous: Token | None) -> Exception:
    """AWS's syntax-error message: the offending token and the text near it.

    AWS's exact choice of "near" text is not documented; we show the previous token
    through the offending one.
    """
    shown = "<EOF>" if token.kind == EOF else token.text
    start = previous.start if previous is not None else token.start
    near = source[start:token.end]
    return errors.validation(f'Invalid {kind}: Syntax error; token: "{shown}", near: "{near}"')


@lru_cache(maxsize=2048)
def tokenize(source: str, kind: str) -> tuple[Token, ...]:
    """The tokens of `source`, ending with an EOF token; a syntax error for a stray character.

    Cached: requests repeat the same few expressions.
    """
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch.isspace():
            i += 1
            continue
        start = i
        if ch in "#:":
            i += 1
            while i < n and (source[i].isalnum() or source[i] == "_") and source[i].isascii():
                i += 1
            if i == start + 1:
                token = Token(PUNCT, ch, start, i)
                raise syntax_error(kind, source, token, tokens[-1] if tokens else None)
            tokens.append(Token(ALIAS if ch == "#" else VALUE, source[start:i], start, i))
        elif ch.isascii() and ch.isdigit():
            while i < n and source[i].isascii() and source[i].isdigit():
                i += 1
            tokens.append(Token(INDEX, source[start:i], start, i))
        elif ch.isascii() and (ch.isalpha() or ch == "_"):
            while i < n and source[i].isascii() and (source[i].isalnum() or source[i] == "_"):
                i += 1
            tokens.append(Token(NAME, source[start:i], start, i))
        elif source.startswith(_TWO_CHAR, i):
            i += 2
            tokens.append(Token(PUNCT, source[start:i], start, i))
        elif ch in _ONE_CHAR:
            i += 1
            tokens.append(Token(PUNCT, ch, start, i))
        else:
            token = Token(PUNCT, ch, start, i + 1)
            raise syntax_error(kind, source, token, tokens[-1] if tokens else None)
    tokens.append(Token(EOF, "", n, n))
    return tuple(tokens)
