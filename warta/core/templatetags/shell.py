"""Django templates inside the Jinja2 page shell, so every page has one layout.

``base.html`` wraps its blocks in ``{% layout %}``: they are rendered by Django (a child
template's overrides included) and handed to ``layout.html``, the Jinja2 layout of reader
pages, as ``shell_title``, ``shell_description``, ``shell_head`` and ``shell_content``.
``{% jinja_include "comments/form.html" name=value %}`` renders one Jinja2 part in place.
"""

from django import template
from django.template import engines
from django.template.loader_tags import BlockNode
from django.utils.safestring import mark_safe

register = template.Library()


def render_jinja(template_name, context, **values):
    jinja = engines["jinja2"].get_template(template_name)
    return mark_safe(jinja.render({**context.flatten(), **values}, request=context.get("request")))


@register.simple_tag(takes_context=True)
def jinja_include(context, template_name, **values):
    return render_jinja(template_name, context, **values)


class LayoutNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist  # found by {% extends %}, so children override the blocks

    def render(self, context):
        parts = {
            f"shell_{node.name}": mark_safe(node.render(context).strip())
            for node in self.nodelist
            if isinstance(node, BlockNode)
        }
        return render_jinja("layout.html", context, **parts)


@register.tag
def layout(parser, token):
    nodelist = parser.parse(("endlayout",))
    parser.delete_first_token()
    return LayoutNode(nodelist)
