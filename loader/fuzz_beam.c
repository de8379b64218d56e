/*
 * fuzz_beam.c -- libFuzzer target for the .beam reader.
 *
 * Build and run (from the repo root):
 *   clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
 *       -fno-sanitize-recover=all -Iloader \
 *       loader/fuzz_beam.c loader/beam_file.c loader/compact_term.c \
 *       -lz -lcrypto -o /tmp/fuzz_beam
 *   mkdir -p /tmp/fuzz_work
 *   /tmp/fuzz_beam -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
 *       /tmp/fuzz_work erts-tests/loader/corpus
 *   (new inputs go to /tmp/fuzz_work; the committed corpus is only read)
 * Regression run over the corpus only:
 *   /tmp/fuzz_beam -runs=0 erts-tests/loader/corpus
 *
 * Each input is fed to tb_beam_read() as a whole file (and again with its
 * FOR1 size patched to match the input length), and its bytes are also
 * decoded as a stream of compact-term operands.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "beam_file.h"
#include "compact_term.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_one(const uint8_t *data, size_t size)
{
    TbBeamFile b;
    char err[256];

    if (tb_beam_read(data, size, &b, err, sizeof err) == 0) {
        /* Touch everything the reader hands out, so ASan checks the bounds. */
        volatile uint8_t sink = 0;
        for (uint32_t i = 1; i <= b.atom_count; i++)
            if (b.atoms[i].len)
                sink ^= b.atoms[i].ptr[b.atoms[i].len - 1];
        for (uint32_t i = 0; i < b.literal_count; i++)
            sink ^= b.literals[i].etf[b.literals[i].len - 1];
        for (uint32_t i = 1; i < b.line_file_count; i++)
            if (b.line_files[i].len)
                sink ^= b.line_files[i].ptr[b.line_files[i].len - 1];
        for (uint32_t i = 0; i < b.op_count; i++) {
            const TbGenOp *op = &b.ops[i];
            const TbGenArg *a = tb_op_args(&b, op);
            if (op->args + op->nargs > b.arg_count)
                __builtin_trap();
            for (uint32_t j = 0; j < op->nargs; j++)
                if (a[j].kind == TB_ARG_BIGINT)
                    sink ^= b.bigint_bytes[a[j].val + a[j].aux - 1];
        }
        if (b.ops[b.op_count - 1].op != GENOP_int_code_end)
            __builtin_trap();
        (void)sink;
        tb_beam_free(&b);
    } else if (err[0] == 0 || memchr(err, '\n', strlen(err))) {
        __builtin_trap();   /* every failure must produce a one-line message */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p, *end;

    read_one(data, size);

    /* Most random edits break the FOR1 size first; retry with it fixed so
     * the fuzzer gets to the chunk parsers. */
    if (size >= 12 && size < (1u << 24)) {
        uint8_t *copy = malloc(size);
        uint32_t form = (uint32_t)(size - 8);
        if (copy) {
            memcpy(copy, data, size);
            copy[4] = (uint8_t)(form >> 24);
            copy[5] = (uint8_t)(form >> 16);
            copy[6] = (uint8_t)(form >> 8);
            copy[7] = (uint8_t)form;
            if (memcmp(copy + 4, data + 4, 4) != 0)
                read_one(copy, size);
            free(copy);
        }
    }

    /* The raw operand decoder on its own. */
    p = data;
    end = data + size;
    while (p < end) {
        TbGenArg a;
        if (tb_ct_read_operand(&p, end, data, &a) < 0)
            p++;
    }
    return 0;
}
