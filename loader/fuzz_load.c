/* fuzz_load.c — libFuzzer target for the whole loader: the byte reader plus
 * literal decoding, rewrite rules and code emission (tb_load_module).
 * Build: make fuzz (clang with libFuzzer); run: ./fuzz-load erts-tests/loader/corpus */
#include "load.h"
#include "../emu/atom.h"
#include "../emu/interp.h"
#include "../bifs/bif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int ready;
    if (!ready) {
        tb_atom_init();
        tb_interp_init();
        tb_bif_init();
        ready = 1;
    }
    char err[512];
    (void)tb_load_module(data, size, TB_NONE, err, sizeof err);
    return 0;
}
