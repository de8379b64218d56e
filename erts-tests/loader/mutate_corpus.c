/*
 * mutate_corpus -- make a regression corpus of broken .beam files for the
 * tbeam reader (see mutate_corpus.sh, which drives it).
 *
 *   mutate_corpus OUTDIR SEED.beam...
 *
 * For each seed it writes the seed itself plus deterministic mutations:
 * truncations, flipped bytes in each chunk, bad FOR1/chunk sizes, hostile
 * counts, bad atom/label/import indexes, bad zlib data and sizes in LitT,
 * missing/duplicated/renamed chunks, bad opcodes.  Self-contained (does not
 * use the reader it tests).  Output names: <seed>-<nn>-<what>.beam
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXCH 32

typedef struct {
    char id[5];
    uint8_t *data;
    uint32_t size;
} Ch;

typedef struct {
    Ch ch[MAXCH];
    int n;
} Beam;

static const char *outdir;
static char seedname[64];
static int seq;
static uint32_t rng = 12345;

static uint32_t rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) & 0xFFFFFF;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void emit(const uint8_t *d, size_t n, const char *what)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s-%02d-%s.beam", outdir, seedname, seq++, what);
    f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fwrite(d, 1, n, f);
    fclose(f);
}

static int parse(const uint8_t *d, size_t n, Beam *b)
{
    size_t pos = 12;
    b->n = 0;
    if (n < 12 || memcmp(d, "FOR1", 4) || memcmp(d + 8, "BEAM", 4))
        return -1;
    while (pos + 8 <= n && b->n < MAXCH) {
        uint32_t sz = be32(d + pos + 4);
        Ch *c = &b->ch[b->n++];
        if (pos + 8 + sz > n)
            return -1;
        memcpy(c->id, d + pos, 4);
        c->id[4] = 0;
        c->data = malloc(sz + 1);
        memcpy(c->data, d + pos + 8, sz);
        c->size = sz;
        pos += 8 + ((sz + 3) & ~3u);
    }
    return 0;
}

static Beam clone(const Beam *b)
{
    Beam c = *b;
    for (int i = 0; i < c.n; i++) {
        c.ch[i].data = malloc(b->ch[i].size + 64);
        memcpy(c.ch[i].data, b->ch[i].data, b->ch[i].size);
    }
    return c;
}

static void drop(Beam *b)
{
    for (int i = 0; i < b->n; i++)
        free(b->ch[i].data);
}

static size_t serialize(const Beam *b, uint8_t *out)
{
    size_t k = 12;
    memcpy(out, "FOR1", 4);
    memcpy(out + 8, "BEAM", 4);
    for (int i = 0; i < b->n; i++) {
        memcpy(out + k, b->ch[i].id, 4);
        put32(out + k + 4, b->ch[i].size);
        memcpy(out + k + 8, b->ch[i].data, b->ch[i].size);
        k += 8 + b->ch[i].size;
        while (k % 4)
            out[k++] = 0;
    }
    put32(out + 4, (uint32_t)(k - 8));
    return k;
}

static int find(const Beam *b, const char *id)
{
    for (int i = 0; i < b->n; i++)
        if (!memcmp(b->ch[i].id, id, 4))
            return i;
    return -1;
}

static uint8_t *buf;

static void emit_beam(const Beam *b, const char *what)
{
    emit(buf, serialize(b, buf), what);
}

/* Apply fn to a clone of the seed and write it if fn returns 1. */
#define MUT(what, body)                                             \
    do {                                                            \
        Beam m = clone(seed);                                       \
        int ok_ = 1;                                                \
        body;                                                       \
        if (ok_)                                                    \
            emit_beam(&m, what);                                    \
        drop(&m);                                                   \
    } while (0)

static void mutate(const uint8_t *d, size_t n, const Beam *seed)
{
    int i;
    uint8_t *tmp = malloc(n + 16);

    emit(d, n, "seed");

    /* Truncations (FOR1 size left as is) */
    {
        size_t cuts[] = { 7, 20, n / 2, n - 5 };
        for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++)
            emit(d, cuts[k], "trunc");
    }
    /* Truncation with a consistent FOR1 size */
    memcpy(tmp, d, n);
    put32(tmp + 4, (uint32_t)(2 * n / 3 - 8));
    emit(tmp, 2 * n / 3, "trunc-for1");
    /* Bad FOR1 size */
    memcpy(tmp, d, n);
    put32(tmp + 4, 0xFFFFFFF0u);
    emit(tmp, n, "for1-huge");

    /* Per-chunk: huge size, flipped bytes */
    for (i = 0; i < seed->n; i++) {
        const char *id = seed->ch[i].id;
        char what[32];
        if (strcmp(id, "Dbgi") == 0 || strcmp(id, "Attr") == 0 || strcmp(id, "CInf") == 0)
            continue;
        snprintf(what, sizeof what, "%s-flip", id);
        MUT(what, {
            if (m.ch[i].size == 0)
                ok_ = 0;
            for (int f = 0; ok_ && f < 3; f++)
                m.ch[i].data[rnd() % m.ch[i].size] ^= (uint8_t)(1u << (rnd() % 8));
        });
        snprintf(what, sizeof what, "%s-size", id);
        if (strcmp(id, "AtU8") == 0 || strcmp(id, "Code") == 0 || strcmp(id, "LitT") == 0 ||
            strcmp(id, "Type") == 0) {
            /* chunk size field claims more than the file has */
            size_t pos = 12;
            for (int j = 0; j < i; j++)
                pos += 8 + ((seed->ch[j].size + 3) & ~3u);
            memcpy(tmp, d, n);
            put32(tmp + pos + 4, seed->ch[i].size + 0x1000);
            emit(tmp, n, what);
        }
    }

    /* Hostile counts in the first word of table chunks */
    {
        static const char *const tabs[] = { "AtU8", "ImpT", "ExpT", "FunT", "LocT", "LitT" };
        for (size_t t = 0; t < sizeof tabs / sizeof tabs[0]; t++) {
            int k = find(seed, tabs[t]);
            char what[32];
            if (k < 0)
                continue;
            snprintf(what, sizeof what, "%s-count", tabs[t]);
            MUT(what, { put32(m.ch[k].data, 0x7FFFFFF0u); });
        }
    }
    /* Code header fields */
    i = find(seed, "Code");
    if (i >= 0) {
        MUT("Code-hdrsize", { put32(m.ch[i].data, 0xFFFF); });
        MUT("Code-format", { put32(m.ch[i].data + 4, 1); });
        MUT("Code-maxop", { put32(m.ch[i].data + 8, 181); });
        MUT("Code-labels", { put32(m.ch[i].data + 12, 0x7FFFFFFF); });
        MUT("Code-labels-small", { put32(m.ch[i].data + 12, 2); });
        MUT("Code-funcs", { put32(m.ch[i].data + 16, 1); });
        MUT("Code-noend", { m.ch[i].size--; });            /* drop int_code_end */
        MUT("Code-tail", { m.ch[i].data[m.ch[i].size++] = 0x13; });
        MUT("Code-obsolete-op", {
            uint32_t body = 4 + be32(m.ch[i].data);
            m.ch[i].data[body + 2] = 27;         /* op after "label 1" */
        });
        MUT("Code-bad-op", {
            uint32_t body = 4 + be32(m.ch[i].data);
            m.ch[i].data[body + rnd() % (m.ch[i].size - body)] = 200;
        });
        MUT("Code-bad-operand", {
            uint32_t body = 4 + be32(m.ch[i].data);
            m.ch[i].data[body + rnd() % (m.ch[i].size - body)] = 0xFF;
        });
        MUT("Code-xreg", {   /* first "x0" operand byte after the header -> x 2047 */
            uint32_t body = 4 + be32(m.ch[i].data);
            for (uint32_t p = body; p < m.ch[i].size; p++)
                if (m.ch[i].data[p] == 0x03 && p > body + 20) {
                    memmove(m.ch[i].data + p + 1, m.ch[i].data + p, m.ch[i].size - p);
                    m.ch[i].data[p] = 0xEB;
                    m.ch[i].data[p + 1] = 0xFF;
                    m.ch[i].size++;
                    break;
                }
        });
    }
    /* Bad indexes in the tables */
    i = find(seed, "ImpT");
    if (i >= 0 && seed->ch[i].size >= 16)
        MUT("ImpT-atom", { put32(m.ch[i].data + 4, 0xFFFF); });
    i = find(seed, "ExpT");
    if (i >= 0 && seed->ch[i].size >= 16) {
        MUT("ExpT-atom", { put32(m.ch[i].data + 4, 0); });
        MUT("ExpT-label", { put32(m.ch[i].data + 12, 0x7FFFFFFF); });
        MUT("ExpT-size", { m.ch[i].size -= 2; });
    }
    i = find(seed, "FunT");
    if (i >= 0 && seed->ch[i].size >= 28) {
        MUT("FunT-label", { put32(m.ch[i].data + 12, 0xFFFFFF); });
        MUT("FunT-free", { put32(m.ch[i].data + 20, 0xFFFF); });
    }
    /* LitT: bad zlib data, wrong declared size, truncated stream */
    i = find(seed, "LitT");
    if (i >= 0 && seed->ch[i].size > 12) {
        MUT("LitT-zlib-hdr", { m.ch[i].data[4] ^= 0x55; });
        MUT("LitT-zlib-data", { m.ch[i].data[4 + m.ch[i].size / 2] ^= 0xA5; });
        MUT("LitT-usize-small", { put32(m.ch[i].data, be32(m.ch[i].data) - 1); });
        MUT("LitT-usize-big", { put32(m.ch[i].data, be32(m.ch[i].data) + 7); });
        MUT("LitT-usize-huge", { put32(m.ch[i].data, 0xFFFFFFF0u); });
        MUT("LitT-stream-trunc", { m.ch[i].size -= 6; });
        MUT("LitT-garbage", { m.ch[i].data[m.ch[i].size++] = 0x42; });
    }
    /* Line / Type */
    i = find(seed, "Line");
    if (i >= 0 && seed->ch[i].size > 24) {
        MUT("Line-items", { put32(m.ch[i].data + 12, 0x7FFFFFFF); });
        MUT("Line-names", { put32(m.ch[i].data + 16, 0x7FFF); });
        MUT("Line-instrs", { put32(m.ch[i].data + 8, 0); });
        MUT("Line-tag", { m.ch[i].data[20] = 0x03; });
    }
    i = find(seed, "Type");
    if (i >= 0 && seed->ch[i].size > 8) {
        MUT("Type-count", { put32(m.ch[i].data + 4, 1); });
        MUT("Type-any", { m.ch[i].data[9] = 0; });
    }
    /* Structural: missing / obsolete / duplicated chunks */
    {
        static const char *const req[] = { "AtU8", "Code", "ImpT", "ExpT", "StrT" };
        for (size_t t = 0; t < sizeof req / sizeof req[0]; t++) {
            int k = find(seed, req[t]);
            char what[32];
            if (k < 0)
                continue;
            snprintf(what, sizeof what, "no-%s", req[t]);
            MUT(what, { m.ch[k].id[3] = 'z'; });
        }
        i = find(seed, "AtU8");
        if (i >= 0) {
            MUT("Atom-chunk", { memcpy(m.ch[i].id, "Atom", 4); });
            MUT("AtU8-badutf8", { m.ch[i].data[5] = 0xFF; });
            MUT("AtU8-dup", {
                if (m.n < MAXCH) {
                    m.ch[m.n] = m.ch[i];
                    m.ch[m.n].data = malloc(m.ch[i].size + 1);
                    memcpy(m.ch[m.n].data, m.ch[i].data, m.ch[i].size);
                    m.n++;
                }
            });
        }
    }
    free(tmp);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s OUTDIR SEED.beam...\n", argv[0]);
        return 2;
    }
    outdir = argv[1];
    buf = malloc(1 << 24);
    for (int a = 2; a < argc; a++) {
        FILE *f = fopen(argv[a], "rb");
        uint8_t *d;
        long n;
        Beam seed;
        const char *base = strrchr(argv[a], '/');
        if (!f) {
            perror(argv[a]);
            return 1;
        }
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        fseek(f, 0, SEEK_SET);
        d = malloc((size_t)n);
        if (fread(d, 1, (size_t)n, f) != (size_t)n) {
            perror(argv[a]);
            return 1;
        }
        fclose(f);
        base = base ? base + 1 : argv[a];
        snprintf(seedname, sizeof seedname, "%.*s", (int)(strcspn(base, ".")), base);
        seq = 0;
        if (parse(d, (size_t)n, &seed) != 0) {
            fprintf(stderr, "%s: not a beam file\n", argv[a]);
            return 1;
        }
        mutate(d, (size_t)n, &seed);
        drop(&seed);
        free(d);
    }
    free(buf);
    return 0;
}
