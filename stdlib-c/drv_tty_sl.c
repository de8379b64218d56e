/* drv_tty_sl.c — tty_sl, the terminal driver of the interactive shell.
 * OTP 25's user_drv opens it with open_port({spawn, "tty_sl -c -e"}, [eof]);
 * as in ERTS it is a built-in driver found by the first word of the command.
 *
 * Start fails (einval) unless fds 0 and 1 are terminals, when another
 * tty_sl port is open, or when the terminal has no usable capabilities:
 * user_drv then falls back to the old shell (user.erl), as on ERTS.
 * Arguments: -c/+c canonical mode off/on, -e/+e echo off/on, -s/+s signals
 * (ISIG, IXON, ...) off/on; another word is a terminal device to use
 * instead of fd 0.  The terminal mode is restored when the port stops and
 * at exit (atexit), and set again on SIGCONT.
 *
 * Input: the bytes read from the terminal, {Port, {data, Bytes}} in UTF-8:
 * whole UTF-8 sequences when the locale's codeset is UTF-8 (a partial one
 * waits for its end; invalid input switches to Latin-1), else each byte
 * as a Latin-1 character.
 *
 * Output commands (port_command), first byte the op:
 *   0 PUTC Chars   1 MOVE Int16   2 INSC Chars   3 DELC Int16   4 BEEP
 *   5 PUTC_SYNC Chars: as PUTC, then {Port, ok} once at most 1024 bytes
 *     are still queued for the terminal.
 * The driver keeps the current line (what is on the screen since the last
 * newline) in cells, as ERTS's ttsl_drv.c: printable characters (wide
 * ones take two columns), tabs padded to 8, control characters shown as
 * ^X, and outside UTF-8 mode non-Latin-1 characters as \ooo or \x{H}.  It
 * tracks the cursor column to move over wrapped lines ("xn" terminals get
 * the character at a wrap written again so the cursor lands right).  The
 * same cells and rules as ERTS give the same bytes on the terminal.
 *
 * Cursor movements come from the terminal's capabilities (up, do, le/bs,
 * nd, xn, co) through the termcap interface of libtinfo (ncurses) when
 * configure found it (HAVE_TERMCAP); without it, fixed ANSI/VT100
 * sequences (ESC[A up, LF down, BS left, ESC[C right, auto-margin with xn)
 * and the window width.
 *
 * port_control, with ERTS's tty magic 0x018b0900 added to the op (plain
 * ops are badarg, as on ERTS): 100 window size (two native 32-bit words,
 * columns then rows), 101 unicode state ([0|1]), 102 set unicode state
 * (returns the old one). */
#define _GNU_SOURCE
#include "config.h"
#include "../emu/port.h"
#include "../emu/poll.h"
#include "../emu/atom.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <sys/ioctl.h>
#ifdef HAVE_TERMCAP
#include <termcap.h>
#endif

enum { OP_PUTC, OP_MOVE, OP_INSC, OP_DELC, OP_BEEP, OP_PUTC_SYNC };
#define TTY_MAGIC 0x018b0900u
enum { CTRL_WINSIZE = 100, CTRL_GET_UNICODE = 101, CTRL_SET_UNICODE = 102 };
#define SYNC_LIMIT 1024         /* queued bytes above which {Port, ok} waits */
#define LINE_LIMIT (1 << 16)    /* a longer line gets a newline first */

/* Line cells: a character, or a tag with the character in the low bits.
 * A tag with no character is padding that belongs to the cell before. */
#define C_CTRL 0x10000000u      /* ^X (two cells) or a tab (to the next stop) */
#define C_ESC  0x01000000u      /* \ooo or \x{H} (several cells) */
#define C_WIDE 0x02000000u      /* extra column(s) before a wide character */
#define C_TAGS 0xFF000000u
#define IS_PAD(c) (((c) & C_TAGS) && !((c) & ~C_TAGS))

static struct Tty {
    TbPort *port;              /* NULL: not open */
    int fd;                    /* the terminal: read and written */
    bool own_fd;               /* opened here (closed at stop) */
    int fd_flags;              /* fcntl flags to give back when !own_fd */
    struct termios saved, raw;
    bool raw_set;
    TbDrvIo io;                /* output queue */
    bool send_ok;              /* a PUTC_SYNC waits for the queue to drain */
    bool utf8;
    uint8_t partial[4];        /* incomplete UTF-8 input */
    int npartial;
    /* the current line */
    uint32_t *cell;
    int cap, len, pos;         /* len may go negative after a newline, as in ERTS */
    /* terminal */
    int cols;
    bool xn;
    const char *up, *down, *left, *right;
    char capbuf[1024];
    /* bytes being built for the terminal */
    uint8_t *ob;
    size_t olen, ocap;
} T = {.fd = -1};

static volatile sig_atomic_t winch_seen;
static bool atexit_done;

/* ---------------- output bytes ---------------- */
static void emit(int c) {
    if (T.olen == T.ocap) {
        T.ocap = T.ocap ? 2 * T.ocap : 1024;
        T.ob = realloc(T.ob, T.ocap);
        if (!T.ob) abort();
    }
    T.ob[T.olen++] = (uint8_t)c;
}

#ifdef HAVE_TERMCAP
static int emit_tc(int c) { emit(c); return c; }
static void emit_cap(const char *s) { tputs(s, 1, emit_tc); }
#else
static void emit_cap(const char *s) { while (*s) emit((uint8_t)*s++); }
#endif

static void cursor_rep(const char *cap, int n) { while (n-- > 0) emit_cap(cap); }

static void window_size(uint32_t *w, uint32_t *h) {
    struct winsize ws;
    *w = 80;
    *h = 24;
    if (T.fd >= 0 && ioctl(T.fd, TIOCGWINSZ, &ws) == 0) {
        if (ws.ws_col) *w = ws.ws_col;
        if (ws.ws_row) *h = ws.ws_row;
    }
}

/* After SIGWINCH: the new width, read outside the handler. */
static void refresh_cols(void) {
    if (!winch_seen) return;
    winch_seen = 0;
    uint32_t w, h;
    window_size(&w, &h);
    T.cols = (int)w;
}

static int col_of(int p) { return p % T.cols; }
static int row_of(int p) { return p / T.cols; }

static void move_cursor(int from, int to) {
    refresh_cols();
    int dr = row_of(to) - row_of(from), dc = col_of(to) - col_of(from);
    if (dr > 0) cursor_rep(T.down, dr);
    else if (dr < 0) cursor_rep(T.up, -dr);
    if (dc > 0) cursor_rep(T.right, dc);
    else if (dc < 0) cursor_rep(T.left, -dc);
}

/* ---------------- UTF-8 ---------------- */
/* The code point at s[*i] (advancing *i), -2 if the sequence is cut
 * short, -1 if invalid (overlong, surrogate, U+FFFE/FFFF, > U+10FFFF). */
static int utf8_next(const uint8_t *s, int n, int *i) {
    int left = n - *i;
    if (left <= 0) return -1;
    const uint8_t *p = s + *i;
    uint8_t b = p[0];
    int need;
    uint32_t cp;
    if (b < 0x80) { (*i)++; return b; }
    if ((b & 0xE0) == 0xC0) { need = 2; cp = b & 0x1Fu; }
    else if ((b & 0xF0) == 0xE0) { need = 3; cp = b & 0x0Fu; }
    else if ((b & 0xF8) == 0xF0) { need = 4; cp = b & 0x07u; }
    else return -1;
    if (left < need) return -2;
    for (int k = 1; k < need; k++) {
        if ((p[k] & 0xC0) != 0x80) return -1;
        cp = cp << 6 | (p[k] & 0x3Fu);
    }
    if ((need == 2 && cp < 0x80) || (need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000)) return -1;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF || cp > 0x10FFFF) return -1;
    *i += need;
    return (int)cp;
}

/* UTF-8 of a valid code point into out; the byte count, 0 if not encodable. */
static int utf8_put(uint32_t cp, uint8_t *out) {
    if (cp < 0x80) { out[0] = (uint8_t)cp; return 1; }
    if (cp < 0x800) { out[0] = (uint8_t)(0xC0 | cp >> 6); out[1] = (uint8_t)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
        out[0] = (uint8_t)(0xE0 | cp >> 12); out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp < 0x110000) {
        out[0] = (uint8_t)(0xF0 | cp >> 18); out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (uint8_t)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

/* Digits of the escape of ch: 3 octal digits up to \777, else x{H...}. */
static int esc_digits(uint32_t ch) {
    int bits = 0;
    for (uint32_t c = ch; c; c >>= 1) bits++;
    if (bits <= 9) return 3;
    int hex = 0;
    for (uint32_t c = ch; c; c >>= 4) hex++;
    return hex + 3;
}

static int esc_format(uint32_t ch, char *buf) {
    int n = esc_digits(ch), k = 0;
    if (n == 3) {
        for (int d = 2; d >= 0; d--) buf[k++] = (char)('0' + ((ch >> (3 * d)) & 7));
    } else {
        buf[k++] = 'x';
        buf[k++] = '{';
        for (int d = n - 4; d >= 0; d--) buf[k++] = "0123456789ABCDEF"[(ch >> (4 * d)) & 15];
        buf[k++] = '}';
    }
    return k;
}

/* ---------------- the line ---------------- */
/* Room for n more input bytes anywhere in the line (a character takes at
 * most 10 cells: \x{10FFFF}). */
static void reserve(size_t n) {
    size_t need = (size_t)(T.len > T.pos ? T.len : T.pos) + 10 * n + 16;
    if (need <= (size_t)T.cap) return;
    size_t c = T.cap ? (size_t)T.cap : 1024;
    while (c < need) c *= 2;
    T.cell = realloc(T.cell, c * sizeof *T.cell);
    if (!T.cell) abort();
    T.cap = (int)c;
}

static bool printable(int ch) {
    return (T.utf8 && (ch >= 128 || isprint(ch))) || (ch <= 255 && isprint(ch));
}

/* Write n cells from the line at index at.  A write ending in the first
 * column on an "xn" terminal repeats a character and steps back so that
 * the cursor really is on the next row. */
static void write_cells(int at, int n) {
    uint8_t last_u8[4];
    int last_n = 0;
    int lastput = ' ';         /* 0: the last one was a multibyte character */
    refresh_cols();
    int i = at;
    while (n > 0) {
        uint32_t c = T.cell[i];
        if (!(c & C_TAGS)) {
            if (T.utf8) {
                int k = utf8_put(c, last_u8);
                if (k) { for (int j = 0; j < k; j++) emit(last_u8[j]); last_n = k; lastput = 0; }
            } else {
                emit((uint8_t)c);
                lastput = (uint8_t)c;
            }
            n--; i++;
        } else if (c == (C_CTRL | '\t')) {
            emit(lastput = ' ');
            n--; i++;
            while (n > 0 && T.cell[i] == C_CTRL) { emit(lastput = ' '); n--; i++; }
        } else if (c & C_CTRL) {
            emit('^');
            emit(lastput = (uint8_t)(c | 0x40));   /* DEL too gives "^" and the byte 0x7F, as ERTS 25 */
            n -= 2; i += 2;
        } else if (c & C_ESC) {
            char d[16];
            int k = esc_format(c & ~C_TAGS, d);
            emit('\\');
            for (int j = 0; j < k; j++) emit(lastput = (uint8_t)d[j]);
            n -= k + 1; i += k + 1;
        } else {                                   /* C_WIDE: the character follows */
            n--; i++;
        }
    }
    if (i != 0 && col_of(i) == 0 && T.xn) {
        if (i >= T.len) emit(' ');
        else if (lastput == 0) for (int j = 0; j < last_n; j++) emit(last_u8[j]);
        else emit(lastput);
        cursor_rep(T.left, 1);
    }
}

/* Put the characters of s (UTF-8) into the line at pos; newline, return
 * and escape are written out at once and start a new line.  Returns the
 * cells added since the last line start (those still to be written). */
static int insert_cells(const uint8_t *s, int n) {
    int i = 0, from = T.pos;
    while (i < n) {
        int ch = utf8_next(s, n, &i);
        if (ch < 0) ch = s[i++];                   /* invalid UTF-8: the byte itself */
        if (printable(ch)) {
            int w = wcwidth((wchar_t)ch);
            for (; w > 1; w--) T.cell[T.pos++] = C_WIDE | (uint32_t)ch;
            T.cell[T.pos++] = (uint32_t)ch;
        } else if (ch >= 128) {
            int k = esc_digits((uint32_t)ch);
            T.cell[T.pos++] = C_ESC | (uint32_t)ch;
            while (k--) T.cell[T.pos++] = C_ESC;
        } else if (ch == '\t') {
            T.cell[T.pos++] = C_CTRL | '\t';
            while (T.pos % 8) T.cell[T.pos++] = C_CTRL;
        } else if (ch == '\033' || ch == '\n' || ch == '\r') {
            write_cells(from, T.pos - from);
            if (ch == '\033') emit('\033');
            else { emit('\r'); if (ch == '\n') emit('\n'); }
            if (T.len > T.pos) memmove(T.cell, T.cell + T.pos, (size_t)(T.len - T.pos) * sizeof *T.cell);
            T.len -= T.pos;
            T.pos = from = 0;
        } else {
            T.cell[T.pos++] = C_CTRL | (uint32_t)ch;
            T.cell[T.pos++] = C_CTRL;
        }
    }
    return T.pos - from;
}

/* The cell index n characters from pos (backwards when n < 0). */
static int step_chars(int n) {
    int c = T.pos;
    for (; n > 0 && c < T.len; n--) {
        while (T.cell[c] & C_WIDE) c++;
        c++;
        while (c < T.len && IS_PAD(T.cell[c])) c++;
    }
    for (; n < 0 && c > 0; n++) {
        c--;
        while (c > 1 && (T.cell[c - 1] & C_WIDE)) c--;
        while (c > 0 && IS_PAD(T.cell[c])) c--;
    }
    return c;
}

static void put_chars(const uint8_t *s, int n) {
    reserve((size_t)n);
    int k = insert_cells(s, n);
    if (k > 0) write_cells(T.pos - k, k);
    if (T.pos > T.len) T.len = T.pos;
}

static void move_rel(int n) {
    int to = step_chars(n);
    move_cursor(T.pos, to);
    T.pos = to;
}

static void ins_chars(const uint8_t *s, int n) {
    reserve((size_t)n);
    int tl = T.len - T.pos;
    uint32_t *tail = NULL;
    if (tl > 0) {
        tail = malloc((size_t)tl * sizeof *tail);
        if (!tail) abort();
        memcpy(tail, T.cell + T.pos, (size_t)tl * sizeof *tail);
    }
    int k = insert_cells(s, n);
    if (tl > 0) {
        memcpy(T.cell + T.pos, tail, (size_t)tl * sizeof *tail);
        free(tail);
    }
    T.len += k;
    write_cells(T.pos - k, T.len - (T.pos - k));
    move_cursor(T.len, T.pos);
}

/* Delete n characters after (n > 0) or before (n < 0) the cursor; the
 * cursor ends at the start of the deleted stretch. */
static void del_chars(int n) {
    refresh_cols();
    int to = step_chars(n);
    int l, r;
    if (to > T.pos) {
        l = to - T.pos;
        r = T.len - T.pos - l;
        if (r > 0) memmove(T.cell + T.pos, T.cell + to, (size_t)r * sizeof *T.cell);
        T.len -= l;
    } else if (to < T.pos) {
        l = T.pos - to;
        r = T.len - T.pos;
        move_cursor(T.pos, T.pos - l);
        if (r > 0) memmove(T.cell + to, T.cell + T.pos, (size_t)r * sizeof *T.cell);
        T.pos -= l;
        T.len -= l;
    } else return;
    write_cells(T.pos, r);
    for (int i = 0; i < l; i++) emit(' ');
    if (col_of(T.len + l) == 0 && T.xn) { emit(' '); cursor_rep(T.left, 1); }
    move_cursor(T.len + l, T.pos);
}

/* ---------------- terminal modes ---------------- */
static void set_modes(const char *args) {
    int canon = 0, echo = 0, sig = 0;
    for (const char *s = strchr(args, ' '); s; s = strchr(s, ' ')) {
        s++;
        int flag = *s == '+' ? 1 : *s == '-' ? -1 : 0;
        if (!flag) continue;
        if (s[1] == 'c') canon = flag;
        if (s[1] == 'e') echo = flag;
        if (s[1] == 's') sig = flag;
    }
    struct termios *m = &T.raw;
    *m = T.saved;
    m->c_iflag &= ~(tcflag_t)ISTRIP;
    if (canon > 0) {
        m->c_iflag |= ICRNL;
        m->c_lflag |= ICANON;
        m->c_oflag |= OPOST;
        m->c_cc[VEOF] = T.saved.c_cc[VEOF];
    } else if (canon < 0) {
        m->c_iflag &= ~(tcflag_t)ICRNL;
        m->c_lflag &= ~(tcflag_t)ICANON;
        m->c_oflag &= ~(tcflag_t)OPOST;
        m->c_cc[VMIN] = 1;
        m->c_cc[VTIME] = 0;
    }
    if (echo > 0) m->c_lflag |= ECHO;
    else if (echo < 0) m->c_lflag &= ~(tcflag_t)ECHO;
    if (sig > 0) {
        m->c_iflag |= BRKINT | IGNPAR | ICRNL | IXON | IXANY;
        m->c_lflag |= ISIG | IEXTEN;
    } else if (sig < 0) {
        m->c_iflag &= ~(tcflag_t)(BRKINT | IGNPAR | ICRNL | IXON | IXANY);
        m->c_lflag &= ~(tcflag_t)(ISIG | IEXTEN);
    }
}

static void on_winch(int sig) { (void)sig; winch_seen = 1; }

static void on_cont(int sig) {
    (void)sig;
    if (T.raw_set && T.fd >= 0) tcsetattr(T.fd, TCSANOW, &T.raw);
}

static void set_signal(int sig, void (*fn)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* Write what is queued (blocking), give the terminal its mode back. */
static void restore_terminal(void) {
    if (T.fd < 0) return;
    if (T.io.oq_len > T.io.oq_off) {
        fcntl(T.fd, F_SETFL, fcntl(T.fd, F_GETFL) & ~O_NONBLOCK);
        while (T.io.oq_len > T.io.oq_off) {
            ssize_t n = write(T.fd, T.io.oq + T.io.oq_off, T.io.oq_len - T.io.oq_off);
            if (n < 0) { if (errno == EINTR) continue; break; }
            T.io.oq_off += (size_t)n;
        }
        T.io.oq_off = T.io.oq_len = 0;
    }
    if (T.raw_set) { tcsetattr(T.fd, TCSANOW, &T.saved); T.raw_set = false; }
    if (!T.own_fd) fcntl(T.fd, F_SETFL, T.fd_flags);
}

static void at_exit(void) {
    if (T.port) restore_terminal();
}

/* ---------------- terminal capabilities ---------------- */
static bool caps_init(void) {
    const char *term = getenv("TERM");
    if (!term) return false;
#ifdef HAVE_TERMCAP
    static char entry[4096];
    if (tgetent(entry, term) <= 0) return false;
    char *area = T.capbuf;
    T.cols = tgetnum("co");
    if (T.cols <= 0) T.cols = 80;
    T.xn = tgetflag("xn") > 0;
    T.up = tgetstr("up", &area);
    T.down = tgetstr("do", &area);
    if (!T.down) T.down = "\n";
    T.left = tgetflag("bs") > 0 ? "\b" : tgetstr("bc", &area);
    if (!T.left) T.left = "\b";
    T.right = tgetstr("nd", &area);
    return T.up && T.right;
#else
    if (!*term || strcmp(term, "dumb") == 0) return false;
    uint32_t w, h;
    window_size(&w, &h);
    T.cols = (int)w;
    T.xn = true;
    T.up = "\033[A";
    T.down = "\n";
    T.left = "\b";
    T.right = "\033[C";
    return true;
#endif
}

/* ---------------- the driver ---------------- */
static void flush_out(TbPort *port) {
    if (!T.olen) return;
    fflush(stdout);             /* erlang:display output first, as written */
    if (!tb_drvio_output(port, &T.io, T.ob, T.olen)) { T.olen = 0; tb_drv_failure_errno(port, errno); return; }
    T.olen = 0;
}

static void *tty_start(TbPort *port, const TbPortOpts *o, int *err) {
    *err = TB_DRV_ERR_GENERAL;
    if (T.port) return NULL;                       /* one at a time */
    if (!isatty(0) || !isatty(1)) return NULL;
    /* a device named in the arguments, else the terminal on fd 0: opened
     * again so that non-blocking I/O does not change the shared fd 0 */
    int fd = -1;
    bool own = false;
    for (const char *s = strchr(o->name, ' '); s; s = strchr(s, ' ')) {
        s++;
        if (*s == '+' || *s == '-' || *s == ' ' || !*s) continue;
        size_t l = strcspn(s, " ");
        char *dev = strndup(s, l);
        if (!dev) abort();
        fd = open(dev, O_RDWR | O_NOCTTY | O_CLOEXEC);
        free(dev);
        if (fd < 0) return NULL;
        own = true;
    }
    if (fd < 0) {
        char name[256];
        if (ttyname_r(0, name, sizeof name) == 0) {
            fd = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
            own = fd >= 0;
        }
        if (fd < 0) fd = 0;
    }
    T.fd = fd;
    T.own_fd = own;
    T.fd_flags = fcntl(fd, F_GETFL);
    if (tcgetattr(fd, &T.saved) < 0) goto fail;
    set_modes(o->name);
    if (tcsetattr(fd, TCSANOW, &T.raw) < 0) goto fail;
    T.raw_set = true;
    if (!caps_init()) goto fail;
    fcntl(fd, F_SETFL, T.fd_flags | O_NONBLOCK);

    const char *loc = setlocale(LC_CTYPE, "");     /* kept, as ERTS (wcwidth needs it) */
    T.utf8 = loc && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    T.len = T.pos = 0;
    T.npartial = 0;
    T.send_ok = false;
    reserve(0);
    memset(&T.io, 0, sizeof T.io);
    T.io.ifd = -1;
    T.io.ofd = fd;
    T.io.busy_low = T.io.busy_high = 0;            /* never busy: user_drv must not block */
    T.olen = 0;
    if (!tb_drv_select(port, fd, TB_POLL_IN, true)) goto fail;
    tb_ignore_sigpipe();
    winch_seen = 0;
    set_signal(SIGWINCH, on_winch);
    set_signal(SIGCONT, on_cont);
    if (!atexit_done) { atexit(at_exit); atexit_done = true; }
    T.port = port;
    port->drv_data = &T;
    return &T;
fail:
    if (T.raw_set) { tcsetattr(fd, TCSANOW, &T.saved); T.raw_set = false; }
    if (own) close(fd);
    else fcntl(fd, F_SETFL, T.fd_flags);
    T.fd = -1;
    return NULL;
}

static void tty_stop(TbPort *port) {
    if (T.port != port) return;
    tb_drv_select(port, T.fd, TB_POLL_IN | TB_POLL_OUT, false);
    restore_terminal();
    signal(SIGWINCH, SIG_DFL);
    signal(SIGCONT, SIG_DFL);
    if (T.own_fd) close(T.fd);
    tb_drvio_free(&T.io);
    T.fd = -1;
    T.port = NULL;
}

static int16_t get_int16(const uint8_t *b) { return (int16_t)(uint16_t)(b[0] << 8 | b[1]); }

static void tty_output(TbPort *port, const uint8_t *buf, size_t len) {
    if (!len) return;
    if (T.pos > LINE_LIMIT) put_chars((const uint8_t *)"\n", 1);
    const uint8_t *a = buf + 1;
    int n = (int)(len - 1);
    switch (buf[0]) {
    case OP_PUTC:
    case OP_PUTC_SYNC: put_chars(a, n); break;
    case OP_MOVE: if (n >= 2) move_rel(get_int16(a)); break;
    case OP_INSC: ins_chars(a, n); break;
    case OP_DELC: if (n >= 2) del_chars(get_int16(a)); break;
    case OP_BEEP: emit('\007'); break;
    default: break;                                /* unknown ops are ignored */
    }
    flush_out(port);
    if (buf[0] == OP_PUTC_SYNC && port->state == TB_PORT_ALIVE) {
        if (port->ioq_size > SYNC_LIMIT) T.send_ok = true;
        else tb_drv_output_atom(port, tb_atom_cstr("ok"));
    }
}

static void tty_ready_output(TbPort *port, int fd) {
    (void)fd;
    if (!tb_drvio_ready_output(port, &T.io)) { tb_drv_failure_errno(port, errno); return; }
    if (T.send_ok && port->ioq_size < SYNC_LIMIT) {
        T.send_ok = false;
        tb_drv_output_atom(port, tb_atom_cstr("ok"));
    }
}

static void tty_ready_input(TbPort *port, int fd) {
    uint8_t b[1024];
    int have = T.npartial;
    memcpy(b, T.partial, (size_t)have);
    T.npartial = 0;
    ssize_t r = read(fd, b + have, sizeof b - (size_t)have);
    if (r < 0) {
        if (errno == EAGAIN || errno == EINTR) { memcpy(T.partial, b, (size_t)have); T.npartial = have; return; }
        tb_drv_select(port, fd, TB_POLL_IN, false);
        tb_drv_failure_errno(port, errno);
        return;
    }
    if (r == 0) {                                  /* hung up */
        tb_drv_select(port, fd, TB_POLL_IN, false);
        tb_drv_failure_eof(port);
        return;
    }
    int n = have + (int)r, i = 0, ch = 0;
    if (T.utf8) {
        while (i < n && (ch = utf8_next(b, n, &i)) >= 0) {}
        if (ch == -2) {                            /* the rest of a character comes later */
            T.npartial = n - i;
            memcpy(T.partial, b + i, (size_t)T.npartial);
        } else if (ch == -1) {
            T.utf8 = false;                        /* not a UTF-8 terminal after all */
        }
        if (T.utf8 || i > 0) tb_drv_output(port, b, (size_t)i);
        if (T.utf8) return;
    }
    /* Latin-1: each byte is a character */
    uint8_t u[2048];
    int k = 0;
    for (; i < n; i++) k += utf8_put(b[i], u + k);
    tb_drv_output(port, u, (size_t)k);
}

static long tty_control(TbPort *port, unsigned cmd, const uint8_t *buf, size_t len, uint8_t **res) {
    (void)port;
    if (cmd < TTY_MAGIC) return -1;
    cmd -= TTY_MAGIC;
    uint8_t out[8];
    size_t n;
    switch (cmd) {
    case CTRL_WINSIZE: {
        uint32_t w, h;
        window_size(&w, &h);
        memcpy(out, &w, 4);
        memcpy(out + 4, &h, 4);
        n = 8;
        break;
    }
    case CTRL_GET_UNICODE:
        out[0] = T.utf8;
        n = 1;
        break;
    case CTRL_SET_UNICODE:
        if (!len) return 0;
        out[0] = T.utf8;
        n = 1;
        T.utf8 = buf[0] != 0;
        break;
    default:
        return -1;
    }
    *res = malloc(n);
    if (!*res) abort();
    memcpy(*res, out, n);
    return (long)n;
}

const TbDriver tb_tty_sl_driver = {
    .name = "tty_sl",
    .start = tty_start,
    .stop = tty_stop,
    .output = tty_output,
    .control = tty_control,
    .ready_input = tty_ready_input,
    .ready_output = tty_ready_output,
};
