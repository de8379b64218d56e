/* boot.c — starting OTP as ERTS does: load the preloaded modules from the
 * erts ebin folder, spawn erl_init:start(init, BootArgs) as <0.0.0> with the
 * argument list erlexec would give, then the system processes; the stock
 * init.erl does the rest.  Emulator flags (+P ...) are taken here. */
#include "boot.h"
#include "break.h"
#include "scheduler.h"
#include "spawn.h"
#include "ptab.h"
#include "atom.h"
#include "call.h"
#include "binary.h"
#include "../loader/load.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool tb_boot_mode;

/* ERTS 25's preloaded modules, in its load order. */
static const char *const preloaded[] = {
    "erts_code_purger", "erl_init", "init", "prim_buffer", "prim_eval", "prim_inet", "prim_file",
    "zlib", "socket_registry", "prim_socket", "prim_net", "prim_zip", "erl_prim_loader", "erlang",
    "erts_internal", "erl_tracer", "erts_literal_area_collector", "erts_dirty_process_signal_handler",
    "atomics", "counters", "persistent_term",
};

bool tb_is_preloaded(Term module) {
    if (!is_atom(module)) return false;
    const TbAtom *a = atom_entry(module);
    for (size_t i = 0; i < sizeof preloaded / sizeof *preloaded; i++)
        if (strlen(preloaded[i]) == a->len && memcmp(preloaded[i], a->name, a->len) == 0) return true;
    return false;
}

/* The erts-VSN folder name under ROOT. */
static bool erts_dir(const char *root, char *out, size_t cap) {
    DIR *d = opendir(root);
    if (!d) return false;
    struct dirent *de;
    bool found = false;
    while ((de = readdir(d)))
        if (strncmp(de->d_name, "erts-", 5) == 0) { snprintf(out, cap, "%s", de->d_name); found = true; break; }
    closedir(d);
    return found;
}

static Term binary_list(TbProcess *p, const char *const *v, int n) {
    Term l = NIL;
    for (int i = n; i-- > 0;) {
        Term b = tb_new_binary(p, (const uint8_t *)v[i], strlen(v[i]));
        Term *hp = tb_halloc(p, 2);
        hp[0] = b; hp[1] = l;
        l = make_list(hp);
    }
    return l;
}

static TbProcess *system_process(const char *mod, const char *fun, int prio) {
    TbProcess *c = tb_spawn_first(&tb_sched0, tb_atom_cstr(mod), tb_atom_cstr(fun), NULL, 0);
    c->prio = (uint8_t)prio;
    return c;
}

/* -args_file F: erlexec splices the file's words (# starts a comment) into
 * the command line.  Returns a new argv (malloc'd) and count. */
static char **expand_args_files(int argc, char **argv, int *out_n) {
    size_t cap = (size_t)argc + 16, n = 0;
    char **v = malloc(cap * sizeof *v);
    if (!v) abort();
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-args_file") != 0 || i + 1 >= argc) { v[n++] = argv[i]; if (n == cap) { cap *= 2; v = realloc(v, cap * sizeof *v); if (!v) abort(); } continue; }
        FILE *f = fopen(argv[++i], "r");
        if (!f) { fprintf(stderr, "tbeam: cannot open args_file %s\n", argv[i]); continue; }
        char word[4096];
        size_t w = 0;
        int c;
        bool comment = false, quoted = false;
        while ((c = fgetc(f)) != EOF || w) {
            if (c == '\n') comment = false;
            if (comment && c != EOF) continue;
            if (c == '"') { quoted = !quoted; continue; }     /* quotes group words and vanish */
            if (c == '#' && !quoted) { comment = true; c = ' '; }
            if (c == EOF || (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r'))) {
                if (w) {
                    word[w] = 0;
                    v[n++] = strdup(word);
                    if (n == cap) { cap *= 2; v = realloc(v, cap * sizeof *v); if (!v) abort(); }
                    w = 0;
                }
                if (c == EOF) break;
            } else if (w + 1 < sizeof word) word[w++] = (char)c;
        }
        fclose(f);
    }
    *out_n = (int)n;
    return v;
}

int tb_boot(const char *root, int argc, char **argv) {
    argv = expand_args_files(argc, argv, &argc);
    char erts[256], ebin[4400], bindir[4400], err[700];   /* paths bounded by the root's PATH_MAX */
    if (!erts_dir(root, erts, sizeof erts)) {
        fprintf(stderr, "tbeam: no erts-* folder in the OTP root %s\n", root);
        return 1;
    }
    snprintf(ebin, sizeof ebin, "%s/lib/%s/ebin", root, erts);     /* the preloaded .beam files */
    snprintf(bindir, sizeof bindir, "%s/%s/bin", root, erts);
    for (size_t i = 0; i < sizeof preloaded / sizeof *preloaded; i++) {
        char path[4400];
        if (snprintf(path, sizeof path, "%s/%s.beam", ebin, preloaded[i]) >= (int)sizeof path) return 1;
        if (!tb_code_load_file(path, tb_atom_cstr(preloaded[i]), err, sizeof err)) {
            fprintf(stderr, "tbeam: preloaded module: %s\n", err);
            return 1;
        }
    }
    tb_boot_mode = true;
    /* what erlexec passes after the emulator flags */
    const char *home = getenv("HOME");
    int n = 0;
    const char **v = calloc(2 * (size_t)argc + 12, sizeof *v);   /* -noinput adds -noshell */
    if (!v) abort();
    v[n++] = "-root"; v[n++] = root;
    v[n++] = "-bindir"; v[n++] = bindir;
    v[n++] = "-progname"; v[n++] = "erl";
    v[n++] = "--";
    v[n++] = "-home"; v[n++] = home ? home : "/";
    v[n++] = "--";
    for (int i = 0; i < argc; i++) {
        /* what erlexec itself handles: -env sets the OS environment, -noinput implies -noshell */
        if (strcmp(argv[i], "-env") == 0 && i + 2 < argc) { setenv(argv[i + 1], argv[i + 2], 1); i += 2; continue; }
        if (strcmp(argv[i], "-noinput") == 0) v[n++] = "-noshell";
        if (argv[i][0] == '+' && argv[i][1]) {          /* emulator flags */
            if (strcmp(argv[i], "+P") == 0 && i + 1 < argc) tb_ptab_init(strtoul(argv[++i], NULL, 10));
            else if (i + 1 < argc && argv[i][2] == 0 && argv[i + 1][0] != '-' && argv[i + 1][0] != '+') i++;
            continue;
        }
        v[n++] = argv[i];
    }
    TbProcess *init = tb_spawn_first(&tb_sched0, tb_atom_cstr("erl_init"), AM(start), NULL, 2);
    init->x[0] = tb_atom_cstr("init");
    init->x[1] = binary_list(init, v, n);
    free(v);
    system_process("erts_code_purger", "start", TB_PRIO_HIGH);
    system_process("erts_literal_area_collector", "start", TB_PRIO_HIGH);
    system_process("erts_dirty_process_signal_handler", "start", TB_PRIO_NORMAL);
    system_process("erts_dirty_process_signal_handler", "start", TB_PRIO_HIGH);
    system_process("erts_dirty_process_signal_handler", "start", TB_PRIO_MAX);
    tb_break_init();                           /* Ctrl-C: ERTS's BREAK menu (break.c) */
    return tb_sched_loop(&tb_sched0);          /* until halt/1 */
}
