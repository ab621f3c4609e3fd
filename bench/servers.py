"""The servers a benchmark run starts and loads: granian as ``make run`` starts it, nginx
serving the same bytes as a static file, and wrk on 127.0.0.1."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

NGINX_CONF = """\
worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    default_type text/html;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
    }}
}}
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_tools():
    missing = [name for name in ("wrk", "nginx") if not shutil.which(name) and not _sbin(name)]
    if missing:
        print(f"installing {', '.join(missing)} (apt-get install -y wrk nginx-light)")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk", "nginx-light"], check=True)


def _sbin(name):
    path = Path("/usr/sbin") / name
    return str(path) if path.exists() else None


def wait_for(url, headers=None, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def fetch(url, headers=None, data=None):
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def parse_wrk(output):
    def ms(value, unit):
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"\s50%\s+([\d.]+)(us|ms|s|m)\b", output)
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s|m)\b", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    total = re.search(r"(\d+) requests in", output)
    return {
        "rps": round(rps, 1),
        "p50_ms": round(ms(*p50.groups()), 2),
        "p99_ms": round(ms(*p99.groups()), 2),
        "requests": int(total.group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": sum(int(n) for n in socket.groups()) if socket else 0,
    }


def run_wrk(url, *, duration, connections, host=None, script=None, headers=()):
    command = [
        shutil.which("wrk") or "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
    ]
    if host:
        command += ["-H", f"Host: {host}"]
    for name, value in headers:
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def django_env(data_dir):
    env = dict(os.environ, WARTA_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="warta.settings")
    env.setdefault("WARTA_LOG_LEVEL", "ERROR")
    return env


def manage(env, *args):
    subprocess.run([str(BIN / "warta"), *args], env=env, check=True, cwd=ROOT)


def start_granian(env, port, workers):
    from warta.core.management.commands.serve import granian_command

    command = granian_command(host="127.0.0.1", port=port, workers=workers)
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)


def start_nginx(tmp, body, workers):
    port = free_port()
    # nginx started by root drops its workers to "nobody": they must reach the file.
    tmp.chmod(0o755)
    (tmp / "www").mkdir(mode=0o755)
    (tmp / "www" / "article.html").write_bytes(body)
    (tmp / "www" / "article.html").chmod(0o644)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, workers=workers))
    nginx = shutil.which("nginx") or _sbin("nginx")
    process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp)], start_new_session=True)
    wait_for(f"http://127.0.0.1:{port}/article.html")
    return process, port


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
