/* bif_dist.c — the distribution BIFs as ERTS 25 answers them on a node that
 * is not alive (erl without -sname/-name): nodes/0,1,2, monitor_node/2,3,
 * setnode/2, net_kernel:dflag_unicode_io/1, dist_ctrl_put_data/2 and the
 * erts_internal connection-setup BIFs.  Every result here was checked
 * against erl 25 (see erts-tests/diff/boot_dist.erl).
 *
 * Surprises kept from ERTS: monitor_node(N, _) for N =/= node() raises
 * notalive (it does not send {nodedown, N}); options are checked before the
 * node (badopt wins over a non-atom node).  new_connection/1 hands out a
 * connection id per node name that stays the same until the pending
 * connection is aborted (then it goes up by one); dist_spawn_request/4
 * answers every request with {spawn_reply, Ref, error, noconnection}. */
#include "bif.h"
#include "../emu/msg.h"
#include "../emu/signals.h"
#include "../emu/map.h"
#include "../emu/hash.h"
#include <stdlib.h>

static Term am_visible, am_hidden, am_connected, am_this, am_known, am_connection_id, am_node_type,
    am_notalive, am_allow_passive_connect, am_badopt, am_monitor, am_link, am_reply_tag, am_reply,
    am_yes, am_no, am_error_only, am_success_only, am_spawn_request, am_spawn_reply, am_noconnection;

static void atoms_init(void) {
    if (am_noconnection) return;
    am_visible = tb_atom_cstr("visible");
    am_hidden = tb_atom_cstr("hidden");
    am_connected = tb_atom_cstr("connected");
    am_this = tb_atom_cstr("this");
    am_known = tb_atom_cstr("known");
    am_connection_id = tb_atom_cstr("connection_id");
    am_node_type = tb_atom_cstr("node_type");
    am_notalive = tb_atom_cstr("notalive");
    am_allow_passive_connect = tb_atom_cstr("allow_passive_connect");
    am_badopt = tb_atom_cstr("badopt");
    am_monitor = tb_atom_cstr("monitor");
    am_link = tb_atom_cstr("link");
    am_reply_tag = tb_atom_cstr("reply_tag");
    am_reply = tb_atom_cstr("reply");
    am_yes = tb_atom_cstr("yes");
    am_no = tb_atom_cstr("no");
    am_error_only = tb_atom_cstr("error_only");
    am_success_only = tb_atom_cstr("success_only");
    am_spawn_request = tb_atom_cstr("spawn_request");
    am_spawn_reply = tb_atom_cstr("spawn_reply");
    am_noconnection = tb_atom_cstr("noconnection");
}

#define THIS_NODE AM(nonode_at_nohost)

/* ERTS's is_node_name_atom: an '@' with something before and after it. */
static bool is_node_name(Term a) {
    if (!is_atom(a)) return false;
    const TbAtom *e = atom_entry(a);
    for (uint32_t i = 0; i < e->len; i++)
        if (e->name[i] == '@') return i > 0 && i + 1 < e->len;
    return false;
}

static bool is_proper_list(Term l) {
    while (is_list(l)) l = CDR(list_val(l));
    return l == NIL;
}

/* ---------------- nodes/0,1,2 ---------------- */

/* Which of this node's lists a node type asks for: 1 = this node, 0 = none
 * (no other nodes exist), -1 = not a node type. */
static int node_type(Term t) {
    if (t == am_this || t == am_known) return 1;
    if (t == am_visible || t == am_hidden || t == am_connected) return 0;
    return -1;
}

/* Whether the argument includes this node; false with *ok = false if bad. */
static bool includes_this(Term arg, bool *ok) {
    atoms_init();
    *ok = true;
    if (is_atom(arg)) {
        int k = node_type(arg);
        if (k < 0) *ok = false;
        return k == 1;
    }
    bool this = false;
    for (; is_list(arg); arg = CDR(list_val(arg))) {
        int k = node_type(CAR(list_val(arg)));
        if (k < 0) { *ok = false; return false; }
        if (k == 1) this = true;
    }
    if (arg != NIL) *ok = false;
    return this;
}

BIF_DECL(bif_nodes_0) { (void)p; (void)args; return NIL; }

BIF_DECL(bif_nodes_1) {
    bool ok;
    bool this = includes_this(args[0], &ok);
    if (!ok) BADARG(p);
    return this ? tb_cons(p, THIS_NODE, NIL) : NIL;
}

BIF_DECL(bif_nodes_2) {
    bool ok;
    bool this = includes_this(args[0], &ok);
    if (!ok || !is_map(args[1])) BADARG(p);
    bool want_id = false, want_type = false;
    TbMapIter it;
    tb_map_iter_init(&it, args[1]);
    Term k, v;
    while (tb_map_iter_next(&it, &k, &v)) {
        if (v != AM_true && v != AM_false) BADARG(p);
        if (k == am_connection_id) want_id = v == AM_true;
        else if (k == am_node_type) want_type = v == AM_true;
        else BADARG(p);
    }
    if (!this) return NIL;
    Term keys[2], vals[2];
    size_t n = 0;
    if (want_id) { keys[n] = am_connection_id; vals[n++] = AM_undefined; }
    if (want_type) { keys[n] = am_node_type; vals[n++] = am_this; }
    Term info = tb_map_from_pairs(p, keys, vals, n);
    return tb_cons(p, tb_tuple2(p, THIS_NODE, info), NIL);
}

/* ---------------- monitor_node/2,3, setnode/2 ---------------- */

static Term monitor_node(TbProcess *p, Term node, Term flag) {
    atoms_init();
    if (!is_atom(node)) BADARG(p);
    if (node != THIS_NODE) BIF_ERROR(p, am_notalive);
    if (flag != AM_true && flag != AM_false) BADARG(p);
    return AM_true;                     /* monitoring ourselves: nothing to do */
}

BIF_DECL(bif_monitor_node_2) { return monitor_node(p, args[0], args[1]); }

BIF_DECL(bif_monitor_node_3) {
    atoms_init();
    Term l = args[2];
    for (; is_list(l); l = CDR(list_val(l)))
        if (CAR(list_val(l)) != am_allow_passive_connect) BADARG(p);   /* ERTS: cause badopt */
    if (l != NIL) BADARG(p);
    return monitor_node(p, args[0], args[1]);
}

/* Only net_kernel of a node being made alive succeeds; tbeam has no
 * distribution, so ERTS's answer to anyone else. */
BIF_DECL(bif_setnode_2) { (void)args; BADARG(p); }

/* ---------------- net_kernel, dist controller ---------------- */

BIF_DECL(bif_nk_dflag_unicode_io_1) {
    if (!is_pid(args[0])) BADARG(p);
    return AM_true;                     /* our own node talks unicode */
}

/* No distribution channel can exist: every handle is invalid. */
BIF_DECL(bif_dist_ctrl_put_data_2) { (void)args; BADARG(p); }

/* Not alive: ERTS returns (does not raise) badarg. */
BIF_DECL(bif_ei_create_dist_channel_3) { (void)p; (void)args; return AM_badarg; }

/* ---------------- pending connections ---------------- */

/* ERTS's dist entries: one per node name ever asked for. */
typedef struct DistEntry {
    Term name;
    uint32_t conn_id;
    uint32_t ref[3];
    bool pending;
} DistEntry;
static DistEntry *entries;
static size_t n_entries, cap_entries;

static DistEntry *entry_find(Term name, bool create) {
    for (size_t i = 0; i < n_entries; i++)
        if (entries[i].name == name) return &entries[i];
    if (!create) return NULL;
    if (n_entries == cap_entries) {
        cap_entries = cap_entries ? 2 * cap_entries : 8;
        entries = realloc(entries, cap_entries * sizeof *entries);
        if (!entries) abort();
    }
    DistEntry *e = &entries[n_entries++];
    e->name = name;
    const TbAtom *a = atom_entry(name);
    e->conn_id = (a->hash * 2654435761u) & 0xFFFFFF;   /* ERTS starts from a random 24-bit id */
    tb_ref_new_nums(e->ref);
    e->pending = false;
    return e;
}

/* {ConnId, DHandle}: the id of a connection attempt that stays pending
 * until aborted. */
BIF_DECL(bif_ei_new_connection_1) {
    Term node = args[0];
    if (!is_node_name(node) || node == THIS_NODE) BADARG(p);
    DistEntry *e = entry_find(node, true);
    e->pending = true;
    return tb_tuple2(p, make_small(e->conn_id), tb_ref_make(p, e->ref));
}

BIF_DECL(bif_ei_abort_pending_connection_2) {
    Term node = args[0], h = args[1];
    if (!is_node_name(node) || !is_tuple_arity(h, 2)) BADARG(p);
    Term id = tuple_val(h)[1], ref = tuple_val(h)[2];
    DistEntry *e = entry_find(node, false);
    if (!e || !is_small(id) || !is_ref(ref)) BADARG(p);
    const uint32_t *num = tb_ref_numbers(ref);
    if (memcmp(num, e->ref, sizeof e->ref) != 0) BADARG(p);
    if (e->pending && (uint32_t)small_val(id) == e->conn_id) {
        e->pending = false;
        e->conn_id = (e->conn_id + 1) & 0xFFFFFF;
    }
    return AM_true;
}

/* erts_internal:dist_spawn_request(Node, {M,F,Args}, Opts, Type): returns
 * the request reference (Type spawn_request) or {Ref, Monitor}; the reply
 * {ReplyTag, Ref, error, noconnection | badopt} follows unless {reply, no}
 * or {reply, success_only} says otherwise.  Bad arguments give the atom
 * badarg. */
BIF_DECL(bif_ei_dist_spawn_request_4) {
    atoms_init();
    Term node = args[0], mfa = args[1], opts = args[2], type = args[3];
    if (!is_atom(node) || node == THIS_NODE) return AM_badarg;   /* any other atom will do */
    if (!is_tuple_arity(mfa, 3) || !is_atom(tuple_val(mfa)[1]) || !is_atom(tuple_val(mfa)[2]) ||
        !is_proper_list(tuple_val(mfa)[3]))
        return AM_badarg;
    if (!is_proper_list(opts)) return AM_badarg;
    bool monitor = false, badopt = false;
    Term tag = am_spawn_reply, reply = am_yes;
    for (Term l = opts; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (o == am_monitor) monitor = true;
        else if (is_tuple_arity(o, 2)) {
            Term k = tuple_val(o)[1], v = tuple_val(o)[2];
            if (k == am_monitor) monitor = true;
            else if (k == am_reply_tag) tag = v;
            else if (k == am_reply) {
                if (v == am_yes || v == am_no || v == am_error_only || v == am_success_only) reply = v;
                else badopt = true;
            }
        }
    }
    uint32_t num[3];
    tb_ref_new_nums(num);
    Term ref = tb_ref_make(p, num);
    if (reply == am_yes || reply == am_error_only) {     /* a bad option is an error reply too */
        Term *hp = tb_halloc(p, 5);
        hp[0] = make_arityval(4);
        hp[1] = tag; hp[2] = ref; hp[3] = AM_error; hp[4] = badopt ? am_badopt : am_noconnection;
        tb_msg_send(p, p, make_boxed(hp));
    }
    if (type == am_spawn_request) return ref;
    return tb_tuple2(p, ref, monitor ? AM_true : AM_false);
}
