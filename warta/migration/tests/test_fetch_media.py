import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image as PILImage

from warta.migration.blogger import import_blogger
from warta.posts.models import Image

KIND = "http://schemas.google.com/blogger/2008/kind#post"


@pytest.fixture
def image_server():
    """A real HTTP server with one PNG at /foto.png; anything else is 404."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), "red").save(buffer, "PNG")
    png = buffer.getvalue()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/foto.png":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_fetch_media_downloads_reachable_images_and_warns_about_the_rest(
    db, tmp_path, image_server
):
    body = f'&lt;img src="{image_server}/foto.png"&gt;&lt;img src="{image_server}/hilang.png"&gt;'
    path = tmp_path / "b.xml"
    path.write_text(
        "<feed xmlns='http://www.w3.org/2005/Atom'><entry>"
        "<id>tag:blogger.com,1999:blog-1.post-1</id>"
        f"<category scheme='http://schemas.google.com/g/2005#kind' term='{KIND}'/>"
        f"<title>Foto</title><content type='html'>{body}</content>"
        "<published>2020-01-01T00:00:00Z</published></entry></feed>",
        "utf-8",
    )
    report = import_blogger(path=path, blog_slug="foto", fetch_media=True)
    fetched = Image.objects.get(remote_url=f"{image_server}/foto.png")
    assert fetched.file
    assert (fetched.width, fetched.height) == (4, 3)
    assert fetched.url == fetched.file.url
    missing = Image.objects.get(remote_url=f"{image_server}/hilang.png")
    assert not missing.file
    assert [url for url, _m in report.warnings] == [f"{image_server}/hilang.png"]


def test_without_fetch_media_images_stay_remote(db, tmp_path, image_server):
    path = tmp_path / "b.xml"
    path.write_text(
        "<feed xmlns='http://www.w3.org/2005/Atom'><entry>"
        "<id>tag:blogger.com,1999:blog-1.post-1</id>"
        f"<category scheme='http://schemas.google.com/g/2005#kind' term='{KIND}'/>"
        f"<title>Foto</title><content type='html'>&lt;img src=\"{image_server}/foto.png\"&gt;"
        "</content><published>2020-01-01T00:00:00Z</published></entry></feed>",
        "utf-8",
    )
    import_blogger(path=path, blog_slug="foto")
    assert not Image.objects.get(blog__slug="foto").file
