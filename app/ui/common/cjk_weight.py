"""Chinese (and Japanese, Korean) text as heavy as Latin text, in the dark theme too.

On Linux, Qt turns FreeType's stem darkening on for CFF fonts (Noto Sans CJK, the usual
Chinese fallback) and blends their glyphs with gamma correction. Meant to balance dark
text on a light background, it makes light text on a dark one much heavier: measured at
10 pt, the ink of "你好世界" white on black is 1.40× that of black on white, where
DejaVu's TrueType Latin is 1.00×, so Chinese looked bold in the dark theme. Qt has no
setting for it (``FREETYPE_PROPERTIES`` is overridden when Qt makes its FreeType
library); the library is reachable through Qt's exported ``qt_getFreetype()``, and with
the CFF driver's ``no-stem-darkening`` set, fonts loaded afterwards get neither the
darkening nor the gamma blending: 1.00× (as GTK and cairo render it).

A font engine made before the call keeps its rendering, so the window calls
:func:`even_cjk_weight` before its first frame when that frame shows CJK text (a Chinese
interface, a restored document with CJK), else right after it. Where the symbol or
FreeType is missing (Windows, macOS, another Qt build) nothing changes.
"""

from __future__ import annotations

import sys

__all__ = ["even_cjk_weight", "has_cjk"]

#: CJK radicals to Yi, Hangul syllables, compatibility ideographs, full-width forms.
#: (Not a regular expression: compiling a character class this wide took ~40 M
#: instructions, 3% of the start-up.)
_CJK_RANGES = ((0x2E80, 0xA4CF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
               (0xFF00, 0xFFEF))  # fmt: skip
_done: list[bool] = []


def has_cjk(text: str) -> bool:
    """Whether ``text`` has a character that a CJK font draws (each distinct character
    looked at once)."""
    if text.isascii():
        return False
    return any(low <= ord(char) <= high for char in set(text) for low, high in _CJK_RANGES)


def even_cjk_weight() -> bool:
    """Turn off stem darkening for CFF fonts in Qt's FreeType library (once); returns
    whether it is off."""
    if _done:
        return _done[0]
    _done.append(False)
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # ~2 ms: only here, not for every first frame
    from pathlib import Path

    import PySide6

    gui = Path(PySide6.__file__).parent / "Qt" / "lib" / "libQt6Gui.so.6"
    try:
        qt = ctypes.CDLL(str(gui) if gui.exists() else "libQt6Gui.so.6")
        get_freetype = qt._Z14qt_getFreetypev  # Q_GUI_EXPORT FT_Library qt_getFreetype()
        set_property = qt.FT_Property_Set  # from the FreeType Qt itself links
    except (OSError, AttributeError):
        return False
    get_freetype.restype = ctypes.c_void_p
    get_freetype.argtypes = []
    set_property.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p]
    set_property.restype = ctypes.c_int
    library = get_freetype()
    off = ctypes.c_ubyte(1)
    if not library or set_property(library, b"cff", b"no-stem-darkening", ctypes.byref(off)):
        return False
    _done[0] = True
    return True
