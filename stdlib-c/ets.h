/* ets.h — ETS tables in C, with ERTS 25's semantics.
 *
 * Public part (for the rest of the VM):
 *   tb_ets_process_exit(p)   call while p is exiting, before its links and
 *                            monitors fire (ERTS deletes/hands over tables in
 *                            that order: the heir's 'ETS-TRANSFER' arrives
 *                            before anyone sees the owner's 'DOWN').
 *
 * Internal part (stdlib-c/ets_*.c, bifs/bif_ets*.c):
 *   Every object is ONE malloc'd block (TbEtsObj): links for the hash chain
 *   or the AVL tree, then a deep copy of the tuple — literals included, so
 *   nothing points into module code that may be purged — with its refc
 *   binaries referenced from the object's own off-heap list (released when
 *   the object is freed).
 *
 *   set/bag/duplicate_bag: linear hashing (one bucket split per insert over
 *   the load limit, ERTS's growth: the bucket count follows the object count
 *   from 256 up), keys compared with =:= (0.0 and -0.0 are one key, as in
 *   OTP 25), bag objects of one key kept together in insertion order.
 *   ordered_set: AVL tree in term order (==: 1 and 1.0 are one key).
 *
 *   Table ids are references (num[3] = TB_ETS_TID_TAG, so a make_ref() that
 *   happens to share numbers is never taken for a table); compiled match
 *   specs are references tagged TB_MS_REF_TAG (see ms.h). */
#ifndef TB_ETS_H
#define TB_ETS_H
#include "../emu/term.h"
#include "../emu/process.h"
#include "../emu/atom.h"

void tb_ets_process_exit(TbProcess *p);

/* ------------------------------------------------------------------ */
/* internals */

#define TB_ETS_TID_TAG 0x45545321u     /* "ETS!" in TbRefThing.num[3] */

/* An atom looked up once (atoms.def is not ours to extend). */
#define EATOM(s) ({ static Term a_; if (!a_) a_ = tb_atom_cstr(s); a_; })

enum { TB_ETS_SET, TB_ETS_BAG, TB_ETS_DBAG, TB_ETS_OSET };
enum { TB_ETS_PUBLIC, TB_ETS_PROTECTED, TB_ETS_PRIVATE };

typedef struct TbEtsObj {
    /* hot: what a lookup or a tree descent reads, in the first 32 bytes */
    struct TbEtsObj *link[2];    /* hash: link[0] = chain next; tree: left, right */
    Term key;                    /* the key (a word of data[] for boxed keys), set on insert */
    uint32_t hash;               /* hash tables: the key's hash */
    int8_t balance;              /* tree: height(right) - height(left) */
    uint8_t dead;                /* hash: pseudo-deleted while the table is fixed */
    uint16_t pad;
    struct TbProcBin *off_heap;  /* refc binaries referenced by the copy */
    UWord words;                 /* words in data[] */
    Term term;                   /* the stored tuple (points into data) */
    Term data[];
} TbEtsObj;

typedef struct TbEtsFix { Term pid; UWord count; } TbEtsFix;

typedef struct TbEtsTable {
    uint32_t ref[3];             /* tid numbers */
    Term name;                   /* atom */
    Term owner;                  /* pid */
    Term heir;                   /* pid, or AM none */
    TbEtsObj *heir_data;         /* copy of the heir data (term in ->term) */
    uint8_t type, prot;
    bool named, compressed, read_conc, dcounters;
    uint8_t write_conc;          /* 0 false, 1 true, 2 auto */
    unsigned keypos;
    UWord nitems;
    UWord obj_words;             /* sum of object sizes (info memory) */
    /* fixation (safe_fixtable) */
    TbEtsFix *fixes;
    unsigned nfixes, fixcap;
    int64_t fix_mono;            /* monotonic_time at first fix */
    int64_t fix_ts[3];           /* erlang:timestamp() at first fix */
    UWord ndead;                 /* pseudo-deleted objects awaiting unfix */
    /* hash part */
    TbEtsObj ***segs;            /* segments of 256 buckets */
    UWord nsegs;                 /* allocated segment pointers */
    UWord nactive;               /* buckets in use */
    UWord szm;                   /* mask for the current doubling level */
    /* tree part */
    TbEtsObj *root;
    /* registry */
    struct TbEtsTable *next_id, *next_name, *next_owned, **prev_owned;
    struct TbEtsTable *next_fixed, **prev_fixed;
    bool in_fixed_list;
} TbEtsTable;

#define TB_ETS_SEG_BITS 8
#define TB_ETS_SEG_SIZE (1u << TB_ETS_SEG_BITS)
#define TB_ETS_MIN_BUCKETS 256u

static inline Term tb_ets_obj_key(const TbEtsTable *t, const TbEtsObj *o) { (void)t; return o->key; }
static inline void tb_ets_obj_set_key(const TbEtsTable *t, TbEtsObj *o) { o->key = tuple_val(o->term)[t->keypos]; }
static inline bool tb_ets_is_fixed(const TbEtsTable *t) { return t->nfixes > 0; }

/* ---- objects (ets_table.c) ---- */
/* Deep copy of any term into one new object block (literals copied too). */
TbEtsObj *tb_ets_obj_new(Term t);
void tb_ets_obj_free(TbEtsObj *o);
/* Copy a stored term onto p's heap (refc binaries linked on p). */
Term tb_ets_copy_out(TbProcess *p, Term t);
UWord tb_ets_copy_size(Term t);
Term tb_ets_copy_to(TbProcess *p, Term t, Term **hp);
/* Exact key equality for hash tables (=:=, 0.0 =:= -0.0) and its hash. */
bool tb_ets_key_eq(Term a, Term b);
uint32_t tb_ets_key_hash(Term key);

/* ---- registry and access (ets_table.c) ---- */
enum { TB_ETS_READ, TB_ETS_WRITE, TB_ETS_INFO, TB_ETS_OWNER };
/* The table named by tid or name, if p may access it that way; NULL means
 * badarg (no such table, or an access violation). */
TbEtsTable *tb_ets_get(TbProcess *p, Term id, int access);
/* Without access check; NULL if no such table. */
TbEtsTable *tb_ets_find(Term id);
Term tb_ets_tid_term(TbProcess *p, const TbEtsTable *t);
/* What ets:new returns and messages carry: the name if named, else the tid. */
Term tb_ets_id_term(TbProcess *p, const TbEtsTable *t);
TbEtsTable *tb_ets_create(TbProcess *p, Term name, Term opts);   /* NULL: badarg */
void tb_ets_destroy(TbEtsTable *t);      /* unregister and free everything */
bool tb_ets_rename(TbEtsTable *t, Term name);
void tb_ets_set_owner(TbEtsTable *t, Term pid);
/* New owner `to` and its {'ETS-TRANSFER', Tab, From, Data} message (give_away, heirs). */
void tb_ets_transfer(TbEtsTable *t, Term to, Term from, TbEtsObj *data);
void tb_ets_set_heir(TbEtsTable *t, Term heir, Term data);
void tb_ets_fix(TbEtsTable *t, Term pid, bool on);
Term tb_ets_all(TbProcess *p);
Term tb_ets_info_item(TbProcess *p, TbEtsTable *t, Term item);  /* TB_NONE: bad item */
Term tb_ets_info_all(TbProcess *p, TbEtsTable *t);
UWord tb_ets_memory_words(const TbEtsTable *t);

/* ---- storage operations, dispatched on the table type (ets_hash.c / ets_tree.c) ---- */
/* Insert an object (takes ownership of o).  For set/ordered_set an object
 * with an equal key is replaced; bag ignores an exact duplicate (o freed). */
void tb_ets_insert(TbEtsTable *t, TbEtsObj *o);
/* Does an object with this key exist? */
bool tb_ets_member(TbEtsTable *t, Term key);
/* First object with the key (the chain from it holds the others for bags:
 * iterate with tb_ets_key_next). NULL if none. */
TbEtsObj *tb_ets_lookup(TbEtsTable *t, Term key);
TbEtsObj *tb_ets_key_next(TbEtsTable *t, TbEtsObj *o);
/* Remove every object with the key; returns how many. */
UWord tb_ets_delete_key(TbEtsTable *t, Term key);
/* Remove one object (as found by lookup/traversal). */
void tb_ets_delete_obj(TbEtsTable *t, TbEtsObj *o);
/* Replace an object with another one holding the same key (same place). */
void tb_ets_replace_obj(TbEtsTable *t, TbEtsObj *old, TbEtsObj *nw);
void tb_ets_delete_all(TbEtsTable *t);
void tb_ets_free_storage(TbEtsTable *t);
/* first/next/last/prev keys: TB_NONE means '$end_of_table'; *bad set when
 * next/prev is given a key a hash table does not have. */
TbEtsObj *tb_ets_first(TbEtsTable *t);
TbEtsObj *tb_ets_last(TbEtsTable *t);
TbEtsObj *tb_ets_next(TbEtsTable *t, Term key, bool *bad);
TbEtsObj *tb_ets_prev(TbEtsTable *t, Term key, bool *bad);
/* Objects of every kind in traversal order: the iteration used by select. */

/* hash internals (ets_hash.c) */
void tb_ets_hash_init(TbEtsTable *t);
void tb_ets_hash_free(TbEtsTable *t);
void tb_ets_hash_insert(TbEtsTable *t, TbEtsObj *o, bool append_group);
TbEtsObj *tb_ets_hash_lookup(TbEtsTable *t, Term key, bool with_dead);
UWord tb_ets_hash_delete_key(TbEtsTable *t, Term key);
void tb_ets_hash_delete_obj(TbEtsTable *t, TbEtsObj *o);
void tb_ets_hash_replace(TbEtsTable *t, TbEtsObj *old, TbEtsObj *nw);
TbEtsObj *tb_ets_hash_bucket(TbEtsTable *t, UWord ix);   /* chain head (dead ones included) */
TbEtsObj *tb_ets_hash_first_from(TbEtsTable *t, UWord ix);
TbEtsObj *tb_ets_hash_next(TbEtsTable *t, Term key, bool *bad);
void tb_ets_hash_unfix(TbEtsTable *t);     /* purge pseudo-deleted objects, resize */
void tb_ets_hash_clear(TbEtsTable *t);

/* tree internals (ets_tree.c) */
void tb_ets_tree_insert(TbEtsTable *t, TbEtsObj *o);
TbEtsObj *tb_ets_tree_lookup(TbEtsTable *t, Term key);
bool tb_ets_tree_delete_key(TbEtsTable *t, Term key);
void tb_ets_tree_replace(TbEtsTable *t, TbEtsObj *old, TbEtsObj *nw);
TbEtsObj *tb_ets_tree_first(TbEtsTable *t);
TbEtsObj *tb_ets_tree_last(TbEtsTable *t);
TbEtsObj *tb_ets_tree_next(TbEtsTable *t, Term key);     /* first key > key */
TbEtsObj *tb_ets_tree_prev(TbEtsTable *t, Term key);     /* last key < key */
TbEtsObj *tb_ets_tree_at(TbEtsTable *t, UWord i);       /* i-th object in order */
void tb_ets_tree_clear(TbEtsTable *t);

/* Ordered traversal with an explicit stack (no parent pointers). */
#define TB_ETS_TREE_MAX_DEPTH 64
typedef struct {
    TbEtsObj *st[TB_ETS_TREE_MAX_DEPTH];
    int sp;
    bool reverse;
} TbEtsTreeIter;
/* Start at the first object whose key is > (or >= when inclusive) `from`
 * (TB_NONE: from the start); in reverse, < (or <=) from the end. */
void tb_ets_tree_iter_init(TbEtsTable *t, TbEtsTreeIter *it, Term from, bool inclusive, bool reverse);
/* Start at the first object whose key is not below the range given by
 * cmp(key, ctx) (< 0 below, 0 inside, > 0 above); reverse: last not above. */
void tb_ets_tree_iter_range(TbEtsTable *t, TbEtsTreeIter *it, int (*cmp)(Term key, void *ctx), void *ctx, bool reverse);
TbEtsObj *tb_ets_tree_iter_next(TbEtsTreeIter *it);
#endif
