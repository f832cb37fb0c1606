"""Where the operator's certificate template, stylesheet and images are found, checked up front.

A missing file is a configuration error that must be named at once (``PdfTemplateError`` with the
path), not a certificate silently printed without its seal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.template import Engine, Template, TemplateDoesNotExist

from .data import CertificateTemplate
from .engine import IMAGE_TYPES
from .errors import PdfTemplateError

HERE = Path(__file__).resolve().parent
BUILTIN_TEMPLATES = HERE / "templates"
ASSETS = HERE / "assets"


def _engine(directory: Path | None) -> Engine:
    dirs = [str(directory)] if directory else []
    return Engine(dirs=[*dirs, str(BUILTIN_TEMPLATES)], app_dirs=False, autoescape=True, debug=False)


def load_template(name: str, directory: Path | None) -> Template:
    """The Django template ``name`` from the operator's ``directory``, else the built-in one."""
    if directory is not None and not Path(directory).is_dir():
        raise PdfTemplateError(
            "template_not_found", f"certificate template directory does not exist: {directory}"
        )
    try:
        return _engine(directory).get_template(name)
    except TemplateDoesNotExist:
        where = f"{directory} or {BUILTIN_TEMPLATES}" if directory else str(BUILTIN_TEMPLATES)
        raise PdfTemplateError(
            "template_not_found", f"certificate template {name!r} not found in {where}"
        ) from None


def checked_image(path: Path) -> Path:
    """``path`` resolved, after checking it is a readable SVG, PNG or JPEG file.

    The image is then referenced by its ``file:`` URL, not inlined: the HTML parser reads a
    ``data:`` URI character by character on every certificate, the image cache reads a file once.
    """
    if IMAGE_TYPES.get(Path(path).suffix.lower()) is None:
        raise PdfTemplateError(
            "image_type_not_allowed", f"certificate image must be SVG, PNG or JPEG: {path}"
        )
    resolved = Path(path).resolve()
    try:
        with resolved.open("rb") as image:
            image.read(1)
    except OSError:
        raise PdfTemplateError("image_not_found", f"certificate image not readable: {path}") from None
    return resolved


@dataclass(frozen=True)
class ResolvedTemplate:
    """A ``CertificateTemplate`` with every file found and read: what a renderer is built from."""

    template: Template
    stylesheets: tuple[Path, ...]
    roots: tuple[Path, ...]
    logo_uri: str
    seal_uri: str
    css: str


def resolve(choice: CertificateTemplate, default_css: str) -> ResolvedTemplate:
    """Check and load the operator's choices; ``default_css`` is the built-in stylesheet's name."""
    template = load_template(choice.html, choice.directory)
    stylesheets = [ASSETS / default_css]
    if choice.stylesheet is not None:
        if not Path(choice.stylesheet).is_file():
            raise PdfTemplateError(
                "template_not_found", f"certificate stylesheet not found: {choice.stylesheet}"
            )
        stylesheets.append(Path(choice.stylesheet))
    roots = [BUILTIN_TEMPLATES, ASSETS]
    roots += [Path(p) for p in (choice.directory,) if p is not None]
    roots += [Path(choice.stylesheet).parent] if choice.stylesheet else []
    logo, seal = (
        checked_image(choice.logo or ASSETS / "logo.svg"),
        checked_image(choice.seal or ASSETS / "seal.svg"),
    )
    roots += [logo.parent, seal.parent]
    colours = f":root {{ --primary: {_colour(choice.primary_color)}; --text: {_colour(choice.text_color)}; }}"
    return ResolvedTemplate(
        template=template,
        stylesheets=tuple(stylesheets),
        roots=tuple(roots),
        logo_uri=logo.as_uri(),
        seal_uri=seal.as_uri(),
        css=colours,
    )


def _colour(value: str) -> str:
    """A CSS colour from settings, limited to hex or a name so it cannot inject other CSS."""
    text = value.strip()
    if text.startswith("#") and len(text) in (4, 7) and all(c in "0123456789abcdefABCDEF" for c in text[1:]):
        return text
    if text.isalpha():
        return text
    raise PdfTemplateError("bad_colour", f"certificate colour must be #rgb, #rrggbb or a CSS name: {value!r}")
