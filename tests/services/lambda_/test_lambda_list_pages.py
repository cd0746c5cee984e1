"""ListFunctions pages are cut from the name-ordered function map: every function (and with
FunctionVersion=ALL every version) once, in name order, configurations as GetFunctionConfiguration."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest


def _walk(lam: Any, size: int, **params: Any) -> list[dict[str, Any]]:
    seen, marker = [], None
    while True:
        out = lam.list_functions(MaxItems=size, **params, **({"Marker": marker} if marker else {}))
        seen += out["Functions"]
        marker = out.get("NextMarker")
        if not marker:
            return seen


@pytest.mark.parametrize("size", [1, 4, 50])
def test_pages_list_every_function_in_name_order(lam: Any, make_function: Callable[..., Any], size: int) -> None:
    names = [f"fn-{i:02d}" for i in range(11)]
    for name in random.Random(size).sample(names, len(names)):  # created out of order
        make_function(name)
    lam.publish_version(FunctionName="fn-03")
    listed = _walk(lam, size)
    assert [f["FunctionName"] for f in listed] == names
    expected = lam.get_function_configuration(FunctionName="fn-05")
    expected.pop("ResponseMetadata")
    assert listed[5] == expected
    every = _walk(lam, size, FunctionVersion="ALL")
    assert [(f["FunctionName"], f["Version"]) for f in every] == [
        (n, v) for n in names for v in (["$LATEST", "1"] if n == "fn-03" else ["$LATEST"])]
    lam.delete_function(FunctionName="fn-00")
    assert [f["FunctionName"] for f in _walk(lam, size)] == names[1:]
