#!/usr/bin/env python3
"""pty.py — the interactive shell on a terminal: tty_sl, edlin, user_drv.

Runs each session below on a fresh pseudo-terminal (80x24, TERM=xterm,
LANG=C.UTF-8), first with the reference `erl` (the expectations must hold
on ERTS), then with tbeam, and checks:
  - the expectations of each step (what the screen shows),
  - the terminal is in raw mode while the shell runs (tty_sl, not the old
    shell) and gets its mode back at exit, and the exit status,
  - tbeam's screen equals erl's, and so do the bytes written to the
    terminal, from "Eshell V" on (the line before names erl's own build).
The screen comes from a small terminal emulator (printable UTF-8 with
xterm's auto-margin, CR, LF, BS, BEL, ESC[nA/B/C/D/K).  Nothing here needs
a terminal of its own: make check runs it without one.  Every wait has a
timeout, so it never hangs.

Usage: pty.py [TBEAM]   (default ./tbeam).  Exit 0 when all pass."""
import os, sys, time, select, struct, fcntl, termios, signal, subprocess

TBEAM = sys.argv[1] if len(sys.argv) > 1 else "./tbeam"
COLS, ROWS = 80, 24
LEFT, RIGHT, UP = b"\x1b[D", b"\x1b[C", b"\x1b[A"
BS = b"\x7f"


class Screen:
    """Enough of an xterm to render what tty_sl writes."""
    def __init__(self, cols):
        self.cols, self.lines, self.row, self.col, self.pend = cols, [[]], 0, 0, False
        self.esc = None
        self.u8 = b""

    def _cell(self, ch):
        if self.pend:
            self.pend, self.col = False, 0
            self._down()
        line = self.lines[self.row]
        while len(line) <= self.col:
            line.append(" ")
        line[self.col] = ch
        if self.col == self.cols - 1:
            self.pend = True
        else:
            self.col += 1

    def _down(self):
        self.row += 1
        while len(self.lines) <= self.row:
            self.lines.append([])

    def feed(self, data):
        for b in data:
            if self.esc is not None:
                self.esc += bytes([b])
                if len(self.esc) == 1 and b != ord("["):
                    self.esc = None          # ESC x: ignored
                elif len(self.esc) > 1 and 0x40 <= b <= 0x7E:
                    self._csi(self.esc[1:-1].decode(), chr(b))
                    self.esc = None
                continue
            if self.u8:
                self.u8 += bytes([b])
                try:
                    ch = self.u8.decode("utf-8")
                except UnicodeDecodeError:
                    if len(self.u8) >= 4:
                        self.u8 = b""
                    continue
                self.u8 = b""
                self._cell(ch)
                continue
            if b == 0x1B:
                self.esc = b""
            elif b == 0x0D:
                self.col, self.pend = 0, False
            elif b == 0x0A:
                self._down()
            elif b == 0x08:
                if self.pend:
                    self.pend = False
                elif self.col > 0:
                    self.col -= 1
            elif b == 0x07:
                pass
            elif b >= 0x80:
                self.u8 = bytes([b])
            elif b >= 0x20:
                self._cell(chr(b))

    def _csi(self, params, final):
        n = int(params) if params.isdigit() else 1
        self.pend = False
        if final == "A":
            self.row = max(0, self.row - n)
        elif final == "B":
            for _ in range(n):
                self._down()
        elif final == "C":
            self.col = min(self.cols - 1, self.col + n)
        elif final == "D":
            self.col = max(0, self.col - n)
        elif final == "K":
            del self.lines[self.row][self.col:]

    def text(self):
        return ["".join(l).rstrip() for l in self.lines]

    def cursor_line(self):
        return "".join(self.lines[self.row]).rstrip()


class Failure(Exception):
    pass


class Session:
    def __init__(self, cmd):
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.mode_before = termios.tcgetattr(self.slave)
        self.flags_before = fcntl.fcntl(self.slave, fcntl.F_GETFL)
        env = dict(os.environ, TERM="xterm", LANG="C.UTF-8")
        env.pop("LC_ALL", None)
        env.pop("LC_CTYPE", None)
        slave = self.slave

        def child_setup():
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        self.proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     preexec_fn=child_setup, close_fds=True)
        self.raw = b""
        self.screen = Screen(COLS)
        self.status = None

    def pump(self, t):
        end = time.time() + t
        while True:
            left = end - time.time()
            r, _, _ = select.select([self.master], [], [], max(0, min(left, 0.05)))
            if r:
                try:
                    d = os.read(self.master, 65536)
                except OSError:
                    d = b""
                if d:
                    self.raw += d
                    self.screen.feed(d)
                    continue
            if left <= 0:
                return

    def wait(self, what, pred, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            self.pump(0.05)
            if pred(self.screen):
                self.pump(0.15)          # let the rest of the burst arrive
                return
        raise Failure("timed out waiting for %s; screen:\n  %s" % (what, "\n  ".join(self.screen.text()[-12:])))

    def prompt(self, n, timeout=20):
        self.wait("prompt %d> " % n, lambda s: s.cursor_line() == "%d>" % n and s.col == len("%d> " % n), timeout)

    def send(self, data):
        os.write(self.master, data)

    def expect_line(self, line):
        if line not in self.screen.text():
            raise Failure("no line %r on the screen:\n  %s" % (line, "\n  ".join(self.screen.text()[-12:])))

    def check_raw_mode(self):
        m = termios.tcgetattr(self.slave)
        if m[3] & (termios.ICANON | termios.ECHO):
            raise Failure("terminal not in raw mode (ICANON/ECHO still on): not the tty_sl shell")

    def finish(self, status, timeout=20, nonblock=True):
        end = time.time() + timeout
        while time.time() < end:
            self.pump(0.05)
            if self.proc.poll() is not None:
                break
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
            self.close()
            raise Failure("did not exit; screen:\n  %s" % "\n  ".join(self.screen.text()[-12:]))
        self.pump(0.1)
        self.status = self.proc.returncode
        after = termios.tcgetattr(self.slave)
        flags = fcntl.fcntl(self.slave, fcntl.F_GETFL)
        self.close()
        if self.status != status:
            raise Failure("exit status %s, expected %s" % (self.status, status))
        if after != self.mode_before:
            raise Failure("terminal mode not restored at exit:\n  before %r\n  after  %r" % (self.mode_before, after))
        if nonblock and (flags ^ self.flags_before) & os.O_NONBLOCK:
            raise Failure("O_NONBLOCK of the terminal changed at exit")

    def close(self):
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


# ---- sessions: each gets a Session and drives it; returns nothing, raises Failure ----
def s_basic(s):
    s.prompt(1)
    s.check_raw_mode()
    s.send(b"1+1.\r")
    s.prompt(2)
    s.expect_line("1> 1+1.")
    s.expect_line("2")
    # editing: 12+3, Left, Backspace (the +), *, Right, . -> 12*3. = 36
    for k in (b"12+3", LEFT, BS, b"*", RIGHT, b"."):
        s.send(k)
        s.pump(0.15)
    s.wait("the edited line", lambda sc: sc.cursor_line() == "2> 12*3.")
    s.send(b"\r")
    s.prompt(3)
    s.expect_line("36")
    # history: Up recalls 12*3.
    s.send(UP)
    s.wait("the recalled line", lambda sc: sc.cursor_line() == "3> 12*3.")
    s.send(b"\r")
    s.prompt(4)
    if s.screen.text().count("36") != 2:
        raise Failure("the recalled expression did not give 36 again")
    # Ctrl-A / Ctrl-E and a line longer than the terminal, edited across the wrap
    long_atoms = b"[" + b", ".join([b"a%02d" % i for i in range(30)]) + b"]"
    s.send(long_atoms)
    s.pump(0.2)
    s.send(b"\x01")            # beginning of line
    s.pump(0.15)
    s.send(b"length(")
    s.pump(0.15)
    s.send(b"\x05).\r")        # end of line, close
    s.prompt(5)
    s.expect_line("30")
    s.send(b"q().\r")
    s.finish(0)


def s_break(s):
    s.prompt(1)
    s.send(b"\x03")
    s.wait("the BREAK menu", lambda sc: any(l.startswith("BREAK: (a)bort") for l in sc.text()))
    s.send(b"x\n")
    s.wait("Invalid option", lambda sc: any(l.startswith("Invalid option 'x'") for l in sc.text()))
    s.send(b"c\n")
    s.pump(0.3)
    s.check_raw_mode()         # back in the shell's mode after (c)ontinue
    s.send(b"3+4.\r")
    s.wait("7", lambda sc: "7" in sc.text())
    s.prompt(2)
    s.send(b"\x03")
    s.pump(0.3)
    s.send(b"a\n")             # (a)bort: status 0, the terminal mode comes back
    s.finish(0, nonblock=False)  # (ERTS leaves fd 0 non-blocking after an abort)


def s_switch(s):
    s.prompt(1)
    s.send(b"\x07")            # ^G: user_drv's job control
    s.wait("the --> prompt", lambda sc: sc.cursor_line() == " -->")
    s.send(b"j\r")
    s.wait("the job list", lambda sc: "   1* {shell,start,[init]}" in sc.text())
    s.send(b"s\r")
    s.pump(0.3)
    s.send(b"c 2\r")
    s.prompt(1)                # a new shell
    s.send(b"5*5.\r")
    s.prompt(2)
    s.expect_line("25")
    s.send(b"halt().\r")
    s.finish(0)


SESSIONS = [("basic", s_basic), ("break", s_break), ("switch", s_switch)]


def after_banner(raw):
    """From "Eshell V...": the line before is erl's system_version (its build)."""
    i = raw.find(b"Eshell V")
    return raw[i:] if i >= 0 else raw


def screen_after_banner(lines):
    i = next((k for k, l in enumerate(lines) if l.startswith("Eshell V")), 0)
    return lines[i:]


def run(cmd, body):
    s = Session(cmd)
    try:
        body(s)
    except BaseException:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait()
        s.close()
        raise
    return s


def main():
    fails = 0
    for name, body in SESSIONS:
        try:
            ref = run(["erl"], body)
        except Failure as e:
            print("FAIL: shell/pty %s: the expectations do not hold on erl: %s" % (name, e))
            fails += 1
            continue
        try:
            got = run([TBEAM], body)
        except Failure as e:
            print("FAIL: shell/pty %s on tbeam: %s" % (name, e))
            fails += 1
            continue
        rs, gs = screen_after_banner(ref.screen.text()), screen_after_banner(got.screen.text())
        if rs != gs:
            print("FAIL: shell/pty %s: tbeam's screen differs from erl's" % name)
            for i, (a, b) in enumerate(zip(rs, gs)):
                if a != b:
                    print("  line %d after the banner\n    erl:   %r\n    tbeam: %r" % (i + 1, a, b))
                    break
            else:
                print("  erl %d lines, tbeam %d lines" % (len(rs), len(gs)))
            fails += 1
            continue
        ra, ga = after_banner(ref.raw), after_banner(got.raw)
        if ra != ga:
            i = next((k for k in range(min(len(ra), len(ga))) if ra[k] != ga[k]), min(len(ra), len(ga)))
            print("FAIL: shell/pty %s: tbeam wrote other bytes than erl from byte %d:\n    erl:   %r\n    tbeam: %r"
                  % (name, i, ra[max(0, i - 20):i + 40], ga[max(0, i - 20):i + 40]))
            fails += 1
            continue
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
