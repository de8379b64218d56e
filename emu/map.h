/* map.h — Erlang maps, laid out and ordered exactly like ERTS 25.
 *
 * Two representations; which one a map uses depends only on its size:
 *
 *   flatmap (<= TB_FLATMAP_LIMIT = 32 keys): struct TbFlatMap (term.h):
 *     header make_header(2+n, HDR_SUB_FLATMAP), size n (raw word), keys (a
 *     tuple of the n keys in map-key order, tb_cmp_exact, often shared
 *     between maps or a literal), then n values.
 *
 *   hashmap (> 32 keys): a hash array mapped trie with ERTS 25's shape.
 *     Every word after a node's header is a valid term, so header_arity()
 *     is the node's size and GC/copy can scan all of it:
 *       head  [make_header(2+n, HDR_SUB_HASHMAP)]
 *             [make_small(bitmap | TB_HAMT_HEAD_FLAG)]
 *             [make_small(number of keys)]
 *             [slot 0] ... [slot n-1]
 *       inner [make_header(1+n, HDR_SUB_HASHMAP)]
 *             [make_small(bitmap)]
 *             [slot 0] ... [slot n-1]
 *     n = popcount(bitmap) (1..16).  A slot is a leaf, the cons cell
 *     [Key|Value], or a boxed inner node.  Level L of the trie indexes with
 *     hash nibble L (low nibble first) of the key's internal hash; slots are
 *     in nibble order.  The trie is canonical: a node exists exactly where at
 *     least two keys share the hash prefix, so a key set has one shape
 *     whatever the history (as ERTS: from_list, puts, removes and merges all
 *     print alike).  ERTS prints a full inner node as <ffff>{...}, so full
 *     nodes are ordinary bitmap nodes here.
 *
 *   Hash: ERTS 25's make_internal_hash (Jenkins MIX over the term, initial
 *   state 0xcc9e2d51).  Levels 8..15 use the same function from initial
 *   state 0x4b90c3cb (what ERTS 25 does when the 32-bit hashes of two keys
 *   collide, found by experiment); deeper chunks are our own choice.
 *   Immediates are hashed as raw words, so the order of atom keys (and
 *   pids, ports) in big maps depends on atom indexes, like ERTS, but our
 *   atom indexes differ from ERTS's: only maps whose keys are numbers,
 *   binaries, lists, tuples of those... print and iterate exactly like ERTS.
 *
 * Orders:  to_list/keys/values/term_to_binary  = reverse storage order
 *          (last slot first, depth first); maps:iterator/next/fold = storage
 *          order.  Flatmaps: key order both ways.
 * Shrinking: removing from a 33-key hashmap gives a 32-key flatmap; any
 * operation whose result has <= 32 keys gives a flatmap, > 32 a hashmap.
 *
 * All allocation is tb_halloc (never GCs): terms held by the caller stay
 * valid.  Nothing here raises unless documented (put_many).
 */
#ifndef TB_MAP_H
#define TB_MAP_H
#include "term.h"
#include "process.h"
#include "print.h"

/* Popcount without a libgcc call (baseline x86-64 has no POPCNT). */
static inline unsigned tb_popcount(unsigned x) {
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (x * 0x01010101u) >> 24;
}

#define TB_HAMT_HEAD_FLAG 0x10000u
#define TB_HAMT_MAX_SLOTS 16

/* ---- node access (for GC, copy, printing, hashing) ---- */
static inline UWord tb_hamt_word1(const Term *node) { return (UWord)small_val(node[1]); }
static inline bool tb_hamt_is_head(const Term *node) { return (tb_hamt_word1(node) & TB_HAMT_HEAD_FLAG) != 0; }
static inline unsigned tb_hamt_bitmap(const Term *node) { return (unsigned)(tb_hamt_word1(node) & 0xffffu); }
static inline Term *tb_hamt_slots(Term *node) { return node + (tb_hamt_is_head(node) ? 3 : 2); }
/* For GC and copy: a node's size in words, header included (= arity + 1),
 * and its term-bearing words: all words after the header (smalls included). */
UWord tb_hashmap_words(const Term *node);
void tb_hashmap_term_words(const Term *node, UWord *first, UWord *count);

/* ---- queries ---- */
/* Value for key (exact match), TB_NONE if absent or map is not a map. */
Term tb_map_get(Term map, Term key);
UWord tb_map_size(Term map);
/* Keys tuple of a flatmap (erts_internal:map_to_tuple_keys/1). */
static inline Term tb_flatmap_keys(Term map) { return ((const TbFlatMap *)boxed_val(map))->keys; }

/* ---- construction and update (map must be a map; result is a new map) ---- */
/* n pairs keys[i] => vals[i]; a later duplicate key wins.  n == 0 gives #{}. */
Term tb_map_from_pairs(TbProcess *p, Term *keys, Term *vals, size_t n);
Term tb_map_put(TbProcess *p, Term map, Term key, Term val);
/* TB_NONE (no exception set) if key is absent. */
Term tb_map_update(TbProcess *p, Term map, Term key, Term val);
/* The same map if key is absent. */
Term tb_map_remove(TbProcess *p, Term map, Term key);
/* Removes key, giving its value in *val; TB_NONE if absent. */
Term tb_map_take(TbProcess *p, Term map, Term key, Term *val);
/* Keys from b win. */
Term tb_map_merge(TbProcess *p, Term a, Term b);
/* put_map_assoc / put_map_exact: kv holds n key/value pairs, later wins.
 * Raises (returns TB_NONE, p->fvalue set, freason left to the caller):
 * {badmap,Map} if map is not a map; exact and a key missing: {badkey,K}. */
/* Heap words a put of `pairs` keys may need (an upper bound). */
static inline UWord tb_map_put_need(Term map, UWord pairs) {
    if (is_flatmap(map)) return 2 * (((TbFlatMap *)boxed_val(map))->size + pairs) + 8;
    return 160 * pairs + 8;    /* a path of HAMT nodes per new key */
}
Term tb_map_put_many(TbProcess *p, Term map, const Term *kv, size_t n, bool exact);

/* ---- lists, in ERTS's maps:to_list order ---- */
Term tb_map_keys(TbProcess *p, Term map);
Term tb_map_values(TbProcess *p, Term map);
Term tb_map_to_list(TbProcess *p, Term map);      /* [{K,V}] */

/* ---- iteration ----
 * tb_map_iter_init: maps:to_list order (also term_to_binary's).
 * tb_map_iter_init_storage: storage order (maps:iterator/next/fold). */
#define TB_MAP_ITER_DEPTH 40
typedef struct {
    const Term *flat_keys, *flat_vals;
    UWord i, n;                       /* flatmap position */
    bool reverse, hamt;
    int sp;                           /* hashmap stack: slot cursor per level */
    struct { const Term *slots; int pos, n; } st[TB_MAP_ITER_DEPTH];
} TbMapIter;
void tb_map_iter_init(TbMapIter *it, Term map);
void tb_map_iter_init_storage(TbMapIter *it, Term map);
bool tb_map_iter_next(TbMapIter *it, Term *k, Term *v);

/* ---- order ---- */
/* Term order between two maps: size, then keys in map-key order, then
 * values (tb_cmp, or tb_cmp_exact when exact) in key order. */
int tb_map_cmp(Term a, Term b);
int tb_map_cmp_ex(Term a, Term b, bool exact);
bool tb_map_eq_exact(Term a, Term b);

/* ---- hashing ---- */
/* ERTS 25 make_internal_hash(key, 0). */
uint32_t tb_map_internal_hash(Term key);
/* Hash used for trie levels 8*chunk .. 8*chunk+7. */
uint32_t tb_map_chunk_hash(Term key, unsigned chunk);

/* ---- printing (erlang:display) ----
 * print.h's hook: one node as ERTS shows it. */
void tb_hashmap_view(Term node, TbHamtView *out);
/* The whole hashmap (or an inner node) as ERTS 25 displays it, leaves and
 * nested terms through `print` (same snprintf contract). */
size_t tb_map_print_hashmap(char *buf, size_t cap, Term map,
                            size_t (*print)(char *buf, size_t cap, Term t));

/* erts_internal:map_next/3.  Returns TB_NONE on badarg (no exception set). */
Term tb_map_next(TbProcess *p, Term path, Term map, Term acc);

/* ---- internals shared by map*.c ---- */
Term tb_hamt_from_pairs(TbProcess *p, Term *keys, Term *vals, size_t n);
Term tb_hamt_put(TbProcess *p, Term map, Term key, Term val, bool update_only);
Term tb_hamt_remove(TbProcess *p, Term map, Term key, Term *val);
Term tb_hamt_get(Term map, Term key);
Term tb_flatmap_from_sorted(TbProcess *p, const Term *keys, const Term *vals, size_t n);
Term tb_flatmap_from_unsorted(TbProcess *p, Term *keys, Term *vals, size_t n);
#endif
