/* break.c — Ctrl-C: ERTS's break handler.  SIGINT shows the BREAK menu on
 * stdout with the terminal in the mode it had when the VM started
 * (canonical, echo), reads one line from fd 0 and acts on its first
 * character, as ERTS 25:
 *   a, q, *    abort: exit status 0 at once (no halt of OTP)
 *   c          continue: the terminal mode of before comes back
 *   v          "Erlang (BEAM) emulator version 13.1.5", continue
 *   m          continue
 *   newline    read again
 *   other      "Invalid option 'x'. Please enter one of the following:",
 *              the menu again, read again
 *   A p o i l d D k  (crash dump, process/port/system info, loaded modules,
 *              distribution, ETS tables, process killer): not supported
 *              here ("tbeam: break option (x) is not supported"); continue
 * End of input there aborts as (a).  A second Ctrl-C while the menu is up
 * exits at once (status 0), as ERTS.  Like ERTS, line ends are "\r\n"
 * when stdout is a terminal.
 *
 * The menu runs inside the signal handler, which stops the VM as ERTS
 * stops its schedulers; it uses only async-signal-safe calls (read,
 * write, tcgetattr/tcsetattr, fcntl, _exit).  So an abort does not flush
 * stdio buffers of the VM (a terminal's are line-buffered). */
#define _GNU_SOURCE
#include "break.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define TB_BREAK_VSN "13.1.5"   /* the ERTS version tbeam stands for (system_info(version)) */
#define MENU "\nBREAK: (a)bort (A)bort with dump (c)ontinue (p)roc info (i)nfo\n" \
             "       (l)oaded (v)ersion (k)ill (D)b-tables (d)istribution\n"

static struct termios initial;
static bool have_initial, out_tty;
static volatile sig_atomic_t in_break;

static void say(const char *s) {
    size_t n = strlen(s);
    while (n) {
        ssize_t w = write(1, s, n);
        if (w < 0) { if (errno == EINTR) continue; return; }
        s += w;
        n -= (size_t)w;
    }
}

/* s with each "\n" as "\r\n" when stdout is a terminal. */
static void say_lines(const char *s) {
    if (!out_tty) { say(s); return; }
    char buf[256];
    size_t k = 0;
    for (; *s; s++) {
        if (k + 2 >= sizeof buf) { buf[k] = 0; say(buf); k = 0; }
        if (*s == '\n') buf[k++] = '\r';
        buf[k++] = *s;
    }
    buf[k] = 0;
    say(buf);
}

static __attribute__((noreturn)) void abort_vm(void) {
    if (have_initial) tcsetattr(0, TCSANOW, &initial);
    _exit(0);
}

static void on_sigint(int sig) {
    (void)sig;
    if (in_break) abort_vm();                  /* ^C at the menu */
    in_break = 1;
    int saved_errno = errno;
    struct termios cur;
    bool restore = have_initial && tcgetattr(0, &cur) == 0;
    if (restore) tcsetattr(0, TCSANOW, &initial);
    int fl = fcntl(0, F_GETFL);
    if (fl >= 0 && (fl & O_NONBLOCK)) fcntl(0, F_SETFL, fl & ~O_NONBLOCK);
    say_lines(MENU);
    for (bool done = false; !done;) {
        char buf[64];
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) abort_vm();
        switch (buf[0]) {
        case 'a': case 'q': case '*':
            abort_vm();
        case 'c': case 'm':
            done = true;
            break;
        case 'v':
            say_lines("Erlang (BEAM) emulator version " TB_BREAK_VSN "\n");
            done = true;
            break;
        case '\n':
            break;
        case 'A': case 'p': case 'o': case 'i': case 'l': case 'd': case 'D': case 'k': {
            char msg[] = "tbeam: break option (?) is not supported\n";
            *strchr(msg, '?') = buf[0];
            say_lines(msg);
            done = true;
            break;
        }
        default: {
            char msg[] = "Invalid option '?'. Please enter one of the following:";
            *strchr(msg, '?') = buf[0];
            say_lines(msg);
            say_lines(MENU);
            break;
        }
        }
    }
    if (fl >= 0 && (fl & O_NONBLOCK)) fcntl(0, F_SETFL, fl);
    if (restore) tcsetattr(0, TCSANOW, &cur);
    errno = saved_errno;
    in_break = 0;
}

void tb_break_init(void) {
    have_initial = isatty(0) && tcgetattr(0, &initial) == 0;
    out_tty = isatty(1);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESTART | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}
