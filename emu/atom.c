/* atom.c — global atom table: open hashing over an append-only array. */
#include "atom.h"
#include <stdlib.h>
#include <stdio.h>

TbAtom *tb_atoms;
uint32_t tb_atom_count;
static uint32_t atom_cap;
static uint32_t *buckets;      /* index+1, 0 = empty; open addressing */
static uint32_t nbuckets;

static uint32_t hash_bytes(const uint8_t *s, size_t n) {
    uint32_t h = 2166136261u;  /* FNV-1a: atoms are short */
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 16777619u;
    return h;
}

/* Returns the number of code points, or -1 if not valid UTF-8. */
static long utf8_count(const uint8_t *s, size_t n, bool *latin1) {
    long count = 0;
    *latin1 = true;
    for (size_t i = 0; i < n; count++) {
        uint8_t c = s[i];
        uint32_t cp;
        size_t k;
        if (c < 0x80) { i++; continue; }
        if ((c & 0xE0) == 0xC0) { k = 1; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { k = 2; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { k = 3; cp = c & 0x07; }
        else return -1;
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (s[i + j] & 0xC0) != 0x80) return -1;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        if (cp > 0xFF) *latin1 = false;
        i += k + 1;
    }
    return count;
}

static void rehash(void) {
    uint32_t nb = nbuckets ? nbuckets * 2 : 4096;
    uint32_t *b = calloc(nb, sizeof *b);
    if (!b) abort();
    for (uint32_t i = 0; i < tb_atom_count; i++) {
        uint32_t h = tb_atoms[i].hash & (nb - 1);
        while (b[h]) h = (h + 1) & (nb - 1);
        b[h] = i + 1;
    }
    free(buckets);
    buckets = b;
    nbuckets = nb;
}

static Term lookup(const uint8_t *name, size_t len, uint32_t h) {
    for (uint32_t i = h & (nbuckets - 1);; i = (i + 1) & (nbuckets - 1)) {
        uint32_t e = buckets[i];
        if (!e) return TB_NONE;
        const TbAtom *a = &tb_atoms[e - 1];
        if (a->hash == h && a->len == len && memcmp(a->name, name, len) == 0) return make_atom(e - 1);
    }
}

Term tb_atom_find(const uint8_t *name, size_t len) {
    return lookup(name, len, hash_bytes(name, len));
}

Term tb_atom_put(const uint8_t *name, size_t len) {
    uint32_t h = hash_bytes(name, len);
    Term t = lookup(name, len, h);
    if (t != TB_NONE) return t;
    bool latin1;
    long nch = utf8_count(name, len, &latin1);
    if (nch < 0 || nch > TB_MAX_ATOM_CHARS || tb_atom_count >= TB_MAX_ATOMS) return TB_NONE;
    if (tb_atom_count == atom_cap) {
        atom_cap = atom_cap ? atom_cap * 2 : 4096;
        tb_atoms = realloc(tb_atoms, atom_cap * sizeof *tb_atoms);
        if (!tb_atoms) abort();
    }
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) abort();
    memcpy(copy, name, len);
    tb_atoms[tb_atom_count] = (TbAtom){copy, (uint32_t)len, (uint32_t)nch, h, latin1};
    tb_atom_count++;
    if (tb_atom_count * 2 > nbuckets) rehash();
    else {
        uint32_t i = h & (nbuckets - 1);
        while (buckets[i]) i = (i + 1) & (nbuckets - 1);
        buckets[i] = tb_atom_count;
    }
    return make_atom(tb_atom_count - 1);
}

Term tb_atom_put_latin1(const uint8_t *name, size_t len) {
    uint8_t buf[TB_MAX_ATOM_CHARS * 2];
    size_t n = 0;
    if (len > TB_MAX_ATOM_CHARS) return TB_NONE;
    for (size_t i = 0; i < len; i++) {
        if (name[i] < 0x80) buf[n++] = name[i];
        else { buf[n++] = 0xC0 | (name[i] >> 6); buf[n++] = 0x80 | (name[i] & 0x3F); }
    }
    return tb_atom_put(buf, n);
}

void tb_atom_init(void) {
    if (tb_atom_count) return;
    rehash();
    static const char *const names[] = {
#define ATOM(c, s) s,
#include "atoms.def"
#undef ATOM
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (atom_val(tb_atom_cstr(names[i])) != i) {
            fprintf(stderr, "tbeam: duplicate atom in atoms.def: %s\n", names[i]);
            abort();
        }
}
