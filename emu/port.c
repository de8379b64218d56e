/* port.c — the port table, port signals and the driver-facing calls (see
 * port.h).  A driver callback never sees its port disappear under it: a
 * close requested while a callback runs (a failed write inside output(),
 * end of input inside ready_input()) is carried out when the outermost
 * callback returns. */
#include "port.h"
#include "poll.h"
#include "signals.h"
#include "msg.h"
#include "ptab.h"
#include "atom.h"
#include "binary.h"
#include "timer.h"
#include "utf8.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------- atoms ---------------- */
#define PORT_ATOMS(X) \
    X(port) X(data) X(eol) X(noeol) X(eof) X(exit_status) X(closed) X(connected) X(badsig) \
    X(badopt) X(notsup) X(command) X(close) X(connect) X(spawn) X(spawn_executable) \
    X(spawn_driver) X(fd) X(packet) X(stream) X(use_stdio) X(nouse_stdio) X(stderr_to_stdout) \
    X(in) X(out) X(hide) X(overlapped_io) X(args) X(arg0) X(cd) X(env) X(parallelism) \
    X(busy_limits_port) X(busy_limits_msgq) X(disabled) X(registered_name) X(links) X(id) \
    X(input) X(output) X(os_pid) X(monitors) X(monitored_by) X(memory) X(queue_size) \
    X(locking) X(port_level) X(driver_level) X(name) X(binary) X(line) X(unknown) X(ok)

static struct {
#define X(a) Term a;
    PORT_ATOMS(X)
#undef X
} pa;
static bool atoms_ready;

static void atoms_init(void) {
    if (atoms_ready) return;
#define X(a) pa.a = tb_atom_cstr(#a);
    PORT_ATOMS(X)
#undef X
    atoms_ready = true;
}

/* ---------------- table ---------------- */
#define PORT_DATA_MASK 0x0FFFFFFFu
static TbPort **tab;
static UWord tab_size, tab_mask, tab_count, next_num;

static bool tab_insert(TbPort *pt) {
    if (!tab_size) {
        tab_size = TB_PORT_DEFAULT_MAX;
        tab_mask = tab_size - 1;
        tab = calloc(tab_size, sizeof *tab);
        if (!tab) abort();
    }
    if (tab_count >= tab_size) return false;
    while (tab[next_num & tab_mask]) next_num = (next_num + 1) & PORT_DATA_MASK;
    tab[next_num & tab_mask] = pt;
    pt->id = make_port(next_num);
    next_num = (next_num + 1) & PORT_DATA_MASK;
    tab_count++;
    return true;
}

static void tab_remove(TbPort *pt) {
    UWord k = port_val(pt->id) & tab_mask;
    if (tab_size && tab[k] == pt) { tab[k] = NULL; tab_count--; }
}

TbPort *tb_port_lookup(Term id) {
    if (!is_internal_port(id) || !tab_size) return NULL;
    TbPort *pt = tab[port_val(id) & tab_mask];
    return pt && pt->id == id && pt->state == TB_PORT_ALIVE ? pt : NULL;
}

UWord tb_port_count(void) { return tab_count; }

TbPort *tb_port_next(UWord *i) {
    while (*i < tab_size) {
        TbPort *pt = tab[(*i)++];
        if (pt && pt->state == TB_PORT_ALIVE) return pt;
    }
    return NULL;
}

/* ---------------- names ---------------- */
typedef struct { Term name; TbPort *pt; } PortName;
static PortName *names;
static unsigned nnames, cap_names;

bool tb_port_register(Term name, TbPort *pt) {
    if (pt->reg_name != NIL || tb_port_whereis(name)) return false;
    if (nnames == cap_names) {
        cap_names = cap_names ? 2 * cap_names : 8;
        names = realloc(names, cap_names * sizeof *names);
        if (!names) abort();
    }
    names[nnames++] = (PortName){name, pt};
    pt->reg_name = name;
    return true;
}

TbPort *tb_port_whereis(Term name) {
    for (unsigned i = 0; i < nnames; i++)
        if (names[i].name == name) return names[i].pt;
    return NULL;
}

bool tb_port_unregister(Term name) {
    for (unsigned i = 0; i < nnames; i++)
        if (names[i].name == name) {
            names[i].pt->reg_name = NIL;
            names[i] = names[--nnames];
            return true;
        }
    return false;
}

TbPort *tb_port_resolve(Term t) {
    if (is_internal_port(t)) return tb_port_lookup(t);
    if (is_atom(t)) return tb_port_whereis(t);
    return NULL;
}

/* ---------------- messages to processes ---------------- */
static TbHeapFrag *frag_new(size_t words) {
    TbHeapFrag *f = malloc(sizeof *f + (words ? words : 1) * sizeof(Term));
    if (!f) abort();
    f->next = NULL;
    f->off_heap = NULL;
    f->used = f->size = words;
    return f;
}

/* Deliver msg (built in f) to pid if it is alive; frees f otherwise. */
static void deliver(Term pid, Term msg, TbHeapFrag *f) {
    TbProcess *q = tb_pid_lookup(pid);
    if (!q || q->status >= TB_PS_EXITING) { if (f) tb_heap_frag_free(f); return; }
    tb_msg_enqueue(q, msg, f);
}

/* {Port, X} where X is an immediate. */
static void send_tagged(TbPort *pt, Term to, Term x) {
    TbHeapFrag *f = frag_new(3);
    Term *hp = f->mem;
    hp[0] = make_arityval(2); hp[1] = pt->id; hp[2] = x;
    deliver(to, make_boxed(hp), f);
}

/* Words for data of len bytes in the port's mode. */
static size_t data_words(const TbPort *pt, size_t len) {
    if (!(pt->flags & TB_PORT_BINARY_IO)) return 2 * len;
    return len <= TB_HEAP_BIN_LIMIT ? heap_bin_words(len) : PROC_BIN_WORDS;
}

static Term build_data(TbPort *pt, TbHeapFrag *f, Term *hp, const uint8_t *buf, size_t len) {
    if (!(pt->flags & TB_PORT_BINARY_IO)) {
        Term l = NIL;
        for (size_t i = len; i-- > 0;) {
            hp[2 * i] = make_small(buf[i]);
            hp[2 * i + 1] = l;
            l = make_list(&hp[2 * i]);
        }
        return l;
    }
    if (len <= TB_HEAP_BIN_LIMIT) {
        TbHeapBin *hb = (TbHeapBin *)hp;
        hb->header = make_header(heap_bin_words(len) - 1, HDR_SUB_HEAP_BIN);
        hb->size = len;
        hp[heap_bin_words(len) - 1] = 0;
        if (len) memcpy(hb->data, buf, len);
        return make_boxed(hp);
    }
    TbBinary *b = tb_binary_alloc(len);
    memcpy(b->data, buf, len);
    TbProcBin *pb = (TbProcBin *)hp;
    pb->header = make_header(PROC_BIN_WORDS - 1, HDR_SUB_REFC_BIN);
    pb->size = len;
    pb->val = b;
    pb->bytes = b->data;
    pb->flags = 0;
    pb->next = f->off_heap;
    f->off_heap = pb;
    return make_boxed(hp);
}

/* {Port, {data, D}} or, with tag (eol/noeol), {Port, {data, {Tag, D}}}. */
static void send_data(TbPort *pt, Term tag, const uint8_t *buf, size_t len) {
    size_t extra = tag != NIL ? 3 : 0;
    TbHeapFrag *f = frag_new(6 + extra + data_words(pt, len));
    Term *hp = f->mem;
    Term d = build_data(pt, f, hp + 6 + extra, buf, len);
    if (tag != NIL) {
        Term *t = hp + 6;
        t[0] = make_arityval(2); t[1] = tag; t[2] = d;
        d = make_boxed(t);
    }
    hp[3] = make_arityval(2); hp[4] = pa.data; hp[5] = d;
    hp[0] = make_arityval(2); hp[1] = pt->id; hp[2] = make_boxed(hp + 3);
    deliver(pt->connected, make_boxed(hp), f);
}

static void send_down(Term to, const uint32_t ref[3], Term obj_port, Term name, Term reason) {
    TbHeapFrag *f;
    Term *hp;
    Term r = tb_msg_copy(reason, 6 + REF_THING_WORDS + 3, &f, &hp);
    Term obj = obj_port;
    if (name != NIL) {
        Term *t = hp + 6 + REF_THING_WORDS;
        t[0] = make_arityval(2); t[1] = name; t[2] = AM(nonode_at_nohost);
        obj = make_boxed(t);
    }
    TbRefThing *rt = (TbRefThing *)(hp + 6);
    rt->header = make_header(REF_THING_WORDS - 1, HDR_SUB_REF);
    memcpy(rt->num, ref, 3 * sizeof(uint32_t));
    rt->num[3] = 0;
    hp[0] = make_arityval(5); hp[1] = AM(DOWN); hp[2] = make_boxed((Term *)rt);
    /* ERTS 25: the tag is `process` when the reason is not an immediate */
    hp[3] = is_immed(reason) ? pa.port : AM(process); hp[4] = obj; hp[5] = r;
    deliver(to, make_boxed(hp), f);
}

static void log_error(const char *fmt, const char *arg) {
    fflush(stdout);
    fputs("=ERROR REPORT==== ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n\n", stderr);
}

/* ---------------- errno names ---------------- */
Term tb_drv_errno_atom(int err) {
    atoms_init();
    static const struct { int e; const char *n; } t[] = {
        {EPERM, "eperm"}, {ENOENT, "enoent"}, {ESRCH, "esrch"}, {EINTR, "eintr"}, {EIO, "eio"},
        {ENXIO, "enxio"}, {E2BIG, "e2big"}, {ENOEXEC, "enoexec"}, {EBADF, "ebadf"}, {ECHILD, "echild"},
        {EAGAIN, "eagain"}, {ENOMEM, "enomem"}, {EACCES, "eacces"}, {EFAULT, "efault"}, {EBUSY, "ebusy"},
        {EEXIST, "eexist"}, {EXDEV, "exdev"}, {ENODEV, "enodev"}, {ENOTDIR, "enotdir"}, {EISDIR, "eisdir"},
        {EINVAL, "einval"}, {ENFILE, "enfile"}, {EMFILE, "emfile"}, {ENOTTY, "enotty"}, {ETXTBSY, "etxtbsy"},
        {EFBIG, "efbig"}, {ENOSPC, "enospc"}, {ESPIPE, "espipe"}, {EROFS, "erofs"}, {EMLINK, "emlink"},
        {EPIPE, "epipe"}, {ERANGE, "erange"}, {ENAMETOOLONG, "enametoolong"}, {ELOOP, "eloop"},
        {ENOSYS, "enosys"}, {ECONNRESET, "econnreset"}, {ENOTSUP, "enotsup"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].e == err) return tb_atom_cstr(t[i].n);
    return pa.unknown;
}

/* ---------------- driver calls and deferred closes ---------------- */
static int drv_depth;                  /* driver callbacks running */
typedef struct Pending { struct Pending *next; TbPort *pt; Term reason; } Pending;
static Pending *pending_list;
static TbPort *zombies_head;           /* closed ports, freed when no callback runs */
static void terminate(TbPort *pt, Term reason, bool flush_lines);

typedef struct TbPortWaiter {
    struct TbPortWaiter *next;
    Term pid;
    uint32_t ref[3];
} TbPortWaiter;

static void drv_enter(void) { drv_depth++; }
void tb_drv_enter(void) { drv_depth++; }

static void free_port(TbPort *pt) {
    free(pt->name);
    free(pt->line_buf);
    if (pt->data_frag) tb_heap_frag_free(pt->data_frag);
    free(pt);
}

static void drv_leave(void) {
    if (--drv_depth > 0) return;
    while (pending_list) {
        Pending *pd = pending_list;
        pending_list = pd->next;
        TbPort *p = pd->pt;
        Term r = pd->reason;
        free(pd);
        if (p->state == TB_PORT_ALIVE) {
            drv_depth++;
            terminate(p, r, false);
            drv_depth--;
        }
    }
    /* zombies: freed now that no callback can hold them */
    while (zombies_head) {
        TbPort *z = zombies_head;
        zombies_head = (TbPort *)z->drv_data;
        free_port(z);
    }
}
void tb_drv_leave(void) { drv_leave(); }

/* ---------------- line mode ---------------- */
static void line_reserve(TbPort *pt, size_t n) {
    if (n <= pt->line_cap) return;
    size_t c = pt->line_cap ? pt->line_cap : 64;
    while (c < n) c *= 2;
    pt->line_buf = realloc(pt->line_buf, c);
    if (!pt->line_buf) abort();
    pt->line_cap = c;
}

static void line_input(TbPort *pt, const uint8_t *buf, size_t len) {
    size_t L = pt->line_max;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = buf[i];
        if (pt->state != TB_PORT_ALIVE) return;
        if (c == '\n') {
            size_t n = pt->line_len;
            if (n && pt->line_buf[n - 1] == '\r') n--;
            send_data(pt, pa.eol, pt->line_buf, n);
            pt->line_len = 0;
            continue;
        }
        if (pt->line_len == L + 1) {            /* full and a held CR: not followed by LF */
            send_data(pt, pa.noeol, pt->line_buf, L);
            pt->line_buf[0] = '\r';
            pt->line_len = 1;
        }
        if (pt->line_len == L) {
            if (c == '\r') { line_reserve(pt, L + 1); pt->line_buf[pt->line_len++] = c; continue; }
            send_data(pt, pa.noeol, pt->line_buf, L);
            pt->line_len = 0;
        }
        line_reserve(pt, pt->line_len + 1);
        pt->line_buf[pt->line_len++] = c;
    }
}

static void line_flush(TbPort *pt) {
    if (!(pt->flags & TB_PORT_LINEBUF_IO) || !pt->line_len) return;
    size_t n = pt->line_len;
    pt->line_len = 0;
    if (n > pt->line_max) {
        send_data(pt, pa.noeol, pt->line_buf, pt->line_max);
        send_data(pt, pa.noeol, pt->line_buf + pt->line_max, n - pt->line_max);
    } else send_data(pt, pa.noeol, pt->line_buf, n);
}

/* ---------------- driver-facing ---------------- */
void tb_drv_output(TbPort *pt, const uint8_t *buf, size_t len) {
    if (pt->state != TB_PORT_ALIVE) return;
    pt->bytes_in += len;
    if (pt->flags & TB_PORT_LINEBUF_IO) line_input(pt, buf, len);
    else send_data(pt, NIL, buf, len);
}

void tb_drv_output_atom(TbPort *pt, Term atom) {     /* tty_sl's {Port, ok} */
    if (pt->state == TB_PORT_ALIVE) send_tagged(pt, pt->connected, atom);
}

void tb_drv_report_exit(TbPort *pt, int status) {
    if (pt->state != TB_PORT_ALIVE) return;
    TbHeapFrag *f = frag_new(6);
    Term *hp = f->mem;
    hp[3] = make_arityval(2); hp[4] = pa.exit_status; hp[5] = make_small(status);
    hp[0] = make_arityval(2); hp[1] = pt->id; hp[2] = make_boxed(hp + 3);
    deliver(pt->connected, make_boxed(hp), f);
}

static void request_close(TbPort *pt, Term reason, bool flush_lines) {
    if (pt->state != TB_PORT_ALIVE) return;
    if (flush_lines) line_flush(pt);
    if (drv_depth > 0) {
        for (Pending *q = pending_list; q; q = q->next)
            if (q->pt == pt) return;
        Pending *pd = malloc(sizeof *pd);
        if (!pd) abort();
        pd->pt = pt;
        pd->reason = reason;            /* atoms only from drivers */
        pd->next = pending_list;
        pending_list = pd;
        return;
    }
    drv_enter();
    terminate(pt, reason, false);
    drv_leave();
}

void tb_drv_failure_eof(TbPort *pt) {
    if (pt->state != TB_PORT_ALIVE) return;
    atoms_init();
    if (pt->flags & TB_PORT_SOFT_EOF) {
        line_flush(pt);
        send_tagged(pt, pt->connected, pa.eof);
        return;
    }
    request_close(pt, AM(normal), true);
}

void tb_drv_failure(TbPort *pt, Term reason) { request_close(pt, reason, false); }
void tb_drv_failure_errno(TbPort *pt, int err) { request_close(pt, tb_drv_errno_atom(err), false); }

static void reply_waiters(TbPort *pt, Term result) {
    TbPortWaiter *w = pt->waiters;
    pt->waiters = NULL;
    while (w) {
        TbPortWaiter *n = w->next;
        TbHeapFrag *f = frag_new(3 + REF_THING_WORDS);
        Term *hp = f->mem;
        TbRefThing *rt = (TbRefThing *)(hp + 3);
        rt->header = make_header(REF_THING_WORDS - 1, HDR_SUB_REF);
        memcpy(rt->num, w->ref, 3 * sizeof(uint32_t));
        rt->num[3] = 0;
        hp[0] = make_arityval(2); hp[1] = make_boxed((Term *)rt); hp[2] = result;
        deliver(w->pid, make_boxed(hp), f);
        free(w);
        w = n;
    }
}

void tb_drv_set_busy(TbPort *pt, bool busy) {
    if (busy) { pt->flags |= TB_PORT_BUSY; return; }
    pt->flags &= ~TB_PORT_BUSY;
    if (pt->waiters) reply_waiters(pt, AM_true);
}

static void select_cb(int fd, unsigned ev, void *arg) {
    TbPort *pt = arg;
    drv_enter();
    if ((ev & TB_POLL_IN) && pt->state == TB_PORT_ALIVE && pt->drv->ready_input) pt->drv->ready_input(pt, fd);
    if ((ev & TB_POLL_OUT) && pt->state == TB_PORT_ALIVE && pt->drv->ready_output) pt->drv->ready_output(pt, fd);
    drv_leave();
}

/* Per port, per fd: which directions are watched.  A port has few fds: a
 * short list kept in a side table keyed by fd. */
typedef struct { TbPort *pt; unsigned mode; } SelEnt;
static SelEnt *sel;
static int nsel;

bool tb_drv_select(TbPort *pt, int fd, unsigned mode, bool on) {
    if (fd < 0) return false;
    if (fd >= nsel) {
        int n = nsel ? nsel : 64;
        while (n <= fd) n *= 2;
        SelEnt *s = realloc(sel, (size_t)n * sizeof *s);
        if (!s) abort();
        memset(s + nsel, 0, (size_t)(n - nsel) * sizeof *s);
        sel = s;
        nsel = n;
    }
    SelEnt *e = &sel[fd];
    if (e->pt != pt) { e->pt = pt; e->mode = 0; }
    unsigned m = on ? (e->mode | mode) : (e->mode & ~mode);
    if (m == e->mode && (on || m)) return true;
    e->mode = m;
    if (!m) { tb_poll_del(fd); e->pt = NULL; return true; }
    return tb_poll_set(fd, m, select_cb, pt, false);
}

static void timer_cb(void *key) {
    TbPort *pt = key;
    if (pt->state != TB_PORT_ALIVE || !pt->drv->timeout) return;
    drv_enter();
    pt->drv->timeout(pt);
    drv_leave();
}

void tb_drv_set_timer(TbPort *pt, uint64_t ms) { tb_poll_timer_set(pt, tb_now_ns() + ms * 1000000u, timer_cb); }
void tb_drv_cancel_timer(TbPort *pt) { tb_poll_timer_cancel(pt); }

/* ---------------- closing ---------------- */
/* Close now (caller holds drv_depth): driver stop, then exit signals to the
 * links, 'DOWN' to the monitors; the struct is freed when callbacks return. */
static void terminate(TbPort *pt, Term reason, bool flush_lines) {
    if (pt->state != TB_PORT_ALIVE) return;
    if (flush_lines) line_flush(pt);
    pt->state = TB_PORT_CLOSING;
    for (int fd = 0; fd < nsel; fd++)
        if (sel[fd].pt == pt) { tb_poll_del(fd); sel[fd].pt = NULL; sel[fd].mode = 0; }
    tb_poll_timer_cancel(pt);
    if (pt->drv->stop) pt->drv->stop(pt);
    pt->drv_data = NULL;
    if (pt->reg_name != NIL) tb_port_unregister(pt->reg_name);
    tab_remove(pt);
    for (TbLink *l = pt->links, *n; l; l = n) {
        n = l->next;
        TbProcess *q = tb_pid_lookup(l->pid);
        if (q && tb_link_remove(q, pt->id)) tb_signal_exit(q, pt->id, reason, false);
        free(l);
    }
    pt->links = NULL;
    for (TbMon *m = pt->mons, *n; m; m = n) {
        n = m->next;
        TbProcess *q = tb_pid_lookup(m->pid);
        if (q) {
            TbMon *peer = tb_mon_take(q, m->ref, true);
            if (peer) send_down(q->id, m->ref, pt->id, peer->name, reason);
            free(peer);
        }
        free(m);
    }
    pt->mons = NULL;
    for (TbMon *m = pt->drv_mons, *n; m; m = n) {
        n = m->next;
        TbProcess *q = tb_pid_lookup(m->pid);
        if (q) free(tb_mon_take(q, m->ref, false));
        free(m);
    }
    pt->drv_mons = NULL;
    reply_waiters(pt, AM_badarg);
    pt->state = TB_PORT_FREE;
    pt->drv_data = (void *)zombies_head;        /* reused as the zombie link */
    zombies_head = pt;
}

void tb_port_close(TbPort *pt) {
    drv_enter();
    terminate(pt, AM(normal), false);
    drv_leave();
}

/* ---------------- exit signals, links, monitors ---------------- */
void tb_port_exit_signal(Term port, Term from, Term reason, bool exit2) {
    TbPort *pt = tb_port_lookup(port);
    if (!pt) return;
    if (exit2) {
        if (reason == AM(kill)) reason = AM(killed);
    } else {
        tb_link_list_remove(&pt->links, from);
        if (reason == AM(normal) && from != pt->connected) return;
    }
    drv_enter();
    terminate(pt, reason, false);
    drv_leave();
}

void tb_port_link(TbProcess *p, Term port) {
    TbPort *pt = tb_port_lookup(port);
    if (!pt) {
        tb_signal_exit(p, port, AM(noproc), false);   /* link/1 still returns true */
        return;
    }
    tb_link_add(p, port);
    tb_link_list_add(&pt->links, p->id);
}

void tb_port_unlink(TbProcess *p, Term port) {
    tb_link_remove(p, port);
    TbPort *pt = tb_port_lookup(port);
    if (pt) tb_link_list_remove(&pt->links, p->id);
}

Term tb_port_monitor(TbProcess *p, Term item) {
    atoms_init();
    Term name = NIL;
    TbPort *pt;
    if (is_internal_port(item)) pt = tb_port_lookup(item);
    else if (is_atom(item)) { name = item; pt = tb_port_whereis(item); }
    else if (is_tuple_arity(item, 2) && is_atom(tuple_val(item)[1]) && tuple_val(item)[2] == AM(nonode_at_nohost)) {
        name = tuple_val(item)[1];
        pt = tb_port_whereis(name);
    } else return TB_NONE;
    uint32_t ref[3];
    tb_ref_new_nums(ref);
    if (!pt) send_down(p->id, ref, item, name, AM(noproc));
    else {
        tb_mon_add(p, ref, pt->id, name, true);
        tb_mon_list_add(&pt->mons, ref, p->id, NIL, false);
    }
    return tb_ref_make(p, ref);
}

static TbMon *take_mon(TbMon **list, const uint32_t ref[3]);

void tb_port_demonitor(Term port, const uint32_t ref[3]) {
    TbPort *pt = tb_port_lookup(port);
    if (pt) free(take_mon(&pt->mons, ref));
}

bool tb_drv_monitor_process(TbPort *pt, Term pid, uint32_t ref[3]) {
    TbProcess *q = tb_pid_lookup(pid);
    if (!q || q->status >= TB_PS_EXITING) return false;
    tb_ref_new_nums(ref);
    tb_mon_add(q, ref, pt->id, NIL, false);
    tb_mon_list_add(&pt->drv_mons, ref, pid, NIL, true);
    return true;
}

static TbMon *take_mon(TbMon **list, const uint32_t ref[3]) {
    for (TbMon **m = list; *m; m = &(*m)->next) {
        TbMon *d = *m;
        if (d->ref[0] == ref[0] && d->ref[1] == ref[1] && d->ref[2] == ref[2]) {
            *m = d->next;
            return d;
        }
    }
    return NULL;
}

void tb_drv_demonitor_process(TbPort *pt, const uint32_t ref[3]) {
    TbMon *m = take_mon(&pt->drv_mons, ref);
    if (!m) return;
    TbProcess *q = tb_pid_lookup(m->pid);
    if (q) free(tb_mon_take(q, ref, false));
    free(m);
}

void tb_port_mon_gone(Term port, const uint32_t ref[3], bool origin, Term pid) {
    TbPort *pt = tb_port_lookup(port);
    if (!pt) return;
    if (origin) { free(take_mon(&pt->mons, ref)); return; }
    TbMon *m = take_mon(&pt->drv_mons, ref);
    if (!m) return;
    free(m);
    if (pt->drv->process_exit) {
        drv_enter();
        pt->drv->process_exit(pt, pid);
        drv_leave();
    }
}

static void send_badsig(TbPort *pt) {
    TbProcess *q = tb_pid_lookup(pt->connected);
    if (q) tb_signal_exit(q, pt->id, pa.badsig, false);
}

/* ---------------- commands ---------------- */
static bool call_output(TbPort *pt, Term data) {
    size_t len;
    if (!tb_iolist_size(data, &len)) return false;
    uint8_t small[256];
    uint8_t *buf = len <= sizeof small ? small : malloc(len);
    if (!buf) abort();
    tb_iolist_to_bytes(data, buf);
    pt->bytes_out += len;
    drv_enter();
    if (pt->drv->output) pt->drv->output(pt, buf, len);
    drv_leave();
    if (buf != small) free(buf);
    return true;
}

Term tb_port_command(TbProcess *p, TbPort *pt, Term data, unsigned flags) {
    atoms_init();
    if ((flags & TB_CMD_FORCE) && !(pt->drv->flags & TB_DRV_FLAG_SOFT_BUSY)) return pa.notsup;
    size_t len;
    if (!tb_iolist_size(data, &len)) {
        log_error("Bad value on output port '%s'", pt->name);
        return AM_badarg;
    }
    if ((pt->flags & TB_PORT_BUSY) && !(flags & TB_CMD_FORCE)) {
        if (flags & TB_CMD_NOSUSPEND) return AM_false;
        /* queue it now, answer when the port is no longer busy */
        TbPortWaiter *w = malloc(sizeof *w);
        if (!w) abort();
        tb_ref_new_nums(w->ref);
        w->pid = p->id;
        w->next = NULL;
        TbPortWaiter **tail = &pt->waiters;
        while (*tail) tail = &(*tail)->next;
        *tail = w;
        Term ref = tb_ref_make(p, w->ref);
        call_output(pt, data);
        return ref;
    }
    call_output(pt, data);
    return AM_true;
}

void tb_port_bang(TbProcess *p, TbPort *pt, Term msg) {
    atoms_init();
    (void)p;
    if (!is_tuple_arity(msg, 2) || !is_internal_pid(tuple_val(msg)[1])) { send_badsig(pt); return; }
    Term from = tuple_val(msg)[1], op = tuple_val(msg)[2];
    if (from != pt->connected) { send_badsig(pt); return; }
    if (op == pa.close) {
        Term id = pt->id;
        tb_port_close(pt);
        TbHeapFrag *f = frag_new(3);
        Term *hp = f->mem;
        hp[0] = make_arityval(2); hp[1] = id; hp[2] = pa.closed;
        deliver(from, make_boxed(hp), f);
        return;
    }
    if (is_tuple_arity(op, 2) && tuple_val(op)[1] == pa.command) {
        if (!call_output(pt, tuple_val(op)[2])) {
            log_error("Bad value on output port '%s'", pt->name);
            send_badsig(pt);
        }
        return;
    }
    if (is_tuple_arity(op, 2) && tuple_val(op)[1] == pa.connect && is_internal_pid(tuple_val(op)[2])) {
        pt->connected = tuple_val(op)[2];
        send_tagged(pt, from, pa.connected);
        return;
    }
    send_badsig(pt);
}

void tb_port_connect(TbPort *pt, Term pid) {
    TbProcess *q = tb_pid_lookup(pid);
    pt->connected = pid;
    if (q) {
        tb_link_add(q, pt->id);
        tb_link_list_add(&pt->links, pid);
    }
}

static Term bytes_to_list(TbProcess *p, const uint8_t *b, size_t n) {
    Term *hp = tb_halloc(p, 2 * n), l = NIL;
    for (size_t i = n; i-- > 0;) {
        hp[2 * i] = make_small(b[i]);
        hp[2 * i + 1] = l;
        l = make_list(&hp[2 * i]);
    }
    return l;
}

Term tb_port_control(TbProcess *p, TbPort *pt, unsigned cmd, Term data) {
    size_t len;
    if (!pt->drv->control || !tb_iolist_size(data, &len)) return TB_NONE;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf) abort();
    tb_iolist_to_bytes(data, buf);
    uint8_t *res = NULL;
    drv_enter();
    long n = pt->drv->control(pt, cmd, buf, len, &res);
    drv_leave();
    free(buf);
    if (n < 0) { free(res); return TB_NONE; }
    Term r = bytes_to_list(p, res, (size_t)n);
    free(res);
    return r;
}

Term tb_port_call(TbProcess *p, TbPort *pt, unsigned cmd, Term data) {
    atoms_init();
    if (!pt->drv->call) return TB_NONE;
    drv_enter();
    Term r = pt->drv->call(pt, p, cmd, data);
    drv_leave();
    if (r == TB_NONE) return TB_NONE;
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2); hp[1] = pa.ok; hp[2] = r;
    return make_boxed(hp);
}

/* ---------------- info ---------------- */
static Term uint_term(TbProcess *p, UWord v) {
    if (v <= (UWord)MAX_SMALL) return make_small((SWord)v);
    Term *hp = tb_halloc(p, 2);
    hp[0] = make_header(1, HDR_SUB_POS_BIG);
    hp[1] = v;
    return make_boxed(hp);
}

static Term cons(TbProcess *p, Term h, Term t) {
    Term *hp = tb_halloc(p, 2);
    hp[0] = h; hp[1] = t;
    return make_list(hp);
}

static Term pid_list(TbProcess *p, const TbLink *l) {
    Term r = NIL;
    for (; l; l = l->next) r = cons(p, l->pid, r);
    return r;
}

Term tb_port_info_item(TbProcess *p, TbPort *pt, Term item) {
    atoms_init();
    Term v;
    if (item == pa.registered_name) {
        if (pt->reg_name == NIL) return NIL;
        v = pt->reg_name;
    } else if (item == pa.name) {
        v = bytes_to_list(p, (const uint8_t *)pt->name, strlen(pt->name));
    } else if (item == pa.links) {
        v = pid_list(p, pt->links);
    } else if (item == pa.id) {
        v = uint_term(p, port_val(pt->id));
    } else if (item == pa.connected) {
        v = pt->connected;
    } else if (item == pa.input) {
        v = uint_term(p, pt->bytes_in);
    } else if (item == pa.output) {
        v = uint_term(p, pt->bytes_out);
    } else if (item == pa.os_pid) {
        v = pt->os_pid >= 0 ? uint_term(p, (UWord)pt->os_pid) : AM_undefined;
    } else if (item == pa.monitors) {
        v = NIL;                        /* [{process, Pid}] the driver monitors */
        for (TbMon *m = pt->drv_mons; m; m = m->next) {
            Term *hp = tb_halloc(p, 3);
            hp[0] = make_arityval(2); hp[1] = AM(process); hp[2] = m->pid;
            v = cons(p, make_boxed(hp), v);
        }
    } else if (item == pa.monitored_by) {
        v = NIL;
        for (TbMon *m = pt->mons; m; m = m->next) v = cons(p, m->pid, v);
    } else if (item == pa.memory) {
        v = uint_term(p, sizeof *pt + strlen(pt->name) + 1 + pt->line_cap);
    } else if (item == pa.queue_size) {
        v = uint_term(p, pt->ioq_size);
    } else if (item == pa.locking) {
        v = pt->drv == &tb_spawn_driver ? pa.port_level : pa.driver_level;
    } else if (item == pa.parallelism) {
        v = AM_false;
    } else return TB_NONE;
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2); hp[1] = item; hp[2] = v;
    return make_boxed(hp);
}

Term tb_port_info_all(TbProcess *p, TbPort *pt) {
    atoms_init();
    Term items[] = {pa.registered_name, pa.name, pa.links, pa.id, pa.connected, pa.input, pa.output, pa.os_pid};
    Term r = NIL;
    for (int i = (int)(sizeof items / sizeof items[0]); i-- > 0;) {
        if (items[i] == pa.registered_name && pt->reg_name == NIL) continue;
        r = cons(p, tb_port_info_item(p, pt, items[i]), r);
    }
    return r;
}

/* ---------------- open_port ---------------- */
/* A string argument: charlist (code points, as UTF-8), binary or atom.
 * Returns a malloc'd NUL-terminated string, or NULL. */
static char *get_string(Term t) {
    size_t n = 0, cap = 64;
    char *s = malloc(cap);
    if (!s) abort();
    if (is_atom(t)) {
        const TbAtom *a = atom_entry(t);
        s = realloc(s, a->len + 1);
        memcpy(s, a->name, a->len);
        s[a->len] = 0;
        return s;
    }
    if (is_binary(t)) {
        uint8_t *tmp;
        size_t len;
        const uint8_t *b = tb_binary_aligned_bytes(t, &len, &tmp);
        if (!b) { free(s); return NULL; }
        s = realloc(s, len + 1);
        memcpy(s, b, len);
        s[len] = 0;
        free(tmp);
        return s;
    }
    for (; is_list(t); t = CDR(list_val(t))) {
        Term c = CAR(list_val(t));
        if (!is_small(c) || small_val(c) < 0 || small_val(c) > 0x10FFFF ||
            (small_val(c) >= 0xD800 && small_val(c) <= 0xDFFF)) { free(s); return NULL; }
        if (n + 5 > cap) { cap *= 2; s = realloc(s, cap); if (!s) abort(); }
        n += tb_utf8_encode((uint32_t)small_val(c), (uint8_t *)s + n);
    }
    if (t != NIL) { free(s); return NULL; }
    s[n] = 0;
    return s;
}

/* A plain charlist only (env names and values). */
static char *get_charlist(Term t) {
    if (!is_list(t) && t != NIL) return NULL;
    return get_string(t);
}

static void free_strv(char **v) {
    if (!v) return;
    for (char **q = v; *q; q++) free(*q);
    free(v);
}

static void opts_free(TbPortOpts *o) {
    free(o->name);
    free(o->wd);
    free_strv(o->envir);
    free_strv(o->argv);
}

static bool push_str(char ***v, size_t *n, char *s) {
    char **nv = realloc(*v, (*n + 2) * sizeof(char *));
    if (!nv) abort();
    *v = nv;
    nv[(*n)++] = s;
    nv[*n] = NULL;
    return true;
}

static bool parse_env(Term l, char ***out) {
    size_t n = 0;
    char **v = NULL;
    for (; is_list(l); l = CDR(list_val(l))) {
        Term e = CAR(list_val(l));
        if (!is_tuple_arity(e, 2)) goto bad;
        char *k = get_charlist(tuple_val(e)[1]);
        if (!k) goto bad;
        if (strchr(k, '=')) { free(k); goto bad; }
        Term val = tuple_val(e)[2];
        if (val == AM_false) { push_str(&v, &n, k); continue; }
        char *vs = get_charlist(val);
        if (!vs) { free(k); goto bad; }
        char *kv = malloc(strlen(k) + strlen(vs) + 2);
        if (!kv) abort();
        sprintf(kv, "%s=%s", k, vs);
        free(k);
        free(vs);
        push_str(&v, &n, kv);
    }
    if (l != NIL) goto bad;
    if (!v) { v = calloc(1, sizeof *v); if (!v) abort(); }
    free_strv(*out);
    *out = v;
    return true;
bad:
    free_strv(v);
    return false;
}

static bool parse_args(Term l, char ***out) {
    size_t n = 1;
    char **v = calloc(2, sizeof *v);          /* slot 0: arg0, replaced later */
    if (!v) abort();
    v[0] = strdup("");
    for (; is_list(l); l = CDR(list_val(l))) {
        Term a = CAR(list_val(l));
        if (!is_list(a) && a != NIL && !is_binary(a) && !is_atom(a)) goto bad;
        char *s = get_string(a);
        if (!s) goto bad;
        push_str(&v, &n, s);
    }
    if (l != NIL) goto bad;
    free_strv(*out);
    *out = v;
    return true;
bad:
    free_strv(v);
    return false;
}

static bool busy_limits_ok(Term v) {
    if (v == pa.disabled) return true;
    if (!is_tuple_arity(v, 2)) return false;
    return is_small(tuple_val(v)[1]) && is_small(tuple_val(v)[2]) &&
           small_val(tuple_val(v)[1]) >= 0 && small_val(tuple_val(v)[2]) >= 0;
}

/* Driver registry for {spawn, Name} / {spawn_driver, Name}: consulted
 * first for the command's first word, as ERTS; tty_sl is built in. */
static const TbDriver *drivers[16] = {&tb_tty_sl_driver};
static int ndrivers = 1;

void tb_driver_register(const TbDriver *drv) {
    for (int i = 0; i < ndrivers; i++)
        if (drivers[i] == drv) return;
    if (ndrivers < 16) drivers[ndrivers++] = drv;
}

const TbDriver *tb_driver_find(const char *name, size_t len) {
    for (int i = 0; i < ndrivers; i++)
        if (strlen(drivers[i]->name) == len && memcmp(drivers[i]->name, name, len) == 0) return drivers[i];
    return NULL;
}

Term tb_port_open(TbProcess *p, Term name, Term settings) {
    atoms_init();
    TbPortOpts o = {.spawn_type = TB_SPAWN_ANY, .use_stdio = true, .ifd = -1, .ofd = -1,
                    .busy_low = 4096, .busy_high = 8192};
    unsigned flags = 0;
    UWord line = 0;
    bool have_args = false;
    Term cd = TB_NONE, arg0 = TB_NONE;
    Term res = AM_badarg;
    const TbDriver *drv = NULL;
    char *port_name = NULL;
    Term l = settings;
    for (; is_list(l); l = CDR(list_val(l))) {
        Term opt = CAR(list_val(l));
        if (is_tuple_arity(opt, 2)) {
            Term k = tuple_val(opt)[1], v = tuple_val(opt)[2];
            if (k == pa.packet) {
                if (!is_small(v) || (small_val(v) != 1 && small_val(v) != 2 && small_val(v) != 4)) goto badopt;
                o.packet_bytes = (int)small_val(v);
            } else if (k == pa.line) {
                if (is_small(v) && small_val(v) > 0) line = (UWord)small_val(v);
                else if (is_big(v) && !big_sign(v)) line = (UWord)1 << 32;
                else goto badopt;
                if (line > ((UWord)1 << 32)) line = (UWord)1 << 32;
            } else if (k == pa.env) {
                if (!parse_env(v, &o.envir)) goto badopt;
            } else if (k == pa.args) {
                if (!parse_args(v, &o.argv)) goto badopt;
                have_args = true;
            } else if (k == pa.arg0) {
                if (!is_list(v) && v != NIL && !is_binary(v) && !is_atom(v)) goto badopt;
                char *s = get_string(v);
                if (!s) goto badopt;
                free(s);
                arg0 = v;
            } else if (k == pa.cd) {
                cd = v;
            } else if (k == pa.parallelism) {
                if (v != AM_true && v != AM_false) goto badopt;
            } else if (k == pa.busy_limits_port || k == pa.busy_limits_msgq) {
                if (!busy_limits_ok(v)) goto badopt;
                if (k == pa.busy_limits_port) {
                    if (v == pa.disabled) o.busy_low = o.busy_high = 0;
                    else { o.busy_low = (size_t)small_val(tuple_val(v)[1]); o.busy_high = (size_t)small_val(tuple_val(v)[2]); }
                }
            } else goto badopt;
        } else if (opt == pa.stream) o.packet_bytes = 0;
        else if (opt == pa.use_stdio) o.use_stdio = true;
        else if (opt == pa.nouse_stdio) o.use_stdio = false;
        else if (opt == pa.stderr_to_stdout) o.redir_stderr = true;
        else if (opt == pa.in) o.read_write |= TB_DO_READ;
        else if (opt == pa.out) o.read_write |= TB_DO_WRITE;
        else if (opt == pa.binary) flags |= TB_PORT_BINARY_IO;
        else if (opt == pa.exit_status) o.exit_status = true;
        else if (opt == pa.eof) flags |= TB_PORT_SOFT_EOF;
        else if (opt == pa.hide) o.hide = true;
        else if (opt == pa.overlapped_io) {}
        else goto badopt;
    }
    if (l != NIL) goto badopt;
    if (!o.read_write) o.read_write = TB_DO_READ | TB_DO_WRITE;
    if (line && o.packet_bytes) goto badopt;
    if (o.redir_stderr && !o.use_stdio) goto badopt;

    /* the name */
    if (is_atom(name) || is_list(name)) {               /* obsolete: a file, read and written */
        o.name = get_string(name);
        if (!o.name) goto out;
        o.spawn_type = TB_SPAWN_VANILLA;
        drv = &tb_vanilla_driver;
        port_name = strdup(o.name);
        goto named;
    }
    if (!is_tuple(name)) goto out;
    Term *nt = tuple_val(name);
    if (tuple_arity(name) == 2 && (nt[1] == pa.spawn || nt[1] == pa.spawn_driver || nt[1] == pa.spawn_executable)) {
        Term cmd = nt[2];
        if (!is_list(cmd) && cmd != NIL && !is_binary(cmd) && !is_atom(cmd)) goto out;
        o.name = get_string(cmd);
        if (!o.name || (!o.name[0] && !is_binary(cmd))) goto out;   /* "" is badarg, <<>> is not */
        if (nt[1] == pa.spawn_executable) {
            o.spawn_type = TB_SPAWN_EXECUTABLE;
            drv = &tb_spawn_driver;
        } else {
            size_t wl = strcspn(o.name, " ");
            drv = tb_driver_find(o.name, wl);
            if (nt[1] == pa.spawn_driver) {
                o.spawn_type = TB_SPAWN_DRIVER;
                if (!drv) goto out;
            } else if (!drv) drv = &tb_spawn_driver;
        }
        port_name = strdup(o.name);
    } else if (tuple_arity(name) == 3 && nt[1] == pa.fd) {
        if (!is_small(nt[2]) || !is_small(nt[3])) goto out;
        SWord in = small_val(nt[2]), outfd = small_val(nt[3]);
        if (in < 0 || outfd < 0 || in > 0x7FFFFFFF || outfd > 0x7FFFFFFF) { res = tb_drv_errno_atom(EINVAL); goto out; }
        o.spawn_type = TB_SPAWN_FD;
        o.ifd = (int)in;
        o.ofd = (int)outfd;
        drv = &tb_fd_driver;
        char buf[32];
        snprintf(buf, sizeof buf, "%d/%d", o.ifd, o.ofd);
        port_name = strdup(buf);
    } else goto out;
named:
    if (o.exit_status && drv != &tb_spawn_driver) goto out;
    if (have_args && o.spawn_type != TB_SPAWN_EXECUTABLE) goto out;
    if (cd != TB_NONE) {
        if (!is_list(cd) && cd != NIL && !is_binary(cd) && !is_atom(cd)) goto out;
        o.wd = get_string(cd);
        if (!o.wd) goto out;
    }
    if (o.spawn_type == TB_SPAWN_EXECUTABLE) {
        if (!o.argv) { o.argv = calloc(2, sizeof(char *)); if (!o.argv) abort(); }
        free(o.argv[0]);
        o.argv[0] = arg0 != TB_NONE ? get_string(arg0) : strdup(o.name);
    }

    TbPort *pt = calloc(1, sizeof *pt);
    if (!pt) abort();
    pt->connected = p->id;
    pt->reg_name = NIL;
    pt->drv = drv;
    pt->name = port_name;
    port_name = NULL;
    pt->flags = flags | (o.exit_status ? TB_PORT_EXIT_STATUS : 0) | (line ? TB_PORT_LINEBUF_IO : 0);
    pt->line_max = line;
    pt->os_pid = -1;
    pt->data = AM_undefined;
    pt->state = TB_PORT_ALIVE;
    if (!tab_insert(pt)) { free_port(pt); res = AM(system_limit); goto out; }
    int err = 0;
    drv_enter();
    void *d = drv->start(pt, &o, &err);
    if (!d) {
        /* never started: no links or messages yet */
        tab_remove(pt);
        pt->state = TB_PORT_FREE;
        pt->drv_data = (void *)zombies_head;
        zombies_head = pt;
        drv_leave();
        res = err == TB_DRV_ERR_BADARG ? AM_badarg : err == TB_DRV_ERR_GENERAL ? tb_drv_errno_atom(EINVAL)
                                                                              : tb_drv_errno_atom(err);
        goto out;
    }
    pt->drv_data = d;
    tb_link_add(p, pt->id);
    tb_link_list_add(&pt->links, p->id);
    drv_leave();
    res = pt->id;
    goto out;
badopt:
    res = pa.badopt;
out:
    free(port_name);
    opts_free(&o);
    return res;
}

