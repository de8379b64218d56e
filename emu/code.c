/* code.c — the code path and loading modules from .beam files on demand. */
#include "call.h"
#include "atom.h"
#include "../loader/load.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

static char **paths;
static size_t npaths;

void tb_code_add_path(const char *dir, bool front) {
    paths = realloc(paths, (npaths + 1) * sizeof *paths);
    if (!paths) abort();
    if (front) {
        memmove(paths + 1, paths, npaths * sizeof *paths);
        paths[0] = strdup(dir);
    } else {
        paths[npaths] = strdup(dir);
    }
    npaths++;
}

/* OTP's lib/<app>-<vsn>/ebin folders and erts' ebin (preloaded modules). */
void tb_code_add_otp(const char *root) {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s/lib", root);
    DIR *d = opendir(buf);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        snprintf(buf, sizeof buf, "%s/lib/%s/ebin", root, de->d_name);
        tb_code_add_path(buf, false);
    }
    closedir(d);
}

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) { cap = cap ? cap * 2 : 65536; buf = realloc(buf, cap); if (!buf) abort(); }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0) break;
        n += r;
    }
    fclose(f);
    *len = n;
    return buf;
}

TbModule *tb_code_load_file(const char *path, Term expect, char *err, size_t errcap) {
    size_t len;
    uint8_t *data = read_file(path, &len);
    if (!data) { snprintf(err, errcap, "%s: cannot read file", path); return NULL; }
    char e2[512];
    TbModule *m = tb_load_module(data, len, expect, e2, sizeof e2);
    free(data);
    if (!m) snprintf(err, errcap, "%s: %s", path, e2);
    return m;
}

TbModule *tb_code_ensure_loaded(Term mod, char *err, size_t errcap) {
    TbModule *m = tb_module_find(mod);
    if (m) return m;
    const TbAtom *a = atom_entry(mod);
    snprintf(err, errcap, "module %.*s not found in the code path", (int)a->len, a->name);
    for (size_t i = 0; i < npaths; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%.*s.beam", paths[i], (int)a->len, a->name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        fclose(f);
        return tb_code_load_file(path, mod, err, errcap);
    }
    return NULL;
}
