"""Mapping templates as API Gateway writes them: loops, conditionals, `$util`, `$input`, `$context`."""

from __future__ import annotations

import json

import pytest

from pytest_cloudmock.services.apigateway.vtl import TemplateError, render

BODY = b'{"items": [{"n": 1, "name": "a\\"b"}, {"n": 2, "name": "c"}], "meta": {"k": "v"}, "flag": true}'
PARAMS = {"path": {"id": "7"}, "querystring": {"q": "x y"}, "header": {"X-Api": "h"}}


def _render(template: str) -> str:
    return render(template, BODY, PARAMS, {"requestId": "r1", "identity": {"sourceIp": "127.0.0.1"}},
                  {"env": "dev"}).decode()


def test_foreach_with_has_next_builds_json():
    template = ('{"names": [#foreach($item in $input.path(\'$.items\'))'
                '"$util.escapeJavaScript($item.name)"#if($foreach.hasNext),#end#end],'
                ' "count": $input.path(\'$.items\').size(), "first": $input.json(\'$.items[0]\')}')
    assert json.loads(_render(template)) == {"names": ['a"b', "c"], "count": 2, "first": {"n": 1, "name": 'a"b'}}


def test_params_context_stage_variables_and_util():
    template = ('#set($meta = $util.parseJson($input.json(\'$.meta\')))'
                '{"id": "$input.params(\'id\')", "q": "$util.urlEncode($input.params(\'q\'))", '
                '"header": "$input.params().header.get(\'X-Api\')", "k": "$meta.k", "ip": "$context.identity.sourceIp", '
                '"env": "$stageVariables.env", "flag": #if($input.path(\'$.flag\'))true#{else}false#end, '
                '"b64": "$util.base64Encode(\'hi\')", "plain": "$util.base64Decode(\'aGk=\')"}')
    assert json.loads(_render(template)) == {"id": "7", "q": "x+y", "header": "h", "k": "v", "ip": "127.0.0.1",
                                             "env": "dev", "flag": True, "b64": "aGk=", "plain": "hi"}


def test_a_broken_template_is_a_template_error():
    with pytest.raises(TemplateError):
        _render("#foreach($x in")
    with pytest.raises(TemplateError):
        _render("$util.parseJson('not json')")
