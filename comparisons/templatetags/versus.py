"""Template helpers for the public pages: Markdown notes, reading badges, icons, URLs."""

import markdown as markdown_lib
import nh3
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from comparisons.choices import FRAMEWORK_KIND_HEADINGS
from comparisons.icons import ICON_SPRITE, icon
from comparisons.links import url_pattern
from comparisons.matrix import badge_html, cell_html, cell_reference_html, describe_reading

register = template.Library()

# What editors' Markdown may become: text formatting, lists, links, code — no raw HTML,
# scripts, styles, images or frames.
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "li", "ol", "p", "pre", "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


@register.filter(name="markdown")
def render_markdown(text):
    """Markdown to HTML, then sanitised with nh3, so notes can never inject markup."""
    if not text:
        return ""
    html = markdown_lib.markdown(str(text), extensions=["sane_lists"], output_format="html")
    return mark_safe(  # safe: nh3 has just removed everything not allow-listed
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )


@register.filter
def by_kind(frameworks):
    """Frameworks grouped under their kind's heading, kinds in `FrameworkKind`'s order, each
    group in the given order: how every list of frameworks to pick from reads (fourteen
    checkboxes in one column are a wall; four short labelled groups are not)."""
    groups = {kind: [] for kind in FRAMEWORK_KIND_HEADINGS}
    for framework in frameworks:
        groups[framework.kind].append(framework)
    return [(FRAMEWORK_KIND_HEADINGS[kind], members) for kind, members in groups.items() if members]


@register.simple_tag
def link(name):
    """`{% url name %}` for a URL that takes no arguments, reversed once per process (every page
    links the same dozen in its header and footer)."""
    return url_pattern(name)


@register.simple_tag
def icon_sprite():
    return ICON_SPRITE


@register.simple_tag
def reading_badge(record, feature, compact=False):
    """A cell's or claim's reading as icon + word + colour (never colour alone)."""
    return mark_safe(badge_html(describe_reading(record, feature), compact=compact))  # escaped


@register.simple_tag
def cell(cell, tag="td", footnote=True):
    """A matrix cell, drawn as on every page (`comparisons.matrix.cell_html`)."""
    return cell_html(cell, tag=tag, footnote=footnote)


@register.simple_tag
def cell_reference(cell):
    """A cell cited in one line, linking to its page (`matrix.cell_reference_html`)."""
    return cell_reference_html(cell)


register.simple_tag(icon)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def source_link(source, css_class=""):
    """A source cited in a line, wherever a page names one: its title (to its page), its kind,
    and the original to open where it has an address."""
    original = (
        format_html(
            ' <a class="open-original" href="{}" rel="noopener nofollow">{}'
            '<span class="visually-hidden">Open the original of {}</span></a>',
            source.url,
            icon("external"),
            source.title,
        )
        if source.url
        else ""
    )
    return format_html(
        '<a{} href="{}">{}</a> <span class="source-kind{}">{}</span>{}',
        format_html(' class="{}"', css_class) if css_class else "",
        source.get_absolute_url(),
        source.title,
        " is-primary" if source.is_primary else "",
        source.get_kind_display(),
        original,
    )
