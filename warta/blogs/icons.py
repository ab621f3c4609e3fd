"""The blog's own pictures made from one clean upload each (``core.pictures.clean_picture``):
the browser's icon (32 x 32 PNG) and the phone's home-screen icon (180 x 180 PNG), the logo
(at most 600 px a side) and the default share image (1200 x 630, what link previews show)."""

import io

FAVICON_SIZE = 32
TOUCH_ICON_SIZE = 180
LOGO_MAX = 600
SHARE_SIZE = (1200, 630)


def opened(picture):
    from PIL import Image

    image = Image.open(io.BytesIO(picture.content))
    image.seek(0)  # an animated upload: its first frame
    return image.convert("RGBA")


def png(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def square_icon(picture, size):
    from PIL import ImageOps

    return png(ImageOps.fit(opened(picture), (size, size), method=3))  # 3: bicubic


def favicon(picture):
    return square_icon(picture, FAVICON_SIZE)


def touch_icon(picture):
    from PIL import Image

    # iOS paints a transparent corner black: the icon goes on white.
    icon = Image.new("RGBA", (TOUCH_ICON_SIZE, TOUCH_ICON_SIZE), "white")
    square = Image.open(io.BytesIO(square_icon(picture, TOUCH_ICON_SIZE)))
    icon.alpha_composite(square.convert("RGBA"))
    return png(icon.convert("RGB"))


def logo(picture):
    image = opened(picture)
    image.thumbnail((LOGO_MAX, LOGO_MAX))
    return png(image)


def share_image(picture):
    from PIL import Image, ImageOps

    image = ImageOps.fit(opened(picture), SHARE_SIZE, method=3)
    flat = Image.new("RGB", SHARE_SIZE, "white")
    flat.paste(image, mask=image.getchannel("A"))
    buffer = io.BytesIO()
    flat.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()
