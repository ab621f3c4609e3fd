"""``warta serve``'s supervisor: keeps granian running, whatever happens to its workers.

granian respawns a worker that dies, but when the same worker dies again within 5.5
seconds of its respawn it calls that a crash loop and exits, taking the site down. This
small process (no Django loaded: ``warta serve`` replaces itself with
``python -m warta.core.supervisor -- <granian command>``) starts granian again after any
exit it did not ask for, sooner the first time and at most every ``max_delay`` seconds
while granian keeps failing. granian runs in a process group of its own and this process
passes SIGINT, SIGTERM and SIGHUP on to it, so Ctrl-C under ``make run``, ``systemctl
stop`` and a reload (HUP) reach granian exactly once.

``--task-worker '<JSON command>'`` before ``--`` names a second program kept running the
same way beside granian: the django-tasks worker (``warta db_worker``) that sends mail and
publishes scheduled posts. It gets the same signals, and stops when granian stops.
"""

import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
PR_SET_PDEATHSIG = 1


class Supervisor:
    """Runs ``command`` until asked to stop; returns granian's last exit status."""

    first_delay = 0.2  # seconds before the first restart after a failure
    max_delay = 30.0  # restarts of a server that keeps failing back off up to this
    steady_after = 60.0  # a server up this long starts the back-off afresh

    def __init__(self, command, *, log=sys.stderr, sidecars=()):
        self.command = command
        self.log = log
        self.child = None
        self.stopping = False  # set by the signal handler; no lock may be taken there
        self.sidecars = [Sidecar(self, argv) for argv in sidecars]

    def run(self):
        for signum in (*STOP_SIGNALS, signal.SIGHUP):
            signal.signal(signum, self.forward)
        for sidecar in self.sidecars:
            sidecar.start()
        try:
            return self.keep_running()
        finally:
            self.stopping = True
            for sidecar in self.sidecars:
                sidecar.stop()

    def keep_running(self):
        delay = self.first_delay
        while True:
            started = time.monotonic()
            self.child = subprocess.Popen(self.command, process_group=0, preexec_fn=die_with_parent)
            if self.stopping:  # asked while granian was being started
                self.child.terminate()
            status = self.child.wait()
            if self.stopping or status == 0:
                return status
            self.clean_up_after(self.child)
            if time.monotonic() - started >= self.steady_after:
                delay = self.first_delay
            self.say(f"granian exited ({describe(status)}); starting it again in {delay:g} s")
            if self.pause(delay):
                return status
            delay = min(delay * 5, self.max_delay)

    def forward(self, signum, frame):
        if signum in STOP_SIGNALS:
            self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signum)
        for sidecar in self.sidecars:
            sidecar.send_signal(signum)

    def pause(self, seconds):
        """Wait ``seconds``, or less when asked to stop meanwhile (then True)."""
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.05, seconds))
        return self.stopping

    @staticmethod
    def clean_up_after(child):
        # Workers of a master that was killed outright still hold the listening socket.
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def say(self, message):
        print(f"warta serve: {message}", file=self.log, flush=True)


class Sidecar(threading.Thread):
    """A program kept running beside granian (the task worker), restarted after any exit
    while the supervisor is not stopping, with the same back-off."""

    def __init__(self, supervisor, command):
        super().__init__(daemon=True, name="sidecar")
        self.supervisor = supervisor
        self.command = command
        self.child = None

    def run(self):
        supervisor = self.supervisor
        delay = supervisor.first_delay
        while not supervisor.stopping:
            started = time.monotonic()
            # Started from this thread, which lives as long as the child may: the child's
            # "die with parent" signal follows the thread that started it.
            self.child = subprocess.Popen(self.command, process_group=0, preexec_fn=die_with_parent)
            if supervisor.stopping:
                self.child.terminate()
            status = self.child.wait()
            if supervisor.stopping:
                return
            if time.monotonic() - started >= supervisor.steady_after:
                delay = supervisor.first_delay
            supervisor.say(
                f"task worker exited ({describe(status)}); starting it again in {delay:g} s"
            )
            if supervisor.pause(delay):
                return
            delay = min(delay * 5, supervisor.max_delay)

    def send_signal(self, signum):
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signum)

    def stop(self, timeout=10):
        self.send_signal(signal.SIGTERM)
        self.join(timeout)
        if self.child is not None and self.child.poll() is None:
            self.child.kill()


def describe(status):
    if status < 0:
        return f"killed by {signal.Signals(-status).name}"
    return f"status {status}"


def die_with_parent():
    """In the child, before granian starts: stop it (SIGTERM) if the supervisor dies."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def main(argv):
    sidecars = []
    while argv[:1] == ["--task-worker"]:
        sidecars.append(json.loads(argv[1]))
        argv = argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    status = Supervisor(argv, sidecars=sidecars).run()
    return 128 - status if status < 0 else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
