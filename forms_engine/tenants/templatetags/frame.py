"""`{% memo "name" value ... %}…{% endmemo %}`: a part of the page frame that is
the same on every page of a city in one language (the footer, the header's
brand), rendered once per process and kept, keyed by the name, the values it
varies on and the URL prefix. Like Django's `{% cache %}` without a cache
backend round trip and without a timeout: a change of what the block shows is a
new key, so the values it shows must all be among the values it varies on.
Nothing that differs per request (CSRF token, path, user, messages) belongs in
a memo block. The store is bounded (least recently used goes first)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Two or three blocks per city and language: room for every city of a Land.
MEMO_ENTRIES = 8192
_memo: OrderedDict[tuple[Any, ...], SafeString] = OrderedDict()
_lock = threading.Lock()


def clear() -> None:
    with _lock:
        _memo.clear()


@receiver(setting_changed, dispatch_uid="tenants.frame.setting_changed")
def _settings_changed(**kwargs: Any) -> None:
    clear()  # tests switch URL configurations and languages


class MemoNode(Node):
    def __init__(self, nodelist: NodeList, name: str, vary_on: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context: template.Context) -> str:
        key = (self.name, get_script_prefix(), *(value.resolve(context) for value in self.vary_on))
        with _lock:
            hit = _memo.get(key)
            if hit is not None:
                _memo.move_to_end(key)
                return hit
        output = mark_safe(self.nodelist.render(context))  # rendered (and escaped) by the template engine
        with _lock:
            _memo[key] = output
            while len(_memo) > MEMO_ENTRIES:
                _memo.popitem(last=False)
        return output


@register.tag("memo")
def memo(parser: Parser, token: Token) -> MemoNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% memo "name" value ... %} needs a quoted name first.')
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
