/* ms.h — match specifications (ERTS 25's db_match_compile/db_prog_match),
 * compiled once to a node program and run in C.
 *
 * A spec is [{Head, Guards, Body}]: Head a pattern ('_' wildcard, '$N'
 * variables, repeated variables compare with =:=, maps match a subset of
 * keys); Guards and Body expressions: '$_', '$$', '$N', constants, {const,X},
 * {{...}} tuple construction, lists and maps (elements evaluated), and calls
 * of the guard functions ERTS allows (is_*, element, hd, tl, size, abs,
 * arithmetic, comparison, and/or/andalso/orelse/not/xor, self, node, ...).
 * A guard that fails or is not `true` rejects the clause; a failing body
 * expression makes the result 'EXIT'.  The trace dialect (match_spec_test
 * with `trace`) also accepts message/return_trace/exception_trace and the
 * other trace-only forms.
 *
 * Compiled specs as terms: a reference whose num[3] is TB_MS_REF_TAG
 * (erlang:make_ref/0 and binary_to_term never set num[3]), whose numbers
 * index a registry of programs.  Programs are cached by spec (=:=), so
 * compiling the same spec twice returns the same program (and the same
 * reference); the registry is never collected (no GC hook for magic
 * references yet), which bounds memory by the number of distinct specs. */
#ifndef TB_MS_H
#define TB_MS_H
#include "../emu/term.h"
#include "../emu/process.h"

#define TB_MS_REF_TAG 0x4D535043u      /* "MSPC" */

enum { TB_MS_TABLE = 0, TB_MS_TRACE = 1 };

/* node ops */
enum {
    MS_P_ANY, MS_P_BIND, MS_P_CHECK, MS_P_CONST, MS_P_TUPLE, MS_P_CONS, MS_P_MAP,
    MS_E_CONST, MS_E_VAR, MS_E_ALL, MS_E_ALLVARS, MS_E_TUPLE, MS_E_CONS, MS_E_MAP,
    MS_E_BIF, MS_E_AND, MS_E_OR, MS_E_ANDALSO, MS_E_ORELSE, MS_E_SELF,
    MS_E_MESSAGE, MS_E_RETURN_TRACE, MS_E_EXCEPTION_TRACE, MS_E_TRACE_TRUE, MS_E_TRACE_FALSE,
};

typedef struct TbMsNode {
    uint8_t op;
    uint8_t ground;         /* patterns: matches a single constant */
    uint16_t n;             /* children */
    uint32_t a;             /* variable slot / guard function index */
    uint32_t kids;          /* first child in kid[] */
    Term t;                 /* constant */
} TbMsNode;

typedef struct TbMsClause {
    uint32_t head;
    uint32_t guards, nguards;   /* in kid[] */
    uint32_t body, nbody;
    uint32_t vars, nvars;       /* slots bound by the head, in '$N' order (for '$$') */
} TbMsClause;

typedef struct TbMs {
    int dialect;
    uint32_t nclauses;
    TbMsClause *clauses;
    TbMsNode *node;
    uint32_t nnodes, nodecap;
    uint32_t *kid;
    uint32_t nkids, kidcap;
    uint32_t nslots;            /* variable slots */
    struct TbEtsObj *store;     /* our copy of the spec: constants point into it */
    /* registry */
    bool cached, has_ref;
    uint32_t ref[3];
    uint32_t hash;
    struct TbMs *next_spec, *next_ref;
} TbMs;

/* Error texts from a failed compile (match_spec_test reports them). */
typedef struct TbMsErrors { char **msg; unsigned n, cap; } TbMsErrors;
void tb_ms_errors_free(TbMsErrors *e);

/* Compile (uncached).  NULL on error; errors appended to *errs if given. */
TbMs *tb_ms_compile(Term spec, int dialect, TbMsErrors *errs);
void tb_ms_free(TbMs *ms);
/* Compile through the cache (table dialect): NULL = badarg.  Release after
 * use (a no-op for cached programs). */
TbMs *tb_ms_get(Term spec);
void tb_ms_release(TbMs *ms);
/* The compiled-spec reference for ms (registers it permanently). */
Term tb_ms_ref(TbProcess *p, TbMs *ms);
/* The program of a compiled-spec reference, or NULL. */
TbMs *tb_ms_from_ref(Term ref);

/* Run on one term.  False: no clause matched.  True: *res is the value of
 * the matching clause's body ('EXIT' if it failed), built on p's heap and
 * possibly sharing parts of obj.  Trace dialect: *res is true/false or the
 * message set, *flags gets TB_MS_FLAG_* bits. */
#define TB_MS_FLAG_RETURN_TRACE 1u
#define TB_MS_FLAG_EXCEPTION_TRACE 2u
bool tb_ms_run(TbProcess *p, const TbMs *ms, Term obj, Term *res, unsigned *flags);

/* ---- analysis for tables ---- */
/* The key part of clause c's head for keypos: KEY_NEVER (no object can
 * match), KEY_FREE, KEY_BOUND (*key set: a constant) or KEY_PARTIAL (*node). */
enum { TB_MS_KEY_NEVER, TB_MS_KEY_FREE, TB_MS_KEY_BOUND, TB_MS_KEY_PARTIAL };
int tb_ms_clause_key(const TbMs *ms, uint32_t c, unsigned keypos, Term *key, uint32_t *node);
/* For ordered traversal: where key lies relative to the keys that a key
 * pattern node can match (<0 below, 0 possibly inside, >0 above). */
int tb_ms_key_range_cmp(const TbMs *ms, uint32_t node, Term key);
/* select_replace: every clause provably keeps the key. */
bool tb_ms_keeps_key(const TbMs *ms, unsigned keypos);
/* Every clause's body is exactly ['$_'] with no guards on a free head: the
 * match-everything spec (fast paths). */
bool tb_ms_is_all_objects(const TbMs *ms);
#endif
