/* bif_system.c — system_info/1, system_flag/2, statistics/1, process_flag/2,
 * pre_loaded/0, loaded/0.
 *
 * Values are ERTS 25's where they do not depend on the machine, and the
 * truth about tbeam otherwise: one normal scheduler (plus ERTS's nominal
 * dirty schedulers and async thread in system_version), the "emu" flavour,
 * no kernel poll, no distribution.  Unknown items are badarg, like ERTS;
 * items that need subsystems tbeam does not have yet (process/port/ETS
 * tables, allocators, cpu topology, check_io...) are badarg too for now.
 *
 * Process flags live in p->flags (layout in emu/process.h).  Global GC defaults are the tb_sys_* variables, meant for
 * spawn; tb_backtrace_depth for stacktraces. */
#define _GNU_SOURCE                             /* sched_getaffinity, CPU_COUNT */
#include "bif.h"
#include "../emu/binary.h"
#include "../emu/map.h"
#include "../emu/big.h"
#include "../emu/scheduler.h"
#include "../emu/heap_sizes.h"
#include "../emu/ptab.h"
#include "../emu/port.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <sys/utsname.h>
#include <sys/resource.h>

TbModule *tb_module_first(void);               /* emu/module.c */

#define TB_SCHEDULERS 1                         /* keep in step with bif_convert.c */
#define TB_DIRTY_IO_SCHEDULERS 10
#define CONTEXT_REDS 4000
#define MAX_BACKTRACE_SIZE 64


/* ---- global defaults (system_flag/2) ---- */
UWord tb_sys_min_heap_size = TB_MIN_HEAP;
UWord tb_sys_min_bin_vheap_size = 46422;
UWord tb_sys_fullsweep_after = 65535;
UWord tb_sys_max_heap_size = 0;
unsigned tb_sys_max_heap_flags = TB_MAX_HEAP_KILL | TB_MAX_HEAP_LOG;
int tb_backtrace_depth = 8;

static UWord trace_control_word;
enum { MS_ENABLED, MS_BLOCKED, MS_BLOCKED_NORMAL };
static int multi_scheduling = MS_ENABLED;
static Term ms_blocker;                        /* pid that blocked, or 0 */

/* ---- ERTS's heap size table: Fibonacci-like, then +20% ---- */
static int64_t start_mono_ns;
int64_t tb_vm_start_ns(void) { return start_mono_ns; }

static int64_t clock_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

__attribute__((constructor)) static void system_init(void) {
    start_mono_ns = clock_ns(CLOCK_MONOTONIC);
}

static UWord next_heap_size(UWord n) { return tb_heap_sizes[tb_heap_size_index(n)]; }
#define heap_size_index tb_heap_size_index
#define heap_sizes tb_heap_sizes

/* ---- small helpers ---- */

static Term atom_cached(Term *slot, const char *s) {
    Term a = __atomic_load_n(slot, __ATOMIC_RELAXED);
    if (!a) {
        a = tb_atom_cstr(s);
        __atomic_store_n(slot, a, __ATOMIC_RELAXED);
    }
    return a;
}
/* s must be a string literal: one cache slot per use site. */

static bool atom_named(Term t, const char *s) {
    if (!is_atom(t)) return false;
    const TbAtom *a = atom_entry(t);
    size_t n = strlen(s);
    return a->len == n && memcmp(a->name, s, n) == 0;
}

static Term list_of(TbProcess *p, const Term *elems, size_t n) {
    Term l = NIL;
    for (size_t i = n; i-- > 0;) l = tb_cons(p, elems[i], l);
    return l;
}

static Term cstr_list(TbProcess *p, const char *s) {
    size_t n = strlen(s);
    Term l = NIL;
    Term *hp = tb_halloc(p, 2 * n);
    for (size_t i = n; i-- > 0;) {
        hp[2 * i] = make_small((uint8_t)s[i]);
        hp[2 * i + 1] = l;
        l = make_list(hp + 2 * i);
    }
    return l;
}

static Term bool_atom(bool b) { return b ? AM_true : AM_false; }

/* Non-negative counters: small in practice; saturate rather than crash. */
static Term make_count(UWord v) { return make_small(v > (UWord)MAX_SMALL ? MAX_SMALL : (SWord)v); }

/* #{error_logger => L, kill => K, size => S}: a flatmap, keys in atom order. */
Term tb_max_heap_map(TbProcess *p, UWord size, unsigned flags) {
    Term *hp = tb_halloc(p, 4 + FLATMAP_HEAD_WORDS + 3);
    hp[0] = make_arityval(3);
    hp[1] = CATOM("error_logger"); hp[2] = AM(kill); hp[3] = CATOM("size");
    Term *m = hp + 4;
    m[0] = make_header(2 + 3, HDR_SUB_FLATMAP);
    m[1] = 3;
    m[2] = make_boxed(hp);
    m[3] = bool_atom(flags & TB_MAX_HEAP_LOG);
    m[4] = bool_atom(flags & TB_MAX_HEAP_KILL);
    m[5] = make_count(size);
    return make_boxed(m);
}

/* ERTS's erts_max_heap_size: a size, or a map with a mandatory small size
 * and optional boolean kill/error_logger (other keys ignored). */
bool tb_parse_max_heap(Term v, UWord *size, unsigned *flags) {
    SWord sz;
    *flags = tb_sys_max_heap_flags;
    if (is_small(v)) sz = small_val(v);
    else if (is_map(v)) {
        Term s = tb_map_get(v, CATOM("size")), k = tb_map_get(v, AM(kill)),
             l = tb_map_get(v, CATOM("error_logger"));
        if (s == TB_NONE || !is_small(s)) return false;
        sz = small_val(s);
        if (k == AM_true) *flags |= TB_MAX_HEAP_KILL;
        else if (k == AM_false) *flags &= ~TB_MAX_HEAP_KILL;
        else if (k != TB_NONE) return false;
        if (l == AM_true) *flags |= TB_MAX_HEAP_LOG;
        else if (l == AM_false) *flags &= ~TB_MAX_HEAP_LOG;
        else if (l != TB_NONE) return false;
    } else return false;
    if (sz < 0) return false;
    *size = (UWord)sz;
    return true;
}

/* ---------------- process flags ---------------- */

static const char *const prio_names[4] = { "max", "high", "normal", "low" };   /* TB_PRIO_* order */

static int prio_of(Term v) {
    for (int i = 0; i < 4; i++) if (atom_named(v, prio_names[i])) return i;
    return -1;
}

static UWord flag_field(const TbProcess *p, unsigned shift, UWord mask) { return (p->flags >> shift) & mask; }
static void set_field(TbProcess *p, unsigned shift, UWord mask, UWord v) {
    p->flags = (p->flags & ~(mask << shift)) | ((v & mask) << shift);
}

/* Accessors for the rest of the VM (exit signals, undefined functions). */
bool tb_proc_trap_exit(const TbProcess *p) { return (p->flags & TB_PF_TRAP_EXIT) != 0; }
Term tb_proc_error_handler(const TbProcess *p) {
    UWord eh = p->flags >> TB_PF_EH_SHIFT;
    return eh ? make_atom(eh - 1) : AM(error_handler);
}

static Term swap_bit(TbProcess *p, UWord bit, Term v) {
    Term old = bool_atom(p->flags & bit);
    if (v == AM_true) p->flags |= bit;
    else if (v == AM_false) p->flags &= ~bit;
    else return TB_NONE;
    return old;
}

static UWord proc_min_vheap(const TbProcess *p) {
    UWord ix = flag_field(p, TB_PF_VHEAP_SHIFT, 0xff);
    return ix ? heap_sizes[ix - 1] : tb_sys_min_bin_vheap_size;
}

/* monitor_nodes / {monitor_nodes, Opts}: subscriptions to nodeup/nodedown.
 * Not distributed, so none ever come; the count is what ERTS returns. */
static Term monitor_nodes(TbProcess *p, Term opts, Term v) {
    for (Term l = opts; l != NIL; l = CDR(list_val(l)))
        if (!is_list(l)) return TB_NONE;
    if (v != AM_true && v != AM_false) return TB_NONE;
    UWord old = p->node_monitors;
    if (v == AM_true) p->node_monitors++;
    else if (p->node_monitors) p->node_monitors--;
    else return TB_NONE;                     /* ERTS: badarg when nothing to remove */
    return make_small((SWord)old);
}

BIF_DECL(bif_process_flag_2) {
    Term f = args[0], v = args[1], old = TB_NONE;
    if (is_tuple_arity(f, 2) && atom_named(tuple_val(f)[1], "monitor_nodes")) {
        Term o = tuple_val(f)[2];
        if (is_map(o)) o = NIL;
        old = monitor_nodes(p, o, v);
        if (old == TB_NONE) BADARG(p);
        return old;
    }
    if (!is_atom(f)) BADARG(p);
    if (atom_named(f, "monitor_nodes")) {
        if ((old = monitor_nodes(p, NIL, v)) == TB_NONE) BADARG(p);
        return old;
    }
    if (atom_named(f, "trap_exit")) old = swap_bit(p, TB_PF_TRAP_EXIT, v);
    else if (atom_named(f, "sensitive")) old = swap_bit(p, TB_PF_SENSITIVE, v);
    else if (atom_named(f, "priority")) {
        int pr = prio_of(v);
        if (pr < 0) BADARG(p);
        static Term prio_atoms[4];
        UWord cur = p->prio;
        old = atom_cached(&prio_atoms[cur], prio_names[cur]);
        p->prio = (uint8_t)pr;
    } else if (atom_named(f, "error_handler")) {
        if (!is_atom(v)) BADARG(p);
        old = tb_proc_error_handler(p);
        p->flags = (p->flags & (((UWord)1 << TB_PF_EH_SHIFT) - 1)) | ((atom_val(v) + 1) << TB_PF_EH_SHIFT);
    } else if (atom_named(f, "save_calls")) {
        if (!is_small(v) || small_val(v) < 0 || small_val(v) > 10000) BADARG(p);
        old = make_small((SWord)flag_field(p, TB_PF_SAVE_CALLS_SHIFT, 0x3fff));
        set_field(p, TB_PF_SAVE_CALLS_SHIFT, 0x3fff, (UWord)small_val(v));
    } else if (atom_named(f, "min_heap_size")) {
        if (!is_small(v) || small_val(v) < 0) BADARG(p);
        UWord n = (UWord)small_val(v);
        old = make_count(p->min_heap_size);
        p->min_heap_size = n < tb_sys_min_heap_size ? tb_sys_min_heap_size : next_heap_size(n);
    } else if (atom_named(f, "min_bin_vheap_size")) {
        if (!is_small(v) || small_val(v) < 0) BADARG(p);
        UWord n = (UWord)small_val(v);
        old = make_count(proc_min_vheap(p));
        set_field(p, TB_PF_VHEAP_SHIFT, 0xff, n < tb_sys_min_bin_vheap_size ? 0 : (UWord)heap_size_index(n) + 1);
    } else if (atom_named(f, "fullsweep_after")) {
        if (!is_small(v) || small_val(v) < 0) BADARG(p);
        old = make_count(p->max_gen_gcs);
        p->max_gen_gcs = (UWord)small_val(v) & 0xffff;   /* ERTS keeps 16 bits */
    } else if (atom_named(f, "max_heap_size")) {
        UWord size;
        unsigned fl;
        if (!tb_parse_max_heap(v, &size, &fl) || (size != 0 && size < p->min_heap_size)) BADARG(p);
        old = tb_max_heap_map(p, p->max_heap_size, p->max_heap_flags);
        p->max_heap_size = size;
        p->max_heap_flags = (uint8_t)fl;
    } else if (atom_named(f, "message_queue_data")) {
        bool off;
        if (atom_named(v, "off_heap")) off = true;
        else if (atom_named(v, "on_heap")) off = false;
        else BADARG(p);
        old = p->flags & TB_PF_OFF_HEAP_MSGQ ? CATOM("off_heap") : CATOM("on_heap");
        if (off) p->flags |= TB_PF_OFF_HEAP_MSGQ; else p->flags &= ~TB_PF_OFF_HEAP_MSGQ;
    } else if (atom_named(f, "scheduler")) {
        if (!is_small(v) || small_val(v) < 0 || small_val(v) > TB_SCHEDULERS) BADARG(p);
        old = make_small(p->flags & TB_PF_SCHED_BOUND ? 1 : 0);
        if (small_val(v)) p->flags |= TB_PF_SCHED_BOUND; else p->flags &= ~TB_PF_SCHED_BOUND;
    }
    if (old == TB_NONE) BADARG(p);
    return old;
}

/* ---------------- pre_loaded/0, loaded/0 ---------------- */

BIF_DECL(bif_pre_loaded_0) {
    (void)args;
    static const char *const mods[] = {
        "persistent_term", "counters", "atomics", "erts_dirty_process_signal_handler",
        "erts_literal_area_collector", "erl_tracer", "erts_internal", "erlang", "erl_prim_loader",
        "prim_zip", "prim_net", "prim_socket", "socket_registry", "zlib", "prim_file", "prim_inet",
        "prim_eval", "prim_buffer", "init", "erl_init", "erts_code_purger",
    };
    static Term atoms[sizeof mods / sizeof mods[0]];
    size_t n = sizeof mods / sizeof mods[0];
    for (size_t i = 0; i < n; i++) atom_cached(&atoms[i], mods[i]);
    return list_of(p, atoms, n);
}

/* Most recently loaded first, like ERTS. */
BIF_DECL(bif_loaded_0) {
    (void)args;
    Term res = NIL, *tail = &res;
    for (TbModule *m = tb_module_first(); m; m = m->next) {
        if (!m->code) continue;                     /* deleted: only old code is left */
        Term *hp = tb_halloc(p, 2);
        hp[0] = m->name;
        hp[1] = NIL;
        *tail = make_list(hp);
        tail = &hp[1];
    }
    return res;
}

/* ---------------- system_info/1 ---------------- */

enum {
    SI_OTP_RELEASE, SI_VERSION, SI_MACHINE, SI_SYSTEM_VERSION, SI_SYSTEM_ARCHITECTURE, SI_WORDSIZE,
    SI_ENDIAN, SI_PROCESS_LIMIT, SI_PROCESS_COUNT, SI_PORT_COUNT, SI_BREAK_IGNORED, SI_ATOM_LIMIT, SI_ATOM_COUNT, SI_PORT_LIMIT, SI_ETS_LIMIT,
    SI_SCHEDULERS, SI_SCHEDULERS_ONLINE, SI_DIRTY_CPU, SI_DIRTY_CPU_ONLINE, SI_DIRTY_IO,
    SI_SCHEDULERS_STATE, SI_SCHEDULER_ID, SI_MULTI_SCHEDULING, SI_MS_BLOCKERS, SI_NORMAL_MS_BLOCKERS,
    SI_SCHEDULER_BIND_TYPE, SI_SCHEDULER_BINDINGS, SI_THREAD_POOL_SIZE, SI_SMP_SUPPORT, SI_THREADS,
    SI_HIPE_ARCHITECTURE, SI_BUILD_TYPE, SI_EMU_FLAVOR, SI_EMU_TYPE, SI_DEBUG_COMPILED,
    SI_LOCK_CHECKING, SI_LOCK_COUNTING, SI_KERNEL_POLL, SI_CREATION, SI_HEAP_TYPE, SI_HEAP_SIZES,
    SI_MIN_HEAP_SIZE, SI_MIN_BIN_VHEAP_SIZE, SI_FULLSWEEP_AFTER, SI_GARBAGE_COLLECTION,
    SI_MAX_HEAP_SIZE, SI_MESSAGE_QUEUE_DATA, SI_LOGICAL_PROCESSORS, SI_LOGICAL_PROCESSORS_ONLINE,
    SI_LOGICAL_PROCESSORS_AVAILABLE, SI_START_TIME, SI_OS_TYPE, SI_OS_VERSION, SI_COMPAT_REL,
    SI_C_COMPILER_USED, SI_DRIVER_VERSION, SI_NIF_VERSION, SI_TIME_WARP_MODE, SI_TIME_OFFSET,
    SI_TIME_CORRECTION, SI_TOLERANT_TIMEOFDAY, SI_OS_MONOTONIC_TIME_SOURCE, SI_OS_SYSTEM_TIME_SOURCE,
    SI_OUTSTANDING_SYSTEM_REQUESTS_LIMIT, SI_TRACE_CONTROL_WORD, SI_SEQUENTIAL_TRACER,
    SI_MODIFIED_TIMING_LEVEL, SI_DIST, SI_DIST_CTRL, SI_DIST_BUF_BUSY_LIMIT, SI_DELAYED_NODE_TABLE_GC,
    SI_PORT_PARALLELISM, SI_DYNAMIC_TRACE, SI_DYNAMIC_TRACE_PROBES, SI_EAGER_CHECK_IO,
    SI_CONTEXT_REDUCTIONS, SI_TAINTS, SI_ETS_ALWAYS_COMPRESS, SI_CPU_QUOTA, SI_UPDATE_CPU_INFO,
    SI__COUNT
};

static const char *const si_names[SI__COUNT] = {
    [SI_OTP_RELEASE] = "otp_release", [SI_VERSION] = "version", [SI_MACHINE] = "machine",
    [SI_SYSTEM_VERSION] = "system_version", [SI_SYSTEM_ARCHITECTURE] = "system_architecture",
    [SI_WORDSIZE] = "wordsize", [SI_ENDIAN] = "endian", [SI_PROCESS_LIMIT] = "process_limit",
    [SI_PROCESS_COUNT] = "process_count", [SI_PORT_COUNT] = "port_count", [SI_BREAK_IGNORED] = "break_ignored",
    [SI_ATOM_LIMIT] = "atom_limit", [SI_ATOM_COUNT] = "atom_count", [SI_PORT_LIMIT] = "port_limit",
    [SI_ETS_LIMIT] = "ets_limit", [SI_SCHEDULERS] = "schedulers",
    [SI_SCHEDULERS_ONLINE] = "schedulers_online", [SI_DIRTY_CPU] = "dirty_cpu_schedulers",
    [SI_DIRTY_CPU_ONLINE] = "dirty_cpu_schedulers_online", [SI_DIRTY_IO] = "dirty_io_schedulers",
    [SI_SCHEDULERS_STATE] = "schedulers_state", [SI_SCHEDULER_ID] = "scheduler_id",
    [SI_MULTI_SCHEDULING] = "multi_scheduling", [SI_MS_BLOCKERS] = "multi_scheduling_blockers",
    [SI_NORMAL_MS_BLOCKERS] = "normal_multi_scheduling_blockers",
    [SI_SCHEDULER_BIND_TYPE] = "scheduler_bind_type", [SI_SCHEDULER_BINDINGS] = "scheduler_bindings",
    [SI_THREAD_POOL_SIZE] = "thread_pool_size", [SI_SMP_SUPPORT] = "smp_support",
    [SI_THREADS] = "threads", [SI_HIPE_ARCHITECTURE] = "hipe_architecture",
    [SI_BUILD_TYPE] = "build_type", [SI_EMU_FLAVOR] = "emu_flavor", [SI_EMU_TYPE] = "emu_type",
    [SI_DEBUG_COMPILED] = "debug_compiled", [SI_LOCK_CHECKING] = "lock_checking",
    [SI_LOCK_COUNTING] = "lock_counting", [SI_KERNEL_POLL] = "kernel_poll",
    [SI_CREATION] = "creation", [SI_HEAP_TYPE] = "heap_type", [SI_HEAP_SIZES] = "heap_sizes",
    [SI_MIN_HEAP_SIZE] = "min_heap_size", [SI_MIN_BIN_VHEAP_SIZE] = "min_bin_vheap_size",
    [SI_FULLSWEEP_AFTER] = "fullsweep_after", [SI_GARBAGE_COLLECTION] = "garbage_collection",
    [SI_MAX_HEAP_SIZE] = "max_heap_size", [SI_MESSAGE_QUEUE_DATA] = "message_queue_data",
    [SI_LOGICAL_PROCESSORS] = "logical_processors",
    [SI_LOGICAL_PROCESSORS_ONLINE] = "logical_processors_online",
    [SI_LOGICAL_PROCESSORS_AVAILABLE] = "logical_processors_available",
    [SI_START_TIME] = "start_time", [SI_OS_TYPE] = "os_type", [SI_OS_VERSION] = "os_version",
    [SI_COMPAT_REL] = "compat_rel", [SI_C_COMPILER_USED] = "c_compiler_used",
    [SI_DRIVER_VERSION] = "driver_version", [SI_NIF_VERSION] = "nif_version",
    [SI_TIME_WARP_MODE] = "time_warp_mode", [SI_TIME_OFFSET] = "time_offset",
    [SI_TIME_CORRECTION] = "time_correction", [SI_TOLERANT_TIMEOFDAY] = "tolerant_timeofday",
    [SI_OS_MONOTONIC_TIME_SOURCE] = "os_monotonic_time_source",
    [SI_OS_SYSTEM_TIME_SOURCE] = "os_system_time_source",
    [SI_OUTSTANDING_SYSTEM_REQUESTS_LIMIT] = "outstanding_system_requests_limit",
    [SI_TRACE_CONTROL_WORD] = "trace_control_word", [SI_SEQUENTIAL_TRACER] = "sequential_tracer",
    [SI_MODIFIED_TIMING_LEVEL] = "modified_timing_level", [SI_DIST] = "dist",
    [SI_DIST_CTRL] = "dist_ctrl", [SI_DIST_BUF_BUSY_LIMIT] = "dist_buf_busy_limit",
    [SI_DELAYED_NODE_TABLE_GC] = "delayed_node_table_gc", [SI_PORT_PARALLELISM] = "port_parallelism",
    [SI_DYNAMIC_TRACE] = "dynamic_trace", [SI_DYNAMIC_TRACE_PROBES] = "dynamic_trace_probes",
    [SI_EAGER_CHECK_IO] = "eager_check_io", [SI_CONTEXT_REDUCTIONS] = "context_reductions",
    [SI_TAINTS] = "taints", [SI_ETS_ALWAYS_COMPRESS] = "ets_always_compress",
    [SI_CPU_QUOTA] = "cpu_quota", [SI_UPDATE_CPU_INFO] = "update_cpu_info",
};

static int name_index(Term a, const char *const *names, int n) {
    if (!is_atom(a)) return -1;
    const TbAtom *e = atom_entry(a);
    for (int i = 0; i < n; i++)
        if (e->len == strlen(names[i]) && memcmp(e->name, names[i], e->len) == 0) return i;
    return -1;
}

static Term cpu_count(int which) {
    long n = -1;
    if (which == 2) {
        cpu_set_t set;
        if (sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
    } else n = sysconf(which ? _SC_NPROCESSORS_ONLN : _SC_NPROCESSORS_CONF);
    return n > 0 ? make_small(n) : CATOM("unknown");
}

static Term os_type(TbProcess *p) {
    struct utsname u;
    char name[sizeof u.sysname];
    if (uname(&u) != 0) strcpy(u.sysname, "unknown");
    size_t i = 0;
    for (; u.sysname[i] && i + 1 < sizeof name; i++) {
        char c = u.sysname[i];
        name[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
    }
    name[i] = 0;
    return tb_tuple2(p, CATOM("unix"), tb_atom_cstr(name));
}

/* {Major, Minor, Build} from the kernel release ("6.1.0-13-amd64" -> {6,1,0}),
 * read like ERTS: each part is atoi of the text up to the next dot. */
static Term os_version(TbProcess *p) {
    struct utsname u;
    SWord v[3] = { 0, 0, 0 };
    if (uname(&u) == 0) {
        const char *s = u.release;
        for (int i = 0; i < 3 && *s >= '0' && *s <= '9'; i++) {
            v[i] = atoi(s);
            const char *dot = strchr(s, '.');
            s = dot ? dot + 1 : s + strlen(s);
        }
    }
    return tb_tuple3(p, make_small(v[0]), make_small(v[1]), make_small(v[2]));
}

static Term time_source(TbProcess *p, bool monotonic) {
    clockid_t id = monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME;
    struct timespec res;
    UWord hz = clock_getres(id, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 ? 1000000000 / (UWord)res.tv_nsec : 1000000000;
    Term items[6];
    int n = 0;
    items[n++] = tb_tuple2(p, CATOM("function"), CATOM("clock_gettime"));
    items[n++] = tb_tuple2(p, CATOM("clock_id"), (monotonic ? CATOM("CLOCK_MONOTONIC") : CATOM("CLOCK_REALTIME")));
    items[n++] = tb_tuple2(p, CATOM("resolution"), make_count(hz));
    if (monotonic) items[n++] = tb_tuple2(p, CATOM("extended"), CATOM("no"));
    items[n++] = tb_tuple2(p, CATOM("parallel"), CATOM("yes"));
    items[n++] = tb_tuple2(p, CATOM("time"), tb_make_integer(p, clock_ns(id)));
    return list_of(p, items, (size_t)n);
}

static Term gc_list(TbProcess *p) {
    Term items[4] = {
        tb_tuple2(p, CATOM("max_heap_size"), make_count(tb_sys_max_heap_size)),
        tb_tuple2(p, CATOM("min_bin_vheap_size"), make_count(tb_sys_min_bin_vheap_size)),
        tb_tuple2(p, CATOM("min_heap_size"), make_count(tb_sys_min_heap_size)),
        tb_tuple2(p, CATOM("fullsweep_after"), make_count(tb_sys_fullsweep_after)),
    };
    return list_of(p, items, 4);
}

static Term ms_state_atom(void) {
    return multi_scheduling == MS_BLOCKED ? CATOM("blocked")
           : multi_scheduling == MS_BLOCKED_NORMAL ? CATOM("blocked_normal") : CATOM("enabled");
}

static Term system_info_item(TbProcess *p, int item) {
    char buf[160];
    switch (item) {
    case SI_OTP_RELEASE: return cstr_list(p, "25");
    case SI_VERSION: return cstr_list(p, "13.1.5");
    case SI_MACHINE: return cstr_list(p, "BEAM");
    case SI_SYSTEM_VERSION:
        snprintf(buf, sizeof buf,
                 "Erlang/OTP 25 [erts-13.1.5] [source] [64-bit] [smp:%d:%d] [ds:%d:%d:%d] [async-threads:1]\n",
                 TB_SCHEDULERS, TB_SCHEDULERS, TB_SCHEDULERS, TB_SCHEDULERS, TB_DIRTY_IO_SCHEDULERS);
        return cstr_list(p, buf);
    case SI_SYSTEM_ARCHITECTURE: {
        struct utsname u;
        if (uname(&u) != 0) strcpy(u.machine, "unknown");
        snprintf(buf, sizeof buf, "%s-%s-linux-gnu", u.machine, strcmp(u.machine, "x86_64") == 0 ? "pc" : "unknown");
        return cstr_list(p, buf);
    }
    case SI_WORDSIZE: return make_small(sizeof(Term));
    case SI_ENDIAN:
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        return CATOM("little");
#else
        return CATOM("big");
#endif
    case SI_PROCESS_LIMIT: return make_count(tb_ptab_max());
    case SI_PROCESS_COUNT: return make_count(tb_ptab_count());
    case SI_PORT_COUNT: return make_count(tb_port_count());
    case SI_BREAK_IGNORED: return AM_false;          /* no +Bi: ^C gives the BREAK menu */
    case SI_ATOM_LIMIT: return make_small(TB_MAX_ATOMS);
    case SI_ATOM_COUNT: return make_small(tb_atom_count);
    case SI_PORT_LIMIT: return make_small(TB_PORT_DEFAULT_MAX);
    case SI_ETS_LIMIT: return make_small(8192);
    case SI_SCHEDULERS: case SI_SCHEDULERS_ONLINE: case SI_DIRTY_CPU: case SI_DIRTY_CPU_ONLINE:
        return make_small(TB_SCHEDULERS);
    case SI_DIRTY_IO: return make_small(TB_DIRTY_IO_SCHEDULERS);
    case SI_SCHEDULERS_STATE:
        return tb_tuple3(p, make_small(TB_SCHEDULERS), make_small(TB_SCHEDULERS), make_small(TB_SCHEDULERS));
    case SI_SCHEDULER_ID: return make_small(1);
    case SI_MULTI_SCHEDULING: return ms_state_atom();
    case SI_MS_BLOCKERS: return multi_scheduling == MS_BLOCKED && ms_blocker ? tb_cons(p, ms_blocker, NIL) : NIL;
    case SI_NORMAL_MS_BLOCKERS:
        return multi_scheduling == MS_BLOCKED_NORMAL && ms_blocker ? tb_cons(p, ms_blocker, NIL) : NIL;
    case SI_SCHEDULER_BIND_TYPE: return CATOM("unbound");
    case SI_SCHEDULER_BINDINGS: {
        Term *hp = tb_halloc(p, 1 + TB_SCHEDULERS);
        hp[0] = make_arityval(TB_SCHEDULERS);
        for (int i = 1; i <= TB_SCHEDULERS; i++) hp[i] = CATOM("unbound");
        return make_boxed(hp);
    }
    case SI_THREAD_POOL_SIZE: return make_small(1);
    case SI_SMP_SUPPORT: case SI_THREADS: case SI_TIME_CORRECTION: case SI_EAGER_CHECK_IO:
        return AM_true;
    case SI_DEBUG_COMPILED: case SI_LOCK_CHECKING: case SI_LOCK_COUNTING: case SI_KERNEL_POLL:
    case SI_PORT_PARALLELISM: case SI_DYNAMIC_TRACE_PROBES: case SI_ETS_ALWAYS_COMPRESS:
        return AM_false;
    case SI_HIPE_ARCHITECTURE: case SI_MODIFIED_TIMING_LEVEL: return AM_undefined;
    case SI_BUILD_TYPE: case SI_EMU_TYPE: return CATOM("opt");
    case SI_EMU_FLAVOR: return CATOM("emu");
    case SI_CREATION: return make_small(0);
    case SI_HEAP_TYPE: return CATOM("private");
    case SI_HEAP_SIZES: {
        Term l = NIL;
        for (int i = TB_HEAP_SIZES; i-- > 0;) l = tb_cons(p, make_count(heap_sizes[i]), l);
        return l;
    }
    case SI_MIN_HEAP_SIZE: return tb_tuple2(p, CATOM("min_heap_size"), make_count(tb_sys_min_heap_size));
    case SI_MIN_BIN_VHEAP_SIZE:
        return tb_tuple2(p, CATOM("min_bin_vheap_size"), make_count(tb_sys_min_bin_vheap_size));
    case SI_FULLSWEEP_AFTER: return tb_tuple2(p, CATOM("fullsweep_after"), make_count(tb_sys_fullsweep_after));
    case SI_GARBAGE_COLLECTION: return gc_list(p);
    case SI_MAX_HEAP_SIZE: return tb_max_heap_map(p, tb_sys_max_heap_size, tb_sys_max_heap_flags);
    case SI_MESSAGE_QUEUE_DATA: return CATOM("on_heap");
    case SI_LOGICAL_PROCESSORS: return cpu_count(0);
    case SI_LOGICAL_PROCESSORS_ONLINE: return cpu_count(1);
    case SI_LOGICAL_PROCESSORS_AVAILABLE: return cpu_count(2);
    case SI_START_TIME: return tb_make_integer(p, start_mono_ns);
    case SI_OS_TYPE: return os_type(p);
    case SI_OS_VERSION: return os_version(p);
    case SI_COMPAT_REL: return make_small(25);
    case SI_C_COMPILER_USED:
#ifdef __GNUC__
        return tb_tuple2(p, CATOM("gnuc"), tb_tuple3(p, make_small(__GNUC__), make_small(__GNUC_MINOR__),
                                               make_small(__GNUC_PATCHLEVEL__)));
#else
        return tb_tuple2(p, AM_undefined, AM_undefined);
#endif
    case SI_DRIVER_VERSION: return cstr_list(p, "3.3");
    case SI_NIF_VERSION: return cstr_list(p, "2.16");
    case SI_TIME_WARP_MODE: return CATOM("no_time_warp");
    case SI_TIME_OFFSET: return CATOM("final");
    case SI_TOLERANT_TIMEOFDAY: return CATOM("enabled");
    case SI_OS_MONOTONIC_TIME_SOURCE: return time_source(p, true);
    case SI_OS_SYSTEM_TIME_SOURCE: return time_source(p, false);
    case SI_OUTSTANDING_SYSTEM_REQUESTS_LIMIT: return make_small(4);
    case SI_TRACE_CONTROL_WORD: return make_count(trace_control_word);
    case SI_SEQUENTIAL_TRACER: return tb_tuple2(p, CATOM("sequential_tracer"), AM_false);
    case SI_DIST: {
        static const char text[] = "=node:'nonode@nohost'\n=no_distribution\n";
        return tb_new_binary(p, (const uint8_t *)text, sizeof text - 1);
    }
    case SI_DIST_CTRL: case SI_TAINTS: return NIL;
    case SI_DIST_BUF_BUSY_LIMIT: return make_small(1048576);
    case SI_DELAYED_NODE_TABLE_GC: return make_small(60);
    case SI_DYNAMIC_TRACE: return AM(none);
    case SI_CONTEXT_REDUCTIONS: return make_small(CONTEXT_REDS);
    case SI_CPU_QUOTA: return CATOM("unknown");
    case SI_UPDATE_CPU_INFO: return CATOM("unchanged");
    }
    return TB_NONE;
}

Term tb_system_info_memory(TbProcess *p, Term item);   /* bif_memory.c */

BIF_DECL(bif_system_info_1) {
    Term a = args[0];
    Term mem = tb_system_info_memory(p, a);
    if (mem != TB_NONE) return mem;
    if (is_tuple_arity(a, 2) && atom_named(tuple_val(a)[1], "wordsize")) {
        Term k = tuple_val(a)[2];
        if (atom_named(k, "internal") || atom_named(k, "external")) return make_small(sizeof(Term));
        BADARG(p);
    }
    int item = name_index(a, si_names, SI__COUNT);
    Term r = item < 0 ? TB_NONE : system_info_item(p, item);
    if (r == TB_NONE) BADARG(p);
    return r;
}

/* ---------------- system_flag/2 ---------------- */

/* Non-negative small, else -1. */
static SWord nonneg(Term v) { return is_small(v) && small_val(v) >= 0 ? small_val(v) : -1; }

/* Who gets the runtime's own error reports: logger (the registered
 * process), a pid, or undefined (printed to stderr). */
Term tb_system_logger = TB_NONE;      /* TB_NONE: the default, the atom logger */

BIF_DECL(bif_system_flag_2) {
    Term f = args[0], v = args[1];
    SWord n;
    if (atom_named(f, "system_logger")) {
        if (v != AM_undefined && v != CATOM("logger") && !is_internal_pid(v)) BADARG(p);
        Term old = tb_system_logger == TB_NONE ? CATOM("logger") : tb_system_logger;
        tb_system_logger = v;
        return old;
    }
    if (atom_named(f, "backtrace_depth")) {
        if ((n = nonneg(v)) < 0) BADARG(p);
        Term old = make_small(tb_backtrace_depth);
        tb_backtrace_depth = (int)(n > MAX_BACKTRACE_SIZE ? MAX_BACKTRACE_SIZE : n);
        return old;
    }
    if (atom_named(f, "fullsweep_after")) {
        if ((n = nonneg(v)) < 0) BADARG(p);
        Term old = make_count(tb_sys_fullsweep_after);
        tb_sys_fullsweep_after = n > 65535 ? 65535 : (UWord)n;
        return old;
    }
    if (atom_named(f, "min_heap_size")) {
        if ((n = nonneg(v)) < 0) BADARG(p);
        Term old = make_count(tb_sys_min_heap_size);
        tb_sys_min_heap_size = next_heap_size((UWord)n);
        return old;
    }
    if (atom_named(f, "min_bin_vheap_size")) {
        if ((n = nonneg(v)) < 0) BADARG(p);
        Term old = make_count(tb_sys_min_bin_vheap_size);
        tb_sys_min_bin_vheap_size = next_heap_size((UWord)n);
        return old;
    }
    if (atom_named(f, "max_heap_size")) {
        UWord size;
        unsigned fl;
        if (!tb_parse_max_heap(v, &size, &fl) || (size != 0 && size < tb_sys_min_heap_size)) BADARG(p);
        Term old = tb_max_heap_map(p, tb_sys_max_heap_size, tb_sys_max_heap_flags);
        tb_sys_max_heap_size = size;
        tb_sys_max_heap_flags = fl;
        return old;
    }
    if (atom_named(f, "schedulers_online") || atom_named(f, "dirty_cpu_schedulers_online")) {
        if (!is_small(v) || small_val(v) != TB_SCHEDULERS) BADARG(p);
        return make_small(TB_SCHEDULERS);
    }
    if (atom_named(f, "multi_scheduling")) {
        if (atom_named(v, "block") || atom_named(v, "block_normal")) {
            multi_scheduling = atom_named(v, "block") ? MS_BLOCKED : MS_BLOCKED_NORMAL;
            ms_blocker = p->id;
        } else if (atom_named(v, "unblock") || atom_named(v, "unblock_normal")) {
            multi_scheduling = MS_ENABLED;
            ms_blocker = 0;
        } else BADARG(p);
        return ms_state_atom();
    }
    if (atom_named(f, "trace_control_word")) {
        if ((n = nonneg(v)) < 0 || n > (SWord)0xffffffff) BADARG(p);
        Term old = make_count(trace_control_word);
        trace_control_word = (UWord)n;
        return old;
    }
    if (atom_named(f, "debug_flags")) return AM_true;
    if (atom_named(f, "time_offset") && atom_named(v, "finalize")) return CATOM("final");
    if (atom_named(f, "sequential_tracer") && v == AM_false) return AM_false;
    BADARG(p);
}

/* ---------------- statistics/1 ---------------- */

static int64_t runtime_prev_ms, wall_prev_ms;
static UWord reds_prev;

static Term since_last(TbProcess *p, int64_t now, int64_t *prev) {
    int64_t last = __atomic_exchange_n(prev, now, __ATOMIC_RELAXED);
    return tb_tuple2(p, make_small(now), make_small(now - last));
}

static Term zeros(TbProcess *p, int n, int first) {
    Term l = NIL;
    for (int i = n; i-- > 0;) l = tb_cons(p, make_small(i == 0 ? first : 0), l);
    return l;
}

enum {
    ST_RUNTIME, ST_WALL_CLOCK, ST_REDUCTIONS, ST_EXACT_REDUCTIONS, ST_GARBAGE_COLLECTION,
    ST_CONTEXT_SWITCHES, ST_IO, ST_RUN_QUEUE, ST_TOTAL_RUN_QUEUE_LENGTHS,
    ST_TOTAL_RUN_QUEUE_LENGTHS_ALL, ST_RUN_QUEUE_LENGTHS, ST_RUN_QUEUE_LENGTHS_ALL,
    ST_ACTIVE_TASKS, ST_ACTIVE_TASKS_ALL, ST_TOTAL_ACTIVE_TASKS, ST_TOTAL_ACTIVE_TASKS_ALL,
    ST_SCHEDULER_WALL_TIME, ST_SCHEDULER_WALL_TIME_ALL, ST_MICROSTATE_ACCOUNTING, ST__COUNT
};
static const char *const st_names[ST__COUNT] = {
    "runtime", "wall_clock", "reductions", "exact_reductions", "garbage_collection",
    "context_switches", "io", "run_queue", "total_run_queue_lengths",
    "total_run_queue_lengths_all", "run_queue_lengths", "run_queue_lengths_all",
    "active_tasks", "active_tasks_all", "total_active_tasks", "total_active_tasks_all",
    "scheduler_wall_time", "scheduler_wall_time_all", "microstate_accounting",
};

BIF_DECL(bif_statistics_1) {
    switch (name_index(args[0], st_names, ST__COUNT)) {
    case ST_RUNTIME: {                            /* user CPU time, ms (as ERTS) */
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        int64_t ms = ((int64_t)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec) / 1000;
        return since_last(p, ms, &runtime_prev_ms);
    }
    case ST_WALL_CLOCK:
        return since_last(p, (clock_ns(CLOCK_MONOTONIC) - start_mono_ns) / 1000000, &wall_prev_ms);
    case ST_REDUCTIONS: case ST_EXACT_REDUCTIONS: {
        /* finished slices plus the running one */
        UWord total = (UWord)p->sched->reductions + (UWord)(CONTEXT_REDS - (p->fcalls > 0 ? p->fcalls : 0));
        UWord last = __atomic_exchange_n(&reds_prev, total, __ATOMIC_RELAXED);
        return tb_tuple2(p, make_count(total), make_count(total >= last ? total - last : total));
    }
    case ST_GARBAGE_COLLECTION: return tb_tuple3(p, make_count(p->sched->gcs), make_count(p->sched->gc_words), make_small(0));
    case ST_CONTEXT_SWITCHES: return tb_tuple2(p, make_count(p->sched->context_switches), make_small(0));
    case ST_IO:
        return tb_tuple2(p, tb_tuple2(p, CATOM("input"), make_small(0)), tb_tuple2(p, CATOM("output"), make_small(0)));
    case ST_RUN_QUEUE: case ST_TOTAL_RUN_QUEUE_LENGTHS: case ST_TOTAL_RUN_QUEUE_LENGTHS_ALL: {
        TbScheduler *s = p->sched;
        return make_count(s->rq_len[0] + s->rq_len[1] + s->rq_len[2] + s->rq_len[3]);
    }
    case ST_RUN_QUEUE_LENGTHS: return zeros(p, TB_SCHEDULERS + 1, 0);
    case ST_RUN_QUEUE_LENGTHS_ALL: return zeros(p, TB_SCHEDULERS + 2, 0);
    case ST_ACTIVE_TASKS: return zeros(p, TB_SCHEDULERS + 1, 1);       /* the caller */
    case ST_ACTIVE_TASKS_ALL: return zeros(p, TB_SCHEDULERS + 2, 1);
    case ST_TOTAL_ACTIVE_TASKS: case ST_TOTAL_ACTIVE_TASKS_ALL: return make_small(1);
    case ST_SCHEDULER_WALL_TIME: case ST_SCHEDULER_WALL_TIME_ALL: case ST_MICROSTATE_ACCOUNTING:
        return AM_undefined;                      /* not enabled */
    }
    BADARG(p);
}
