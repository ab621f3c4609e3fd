"""Desk pages: the blog's appearance, for its owners and admins: a built-in theme, an accent
colour and custom CSS (served as a file, ``reader/stylesheet.py``), and the header's menu
of pages and labels in the owner's order, reordered with buttons that need no script."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from warta.blogs import themes
from warta.blogs.models import Blog
from warta.posts.models import Label, Page

from .access import MANAGERS, desk_view
from .blog_settings import settings_view
from .settings_forms import SettingsForm
from .settings_sections import SECTIONS, fresh_blog, section

MENU_MAX = 20


class AppearanceForm(SettingsForm):
    theme = forms.ChoiceField(
        label=gettext_lazy("Theme"),
        choices=[],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Blog
        fields = ["theme", "accent_color", "custom_css"]
        widgets = {
            "accent_color": forms.TextInput(
                attrs={"placeholder": "#0b5cad", "size": 8, "autocomplete": "off"}
            ),
            "custom_css": forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices' labels are lazy: built per request, in the blog's language.
        self.fields["theme"].choices = [
            (theme.key, f"{theme.label}: {theme.description}") for theme in themes.THEMES.values()
        ]

    def clean_accent_color(self):
        return (self.cleaned_data.get("accent_color") or "").strip().lower()


appearance = settings_view(AppearanceForm, "appearance", "desk/appearance.html")


class Menu:
    """The blog's menu (``Blog.menu``: ``[{"page": pk}, {"label": pk}, …]``) with what its
    entries name, and what could be added to it."""

    def __init__(self, blog):
        self.blog = blog
        self.pages = {
            f"page:{pk}": title
            for pk, title in Page.objects.for_blog(blog)
            .published()
            .order_by("title")
            .values_list("pk", "title")
        }
        self.labels = {
            f"label:{pk}": name
            for pk, name in Label.objects.filter(blog=blog).values_list("pk", "name")
        }
        self.keys = [key for key in map(self.key_of, blog.menu or ()) if key in self.named]

    @property
    def named(self):
        return {**self.pages, **self.labels}

    @staticmethod
    def key_of(entry):
        if isinstance(entry, dict) and len(entry) == 1:
            ((kind, pk),) = entry.items()
            if kind in ("page", "label") and isinstance(pk, int):
                return f"{kind}:{pk}"
        return None

    @property
    def entries(self):
        named = self.named
        return [(key, named[key], key.startswith("page:")) for key in self.keys]

    @property
    def addable_pages(self):
        return [(key, title) for key, title in self.pages.items() if key not in self.keys]

    @property
    def addable_labels(self):
        return [(key, name) for key, name in self.labels.items() if key not in self.keys]

    def change(self, action, key):
        """Apply ``add``, ``up``, ``down`` or ``remove`` to the entry ``key``; False when it
        does not apply (an unknown entry, the first moved up, a full menu)."""
        keys = list(self.keys)
        if action == "add":
            if key not in self.named or key in keys or len(keys) >= MENU_MAX:
                return False
            keys.append(key)
        elif key not in keys:
            return False
        else:
            at = keys.index(key)
            if action == "remove":
                keys.remove(key)
            elif action == "up" and at > 0:
                keys[at - 1], keys[at] = keys[at], keys[at - 1]
            elif action == "down" and at < len(keys) - 1:
                keys[at + 1], keys[at] = keys[at], keys[at + 1]
            else:
                return False
        self.keys = keys
        return True

    def save(self):
        self.blog.menu = [{kind: int(pk)} for kind, pk in (key.split(":") for key in self.keys)]
        self.blog.save(update_fields=["menu", "updated_at"])


@desk_view(*MANAGERS)
@require_http_methods(["GET"])
def menu(request):
    return render(
        request,
        "desk/appearance_menu.html",
        {
            "menu": Menu(fresh_blog(request)),
            "sections": SECTIONS,
            "section": section("appearance_menu"),
        },
    )


@desk_view(*MANAGERS)
@require_POST
def change_menu(request):
    entries = Menu(fresh_blog(request))
    action = request.POST.get("action", "")
    key = request.POST.get("entry", "")
    if entries.change(action, key):
        entries.save()
        messages.success(request, _("Menu saved. Readers see it now."))
    else:
        messages.error(request, _("That change does not apply to the menu as it is now."))
    return redirect("desk:appearance_menu")


urlpatterns = [
    path("appearance/", appearance, name="appearance"),
    path("appearance/menu/", menu, name="appearance_menu"),
    path("appearance/menu/change/", change_menu, name="appearance_menu_change"),
]
