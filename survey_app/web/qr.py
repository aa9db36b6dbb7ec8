"""QR codes as inline SVG, made by the platform (nothing fetched from elsewhere)."""

from __future__ import annotations

from io import BytesIO

import qrcode
import qrcode.image.svg
from markupsafe import Markup


def qr_svg(text: str) -> Markup:
    buffer = BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return Markup(svg[svg.index("<svg"):])  # drop the XML declaration for inline use
