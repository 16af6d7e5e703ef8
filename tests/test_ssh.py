"""End to end over a real SSH link: sshd on 127.0.0.1 with throwaway keys, the real `ssh -tt`
client inside tmux, dealmon driven by keys. Also: the link dropping, clean exits, terminals,
hostile text on the wire. Skipped (with the reason) only where sshd or tmux cannot run."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import REPO

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
TMUX = shutil.which("tmux")
SSH = shutil.which("ssh")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    missing = [name for name, path in (("sshd", SSHD), ("tmux", TMUX), ("ssh", SSH))
               if not path or not os.path.exists(path)]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (.ci/run installs openssh-server and tmux)")
    d = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(d / name)], check=True)
    (d / "authorized_keys").write_text((d / "client_key.pub").read_text())
    os.chmod(d / "authorized_keys", 0o600)
    port = _free_port()
    config = d / "sshd_config"
    config.write_text(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {d}/host_key
PidFile {d}/sshd.pid
AuthorizedKeysFile {d}/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin yes
StrictModes no
UsePAM no
PrintMotd no
PrintLastLog no
AcceptEnv LANG LC_* NO_COLOR COLORTERM
""")
    os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege-separation directory
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=open(d / "sshd.log", "w"))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.skip(f"sshd cannot run here: {(d / 'sshd.log').read_text()[-300:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.skip("sshd did not start listening within 10 s")
    yield {"port": port, "key": str(d / "client_key"), "dir": d}
    proc.terminate()
    proc.wait(timeout=5)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def gone_within(pid: int, seconds: float = 5.0) -> bool:
    """Wait up to `seconds` for the process to end; whether it did."""
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not alive(pid)


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Session:
    """One `ssh -tt` session in its own tmux server, its output bytes logged."""

    def __init__(self, sshd, tmp_path, remote: str, size=(100, 30), env: str = "") -> None:
        self.socket = f"dealmon-test-{uuid.uuid4().hex[:8]}"
        self.pids: list[int] = []
        self.log = tmp_path / "wire.log"
        self.marker = str(tmp_path)
        ssh = (f"{SSH} -tt -i {sshd['key']} -p {sshd['port']} -o StrictHostKeyChecking=no "
               f"-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes root@127.0.0.1 "
               f"\"cd {tmp_path} && exec env {env} {remote}\"")
        # remain-on-exit: what a process printed before exiting stays readable
        self.tmux("new-session", "-d", "-s", "t", "-x", str(size[0]), "-y", str(size[1]), ssh,
                  ";", "set-option", "-t", "t", "remain-on-exit", "on",
                  ";", "pipe-pane", "-t", "t", "-o", f"cat >> {self.log}")

    def tmux(self, *args: str) -> str:
        return subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", "t", "-p", "-J", "-S", "-")  # joined, with history

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "t", key)
            time.sleep(0.15)

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not on screen within {timeout}s:\n{self.screen()}")

    def app_pid(self) -> int:
        """The dealmon process: a python running `-m tui` in this test's directory."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                    exe = os.readlink(f"/proc/{pid}/exe")
                    cwd = os.readlink(f"/proc/{pid}/cwd")
                except OSError:
                    continue
                if "python" in os.path.basename(exe) and "-m tui" in cmd and cwd == self.marker:
                    self.pids.append(int(pid))
                    return int(pid)
            time.sleep(0.1)
        raise AssertionError("dealmon process not found")

    def client_pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip())

    def wire(self) -> bytes:
        time.sleep(0.3)
        return self.log.read_bytes() if self.log.exists() else b""

    def close(self) -> None:
        self.tmux("kill-server")
        # Never leave a dealmon behind, even after a failed test (a spinning orphan would
        # skew every later measurement on this machine).
        for pid in self.pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def session(sshd, tmp_path):
    made = []

    def start(args: str = "config", env: str = "TERM=xterm-256color", size=(100, 30), ignore_hup: bool = False):
        if not (tmp_path / "config").exists():
            shutil.copytree(REPO / "config", tmp_path / "config")
        launcher = "-m tui"
        if ignore_hup:  # like nohup or some supervisors, but keeping the terminal
            (tmp_path / "ignore_hup.py").write_text(
                "import os, signal, sys\nsignal.signal(signal.SIGHUP, signal.SIG_IGN)\n"
                "os.execv(sys.executable, [sys.executable, '-m', 'tui', *sys.argv[1:]])\n")
            launcher = "ignore_hup.py"
        s = Session(sshd, tmp_path, f"{sys.executable} {launcher} {args}", size, env)
        made.append(s)
        return s
    yield start
    for s in made:
        s.close()


def test_monitor_over_ssh_keys_reload_and_quit(session, tmp_path):
    s = session()
    s.wait_for("anthropic-spacex")
    screen = s.wait_for("Countdowns")
    assert "Deal terms" in screen and "Capacity" in screen and "At risk" in screen
    s.keys("/", "g", "o", "o", "Enter")
    screen = s.wait_for("filter: goo")
    assert "google-spacex" in screen and "anthropic-spacex  Anthropic" not in screen
    s.keys("Escape")
    s.wait_for("Deal terms (2)")
    s.keys("Enter")
    s.wait_for("Computed dates")
    s.keys("Escape")
    s.wait_for("Deal terms (2)")
    s.keys("]")
    s.wait_for("★ not today")
    s.keys("t")
    s.wait_for("(today)")
    deals = tmp_path / "config" / "deals.yaml"
    deals.write_text(deals.read_text().replace("google-spacex:", "alphabet-spacex:"))
    s.wait_for("alphabet-spacex")
    pid = s.app_pid()
    s.keys("q")
    assert gone_within(pid)
    wire = s.wire()
    # The terminal is restored: the alternate screen is left and mouse tracking is off at the end.
    assert wire.rfind(b"\x1b[?1049l") > wire.rfind(b"\x1b[?1049h") >= 0
    assert wire.rfind(b"\x1b[?1000l") > wire.rfind(b"\x1b[?1000h")


@pytest.mark.parametrize("how", ["client", "sshd-session"])
def test_link_drop_ends_the_app(session, how):
    s = session()
    s.wait_for("anthropic-spacex")
    pid = s.app_pid()
    if how == "client":
        os.kill(s.client_pid(), signal.SIGKILL)
    else:
        os.kill(int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]), signal.SIGKILL)
    assert gone_within(pid), f"dealmon still running 5 s after the {how} was killed"


def test_link_drop_with_sighup_ignored_does_not_spin(session):
    s = session(ignore_hup=True)  # SIGHUP is ignored when dealmon starts
    s.wait_for("anthropic-spacex")
    pid = s.app_pid()
    before = cpu_seconds(pid)
    started = time.monotonic()
    os.kill(s.client_pid(), signal.SIGKILL)
    while alive(pid) and time.monotonic() - started < 5:
        time.sleep(0.1)
    if alive(pid):
        spent = cpu_seconds(pid) - before
        pytest.fail(f"still running after 5 s, {spent:.2f} s of CPU since the link dropped")
    # (it exited: the SIGHUP handler or the terminal check ended it, no busy loop left behind)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_signals_exit_cleanly(session, signum):
    s = session()
    s.wait_for("anthropic-spacex")
    pid = s.app_pid()
    os.kill(pid, signum)
    assert gone_within(pid)
    wire = s.wire()
    assert wire.rfind(b"\x1b[?1049l") > wire.rfind(b"\x1b[?1049h") >= 0


HOSTILE_YAML = r'''
providers:
  p: {name: "Space\e]0;pwned\e\\X"}
deals:
  evil-title:
    buyer: "Title\e]0;pwned\e\\Buyer"
    provider: p
    start: 2026-01-01
    end: 2026-12-20
    notes: "wipe\e[2Jwipe and \x9b31mcsi and clip\e]52;c;ZXZpbA==\a and \u202eevil"
    tags: ["\e[2Jtag"]
  evil-csi:
    buyer: "Csi\x9b31mBuyer"
    provider: p
    start: 2026-01-01
  evil-clip:
    buyer: "Clip\e]52;c;ZXZpbA==\aBuyer"
    provider: p
    start: 2026-01-01
  evil-bidi:
    buyer: "Bidi\u202eBuyer"
    provider: p
    start: 2026-01-01
'''


def test_hostile_text_never_reaches_the_ssh_client(session, tmp_path):
    (tmp_path / "hostile").mkdir()
    (tmp_path / "hostile" / "h.yaml").write_text(HOSTILE_YAML, encoding="utf-8")
    s = session(args="hostile", size=(160, 48))
    s.wait_for("evil-title")
    for _ in range(4):  # every hostile deal's details (notes, tags, claims) too
        s.keys("Enter")
        s.wait_for("Computed dates")
        s.keys("Escape")
        s.wait_for("Deal terms")
        s.keys("Down")
    wire = s.wire()
    assert b"wipe" in wire and b"clip" in wire  # the notes were on screen
    assert b"Title\xe2\x90\x9b]0;pwned" in wire or "Title␛]0;pwned".encode() in wire  # shown, defused
    for bad in (b"\x1b]0;pwned", b"\x1b[2Jwipe", b"\x1b[2Jtag", "\x9b".encode(), b"\x9b31m",
                b"\x1b]52;c;", "\u202e".encode()):
        assert bad not in wire, bad


def hues(wire: bytes) -> set[str]:
    """The colours with a hue in the SGR sequences of `wire` (greys, black and white left out)."""
    found = set()
    for m in re.finditer(rb"\x1b\[([0-9;]*)m", wire):
        params = [int(p) for p in m.group(1).split(b";") if p]
        i = 0
        while i < len(params):
            p = params[i]
            if p in (38, 48) and i + 2 < len(params) and params[i + 1] == 5:
                n = params[i + 2]
                grey = n in (0, 7, 8, 15) or n >= 232 or (16 <= n <= 231 and len({(n - 16) // 36, (n - 16) // 6 % 6,
                                                                                      (n - 16) % 6}) == 1)
                if not grey:
                    found.add(f"{p};5;{n}")
                i += 3
            elif p in (38, 48) and i + 4 < len(params) and params[i + 1] == 2:
                if len(set(params[i + 2:i + 5])) > 1:
                    found.add(";".join(map(str, params[i:i + 5])))
                i += 5
            else:
                if 31 <= p <= 36 or 41 <= p <= 46 or 91 <= p <= 96 or 101 <= p <= 106:
                    found.add(str(p))
                i += 1
    return found


EVENT_ROW = re.compile(r"\d{4}-\d\d-\d\d +(?:today|[\d,]+ days?) +(critical|warn|ok) ")


@pytest.mark.parametrize("env", [
    "TERM=xterm-256color", "TERM=screen-256color", "TERM=linux", "TERM=xterm-256color NO_COLOR=1",
    "TERM=xterm-256color LC_ALL=C", "TERM=xterm-256color COLORTERM=",
])
def test_terminals(session, env):
    s = session(env=env)
    s.wait_for("anthropic-spacex")
    screen = s.wait_for("Countdowns")
    rows = [line for line in screen.splitlines() if re.search(r"│ \d{4}-\d\d-\d\d ", line)]
    assert rows and all(EVENT_ROW.search(line) for line in rows), rows  # every band reads as text too
    colours = hues(s.wire())
    if "NO_COLOR=1" in env:
        assert colours == set()  # greys only: Textual turns every colour into a grey
    else:
        assert colours  # (the check above can fail: colours do reach the terminal otherwise)
    pid = s.app_pid()
    s.keys("q")
    assert gone_within(pid)


def test_hues_tells_colour_from_grey():
    assert hues(b"\x1b[1;38;5;244;48;5;16m x \x1b[38;2;9;9;9m\x1b[0m") == set()
    assert hues(b"\x1b[38;5;208m\x1b[31m\x1b[48;2;1;2;3m") == {"38;5;208", "31", "48;2;1;2;3"}


def test_dumb_terminal_is_refused_plainly(session):
    s = session(env="TERM=dumb")
    s.wait_for("TERM=dumb cannot show the monitor")


def test_resize_storm(session):
    s = session(size=(200, 50))
    s.wait_for("anthropic-spacex")
    pid = s.app_pid()
    for w, h in [(80, 24), (20, 5), (1, 1), (120, 40), (80, 24), (200, 50), (79, 23), (200, 50)]:
        s.tmux("resize-window", "-t", "t", "-x", str(w), "-y", str(h))
        time.sleep(0.1)
    time.sleep(1)
    assert alive(pid)
    s.tmux("resize-window", "-t", "t", "-x", "20", "-y", "5")
    s.wait_for("too small")
    s.tmux("resize-window", "-t", "t", "-x", "100", "-y", "30")
    s.wait_for("anthropic-spacex")
