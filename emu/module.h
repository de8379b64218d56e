/* module.h — loaded code: modules, export entries, fun entries, literal areas. */
#ifndef TB_MODULE_H
#define TB_MODULE_H
#include "term.h"
#include "process.h"

typedef Term (*TbBifFn)(TbProcess *p, Term *args);

/* One per {M,F,A} ever referenced; never freed, so code may hold pointers
 * to it.  `code` is where a call jumps: the function, a BIF stub, or the
 * error-handler stub when the function is not loaded. */
typedef struct TbExport {
    Term module, function;
    unsigned arity;
    const UWord *code;
    TbBifFn bif;               /* non-NULL when M:F/A is a BIF */
    /* Two stubs, each [arity, op, this export]: code points at the op, so
     * code[-1] is the arity at every call target (the scheduler reads it to
     * save live X registers when a call yields).  stub[1..2] call the
     * error handler; stub[4..5] call a BIF or apply. */
    UWord stub[6];
    struct TbExport *next;     /* hash chain */
} TbExport;

typedef struct TbFunEntry {
    struct TbModule *module;
    Term module_name;
    Term name;                 /* the compiler-made name, e.g. '-main/0-fun-0-' */
    unsigned arity;            /* total arity incl. free variables */
    unsigned num_free;
    uint32_t index, old_uniq;
    const UWord *code;
} TbFunEntry;

typedef struct TbLineItem { uint32_t offset; uint32_t loc; } TbLineItem;   /* loc = file << 24 | line */
typedef struct TbFuncStart { uint32_t offset; Term function; unsigned arity; } TbFuncStart;

typedef struct TbModule {
    Term name;
    UWord *code;               /* threaded code */
    size_t code_words;
    TbFunEntry *funs;
    unsigned nfuns;
    TbFuncStart *func_starts;  /* sorted by offset: stacktrace lookup */
    unsigned nfunc_starts;
    TbLineItem *lines;         /* sorted by offset */
    unsigned nlines;
    Term *file_names;          /* atoms? no: literal strings per file index */
    unsigned nfiles;
    struct TbProcBin *lit_off_heap;   /* refc binaries referenced by the literals */
    Term attributes, compile_info;
    uint8_t *strings;          /* StrT copy: bs_match_string operands point here */
    uint8_t md5[16];
    Term exports_list;         /* [{F,A}] */
    const UWord *on_load;      /* code to run for -on_load, NULL if none */
    bool on_load_pending;      /* loaded, exports held back until on_load succeeds */
    struct TbModExport { Term function; unsigned arity; const UWord *code; } *exps;
    unsigned nexps;
    struct TbModule *old;      /* old code, until purged */
    struct TbModule *next;
} TbModule;

/* binary_to_term of a fun: the loaded entry, or a stub with no code. */
TbFunEntry *tb_fun_entry_find(Term module, uint32_t index, uint32_t old_uniq, const uint8_t md5[16]);
TbFunEntry *tb_fun_entry_stub(Term module, uint32_t index, uint32_t old_index, uint32_t old_uniq,
                              const uint8_t md5[16], unsigned arity, unsigned num_free);
void tb_module_init(void);
TbExport *tb_export_get(Term m, Term f, unsigned a);          /* find or create */
TbExport *tb_export_find(Term m, Term f, unsigned a);         /* NULL if absent */
static inline bool tb_export_defined(const TbExport *e) { return e->code != &e->stub[1]; }
TbModule *tb_module_find(Term name);
void tb_module_register(TbModule *m);                          /* makes it current */
/* Point the export entries at m's code (or back at the error-handler stub). */
void tb_module_publish_exports(TbModule *m);
void tb_module_unpublish_exports(TbModule *m);
/* current -> old (delete_module); false if there is no current code. */
bool tb_module_make_old(Term name);
/* Drop the old code of a module (purge); false if there was none. */
bool tb_module_purge_old(Term name);
TbModule *tb_module_first(void);
/* Map a code address to its module/function for stacktraces; NULL if none. */
TbModule *tb_module_of_code(const UWord *pc);
/* The module list changed outside tb_module_register/make_old/purge_old. */
void tb_module_changed(void);

/* Literal areas live in one reserved address range so that "is this a literal?"
 * is a pair of compares (messages and GC share literals without copying). */
Term *tb_literal_alloc(size_t words);
/* Loading is single-threaded: a failed load rewinds the literal area to its mark. */
UWord tb_literal_mark(void);
void tb_literal_rewind(UWord mark);
extern UWord tb_lit_start, tb_lit_end;
static inline bool tb_is_literal_ptr(const void *p) { return (UWord)p - tb_lit_start < tb_lit_end - tb_lit_start; }
#endif
