/* etf.h — the external term format (term_to_binary / binary_to_term), byte
 * for byte as ERTS 25 writes and reads it, plus the layout of identifiers
 * that belong to other nodes (external pids, ports and references).
 *
 * The local node is nonode@nohost with creation 0 (no distribution yet).
 * A pid/port/ref read from the wire becomes a local (internal) one only when
 * its node is nonode@nohost AND its creation is 0; anything else (another
 * node, or nonode@nohost with another creation) becomes an external thing
 * below, which term_to_binary writes back unchanged.
 */
#ifndef TB_ETF_H
#define TB_ETF_H
#include "term.h"
#include "process.h"
#include "atom.h"

/* ---- tags (erts/emulator/beam/external.h) ---- */
enum {
    ETF_VERSION = 131,
    ETF_NEW_FLOAT = 70, ETF_BIT_BINARY = 77, ETF_COMPRESSED = 80,
    ETF_NEW_PID = 88, ETF_NEW_PORT = 89, ETF_NEWER_REFERENCE = 90,
    ETF_SMALL_INTEGER = 97, ETF_INTEGER = 98, ETF_FLOAT = 99, ETF_ATOM = 100,
    ETF_REFERENCE = 101, ETF_PORT = 102, ETF_PID = 103, ETF_SMALL_TUPLE = 104,
    ETF_LARGE_TUPLE = 105, ETF_NIL = 106, ETF_STRING = 107, ETF_LIST = 108,
    ETF_BINARY = 109, ETF_SMALL_BIG = 110, ETF_LARGE_BIG = 111,
    ETF_NEW_FUN = 112, ETF_EXPORT = 113, ETF_NEW_REFERENCE = 114,
    ETF_SMALL_ATOM = 115, ETF_MAP = 116, ETF_FUN = 117, ETF_ATOM_UTF8 = 118,
    ETF_SMALL_ATOM_UTF8 = 119, ETF_V4_PORT = 120,
};

/* ---- decoding ----
 * buf[0..len) must start with the version byte 131.  Returns the term (built
 * on p's heap with tb_halloc, never GCs), or TB_NONE when binary_to_term
 * would raise badarg; p's exception state is left alone either way.
 * *used (if non-NULL) receives the bytes consumed, as binary_to_term(B,[used])
 * reports them: trailing bytes are ignored; for a compressed term (tag 80)
 * it is 6 + the zlib bytes inflate consumed.  The whole input is validated
 * by a first pass before anything is allocated, so a hostile length cannot
 * make us allocate more than a small multiple of len; nesting depth costs
 * no C stack.  A NEW_FUN_EXT resolves its entry with tb_fun_entry_find /
 * tb_fun_entry_stub (emu/module.c; declared in etf_decode.c for now).
 * TB_ETF_SAFE = binary_to_term(B, [safe]): no new atoms, and an EXPORT_EXT
 * must name an existing export entry. */
#define TB_ETF_SAFE 1u
Term tb_etf_decode(TbProcess *p, const uint8_t *buf, size_t len, size_t *used, unsigned flags);

/* ---- encoding ----
 * minor_version 0: old text FLOAT_EXT, Latin-1 atoms as ATOM_EXT;
 * 1 (term_to_binary/1 in OTP 25): NEW_FLOAT_EXT, Latin-1 atoms as ATOM_EXT;
 * 2: every atom as SMALL_ATOM_UTF8_EXT / ATOM_UTF8_EXT.
 * compress_level 0 = not compressed, 1..9 zlib level, -1 = zlib default (6),
 * the `compressed` option; like ERTS, the compressed form is used only when
 * it is not longer than the plain one.  deterministic: hash maps' pairs in
 * map-key order (tb_cmp_exact) instead of their internal order.
 * Returns a binary, or TB_NONE with the exception raised on p: system_limit
 * for a bitstring of 2^32-1 bytes or more, badarg for a non-term word. */
Term tb_etf_encode(TbProcess *p, Term t, int minor_version, int compress_level, bool deterministic);
/* term_to_iovec: a list of binaries whose concatenation is what
 * tb_etf_encode returns; off-heap binaries larger than 64 bytes (byte
 * aligned) are referenced, not copied, exactly where ERTS 25 splits. */
Term tb_etf_encode_iovec(TbProcess *p, Term t, int minor_version, int compress_level, bool deterministic);
/* erlang:external_size/1,2: uncompressed size including the version byte;
 * false = system_limit. */
bool tb_etf_encoded_size(Term t, int minor_version, size_t *size);

/* ---- local node ---- */
#define TB_LOCAL_NODE AM(nonode_at_nohost)
#define TB_LOCAL_CREATION 0u

/* Local pid data as ERTS 25 keeps it (and emu/print.h prints it):
 * number = bits 0..14, serial = bits 15..27 of pid_val. */
#define TB_PID_NUMBER_MAX 0x7FFFu
#define TB_PID_SERIAL_MAX 0x1FFFu
#define TB_PORT_NUMBER_MAX 0x0FFFFFFFu     /* local port numbers: 28 bits */
#define TB_REF_N0_MAX 0x3FFFFu             /* first ref word of a local ref: 18 bits */
static inline uint32_t tb_pid_number(Term pid) { return (uint32_t)(pid_val(pid) & TB_PID_NUMBER_MAX); }
static inline uint32_t tb_pid_serial(Term pid) { return (uint32_t)((pid_val(pid) >> 15) & TB_PID_SERIAL_MAX); }
static inline Term tb_make_local_pid(uint32_t number, uint32_t serial) {
    return make_pid(((UWord)serial << 15) | number);
}

/* ---- external (other-node) identifiers ----
 * Boxed "things" of fixed size: the GC and copy move them as raw words
 * (the node is an atom, so nothing inside needs updating).  Unused fields
 * are zero, so equal identifiers are equal word for word.  Only decoding
 * creates them; term_to_binary writes them back as it read them. */
typedef struct TbExtPid {
    Term header;            /* make_header(3, HDR_SUB_EXT_PID) */
    Term node;              /* atom */
    uint32_t creation, pad; /* pad = 0 */
    uint32_t number, serial;/* full 32 bits each (NEW_PID_EXT) */
} TbExtPid;
#define EXT_PID_WORDS 4

typedef struct TbExtPort {
    Term header;            /* make_header(3, HDR_SUB_EXT_PORT) */
    Term node;
    uint32_t creation, pad;
    uint64_t number;        /* V4_PORT_EXT allows 64 bits */
} TbExtPort;
#define EXT_PORT_WORDS 4

#define TB_EXT_REF_MAX 5    /* ERTS_MAX_REF_NUMBERS */
typedef struct TbExtRef {
    Term header;            /* make_header(5, HDR_SUB_EXT_REF) */
    Term node;
    uint32_t creation;
    uint32_t len;           /* 0..5 words, as received */
    uint32_t num[6];        /* num[len..5] = 0; wire order (num[0] first) */
} TbExtRef;
#define EXT_REF_WORDS 6

static inline bool is_ext_pid(Term t) { return is_boxed_sub(t, HDR_SUB_EXT_PID); }
static inline bool is_ext_port(Term t) { return is_boxed_sub(t, HDR_SUB_EXT_PORT); }
static inline bool is_ext_ref(Term t) { return is_boxed_sub(t, HDR_SUB_EXT_REF); }
static inline TbExtPid *ext_pid_val(Term t) { return (TbExtPid *)boxed_val(t); }
static inline TbExtPort *ext_port_val(Term t) { return (TbExtPort *)boxed_val(t); }
static inline TbExtRef *ext_ref_val(Term t) { return (TbExtRef *)boxed_val(t); }
/* node(X) for any pid/port/ref. */
static inline Term tb_node_of(Term t) {
    if (is_immed(t) || is_ref(t)) return TB_LOCAL_NODE;
    return ((Term *)boxed_val(t))[1];
}
#endif
