/*
 * beam_file.h -- byte-level reader for OTP 25 .beam files.
 *
 * tb_beam_read() parses and validates the IFF container and the chunks
 * (AtU8, Code, StrT, ImpT, ExpT, LocT, FunT, LitT, Line, Type, Attr, CInf,
 * Meta, Dbgi) and decodes the Code chunk into generic ops with decoded
 * operands.  It does not create VM terms: literals stay as ETF bytes.
 *
 * Memory: most pointers (atom names, StrT, Attr, CInf, ...) point INTO the
 * caller's buffer, which must stay alive and unchanged until tb_beam_free()
 * (tb_beam_read_file() owns its buffer).  Decompressed literals and all
 * arrays are owned by the TbBeamFile.
 *
 * Errors: one line, "chunk <Id>, offset 0x<hex>: <message>", where the
 * offset is the absolute byte offset in the file (for IFF header errors the
 * "chunk" is "FOR1"; for errors inside the decompressed literal table the
 * offset is that of the LitT chunk and the message adds "(decompressed
 * offset 0x..)").  E.g.
 *   chunk Code, offset 0x1a4: func_info operand 2: atom index 77 out of range (58 atoms)
 */
#ifndef TB_BEAM_FILE_H
#define TB_BEAM_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "compact_term.h"
#include "genop.h"

#define TB_MAX_REG        1024   /* x, y and fr registers must be < this */
#define TB_MAX_ARITY      255    /* function arity limit (MAX_ARG) */
#define TB_MAX_ATOM_CHARS 255    /* atom length limit, in characters */

typedef struct { const uint8_t *ptr; uint32_t len; } TbBeamBytes;

typedef struct { uint32_t mod, fun, arity; } TbBeamImport;      /* ImpT: atom indexes */
typedef struct { uint32_t fun, arity, label; } TbBeamExport;    /* ExpT / LocT */
typedef struct {                                                /* FunT */
    uint32_t fun, arity, label, index, num_free, old_uniq;
} TbBeamFun;
typedef struct { const uint8_t *etf; uint32_t len; } TbBeamLiteral;  /* etf[0] == 131 */
typedef struct { uint32_t file, line; } TbBeamLineItem;         /* Line item */
typedef struct { uint16_t bits; int64_t min, max; } TbBeamType; /* Type v1 entry */

typedef struct {
    uint16_t op;      /* generic opcode, 1..TB_GENOP_MAX */
    uint32_t nargs;   /* entries in args[] for this op: arity + list elements */
    uint32_t args;    /* index of the first operand in beam->args */
    uint32_t offset;  /* byte offset of the opcode within the Code chunk data */
} TbGenOp;

/* Chunk presence flags (TbBeamFile.chunks). */
enum {
    TB_CHUNK_ATU8 = 1u << 0, TB_CHUNK_CODE = 1u << 1, TB_CHUNK_STRT = 1u << 2,
    TB_CHUNK_IMPT = 1u << 3, TB_CHUNK_EXPT = 1u << 4, TB_CHUNK_LOCT = 1u << 5,
    TB_CHUNK_FUNT = 1u << 6, TB_CHUNK_LITT = 1u << 7, TB_CHUNK_LINE = 1u << 8,
    TB_CHUNK_TYPE = 1u << 9, TB_CHUNK_ATTR = 1u << 10, TB_CHUNK_CINF = 1u << 11,
    TB_CHUNK_META = 1u << 12, TB_CHUNK_DBGI = 1u << 13
};

typedef struct TbBeamFile {
    uint32_t chunks;             /* TB_CHUNK_* present in the file */

    /* AtU8: atoms[1..atom_count] (UTF-8, not NUL-terminated); atoms[0] is
     * {NULL,0} (index 0 means [] in 'a' operands).  atoms[1] = module. */
    uint32_t atom_count;
    TbBeamBytes *atoms;

    uint32_t import_count;   TbBeamImport   *imports;
    uint32_t export_count;   TbBeamExport   *exports;
    uint32_t local_count;    TbBeamExport   *locals;     /* LocT, 0 if absent */
    uint32_t fun_count;      TbBeamFun      *funs;       /* FunT, 0 if absent */

    /* LitT (decompressed; owned).  literal_count == 0 if absent. */
    uint32_t literal_count;
    TbBeamLiteral *literals;
    uint8_t *literal_buf;

    TbBeamBytes strings;         /* StrT */
    TbBeamBytes attributes;      /* Attr (raw ETF), {NULL,0} if absent */
    TbBeamBytes compile_info;    /* CInf (raw ETF) */
    TbBeamBytes meta;            /* Meta (raw ETF) */
    TbBeamBytes debug_info;      /* Dbgi (raw ETF) */

    /* Line chunk (version 0).  line_items[0] is the implicit "no location"
     * item {0,0}; line_items[1..] are the file's items, so a `line N`
     * operand indexes line_items directly (N < line_item_count).  File index
     * 0 means "<module>.erl"; file index k >= 1 is line_files[k]
     * (line_files[0] is {NULL,0}).  All zero if the chunk is absent or has
     * another version (line_version is still set then). */
    uint32_t line_version, line_flags, line_instr_count;
    uint32_t line_item_count;  TbBeamLineItem *line_items;
    uint32_t line_file_count;  TbBeamBytes *line_files;   /* count incl. slot 0 */

    /* Type chunk: type_version as read; entries only if version 1 (else
     * type_count = 0 and z5 type indexes are reported as -1). */
    uint32_t type_version;
    uint32_t type_count;
    TbBeamType *types;

    /* Code chunk header. */
    uint32_t code_format, max_opcode, label_count, function_count;
    const uint8_t *code;     /* Code chunk data (chunk start, incl. header) */
    uint32_t code_size;      /* Code chunk size */
    uint32_t code_start;     /* offset of the first instruction within `code` */

    /* Decoded generic ops; ops[op_count-1] is int_code_end. */
    uint32_t op_count;       TbGenOp *ops;
    uint32_t arg_count;      TbGenArg *args;
    const uint8_t *bigint_bytes;   /* TB_ARG_BIGINT base (== code) */

    uint32_t func_info_count;      /* func_info ops seen */

    /* Module MD5 = erlang:module_info(md5) = beam_lib:md5/1: md5 of the data
     * of AtU8 Code StrT ImpT ExpT FunT LitT Meta, with each FunT entry's
     * OldUniq field hashed as zero. */
    uint8_t md5[16];

    uint8_t *owned_buf;      /* file buffer owned by tb_beam_read_file */
    size_t owned_len;
} TbBeamFile;

/* Parse `data` (len bytes).  0 on success; -1 with a one-line message in
 * err (if errcap > 0) on failure.  On failure *out is left freed/zeroed, so
 * tb_beam_free(out) is harmless either way. */
int tb_beam_read(const uint8_t *data, size_t len, TbBeamFile *out,
                 char *err, size_t errcap);

/* Read a whole file and parse it; the buffer is owned by *out. */
int tb_beam_read_file(const char *path, TbBeamFile *out, char *err, size_t errcap);

void tb_beam_free(TbBeamFile *b);

/* Convenience accessors. */
static inline const TbGenArg *tb_op_args(const TbBeamFile *b, const TbGenOp *op)
{
    return &b->args[op->args];
}

/* Name of operand kind (for diagnostics). */
const char *tb_arg_kind_name(int kind);

#endif /* TB_BEAM_FILE_H */
