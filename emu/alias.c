/* alias.c — see alias.h.  Open hashing on the reference numbers. */
#include "alias.h"
#include "ptab.h"
#include <stdlib.h>
#include <string.h>

typedef struct Alias {
    struct Alias *hnext, *pnext;   /* hash chain; owner's list */
    uint32_t num[3];
    Term pid;
    int mode;
} Alias;

static Alias **tab;
static UWord cap, count;

static UWord slot(const uint32_t n[3], UWord c) {
    uint64_t h = ((uint64_t)n[2] << 40) ^ ((uint64_t)n[1] << 18) ^ n[0];
    return (UWord)((h * 0x9E3779B97F4A7C15ull) >> 24) & (c - 1);
}

static void grow(void) {
    UWord ncap = cap ? 2 * cap : 256;
    Alias **nt = calloc(ncap, sizeof *nt);
    if (!nt) abort();
    for (UWord i = 0; i < cap; i++)
        for (Alias *a = tab[i], *n; a; a = n) {
            n = a->hnext;
            UWord k = slot(a->num, ncap);
            a->hnext = nt[k];
            nt[k] = a;
        }
    free(tab);
    tab = nt;
    cap = ncap;
}

static Alias **find(const uint32_t n[3]) {
    if (!cap) return NULL;
    for (Alias **a = &tab[slot(n, cap)]; *a; a = &(*a)->hnext)
        if ((*a)->num[0] == n[0] && (*a)->num[1] == n[1] && (*a)->num[2] == n[2]) return a;
    return NULL;
}

void tb_alias_add(TbProcess *p, const uint32_t num[3], int mode) {
    Alias **e = find(num);
    if (e) { (*e)->mode = mode; return; }
    if (count * 2 >= cap) grow();
    Alias *a = malloc(sizeof *a);
    if (!a) abort();
    memcpy(a->num, num, sizeof a->num);
    a->pid = p->id;
    a->mode = mode;
    UWord k = slot(num, cap);
    a->hnext = tab[k];
    tab[k] = a;
    a->pnext = p->aliases;
    p->aliases = a;
    count++;
}

static void unlink_owner(TbProcess *p, Alias *a) {
    for (Alias **q = (Alias **)&p->aliases; *q; q = &(*q)->pnext)
        if (*q == a) { *q = a->pnext; return; }
}

bool tb_alias_remove(TbProcess *p, const uint32_t num[3]) {
    Alias **e = find(num);
    if (!e || (*e)->pid != p->id) return false;
    Alias *a = *e;
    *e = a->hnext;
    unlink_owner(p, a);
    free(a);
    count--;
    return true;
}

TbProcess *tb_alias_owner(const uint32_t num[3], int *mode) {
    Alias **e = find(num);
    if (!e) return NULL;
    *mode = (*e)->mode;
    return tb_pid_lookup((*e)->pid);
}

void tb_alias_drop_all(TbProcess *p) {
    while (p->aliases) {
        Alias *a = p->aliases;
        Alias **e = find(a->num);
        if (e) *e = a->hnext;
        p->aliases = a->pnext;
        free(a);
        count--;
    }
}
