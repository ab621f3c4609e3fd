"""``{% chrome "chrome/masthead.html" name=value %}``: a Jinja2 part of the page shared
with Django templates, so forms and the desk wear the same masthead as reader pages."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def chrome(context, template_name, **values):
    jinja = engines["jinja2"].get_template(template_name)
    return mark_safe(jinja.render({**context.flatten(), **values}, request=context.get("request")))
