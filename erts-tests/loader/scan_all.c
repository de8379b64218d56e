/*
 * scan_all -- read every installed OTP .beam with the tbeam reader and
 * report failures, timing and the set of generic opcodes used.
 *
 * Build (from the repo root):
 *   gcc -std=gnu11 -O2 -Wall -Wextra -Iloader erts-tests/loader/scan_all.c \
 *       loader/beam_file.c loader/compact_term.c -lz -lcrypto -o /tmp/scan_all
 * Usage:
 *   scan_all [-q] [--md5] [--kinds] [FILE.beam ...]
 *   With no files, scans /usr/lib/erlang/lib/STAR/ebin/STAR.beam (which includes
 *   erts-13.1.5/ebin).  Exit status 0 iff every file was read OK.
 *   --md5    print "<md5hex> <module> <path>" for each file
 *   --kinds  print, per opcode and operand position, the operand kinds seen
 */
#define _GNU_SOURCE
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "beam_file.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* kinds[op][pos] bitmask; pos 8 = list elements */
static uint32_t kinds[TB_GENOP_MAX + 1][9];
static unsigned long op_counts[TB_GENOP_MAX + 1];

int main(int argc, char **argv)
{
    int quiet = 0, want_md5 = 0, want_kinds = 0;
    glob_t g;
    char **files;
    size_t nfiles = 0, i, failed = 0;
    unsigned long total_ops = 0, total_args = 0, total_bytes = 0;
    double t_read = 0;
    int argi;

    memset(&g, 0, sizeof g);
    for (argi = 1; argi < argc && argv[argi][0] == '-'; argi++) {
        if (!strcmp(argv[argi], "-q"))
            quiet = 1;
        else if (!strcmp(argv[argi], "--md5"))
            want_md5 = 1;
        else if (!strcmp(argv[argi], "--kinds"))
            want_kinds = 1;
        else {
            fprintf(stderr, "usage: %s [-q] [--md5] [--kinds] [files...]\n", argv[0]);
            return 2;
        }
    }
    if (argi < argc) {
        files = argv + argi;
        nfiles = (size_t)(argc - argi);
    } else {
        glob("/usr/lib/erlang/lib/*/ebin/*.beam", 0, NULL, &g);
        files = g.gl_pathv;
        nfiles = g.gl_pathc;
    }

    for (i = 0; i < nfiles; i++) {
        FILE *f = fopen(files[i], "rb");
        uint8_t *buf;
        long sz;
        TbBeamFile b;
        char err[256];
        double t0;
        int rc;

        if (!f) {
            printf("FAIL %s: cannot open\n", files[i]);
            failed++;
            continue;
        }
        fseek(f, 0, SEEK_END);
        sz = ftell(f);
        fseek(f, 0, SEEK_SET);
        buf = malloc(sz > 0 ? (size_t)sz : 1);
        if (!buf || fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
            printf("FAIL %s: read error\n", files[i]);
            failed++;
            fclose(f);
            free(buf);
            continue;
        }
        fclose(f);

        t0 = now();
        rc = tb_beam_read(buf, (size_t)sz, &b, err, sizeof err);
        t_read += now() - t0;
        if (rc != 0) {
            printf("FAIL %s: %s\n", files[i], err);
            failed++;
            free(buf);
            continue;
        }
        total_bytes += (unsigned long)sz;
        total_ops += b.op_count;
        total_args += b.arg_count;
        for (uint32_t k = 0; k < b.op_count; k++) {
            const TbGenOp *op = &b.ops[k];
            const TbGenArg *a = tb_op_args(&b, op);
            uint32_t ar = tb_genop_info[op->op].arity;
            op_counts[op->op]++;
            for (uint32_t j = 0; j < op->nargs; j++)
                kinds[op->op][j < ar ? (j < 8 ? j : 7) : 8] |= 1u << a[j].kind;
        }
        if (want_md5) {
            for (int k = 0; k < 16; k++)
                printf("%02x", b.md5[k]);
            printf(" %.*s %s\n", (int)b.atoms[1].len, (const char *)b.atoms[1].ptr, files[i]);
        } else if (!quiet) {
            printf("ok   %s: %u atoms, %u ops, %u args, %u labels, %u literals\n", files[i],
                   b.atom_count, b.op_count, b.arg_count, b.label_count, b.literal_count);
        }
        tb_beam_free(&b);
        free(buf);
    }

    {
        int distinct = 0;
        printf("opcodes used:");
        for (int k = 1; k <= TB_GENOP_MAX; k++)
            if (op_counts[k]) {
                distinct++;
                printf(" %d", k);
            }
        printf("\n%d distinct opcodes\n", distinct);
    }
    if (want_kinds) {
        for (int k = 1; k <= TB_GENOP_MAX; k++) {
            if (!op_counts[k])
                continue;
            printf("%3d %-22s %8lu  sig=%-8s", k, tb_genop_info[k].name, op_counts[k],
                   tb_genop_sig[k]);
            for (int j = 0; j < 9; j++) {
                if (!kinds[k][j])
                    continue;
                printf(" %s[", j == 8 ? "elems" : "");
                if (j < 8)
                    printf("%d:", j + 1);
                for (int m = 0; m < TB_ARG__COUNT; m++)
                    if (kinds[k][j] & (1u << m))
                        printf("%s,", tb_arg_kind_name(m));
                printf("]");
            }
            printf("\n");
        }
    }
    printf("%zu files, %zu failed, %lu bytes, %lu ops, %lu args; tb_beam_read total %.3f s\n",
           nfiles, failed, total_bytes, total_ops, total_args, t_read);
    if (g.gl_pathv)
        globfree(&g);
    return failed ? 1 : 0;
}
