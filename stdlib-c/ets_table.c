/* ets_table.c — ETS objects (deep copies in one block), the table registry
 * (by tid, by name, by owner), options, ownership, heirs, fixation, info,
 * and the process-exit hook. */
#include "ets.h"
#include "../emu/gc.h"
#include "../emu/binary.h"
#include "../emu/map.h"
#include "../emu/msg.h"
#include "../emu/ptab.h"
#include "../emu/signals.h"
#include "../emu/compare.h"
#include "../emu/big.h"
#include "../bifs/bif.h"
#include <stdlib.h>
#include <time.h>

/* ================= objects ================= */

TbEtsObj *tb_ets_obj_new(Term t) {
    UWord w = is_immed(t) ? 0 : tb_size_object_owned(t);
    TbEtsObj *o = malloc(sizeof *o + w * sizeof(Term));
    if (!o) abort();
    o->link[0] = o->link[1] = NULL;
    o->key = NIL;
    o->hash = 0;
    o->balance = 0;
    o->dead = 0;
    o->pad = 0;
    o->off_heap = NULL;
    o->words = w;
    Term *hp = o->data;
    o->term = w ? tb_copy_object_owned(t, &hp, &o->off_heap) : t;
    return o;
}

void tb_ets_obj_free(TbEtsObj *o) {
    if (!o) return;
    if (o->off_heap) tb_proc_bins_release(o->off_heap);
    free(o);
}

UWord tb_ets_copy_size(Term t) { return is_immed(t) ? 0 : tb_size_object(t); }

Term tb_ets_copy_to(TbProcess *p, Term t, Term **hp) {
    if (is_immed(t)) return t;
    TbProcBin *before = p->off_heap;
    Term r = tb_copy_object(t, hp, &p->off_heap);
    for (TbProcBin *pb = p->off_heap; pb != before; pb = pb->next) p->off_heap_bytes += pb->size;
    return r;
}

Term tb_ets_copy_out(TbProcess *p, Term t) {
    if (is_immed(t)) return t;
    UWord sz = tb_size_object(t);
    Term *hp = tb_halloc(p, sz);
    return tb_ets_copy_to(p, t, &hp);
}

bool tb_ets_key_eq(Term a, Term b) {
    if (a == b) return true;
    if (is_immed(a) || is_immed(b)) return false;
    return tb_eq_exact(a, b);
}

uint32_t tb_ets_key_hash(Term key) {
    if (is_float(key) && float_val(key) == 0.0) {
        static Term zero;
        static Term zero_box[FLOAT_WORDS];
        if (!zero) zero = make_float_at(zero_box, 0.0);
        key = zero;
    }
    return tb_map_internal_hash(key);
}

/* ================= registry ================= */

static TbEtsTable **by_id, **by_name, **by_owner;
static UWord id_cap, name_cap, owner_cap, ntables;
static TbEtsTable *fixed_list;

static inline UWord id_hash(const uint32_t r[3]) {
    uint64_t h = ((uint64_t)r[2] << 32 | r[1]) ^ ((uint64_t)r[0] * 0x9E3779B97F4A7C15ull);
    return (UWord)(h ^ (h >> 29));
}
static inline UWord term_hash(Term t) { uint64_t h = t * 0x9E3779B97F4A7C15ull; return (UWord)(h >> 17); }

static void regs_grow(void) {
    UWord ncap = id_cap ? id_cap * 2 : 64;
    TbEtsTable **ni = calloc(ncap, sizeof *ni), **nn = calloc(ncap, sizeof *nn), **no = calloc(ncap, sizeof *no);
    if (!ni || !nn || !no) abort();
    for (UWord i = 0; i < id_cap; i++) {
        for (TbEtsTable *t = by_id[i], *n; t; t = n) {
            n = t->next_id;
            UWord b = id_hash(t->ref) & (ncap - 1);
            t->next_id = ni[b]; ni[b] = t;
        }
        for (TbEtsTable *t = by_name[i], *n; t; t = n) {
            n = t->next_name;
            UWord b = term_hash(t->name) & (ncap - 1);
            t->next_name = nn[b]; nn[b] = t;
        }
        for (TbEtsTable *t = by_owner[i], *n; t; t = n) {
            n = t->next_owned;
            UWord b = term_hash(t->owner) & (ncap - 1);
            t->next_owned = no[b];
            if (no[b]) no[b]->prev_owned = &t->next_owned;
            t->prev_owned = &no[b];
            no[b] = t;
        }
    }
    free(by_id); free(by_name); free(by_owner);
    by_id = ni; by_name = nn; by_owner = no;
    id_cap = name_cap = owner_cap = ncap;
}

static void owner_link(TbEtsTable *t) {
    TbEtsTable **h = &by_owner[term_hash(t->owner) & (owner_cap - 1)];
    t->next_owned = *h;
    if (*h) (*h)->prev_owned = &t->next_owned;
    t->prev_owned = h;
    *h = t;
}
static void owner_unlink(TbEtsTable *t) {
    *t->prev_owned = t->next_owned;
    if (t->next_owned) t->next_owned->prev_owned = t->prev_owned;
    t->next_owned = NULL;
    t->prev_owned = NULL;
}

static TbEtsTable *find_name(Term name) {
    if (!name_cap) return NULL;
    for (TbEtsTable *t = by_name[term_hash(name) & (name_cap - 1)]; t; t = t->next_name)
        if (t->name == name) return t;
    return NULL;
}
static void name_link(TbEtsTable *t) {
    TbEtsTable **h = &by_name[term_hash(t->name) & (name_cap - 1)];
    t->next_name = *h;
    *h = t;
}
static void name_unlink(TbEtsTable *t) {
    for (TbEtsTable **pp = &by_name[term_hash(t->name) & (name_cap - 1)]; *pp; pp = &(*pp)->next_name)
        if (*pp == t) { *pp = t->next_name; return; }
}

TbEtsTable *tb_ets_find(Term id) {
    if (is_atom(id)) return find_name(id);
    if (is_ref(id)) {
        const TbRefThing *r = (const TbRefThing *)boxed_val(id);
        if (r->num[3] != TB_ETS_TID_TAG || !id_cap) return NULL;
        for (TbEtsTable *t = by_id[id_hash(r->num) & (id_cap - 1)]; t; t = t->next_id)
            if (t->ref[0] == r->num[0] && t->ref[1] == r->num[1] && t->ref[2] == r->num[2]) return t;
    }
    return NULL;
}

TbEtsTable *tb_ets_get(TbProcess *p, Term id, int access) {
    TbEtsTable *t = tb_ets_find(id);
    if (!t) return NULL;
    switch (access) {
    case TB_ETS_READ: if (t->prot == TB_ETS_PRIVATE && t->owner != p->id) return NULL; break;
    case TB_ETS_WRITE: if (t->prot != TB_ETS_PUBLIC && t->owner != p->id) return NULL; break;
    case TB_ETS_OWNER: if (t->owner != p->id) return NULL; break;
    default: break;
    }
    return t;
}

Term tb_ets_tid_term(TbProcess *p, const TbEtsTable *t) {
    TbRefThing *r = (TbRefThing *)tb_halloc(p, REF_THING_WORDS);
    r->header = make_header(REF_THING_WORDS - 1, HDR_SUB_REF);
    memcpy(r->num, t->ref, sizeof t->ref);
    r->num[3] = TB_ETS_TID_TAG;
    return make_boxed((Term *)r);
}

Term tb_ets_id_term(TbProcess *p, const TbEtsTable *t) {
    return t->named ? t->name : tb_ets_tid_term(p, t);
}

/* ================= creation and options ================= */

static bool pid_alive(Term pid) {
    TbProcess *q = is_internal_pid(pid) ? tb_pid_lookup(pid) : NULL;
    return q && q->status < TB_PS_EXITING;
}

void tb_ets_set_heir(TbEtsTable *t, Term heir, Term data) {
    tb_ets_obj_free(t->heir_data);
    t->heir_data = NULL;
    if (heir == AM(none) || !pid_alive(heir)) { t->heir = AM(none); return; }
    t->heir = heir;
    t->heir_data = tb_ets_obj_new(data);
}

TbEtsTable *tb_ets_create(TbProcess *p, Term name, Term opts) {
    if (!is_atom(name)) return NULL;
    uint8_t type = TB_ETS_SET, prot = TB_ETS_PROTECTED, wc = 0;
    bool named = false, compressed = false, rc = false;
    int dc = -1;
    unsigned keypos = 1;
    Term heir = AM(none), heir_data = NIL;
    Term l = opts;
    for (; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (o == EATOM("set")) type = TB_ETS_SET;
        else if (o == EATOM("bag")) type = TB_ETS_BAG;
        else if (o == EATOM("duplicate_bag")) type = TB_ETS_DBAG;
        else if (o == EATOM("ordered_set")) type = TB_ETS_OSET;
        else if (o == EATOM("public")) prot = TB_ETS_PUBLIC;
        else if (o == EATOM("protected")) prot = TB_ETS_PROTECTED;
        else if (o == EATOM("private")) prot = TB_ETS_PRIVATE;
        else if (o == EATOM("named_table")) named = true;
        else if (o == EATOM("compressed")) compressed = true;
        else if (is_tuple_arity(o, 2)) {
            Term k = tuple_val(o)[1], v = tuple_val(o)[2];
            if (k == EATOM("keypos")) {
                if (!is_small(v) || small_val(v) < 1) return NULL;
                keypos = (unsigned)small_val(v);
            } else if (k == EATOM("write_concurrency")) {
                if (v == AM_true) wc = 1;
                else if (v == AM_false) wc = 0;
                else if (v == EATOM("auto")) wc = 2;
                else return NULL;
            } else if (k == EATOM("read_concurrency")) {
                if (v != AM_true && v != AM_false) return NULL;
                rc = v == AM_true;
            } else if (k == EATOM("decentralized_counters")) {
                if (v != AM_true && v != AM_false) return NULL;
                dc = v == AM_true;
            } else if (k == EATOM("heir") && v == AM(none)) {
                heir = AM(none);
            } else return NULL;
        } else if (is_tuple_arity(o, 3) && tuple_val(o)[1] == EATOM("heir")) {
            if (!is_internal_pid(tuple_val(o)[2])) return NULL;
            heir = tuple_val(o)[2];
            heir_data = tuple_val(o)[3];
        } else return NULL;
    }
    if (l != NIL) return NULL;
    if (named && find_name(name)) return NULL;

    TbEtsTable *t = calloc(1, sizeof *t);
    if (!t) abort();
    tb_ref_new_nums(t->ref);
    t->name = name;
    t->owner = p->id;
    t->type = type;
    t->prot = prot;
    t->named = named;
    t->compressed = compressed;
    t->read_conc = rc;
    t->write_conc = wc;
    t->dcounters = wc != 0 && (dc >= 0 ? dc : type == TB_ETS_OSET);
    t->keypos = keypos;
    t->heir = AM(none);
    if (heir != AM(none)) tb_ets_set_heir(t, heir, heir_data);
    if (type != TB_ETS_OSET) tb_ets_hash_init(t);

    if (ntables + 1 > id_cap) regs_grow();
    ntables++;
    TbEtsTable **h = &by_id[id_hash(t->ref) & (id_cap - 1)];
    t->next_id = *h;
    *h = t;
    if (named) name_link(t);
    owner_link(t);
    return t;
}

static void fixed_unlink(TbEtsTable *t) {
    if (!t->in_fixed_list) return;
    *t->prev_fixed = t->next_fixed;
    if (t->next_fixed) t->next_fixed->prev_fixed = t->prev_fixed;
    t->in_fixed_list = false;
}

void tb_ets_destroy(TbEtsTable *t) {
    for (TbEtsTable **pp = &by_id[id_hash(t->ref) & (id_cap - 1)]; *pp; pp = &(*pp)->next_id)
        if (*pp == t) { *pp = t->next_id; break; }
    if (t->named) name_unlink(t);
    owner_unlink(t);
    fixed_unlink(t);
    ntables--;
    tb_ets_free_storage(t);
    tb_ets_obj_free(t->heir_data);
    free(t->fixes);
    free(t);
}

bool tb_ets_rename(TbEtsTable *t, Term name) {
    if (t->named) {
        TbEtsTable *o = find_name(name);
        if (o && o != t) return false;
        name_unlink(t);
        t->name = name;
        name_link(t);
    } else t->name = name;
    return true;
}

void tb_ets_set_owner(TbEtsTable *t, Term pid) {
    owner_unlink(t);
    t->owner = pid;
    owner_link(t);
}

/* ================= fixation ================= */

static int64_t now_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void tb_ets_fix(TbEtsTable *t, Term pid, bool on) {
    unsigned i;
    for (i = 0; i < t->nfixes && t->fixes[i].pid != pid; i++) {}
    if (on) {
        if (i < t->nfixes) { t->fixes[i].count++; return; }
        if (t->nfixes == 0) {
            t->fix_mono = now_ns(CLOCK_MONOTONIC);
            int64_t us = now_ns(CLOCK_REALTIME) / 1000;
            t->fix_ts[0] = us / 1000000000000;
            t->fix_ts[1] = us / 1000000 % 1000000;
            t->fix_ts[2] = us % 1000000;
            t->next_fixed = fixed_list;
            if (fixed_list) fixed_list->prev_fixed = &t->next_fixed;
            t->prev_fixed = &fixed_list;
            fixed_list = t;
            t->in_fixed_list = true;
        }
        if (t->nfixes == t->fixcap) {
            t->fixcap = t->fixcap ? t->fixcap * 2 : 2;
            t->fixes = realloc(t->fixes, t->fixcap * sizeof *t->fixes);
            if (!t->fixes) abort();
        }
        /* newest first, as ERTS lists them */
        memmove(t->fixes + 1, t->fixes, t->nfixes * sizeof *t->fixes);
        t->fixes[0] = (TbEtsFix){pid, 1};
        t->nfixes++;
        return;
    }
    if (i == t->nfixes) return;
    if (--t->fixes[i].count > 0) return;
    memmove(t->fixes + i, t->fixes + i + 1, (t->nfixes - i - 1) * sizeof *t->fixes);
    t->nfixes--;
    if (t->nfixes == 0) {
        fixed_unlink(t);
        if (t->type != TB_ETS_OSET) tb_ets_hash_unfix(t);
    }
}

/* ================= process exit ================= */

static void send_transfer(TbEtsTable *t, Term to_pid, Term from, TbEtsObj *data) {
    TbProcess *to = tb_pid_lookup(to_pid);
    if (!to) return;
    TbHeapFrag *f;
    Term *hp;
    Term d = tb_msg_copy(data ? data->term : AM_false, 5 + REF_THING_WORDS, &f, &hp);
    Term id;
    if (t->named) id = t->name;
    else {
        TbRefThing *r = (TbRefThing *)(hp + 5);
        r->header = make_header(REF_THING_WORDS - 1, HDR_SUB_REF);
        memcpy(r->num, t->ref, sizeof t->ref);
        r->num[3] = TB_ETS_TID_TAG;
        id = make_boxed((Term *)r);
    }
    hp[0] = make_arityval(4);
    hp[1] = EATOM("ETS-TRANSFER");
    hp[2] = id;
    hp[3] = from;
    hp[4] = d;
    tb_msg_enqueue(to, make_boxed(hp), f);
}

void tb_ets_transfer(TbEtsTable *t, Term to, Term from, TbEtsObj *data) {
    tb_ets_set_owner(t, to);
    send_transfer(t, to, from, data);
}

void tb_ets_process_exit(TbProcess *p) {
    Term pid = p->id;
    for (TbEtsTable *t = fixed_list, *n; t; t = n) {
        n = t->next_fixed;
        for (unsigned i = 0; i < t->nfixes; i++)
            if (t->fixes[i].pid == pid) {
                t->fixes[i].count = 1;
                tb_ets_fix(t, pid, false);
                break;
            }
    }
    if (!owner_cap) return;
    TbEtsTable **h = &by_owner[term_hash(pid) & (owner_cap - 1)];
    for (TbEtsTable *t = *h, *n; t; t = n) {
        n = t->next_owned;
        if (t->owner != pid) continue;
        if (t->heir != AM(none) && t->heir != pid && pid_alive(t->heir)) {
            tb_ets_transfer(t, t->heir, pid, t->heir_data);
            n = *h;               /* the chain changed: rescan (moved tables no longer match) */
        } else {
            tb_ets_destroy(t);
            n = *h;
        }
    }
}

/* ================= all/0 and info ================= */

Term tb_ets_all(TbProcess *p) {
    Term l = NIL;
    for (UWord i = 0; i < id_cap; i++)
        for (TbEtsTable *t = by_id[i]; t; t = t->next_id) l = tb_cons(p, tb_ets_id_term(p, t), l);
    return l;
}

static UWord count_objs_words(const TbEtsTable *t) {
    return t->obj_words + t->nitems * (sizeof(TbEtsObj) / sizeof(Term));
}

UWord tb_ets_memory_words(const TbEtsTable *t) {
    UWord w = sizeof(TbEtsTable) / sizeof(Term) + count_objs_words(t);
    if (t->type != TB_ETS_OSET) w += t->nsegs + ((t->nactive + TB_ETS_SEG_SIZE - 1) / TB_ETS_SEG_SIZE) * TB_ETS_SEG_SIZE;
    return w;
}

static Term type_atom(const TbEtsTable *t) {
    switch (t->type) {
    case TB_ETS_SET: return EATOM("set");
    case TB_ETS_BAG: return EATOM("bag");
    case TB_ETS_DBAG: return EATOM("duplicate_bag");
    default: return EATOM("ordered_set");
    }
}
static Term prot_atom(const TbEtsTable *t) {
    return t->prot == TB_ETS_PUBLIC ? EATOM("public") : t->prot == TB_ETS_PROTECTED ? EATOM("protected") : EATOM("private");
}
static Term bool_atom(bool b) { return b ? AM_true : AM_false; }

static Term safe_fixed(TbProcess *p, TbEtsTable *t, bool mono) {
    if (!t->nfixes) return AM_false;
    Term l = NIL;
    for (unsigned i = t->nfixes; i-- > 0;)
        l = tb_cons(p, tb_tuple2(p, t->fixes[i].pid, make_small((SWord)t->fixes[i].count)), l);
    Term when;
    if (mono) when = tb_make_integer(p, t->fix_mono);
    else when = tb_tuple3(p, make_small(t->fix_ts[0]), make_small(t->fix_ts[1]), make_small(t->fix_ts[2]));
    return tb_tuple2(p, when, l);
}

Term tb_ets_info_item(TbProcess *p, TbEtsTable *t, Term item) {
    if (item == EATOM("size")) return make_small((SWord)t->nitems);
    if (item == EATOM("type")) return type_atom(t);
    if (item == EATOM("named_table")) return bool_atom(t->named);
    if (item == EATOM("keypos")) return make_small(t->keypos);
    if (item == EATOM("protection")) return prot_atom(t);
    if (item == EATOM("owner")) return t->owner;
    if (item == EATOM("heir")) return t->heir;
    if (item == EATOM("name")) return t->name;
    if (item == EATOM("memory")) return make_small((SWord)tb_ets_memory_words(t));
    if (item == EATOM("compressed")) return bool_atom(t->compressed);
    if (item == EATOM("read_concurrency")) return bool_atom(t->read_conc);
    if (item == EATOM("write_concurrency"))
        return t->write_conc == 2 ? EATOM("auto") : bool_atom(t->write_conc == 1);
    if (item == EATOM("decentralized_counters")) return bool_atom(t->dcounters);
    if (item == EATOM("id")) return tb_ets_tid_term(p, t);
    if (item == EATOM("node")) return AM(nonode_at_nohost);
    if (item == EATOM("fixed")) return bool_atom(t->nfixes > 0);
    if (item == EATOM("safe_fixed")) return safe_fixed(p, t, false);
    if (item == EATOM("safe_fixed_monotonic_time")) return safe_fixed(p, t, true);
    if (item == EATOM("binary")) return NIL;
    if (item == EATOM("stats")) {
        UWord buckets = t->type == TB_ETS_OSET ? 0 : t->nactive;
        Term *hp = tb_halloc(p, 9);
        hp[0] = make_arityval(8);
        hp[1] = make_small((SWord)buckets);
        for (int i = 2; i <= 8; i++) hp[i] = make_small(0);
        return make_boxed(hp);
    }
    return TB_NONE;
}

Term tb_ets_info_all(TbProcess *p, TbEtsTable *t) {
    static const char *const items[] = {
        "protection", "keypos", "type", "named_table", "node", "size", "name", "heir", "owner",
        "memory", "compressed", "write_concurrency", "read_concurrency", "decentralized_counters", "id",
    };
    Term l = NIL;
    for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
        Term k = tb_atom_cstr(items[i]);
        l = tb_cons(p, tb_tuple2(p, k, tb_ets_info_item(p, t, k)), l);
    }
    return l;
}
