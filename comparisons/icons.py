"""The site's glyphs: 16×16 SVG symbols drawn once per page (the sprite), used by reference."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# 16×16 glyphs drawn with strokes (or a fill where noted), so they never depend on a font.
ICON_PATHS = {
    "check": "M3 8.5l3.2 3.2L13 4.8",
    "plus": "M8 3v10M3 8h10",
    "half": "M8 2.5a5.5 5.5 0 1 0 0 11a5.5 5.5 0 1 0 0-11zM8 2.5v11",
    "cross": "M4 4l8 8M12 4l-8 8",
    "question": "M5.6 5.8a2.5 2.5 0 1 1 3.4 2.3c-.6.3-1 .8-1 1.5v.6M8 12.6v.4",
    "up": "M8 3.5l5 8.5H3z",
    "down": "M8 12.5L3 4h10z",
    "dot": "M8 4.5a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7z",
    "info": "M8 2.5a5.5 5.5 0 1 0 0 11a5.5 5.5 0 1 0 0-11zM8 7.2v4M8 4.9v.3",
    "dash": "M4 8h8",
    "alert": "M8 2.2L14.2 13H1.8zM8 6.4v3.3M8 11.3v.3",
    "sources": "M3 3h7l3 3v7H3zM5.5 7h5M5.5 9.5h5",
    "search": "M7 2.5a4.5 4.5 0 1 0 0 9a4.5 4.5 0 1 0 0-9zM10.3 10.3L14 14",
    "feed": "M3 3a10 10 0 0 1 10 10M3 7a6 6 0 0 1 6 6M3.5 12v.5",
    "clock": "M8 2.5a5.5 5.5 0 1 0 0 11a5.5 5.5 0 1 0 0-11zM8 5v3.2l2.2 1.4",
    "external": "M9 3h4v4M13 3L7.5 8.5M11.5 9.5V13H3V4.5h3.5",
}
FILLED_ICONS = {"half", "up", "down", "dot"}


def icon_symbol(name):
    path = ICON_PATHS[name]
    fill = "currentColor" if name in FILLED_ICONS and name != "half" else "none"
    extra = ""
    if name == "half":  # outline circle, left half filled: 'partly'
        extra = '<path d="M8 2.5a5.5 5.5 0 0 0 0 11z" fill="currentColor" stroke="none"/>'
    return (
        f'<symbol id="icon-{name}" viewBox="0 0 16 16"><path d="{path}" fill="{fill}" '
        'stroke="currentColor" stroke-width="1.8" stroke-linecap="round" '
        f'stroke-linejoin="round"/>{extra}</symbol>'
    )


# Every glyph is drawn once per page (base.html includes the sprite); each use is a short
# <use> reference, which keeps a 1,000-cell matrix from repeating the same paths 3,000 times.
ICON_SPRITE = mark_safe(  # safe: built from the constant paths above
    '<svg xmlns="http://www.w3.org/2000/svg" class="icon-sprite" aria-hidden="true" '
    'focusable="false">' + "".join(icon_symbol(name) for name in ICON_PATHS) + "</svg>"
)


def icon(name, label=""):
    """An SVG glyph from the page's sprite; decorative unless given a label."""
    name = name if name in ICON_PATHS else "dot"
    if label:
        return format_html(
            '<svg class="icon icon-{}" width="16" height="16" role="img" aria-label="{}" '
            'focusable="false"><use href="#icon-{}"/></svg>',
            name,
            label,
            name,
        )
    return mark_safe(  # safe: name is one of the constant icon names
        f'<svg class="icon icon-{name}" width="16" height="16" aria-hidden="true" '
        f'focusable="false"><use href="#icon-{name}"/></svg>'
    )
