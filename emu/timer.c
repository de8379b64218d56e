/* timer.c — the timer heap and the reference table of BIF timers. */
#include "timer.h"
#include <stdlib.h>
#include <time.h>

uint64_t tb_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline bool before(const TbTimer *a, const TbTimer *b) {
    return a->expire < b->expire || (a->expire == b->expire && a->seq < b->seq);
}

static inline void place(TbTimers *t, UWord i, TbTimer *tm) { t->heap[i] = tm; tm->slot = i; }

static void sift_up(TbTimers *t, UWord i) {
    TbTimer *tm = t->heap[i];
    while (i > 0) {
        UWord parent = (i - 1) / 2;
        if (!before(tm, t->heap[parent])) break;
        place(t, i, t->heap[parent]);
        i = parent;
    }
    place(t, i, tm);
}

static void sift_down(TbTimers *t, UWord i) {
    TbTimer *tm = t->heap[i];
    for (;;) {
        UWord c = 2 * i + 1;
        if (c >= t->n) break;
        if (c + 1 < t->n && before(t->heap[c + 1], t->heap[c])) c++;
        if (!before(t->heap[c], tm)) break;
        place(t, i, t->heap[c]);
        i = c;
    }
    place(t, i, tm);
}

void tb_timer_insert(TbTimers *t, TbTimer *tm) {
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->heap = realloc(t->heap, t->cap * sizeof *t->heap);
        if (!t->heap) abort();
    }
    tm->seq = t->seq++;
    place(t, t->n++, tm);
    sift_up(t, tm->slot);
}

void tb_timer_remove(TbTimers *t, TbTimer *tm) {
    UWord i = tm->slot;
    TbTimer *last = t->heap[--t->n];
    if (last == tm) return;
    place(t, i, last);
    if (i > 0 && before(last, t->heap[(i - 1) / 2])) sift_up(t, i);
    else sift_down(t, i);
}

TbTimer *tb_timer_pop_expired(TbTimers *t, uint64_t now) {
    if (!t->n || t->heap[0]->expire > now) return NULL;
    TbTimer *tm = t->heap[0];
    tb_timer_remove(t, tm);
    if (tm->kind != TB_TMR_RECEIVE) tb_timer_hash_del(t, tm);
    return tm;
}

static inline UWord ref_hash(const uint32_t r[3], UWord cap) {
    uint64_t h = ((uint64_t)r[2] << 40) ^ ((uint64_t)r[1] << 18) ^ r[0];
    h *= 0x9E3779B97F4A7C15ull;
    return (UWord)(h >> 20) & (cap - 1);
}

void tb_timer_hash_add(TbTimers *t, TbTimer *tm) {
    if (t->hcount * 2 >= t->hcap) {
        UWord ncap = t->hcap ? 2 * t->hcap : 256;
        TbTimer **nh = calloc(ncap, sizeof *nh);
        if (!nh) abort();
        for (UWord i = 0; i < t->hcap; i++)
            for (TbTimer *e = t->hash[i], *n; e; e = n) {
                n = e->hnext;
                UWord k = ref_hash(e->ref, ncap);
                e->hnext = nh[k];
                nh[k] = e;
            }
        free(t->hash);
        t->hash = nh;
        t->hcap = ncap;
    }
    UWord k = ref_hash(tm->ref, t->hcap);
    tm->hnext = t->hash[k];
    t->hash[k] = tm;
    t->hcount++;
}

TbTimer *tb_timer_hash_find(TbTimers *t, const uint32_t ref[3]) {
    if (!t->hcap) return NULL;
    for (TbTimer *e = t->hash[ref_hash(ref, t->hcap)]; e; e = e->hnext)
        if (e->ref[0] == ref[0] && e->ref[1] == ref[1] && e->ref[2] == ref[2]) return e;
    return NULL;
}

void tb_timer_hash_del(TbTimers *t, TbTimer *tm) {
    for (TbTimer **e = &t->hash[ref_hash(tm->ref, t->hcap)]; *e; e = &(*e)->hnext)
        if (*e == tm) { *e = tm->hnext; t->hcount--; return; }
}
