/* nif_zlib.c — the zlib NIF library behind OTP 25's zlib.erl, on the
 * system zlib, as ERTS 25's zlib_nif.c: a z_stream resource owned by a
 * controlling process, an input queue fed by enqueue_nif, and
 * deflate_nif/inflate_nif that consume at most one input chunk and fill at
 * most one output chunk per call, answering {continue, Out}, {finished, Out}
 * or {need_dictionary, Adler, Out} (zlib.erl loops).  Errors are raised as
 * ERTS does: data_error, stream_error, not_initialized, already_initialized,
 * not_on_controlling_process; bad argument types are badarg.  The stash
 * keeps one term (a copy in a heap fragment) between calls. */
#include "nif_ioq.h"
#include "../bifs/bif.h"
#include "../emu/resource.h"
#include "../emu/big.h"
#include "../emu/gc.h"
#include "../emu/msg.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { ST_NONE, ST_DEFLATE, ST_INFLATE, ST_CLOSED };
enum { EOS_ERROR, EOS_RESET, EOS_CUT };

typedef struct Zlib {
    z_stream s;
    int state, eos_behavior;
    uLong input_crc, output_crc;      /* of the plain text, for zlib:crc32/1 */
    bool want_input_crc, want_output_crc, is_raw, eos_seen;
    int chunk_buffer_size;            /* inflateChunk's output size */
    Term controller;                  /* pid */
    TbIoq input;
    TbHeapFrag *stash_frag;           /* the stash: stash_term, its data in stash_frag */
    Term stash_term;
    bool has_stash;
} Zlib;

static void drop_stash(Zlib *d) {
    if (d->stash_frag) tb_heap_frag_free(d->stash_frag);
    d->stash_frag = NULL;
    d->has_stash = false;
}

static void internal_close(Zlib *d) {
    if (d->state == ST_DEFLATE) deflateEnd(&d->s);
    else if (d->state == ST_INFLATE) inflateEnd(&d->s);
    if (d->state != ST_CLOSED) {
        drop_stash(d);
        d->state = ST_CLOSED;
    }
}

static void zlib_dtor(void *data) {
    Zlib *d = data;
    tb_ioq_destroy(&d->input);
    internal_close(d);
}
static const TbResourceType zlib_type = {"gc_zlib", zlib_dtor};

static Term am_continue, am_finished, am_need_dictionary, am_not_on_controlling_process,
    am_not_initialized, am_already_initialized, am_empty, am_stream_end;

bool nif_zlib_load(TbProcess *p, Term load_info) {
    (void)p; (void)load_info;
    am_continue = tb_atom_cstr("continue");
    am_finished = tb_atom_cstr("finished");
    am_need_dictionary = tb_atom_cstr("need_dictionary");
    am_not_on_controlling_process = tb_atom_cstr("not_on_controlling_process");
    am_not_initialized = tb_atom_cstr("not_initialized");
    am_already_initialized = tb_atom_cstr("already_initialized");
    am_empty = tb_atom_cstr("empty");
    am_stream_end = tb_atom_cstr("stream_end");
    return true;
}

/* A zlib return code as ERTS's zlib_return: an atom, or an exception. */
static Term zreturn(TbProcess *p, int code) {
    switch (code) {
    case Z_OK: return AM(ok);
    case Z_STREAM_END: return am_stream_end;
    case Z_ERRNO: return tb_make_integer(p, errno);
    case Z_STREAM_ERROR: return tb_error(p, tb_atom_cstr("stream_error"));
    case Z_DATA_ERROR: return tb_error(p, tb_atom_cstr("data_error"));
    case Z_MEM_ERROR: return tb_atom_cstr("mem_error");
    case Z_BUF_ERROR: return tb_atom_cstr("buf_error");
    case Z_VERSION_ERROR: return tb_atom_cstr("version_error");
    default: return tb_atom_cstr("unknown_error");
    }
}

/* The stream in args[0] used by its controlling process, or raise. */
#define GET_ZLIB(d)                                                              \
    Zlib *d = tb_get_resource(args[0], &zlib_type);                              \
    if (!d) BADARG(p)
#define CHECK_OWNER(d)                                                           \
    if (p->id != (d)->controller) return tb_error(p, am_not_on_controlling_process)
#define CHECK_STATE(d, st)                                                       \
    if ((d)->state != (st)) return tb_error(p, am_not_initialized)

static bool get_int(Term t, int *out) {
    if (!is_small(t) || small_val(t) < INT32_MIN || small_val(t) > INT32_MAX) return false;
    *out = (int)small_val(t);
    return true;
}

static void reset_input(Zlib *d) {
    tb_ioq_destroy(&d->input);
    tb_ioq_init(&d->input);
    drop_stash(d);
}

Term nif_zlib_open_0(TbProcess *p, Term *args) {
    (void)args;
    Zlib *d = tb_resource_alloc(&zlib_type, sizeof *d);
    d->s.data_type = Z_BINARY;
    d->controller = p->id;
    tb_ioq_init(&d->input);
    d->eos_behavior = EOS_CUT;
    d->state = ST_NONE;
    d->output_crc = d->input_crc = crc32(0L, Z_NULL, 0);
    d->chunk_buffer_size = 4000;
    Term ref = tb_make_magic_ref(p, d);
    tb_resource_release(tb_resource_of(d));
    return ref;
}

Term nif_zlib_close_1(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    if (d->state == ST_CLOSED) return tb_error(p, am_not_initialized);
    internal_close(d);
    return AM(ok);
}

Term nif_zlib_set_controller_2(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    if (!is_internal_pid(args[1])) BADARG(p);
    CHECK_OWNER(d);
    d->controller = args[1];
    return AM(ok);
}

/* ---- the codec loop ---- */

/* Feed queued input (up to about input_limit bytes, element by element)
 * through codec with Z_NO_FLUSH, then flush with `flush` once the queue
 * is empty and there is output room. */
static int flush_queue(int (*codec)(z_stream *, int), Zlib *d, size_t input_limit, uint8_t *out, size_t out_size,
                       int flush, size_t *produced, size_t *consumed, size_t *remaining) {
    int res = Z_OK;
    *consumed = 0;
    d->s.avail_out = (uInt)out_size;
    d->s.next_out = out;
    for (size_t i = 0; res == Z_OK && i < d->input.n && *consumed < input_limit; i++) {
        const TbIoqSeg *seg = tb_ioq_seg(&d->input, i);
        size_t block = seg->len < input_limit ? seg->len : input_limit;
        d->s.next_in = seg->bin->data + seg->off;
        d->s.avail_in = (uInt)block;
        res = codec(&d->s, Z_NO_FLUSH);
        size_t used = block - d->s.avail_in;
        *consumed += used;
        if (d->want_input_crc) d->input_crc = crc32(d->input_crc, seg->bin->data + seg->off, (uInt)used);
    }
    tb_ioq_deq(&d->input, *consumed);
    *remaining = d->input.size;
    if (res == Z_OK && *remaining == 0 && d->s.avail_out > 0) {
        d->s.next_in = NULL;
        d->s.avail_in = 0;
        res = codec(&d->s, flush);
    }
    *produced = out_size - d->s.avail_out;
    return res;
}

static Term codec_run(TbProcess *p, int (*codec)(z_stream *, int), Zlib *d, int in_chunk, int out_chunk, int flush) {
    if (out_chunk < 0) out_chunk = 0;
    TbBinary *b = tb_binary_try_alloc((size_t)out_chunk);
    if (!b) return zreturn(p, Z_MEM_ERROR);
    size_t produced, consumed, remaining;
    int res = flush_queue(codec, d, in_chunk > 0 ? (size_t)in_chunk : 0, b->data, (size_t)out_chunk, flush,
                          &produced, &consumed, &remaining);
    if (res < 0 && res != Z_BUF_ERROR) { tb_binary_unref(b); return zreturn(p, res); }
    if (res == Z_STREAM_END) d->eos_seen = true;
    if (d->want_output_crc) d->output_crc = crc32(d->output_crc, b->data, (uInt)produced);
    if (consumed == 0 && produced == 0 && remaining != 0) { tb_binary_unref(b); return zreturn(p, Z_DATA_ERROR); }
    Term out = NIL;
    if (produced > 0) {
        Term bin;
        if (produced <= TB_HEAP_BIN_LIMIT) { bin = tb_new_binary(p, b->data, produced); tb_binary_unref(b); }
        else {
            if (produced < b->orig_size) {
                TbBinary *nb = realloc(b, sizeof *b + produced);
                if (nb) { b = nb; b->orig_size = produced; }
            }
            bin = tb_make_proc_bin(p, b, produced);
        }
        out = tb_cons(p, bin, NIL);
    } else tb_binary_unref(b);
    if (remaining == 0 && produced < (size_t)out_chunk) return tb_tuple2(p, am_finished, out);
    if (res != Z_NEED_DICT) return tb_tuple2(p, am_continue, out);
    return tb_tuple3(p, am_need_dictionary, tb_make_uinteger(p, d->s.adler), out);
}

/* ---- deflate ---- */

/* deflateInit_nif(Z, Level, Method, WindowBits, MemLevel, Strategy) */
Term nif_zlib_deflateInit_6(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    int v[5];
    for (int i = 0; i < 5; i++) if (!get_int(args[1 + i], &v[i])) BADARG(p);
    CHECK_OWNER(d);
    if (d->state != ST_NONE) return tb_error(p, am_already_initialized);
    int res = deflateInit2(&d->s, v[0], v[1], v[2], v[3], v[4]);
    if (res == Z_OK) {
        d->state = ST_DEFLATE;
        d->eos_seen = false;
        d->is_raw = v[2] < 0;
        d->want_output_crc = false;
        d->want_input_crc = d->is_raw;
        d->output_crc = d->input_crc = crc32(0L, Z_NULL, 0);
    }
    return zreturn(p, res);
}

/* An iodata argument as bytes (*tmp to free), or NULL. */
static uint8_t *iodata_bytes(Term t, size_t *len) {
    if (!tb_iolist_size(t, len)) return NULL;
    uint8_t *buf = malloc(*len ? *len : 1);
    if (!buf) abort();
    tb_iolist_to_bytes(t, buf);
    return buf;
}

Term nif_zlib_deflateSetDictionary_2(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    size_t len;
    uint8_t *dict = iodata_bytes(args[1], &len);
    if (!dict) BADARG(p);
    if (p->id != d->controller) { free(dict); return tb_error(p, am_not_on_controlling_process); }
    if (d->state != ST_DEFLATE) { free(dict); return tb_error(p, am_not_initialized); }
    int res = deflateSetDictionary(&d->s, dict, (uInt)len);
    Term r;
    if (res == Z_OK) r = tb_make_uinteger(p, d->is_raw ? adler32(0, dict, (uInt)len) : d->s.adler);
    else r = zreturn(p, res);
    free(dict);
    return r;
}

Term nif_zlib_deflateReset_1(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    CHECK_STATE(d, ST_DEFLATE);
    int res = deflateReset(&d->s);
    d->input_crc = crc32(0L, Z_NULL, 0);
    d->eos_seen = false;
    reset_input(d);
    return zreturn(p, res);
}

Term nif_zlib_deflateEnd_1(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    CHECK_STATE(d, ST_DEFLATE);
    int res = deflateEnd(&d->s);
    if (res == Z_OK && d->input.size > 0) res = Z_DATA_ERROR;
    reset_input(d);
    d->state = ST_NONE;
    return zreturn(p, res);
}

/* deflateParams_nif(Z, Level, Strategy): zlib.erl has flushed everything
 * before; a one-byte buffer catches output that should not be there. */
Term nif_zlib_deflateParams_3(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    int level, strategy;
    if (!get_int(args[1], &level) || !get_int(args[2], &strategy)) BADARG(p);
    CHECK_OWNER(d);
    CHECK_STATE(d, ST_DEFLATE);
    Bytef dummy;
    d->s.next_out = &dummy;
    d->s.avail_out = 1;
    int res = deflateParams(&d->s, level, strategy);
    if (d->s.avail_out == 0) return zreturn(p, Z_STREAM_ERROR);
    return zreturn(p, res);
}

/* deflate_nif(Z, InputChunkSize, OutputChunkSize, Flush) */
Term nif_zlib_deflate_4(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    int in, out, flush;
    if (!get_int(args[1], &in) || !get_int(args[2], &out) || !get_int(args[3], &flush)) BADARG(p);
    CHECK_OWNER(d);
    CHECK_STATE(d, ST_DEFLATE);
    return codec_run(p, deflate, d, in, out, flush);
}

/* ---- inflate ---- */

/* inflateInit_nif(Z, WindowBits, EoSBehavior) */
Term nif_zlib_inflateInit_3(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    int wbits, eos;
    if (!get_int(args[1], &wbits) || !get_int(args[2], &eos)) BADARG(p);
    CHECK_OWNER(d);
    if (d->state != ST_NONE) return tb_error(p, am_already_initialized);
    int res = inflateInit2(&d->s, wbits);
    if (res == Z_OK) {
        d->state = ST_INFLATE;
        d->eos_behavior = eos;
        d->eos_seen = false;
        d->is_raw = wbits < 0;
        d->want_output_crc = d->is_raw;
        d->want_input_crc = false;
        d->output_crc = d->input_crc = crc32(0L, Z_NULL, 0);
    }
    return zreturn(p, res);
}

Term nif_zlib_inflateSetDictionary_2(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    size_t len;
    uint8_t *dict = iodata_bytes(args[1], &len);
    if (!dict) BADARG(p);
    if (p->id != d->controller) { free(dict); return tb_error(p, am_not_on_controlling_process); }
    if (d->state != ST_INFLATE) { free(dict); return tb_error(p, am_not_initialized); }
    int res = inflateSetDictionary(&d->s, dict, (uInt)len);
    free(dict);
    return zreturn(p, res);
}

Term nif_zlib_inflateGetDictionary_1(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    CHECK_STATE(d, ST_INFLATE);
    uint8_t buf[32768];
    uInt len = 0;
    int res = inflateGetDictionary(&d->s, buf, &len);
    if (res < 0) return zreturn(p, res);
    return tb_new_binary(p, buf, len);
}

Term nif_zlib_inflateReset_1(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    CHECK_STATE(d, ST_INFLATE);
    int res = inflateReset(&d->s);
    d->output_crc = crc32(0L, Z_NULL, 0);
    d->eos_seen = false;
    reset_input(d);
    return zreturn(p, res);
}

/* inflateEnd_nif(Z): data_error if the stream did not end or input is left. */
Term nif_zlib_inflateEnd_1(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    CHECK_STATE(d, ST_INFLATE);
    int res = inflateEnd(&d->s);
    if (res == Z_OK && (!d->eos_seen || d->input.size > 0)) res = Z_DATA_ERROR;
    reset_input(d);
    d->state = ST_NONE;
    return zreturn(p, res);
}

/* inflate_nif(Z, InputChunkSize, OutputChunkSize, Flush); input after the
 * end of a stream is an error, starts a new stream or is cut away. */
Term nif_zlib_inflate_4(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    int in, out, flush;
    if (!get_int(args[1], &in) || !get_int(args[2], &out) || !get_int(args[3], &flush)) BADARG(p);
    CHECK_OWNER(d);
    CHECK_STATE(d, ST_INFLATE);
    if (d->eos_seen && d->input.size > 0) {
        if (d->eos_behavior == EOS_ERROR) return zreturn(p, Z_DATA_ERROR);
        if (d->eos_behavior == EOS_RESET) {
            int res = inflateReset(&d->s);
            if (res != Z_OK) return zreturn(p, res);
            d->eos_seen = false;
        } else if (d->eos_behavior == EOS_CUT) reset_input(d);
    }
    return codec_run(p, inflate, d, in, out, flush);
}

/* ---- the rest ---- */

/* crc32_nif(Z): the CRC of the plain text so far (deprecated zlib:crc32/1). */
Term nif_zlib_crc32_1(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    if (d->state == ST_DEFLATE) return tb_make_uinteger(p, d->input_crc);
    if (d->state == ST_INFLATE) return tb_make_uinteger(p, d->output_crc);
    return tb_error(p, am_not_initialized);
}

Term nif_zlib_getBufSize_1(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    return make_small(d->chunk_buffer_size);
}

Term nif_zlib_setBufSize_2(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    if (!get_int(args[1], &d->chunk_buffer_size)) BADARG(p);
    return AM(ok);
}

Term nif_zlib_getStash_1(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    if (!d->has_stash) return am_empty;
    Term t = d->stash_term;
    if (!is_immed(t)) {
        Term *hp = tb_halloc(p, tb_size_object(t));
        t = tb_copy_object(t, &hp, &p->off_heap);
    }
    return tb_tuple2(p, AM(ok), t);
}

Term nif_zlib_clearStash_1(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    if (!d->has_stash) return tb_error(p, AM(error));
    drop_stash(d);
    return AM(ok);
}

Term nif_zlib_setStash_2(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    if (d->has_stash) return tb_error(p, AM(error));
    d->stash_term = tb_msg_copy(args[1], 0, &d->stash_frag, NULL);
    d->has_stash = true;
    return AM(ok);
}

/* enqueue_nif(Z, IOVec): ok (ERTS may answer {continue, Rest} after 256 binaries). */
Term nif_zlib_enqueue_2(TbProcess *p, Term *args) {
    GET_ZLIB(d);
    CHECK_OWNER(d);
    if (d->state != ST_DEFLATE && d->state != ST_INFLATE) return tb_error(p, am_not_initialized);
    if (tb_iovec_length(args[1]) < 0) BADARG(p);
    for (Term l = args[1]; is_list(l); l = CDR(list_val(l))) tb_ioq_push_term(&d->input, CAR(list_val(l)));
    return AM(ok);
}
