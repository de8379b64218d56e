/* nif_prim_buffer.c — the prim_buffer NIF library: a mutable byte queue
 * (prim_file's read-ahead buffer), as ERTS 25's prim_buffer_nif.c.  Writes
 * smaller than 1 KiB are gathered in a 2 KiB accumulator that becomes one
 * queue element when full or before any read, so peek_head/1 (and the
 * shape of read_iovec/2) see the same elements as on ERTS. */
#include "nif_ioq.h"
#include "../bifs/bif.h"
#include "../emu/resource.h"
#include "../emu/big.h"
#include <stdlib.h>
#include <string.h>

#define ACCUMULATOR_SIZE 2048
#define INSPECT_MAX 64            /* binaries per enif_inspect_iovec in ERTS */

typedef struct Buffer {
    TbIoq q;
    TbBinary *acc;                /* NULL when absent */
    size_t acc_bytes;
    bool locked;
} Buffer;

static void buffer_dtor(void *data) {
    Buffer *b = data;
    if (b->acc) tb_binary_unref(b->acc);
    tb_ioq_destroy(&b->q);
}
static const TbResourceType buffer_type = {"gc_buffer", buffer_dtor};

bool nif_prim_buffer_load(TbProcess *p, Term load_info) { (void)p; (void)load_info; return true; }

static void flush_acc(Buffer *b) {
    if (!b->acc) return;
    TbBinary *a = realloc(b->acc, sizeof *a + b->acc_bytes);
    if (!a) abort();
    a->orig_size = b->acc_bytes;
    b->acc = NULL;
    tb_ioq_push(&b->q, a, 0, b->acc_bytes);
    b->acc_bytes = 0;
}

/* Bytes of the count binaries starting at l. */
static size_t batch_size(Term l, long count) {
    size_t n = 0;
    for (long i = 0; i < count; i++, l = CDR(list_val(l))) n += bitstring_bitsize(CAR(list_val(l))) >> 3;
    return n;
}

static void write_batch(Buffer *b, Term l, long count) {
    size_t size = batch_size(l, count);
    bool combine = true;
    if (b->acc_bytes + size >= ACCUMULATOR_SIZE) {
        if (size >= ACCUMULATOR_SIZE / 2) combine = false;
        else flush_acc(b);
    }
    if (combine) {
        if (!b->acc) b->acc = tb_binary_alloc(ACCUMULATOR_SIZE);
        for (long i = 0; i < count; i++, l = CDR(list_val(l))) {
            size_t len;
            uint8_t *tmp;
            const uint8_t *bytes = tb_binary_aligned_bytes(CAR(list_val(l)), &len, &tmp);
            if (!bytes) continue;                /* a bitstring of < 8 bits: nothing */
            memcpy(b->acc->data + b->acc_bytes, bytes, len);
            b->acc_bytes += len;
            free(tmp);
        }
        return;
    }
    flush_acc(b);
    for (long i = 0; i < count; i++, l = CDR(list_val(l))) tb_ioq_push_term(&b->q, CAR(list_val(l)));
}

#define GET_BUFFER(b) Buffer *b = tb_get_resource(args[0], &buffer_type); if (!b) BADARG(p)

Term nif_prim_buffer_new_0(TbProcess *p, Term *args) {
    (void)args;
    Buffer *b = tb_resource_alloc(&buffer_type, sizeof *b);
    tb_ioq_init(&b->q);
    Term ref = tb_make_magic_ref(p, b);
    tb_resource_release(tb_resource_of(b));
    return ref;
}

Term nif_prim_buffer_size_1(TbProcess *p, Term *args) {
    GET_BUFFER(b);
    return tb_make_uinteger(p, b->q.size + b->acc_bytes);
}

/* write(Buffer, IOVec): ok */
Term nif_prim_buffer_write_2(TbProcess *p, Term *args) {
    GET_BUFFER(b);
    long n = tb_iovec_length(args[1]);
    if (n < 0) BADARG(p);
    Term l = args[1];
    while (n > 0) {
        long k = n < INSPECT_MAX ? n : INSPECT_MAX;
        write_batch(b, l, k);
        for (long i = 0; i < k; i++) l = CDR(list_val(l));
        n -= k;
    }
    return AM(ok);
}

static bool get_uint64(Term t, uint64_t *out) {
    if (is_small(t)) { if (small_val(t) < 0) return false; *out = (uint64_t)small_val(t); return true; }
    return is_big(t) && tb_integer_to_uint64(t, out);
}

/* copying_read(Buffer, Size): the first Size bytes as a new binary. */
Term nif_prim_buffer_copying_read_2(TbProcess *p, Term *args) {
    GET_BUFFER(b);
    uint64_t n;
    if (!get_uint64(args[1], &n)) BADARG(p);
    flush_acc(b);
    if (b->q.size < n) BADARG(p);
    Term r = tb_new_binary(p, NULL, n);
    tb_ioq_copy(&b->q, n, tb_binary_bytes_for_write(r));
    tb_ioq_deq(&b->q, n);
    return r;
}

/* peek_head(Buffer): the first queued element; badarg when empty. */
Term nif_prim_buffer_peek_head_1(TbProcess *p, Term *args) {
    GET_BUFFER(b);
    flush_acc(b);
    if (!b->q.n) BADARG(p);
    return tb_ioq_seg_term(p, tb_ioq_seg(&b->q, 0));
}

Term nif_prim_buffer_skip_2(TbProcess *p, Term *args) {
    GET_BUFFER(b);
    uint64_t n;
    if (!get_uint64(args[1], &n)) BADARG(p);
    flush_acc(b);
    if (b->q.size < n) BADARG(p);
    tb_ioq_deq(&b->q, n);
    return AM(ok);
}

/* find_byte_index(Buffer, Byte): {ok, Index} | not_found */
Term nif_prim_buffer_find_byte_index_2(TbProcess *p, Term *args) {
    GET_BUFFER(b);
    if (!is_small(args[1]) || small_val(args[1]) < INT32_MIN || small_val(args[1]) > INT32_MAX) BADARG(p);
    flush_acc(b);
    SWord needle = small_val(args[1]);
    if (needle < 0 || needle > 255) BADARG(p);
    size_t base = 0;
    for (size_t i = 0; i < b->q.n; i++) {
        const TbIoqSeg *s = tb_ioq_seg(&b->q, i);
        const uint8_t *hit = memchr(s->bin->data + s->off, (int)needle, s->len);
        if (hit) return tb_tuple2(p, AM(ok), tb_make_uinteger(p, base + (size_t)(hit - (s->bin->data + s->off))));
        base += s->len;
    }
    return tb_atom_cstr("not_found");
}

Term nif_prim_buffer_try_lock_1(TbProcess *p, Term *args) {
    GET_BUFFER(b);
    if (b->locked) return tb_atom_cstr("busy");
    b->locked = true;
    return tb_atom_cstr("acquired");
}

Term nif_prim_buffer_unlock_1(TbProcess *p, Term *args) {
    GET_BUFFER(b);
    if (!b->locked) return tb_error(p, tb_atom_cstr("lock_order_violation"));
    b->locked = false;
    return AM(ok);
}
