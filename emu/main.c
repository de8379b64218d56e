/* main.c — command line: bare mode (-bare -pa DIR -s M F [A..]) and the
 * disassembler (-dis FILE.beam).  Booting OTP proper is a later milestone. */
#include "config.h"
#include <malloc.h>
#include "interp.h"
#include "atom.h"
#include "module.h"
#include "call.h"
#include "exception.h"
#include "process.h"
#include "scheduler.h"
#include "spawn.h"
#include "ptab.h"
#include "boot.h"
#include "../bifs/bif.h"
#include "../loader/disasm.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void) {
    fputs("usage: tbeam -bare [-pa DIR]... [+P MAXPROCS] -s MOD [FUN [ARG...]]\n"
          "       tbeam -dis FILE.beam\n", stderr);
    exit(2);
}

static const char *otp_root(void) {
    const char *r = getenv("TBEAM_OTP_ROOT");
    return r && *r ? r : TB_OTP_ROOT;
}

void tb_vm_init(void) {
#ifdef M_MMAP_THRESHOLD
    /* Process heaps are freed and reallocated at every GC.  Left to glibc,
     * blocks over its mmap threshold go back to the kernel each time and
     * come back as fresh zeroed pages (a 200k-element list took 2.6x longer);
     * ERTS keeps such memory in its carriers.  Keep it in malloc's heap. */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
    const char *s = getenv("TBEAM_GC_STRESS");
    tb_gc_stress = s && *s && strcmp(s, "0") != 0;
    tb_atom_init();
    tb_interp_init();
    tb_bif_init();
}

/* Run M:F(Args) as the first process and schedule until it ends; returns
 * the exit status (0 when it returned, 1 when it crashed). */
static int run_bare(Term m, Term f, Term *argv, unsigned argc) {
    TbProcess *p = tb_spawn_first(&tb_sched0, m, f, NULL, argc ? 1 : 0);
    if (argc) {
        Term *hp = tb_halloc(p, 2 * argc);
        Term list = NIL;
        for (unsigned i = argc; i-- > 0;) { hp[0] = argv[i]; hp[1] = list; list = make_list(hp); hp += 2; }
        p->x[0] = list;
    }
    tb_sched0.main = p;
    int status = tb_sched_loop(&tb_sched0);
    fflush(stdout);
    return status;
}

int main(int argc, char **argv) {
    tb_vm_init();
    if (argc < 2) return tb_boot(otp_root(), 0, argv + 1);
    if (strcmp(argv[1], "-dis") == 0) {
        if (argc != 3) usage();
        return tb_disasm_file(argv[2], stdout) ? 1 : 0;
    }
    if (strcmp(argv[1], "-bare") != 0) return tb_boot(otp_root(), argc - 1, argv + 1);
    const char *mod = NULL, *fun = "start";
    int i = 2, first_arg = argc;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "-pa") == 0 && i + 1 < argc) tb_code_add_path(argv[++i], false);
        else if (strcmp(argv[i], "+P") == 0 && i + 1 < argc) tb_ptab_init(strtoul(argv[++i], NULL, 10));
        else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
            mod = argv[++i];
            if (i + 1 < argc) fun = argv[++i];
            first_arg = i + 1;
            break;
        } else usage();
    }
    if (!mod) usage();
    tb_code_add_otp(otp_root());
    Term m = tb_atom_cstr(mod), f = tb_atom_cstr(fun);
    char err[600];
    if (!tb_code_ensure_loaded(m, err, sizeof err)) {
        fprintf(stderr, "tbeam: %s\n", err);
        return 1;
    }
    unsigned n = (unsigned)(argc - first_arg);
    Term *args = calloc(n + 1, sizeof(Term));
    for (unsigned k = 0; k < n; k++) args[k] = tb_atom_cstr(argv[first_arg + k]);
    int st = run_bare(m, f, args, n);
    free(args);
    return st;
}
