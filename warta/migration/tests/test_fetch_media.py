"""``import --fetch-media``: images are downloaded over http(s) from public addresses only,
every redirect checked again, within a size and a time limit; anything refused stays a
remote image and a warning in the report, and nothing is written."""

import io
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image as PILImage

from warta.migration import fetch
from warta.migration.media import fetch_remote_images
from warta.migration.report import ImportReport
from warta.migration.services import import_blogger
from warta.posts.models import Image

KIND = "http://schemas.google.com/blogger/2008/kind#post"


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def image_server():
    """A real HTTP server on loopback: one PNG at /foto.png, redirects, a big and a slow
    file; anything else is 404. ``.hosts`` lists the Host header of every request."""
    png = png_bytes()
    hosts = []

    class Handler(BaseHTTPRequestHandler):
        redirects = {
            "/ke-foto": "/foto.png",
            "/ke-privat": "http://10.0.0.1/foto.png",
            "/ke-localhost": "http://localhost:{port}/foto.png",
            "/ke-file": "file:///etc/passwd",
            "/putar": "/putar",
        }

        def do_GET(self):
            hosts.append(self.headers["Host"])
            port = self.server.server_address[1]
            if self.path in self.redirects:
                self.send_response(302)
                self.send_header("Location", self.redirects[self.path].format(port=port))
                self.end_headers()
            elif self.path == "/foto.png":
                self.send_image(png)
            elif self.path == "/gambar.svg":
                svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
                self.send_image(svg, content_type="image/svg+xml")
            elif self.path == "/besar.png":
                self.send_image(b"\x89PNG" + b"0" * 5000)
            elif self.path == "/besar-tanpa-panjang.png":
                self.send_image(b"\x89PNG" + b"0" * 5000, length=False)
            elif self.path == "/lambat.png":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                for _ in range(100):  # a byte every 0.1 s: each read is quick, the whole is not
                    try:
                        self.wfile.write(b"0")
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(0.1)
            else:
                self.send_error(404)

        def send_image(self, data, *, length=True, content_type="image/png"):
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            if length:
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield type("Server", (), {"url": base, "port": server.server_address[1], "hosts": hosts})
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_loopback(settings):
    """The test server is on 127.0.0.1, which a real import never fetches from."""
    settings.WARTA_IMPORT_FETCH_ALLOW_HOSTS = ["127.0.0.1"]


@pytest.fixture
def fetch_one(make_blog, settings):
    """``fetch_one(url)``: a remote image fetched as the import does; (image, report)."""
    blog = make_blog()

    def run(url, **options):
        image = Image.objects.create(blog=blog, remote_url=url)
        report = ImportReport()
        fetch_remote_images(blog=blog, report=report, **options)
        image.refresh_from_db()
        return image, report

    return run


def written_files(settings):
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_fetch_media_downloads_reachable_images_and_warns_about_the_rest(
    db, tmp_path, image_server, allow_loopback
):
    server = image_server.url
    body = f'&lt;img src="{server}/foto.png"&gt;&lt;img src="{server}/hilang.png"&gt;'
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
    fetched = Image.objects.get(remote_url=f"{server}/foto.png")
    assert fetched.file
    assert (fetched.width, fetched.height) == (4, 3)
    assert fetched.url == fetched.file.url
    missing = Image.objects.get(remote_url=f"{server}/hilang.png")
    assert not missing.file
    assert [url for url, _m in report.warnings] == [f"{server}/hilang.png"]


def test_without_fetch_media_images_stay_remote(db, tmp_path, image_server):
    path = tmp_path / "b.xml"
    path.write_text(
        "<feed xmlns='http://www.w3.org/2005/Atom'><entry>"
        "<id>tag:blogger.com,1999:blog-1.post-1</id>"
        f"<category scheme='http://schemas.google.com/g/2005#kind' term='{KIND}'/>"
        f"<title>Foto</title><content type='html'>&lt;img src=\"{image_server.url}/foto.png\"&gt;"
        "</content><published>2020-01-01T00:00:00Z</published></entry></feed>",
        "utf-8",
    )
    import_blogger(path=path, blog_slug="foto")
    assert not Image.objects.get(blog__slug="foto").file


@pytest.fixture
def no_connections(monkeypatch):
    """Fails the test if anything opens a TCP connection."""
    attempts = []

    def refuse(address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"connected to {address}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://127.0.0.1/foto.png", "only http and https"),
        ("gopher://127.0.0.1:6379/_FLUSHALL", "only http and https"),
        ("http://127.0.0.1/foto.png", "127.0.0.1 is not an address on the public internet"),
        ("http://localhost/foto.png", "localhost is not an address on the public internet"),
        ("http://2130706433/foto.png", "is not an address on the public internet"),
        ("http://10.0.0.1/foto.png", "10.0.0.1 is not an address on the public internet"),
        ("http://192.168.1.1/foto.png", "is not an address on the public internet"),
        ("http://169.254.169.254/latest/meta-data/", "is not an address on the public internet"),
        ("http://0.0.0.0/foto.png", "is not an address on the public internet"),
        ("http://[::1]/foto.png", "is not an address on the public internet"),
        ("http://[::ffff:127.0.0.1]/foto.png", "is not an address on the public internet"),
        ("http://[fd00::1]/foto.png", "is not an address on the public internet"),
        ("http://224.0.0.1/foto.png", "is not an address on the public internet"),
    ],
)
def test_addresses_off_the_public_internet_are_refused_without_connecting(
    fetch_one, settings, no_connections, url, reason
):
    settings.WARTA_IMPORT_FETCH_ALLOW_HOSTS = []
    image, report = fetch_one(url)
    assert not image.file
    assert report.warnings == [(url, report.warnings[0][1])]
    assert f"Did not download {url}: " in report.warnings[0][1]
    assert reason in report.warnings[0][1]
    assert no_connections == []
    assert written_files(settings) == []


def test_an_allowed_host_is_fetched_and_a_redirect_on_it_followed(
    fetch_one, image_server, allow_loopback, settings
):
    image, report = fetch_one(f"{image_server.url}/ke-foto")
    assert report.warnings == []
    assert (image.width, image.height) == (4, 3)
    # The image, its thumbnail and its renditions, and nothing else.
    written = {str(path.relative_to(settings.MEDIA_ROOT)) for path in written_files(settings)}
    assert written == set(image.stored_names())
    assert len(written) > 2


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/ke-privat", "10.0.0.1 is not an address on the public internet"),
        ("/ke-localhost", "localhost is not an address on the public internet"),
        ("/ke-file", "only http and https"),
        ("/putar", "more than 5 redirects"),
    ],
)
def test_every_redirect_is_checked_like_the_first_address(
    fetch_one, image_server, allow_loopback, settings, path, reason
):
    url = f"{image_server.url}{path}"
    image, report = fetch_one(url)
    assert not image.file
    assert len(report.warnings) == 1
    assert report.warnings[0][0] == url
    assert reason in report.warnings[0][1]
    assert written_files(settings) == []


@pytest.mark.parametrize("path", ["/besar.png", "/besar-tanpa-panjang.png"])
def test_a_file_over_the_size_limit_is_refused(
    fetch_one, image_server, allow_loopback, settings, monkeypatch, path
):
    monkeypatch.setattr("warta.migration.media.MAX_IMAGE_BYTES", 1000)
    image, report = fetch_one(f"{image_server.url}{path}")
    assert not image.file
    assert "the file is larger than 1000 bytes" in report.warnings[0][1]
    assert written_files(settings) == []


def test_a_server_that_drips_its_answer_is_cut_at_the_time_limit(
    fetch_one, image_server, allow_loopback, settings
):
    started = time.monotonic()
    image, report = fetch_one(f"{image_server.url}/lambat.png", timeout=0.5)
    assert time.monotonic() - started < 3  # the server would take 10 s
    assert not image.file
    assert report.warnings[0][1].startswith("Could not download")
    assert written_files(settings) == []


def test_the_name_is_resolved_once_and_the_checked_address_is_the_one_connected_to(
    fetch_one, image_server, settings, monkeypatch
):
    """DNS rebinding: a name that answers a good address when checked and a forbidden one
    a moment later still reaches only the address that was checked."""
    settings.WARTA_IMPORT_FETCH_ALLOW_HOSTS = ["gambar.example"]
    answers = iter(["127.0.0.1", "10.0.0.1", "10.0.0.1"])
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host != "gambar.example":
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    image, report = fetch_one(f"http://gambar.example:{image_server.port}/foto.png")
    assert report.warnings == []
    assert (image.width, image.height) == (4, 3)
    assert image_server.hosts == [f"gambar.example:{image_server.port}"]


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("fe80::1%eth0", False),
        ("255.255.255.255", False),
    ],
)
def test_public_means_a_global_unicast_address(address, public):
    assert fetch.is_public(address) is public


def test_a_downloaded_image_is_cleaned_and_given_its_thumbnail_and_renditions(
    fetch_one, image_server, allow_loopback
):
    image, report = fetch_one(f"{image_server.url}/foto.png")
    assert report.warnings == []
    assert image.file and image.thumbnail
    assert image.renditions  # small enough to be made at once, as an upload's are


def test_a_picture_that_is_not_one_is_refused_and_leaves_no_file(
    fetch_one, image_server, allow_loopback, settings
):
    image, report = fetch_one(f"{image_server.url}/gambar.svg")
    assert not image.file
    assert [url for url, _m in report.warnings] == [f"{image_server.url}/gambar.svg"]
    assert "Did not download" in report.warnings[0][1]
    assert written_files(settings) == []
