/* nif_prim_file.c — the prim_file NIF library: file handles (open, read,
 * write, seek, ...) as resources, read_file, and the errno atoms.  The
 * path operations and the name BIFs are in prim_file_fs.c.
 *
 * Results follow ERTS 25's prim_file_nif.c + unix_prim_file.c: badarg for
 * a wrong handle or argument type, {error, einval} for any operation on a
 * closed handle (checked before the other arguments), {error, Errno}
 * otherwise.  A handle's descriptor is closed by close_nif or, at the
 * latest, when the last reference to the handle goes away.  ERTS also
 * closes it when the opening process dies (a resource monitor that sends
 * {close, Ref} to the prim_file helper process); tbeam has no resource
 * monitors, so there the file stays open until its handle is collected. */
#define _GNU_SOURCE
#include "prim_file.h"
#include "../emu/resource.h"
#include "../emu/binary.h"
#include "../emu/big.h"
#include "nif_ioq.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* ---- errno names (ERTS's erl_errno_id order: the first name of an errno wins) ---- */
static const struct { int err; const char *name; } errno_names[] = {
#define E(n, s) {n, s},
    E(E2BIG, "e2big") E(EACCES, "eacces") E(EADDRINUSE, "eaddrinuse") E(EADDRNOTAVAIL, "eaddrnotavail")
#ifdef EADV
    E(EADV, "eadv")
#endif
    E(EAFNOSUPPORT, "eafnosupport") E(EAGAIN, "eagain") E(EALREADY, "ealready")
#ifdef EBADE
    E(EBADE, "ebade")
#endif
    E(EBADF, "ebadf")
#ifdef EBADFD
    E(EBADFD, "ebadfd")
#endif
    E(EBADMSG, "ebadmsg")
#ifdef EBADR
    E(EBADR, "ebadr")
#endif
#ifdef EBADRQC
    E(EBADRQC, "ebadrqc")
#endif
#ifdef EBADSLT
    E(EBADSLT, "ebadslt")
#endif
#ifdef EBFONT
    E(EBFONT, "ebfont")
#endif
    E(EBUSY, "ebusy") E(ECHILD, "echild")
#ifdef ECHRNG
    E(ECHRNG, "echrng")
#endif
#ifdef ECOMM
    E(ECOMM, "ecomm")
#endif
    E(ECONNABORTED, "econnaborted") E(ECONNREFUSED, "econnrefused") E(ECONNRESET, "econnreset")
    E(EDEADLK, "edeadlk") E(EDESTADDRREQ, "edestaddrreq") E(EDOM, "edom")
#ifdef EDOTDOT
    E(EDOTDOT, "edotdot")
#endif
    E(EDQUOT, "edquot") E(EEXIST, "eexist") E(EFAULT, "efault") E(EFBIG, "efbig")
    E(EHOSTDOWN, "ehostdown") E(EHOSTUNREACH, "ehostunreach") E(EIDRM, "eidrm") E(EILSEQ, "eilseq")
    E(EINPROGRESS, "einprogress") E(EINTR, "eintr") E(EINVAL, "einval") E(EIO, "eio")
    E(EISCONN, "eisconn") E(EISDIR, "eisdir")
    /* (ERTS tests EISNAME, never defined: EISNAM is 'unknown') */
#ifdef EL2HLT
    E(EL2HLT, "el2hlt")
#endif
#ifdef EL2NSYNC
    E(EL2NSYNC, "el2nsync")
#endif
#ifdef EL3HLT
    E(EL3HLT, "el3hlt")
#endif
#ifdef EL3RST
    E(EL3RST, "el3rst")
#endif
#ifdef ELIBACC
    E(ELIBACC, "elibacc")
#endif
#ifdef ELIBBAD
    E(ELIBBAD, "elibbad")
#endif
#ifdef ELIBEXEC
    E(ELIBEXEC, "elibexec")
#endif
#ifdef ELIBMAX
    E(ELIBMAX, "elibmax")
#endif
#ifdef ELIBSCN
    E(ELIBSCN, "elibscn")
#endif
#ifdef ELNRNG
    E(ELNRNG, "elnrng")
#endif
    E(ELOOP, "eloop") E(EMFILE, "emfile") E(EMLINK, "emlink") E(EMSGSIZE, "emsgsize")
    E(EMULTIHOP, "emultihop") E(ENAMETOOLONG, "enametoolong")
#ifdef ENAVAIL
    E(ENAVAIL, "enavail")
#endif
    E(ENETDOWN, "enetdown") E(ENETRESET, "enetreset") E(ENETUNREACH, "enetunreach") E(ENFILE, "enfile")
#ifdef ENOANO
    E(ENOANO, "enoano")
#endif
    E(ENOBUFS, "enobufs")
#ifdef ENOCSI
    E(ENOCSI, "enocsi")
#endif
#ifdef ENODATA
    E(ENODATA, "enodata")
#endif
    E(ENODEV, "enodev") E(ENOENT, "enoent") E(ENOEXEC, "enoexec") E(ENOLCK, "enolck")
    E(ENOLINK, "enolink") E(ENOMEM, "enomem") E(ENOMSG, "enomsg")
#ifdef ENONET
    E(ENONET, "enonet")
#endif
#ifdef ENOPKG
    E(ENOPKG, "enopkg")
#endif
    E(ENOPROTOOPT, "enoprotoopt") E(ENOSPC, "enospc")
#ifdef ENOSR
    E(ENOSR, "enosr")
#endif
#ifdef ENOSTR
    E(ENOSTR, "enostr")
#endif
    E(ENOSYS, "enosys")
#ifdef ENOTBLK
    E(ENOTBLK, "enotblk")
#endif
    E(ENOTCONN, "enotconn") E(ENOTDIR, "enotdir") E(ENOTEMPTY, "enotempty")
#ifdef ENOTNAM
    E(ENOTNAM, "enotnam")
#endif
    E(ENOTSOCK, "enotsock") E(ENOTSUP, "enotsup") E(ENOTTY, "enotty")
#ifdef ENOTUNIQ
    E(ENOTUNIQ, "enotuniq")
#endif
    E(ENXIO, "enxio") E(EOPNOTSUPP, "eopnotsupp") E(EOVERFLOW, "eoverflow") E(EPERM, "eperm")
    E(EPFNOSUPPORT, "epfnosupport") E(EPIPE, "epipe") E(EPROTO, "eproto")
    E(EPROTONOSUPPORT, "eprotonosupport") E(EPROTOTYPE, "eprototype") E(ERANGE, "erange")
#ifdef EREMCHG
    E(EREMCHG, "eremchg")
#endif
    E(EREMOTE, "eremote")
#ifdef EREMOTEIO
    E(EREMOTEIO, "eremoteio")
#endif
    E(EROFS, "erofs") E(ESHUTDOWN, "eshutdown") E(ESOCKTNOSUPPORT, "esocktnosupport")
    E(ESPIPE, "espipe") E(ESRCH, "esrch")
#ifdef ESRMNT
    E(ESRMNT, "esrmnt")
#endif
    E(ESTALE, "estale")
#ifdef ETIME
    E(ETIME, "etime")
#endif
    E(ETIMEDOUT, "etimedout") E(ETOOMANYREFS, "etoomanyrefs") E(ETXTBSY, "etxtbsy")
#ifdef EUCLEAN
    E(EUCLEAN, "euclean")
#endif
#ifdef EUNATCH
    E(EUNATCH, "eunatch")
#endif
    E(EUSERS, "eusers") E(EWOULDBLOCK, "ewouldblock") E(EXDEV, "exdev")
#ifdef EXFULL
    E(EXFULL, "exfull")
#endif
#undef E
};

Term tb_errno_atom(int err) {
    for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
        if (errno_names[i].err == err) return tb_atom_cstr(errno_names[i].name);
    return tb_atom_cstr("unknown");
}

Term tb_efile_error(TbProcess *p, int err) { return tb_tuple2(p, AM(error), tb_errno_atom(err)); }

bool tb_efile_get_int64(Term t, int64_t *out) {
    if (is_small(t)) { *out = small_val(t); return true; }
    return is_big(t) && tb_integer_to_int64(t, out);
}

bool tb_efile_get_int(Term t, int *out) {
    int64_t v;
    if (!is_small(t) || (v = small_val(t)) < INT32_MIN || v > INT32_MAX) return false;
    *out = (int)v;
    return true;
}

/* ---- handles ---- */
enum {
    MODE_READ = 1, MODE_WRITE = 2, MODE_APPEND = 4, MODE_EXCLUSIVE = 8, MODE_SYNC = 16,
    MODE_SKIP_TYPE_CHECK = 32, MODE_DIRECTORY = 128
};

typedef struct EFile {
    int fd;
    bool closed;
} EFile;

static void efile_dtor(void *data) {
    EFile *f = data;
    if (!f->closed) close(f->fd);
}
static const TbResourceType efile_type = {"efile", efile_dtor};

static Term am_continue, am_eof, am_bof, am_cur;

bool nif_prim_file_load(TbProcess *p, Term load_info) {
    (void)p; (void)load_info;        /* load_info: the prim_file helper's pid (delayed close) */
    am_continue = tb_atom_cstr("continue");
    am_eof = tb_atom_cstr("eof");
    am_bof = tb_atom_cstr("bof");
    am_cur = tb_atom_cstr("cur");
    return true;
}

/* The open handle in args[0]: badarg if it is none, {error, einval} once closed. */
#define GET_HANDLE(f)                                           \
    EFile *f = tb_get_resource(args[0], &efile_type);           \
    if (!f) BADARG(p);                                          \
    if (f->closed) return tb_efile_error(p, EINVAL)

static Term new_handle(TbProcess *p, int fd) {
    EFile *f = tb_resource_alloc(&efile_type, sizeof *f);
    f->fd = fd;
    Term ref = tb_make_magic_ref(p, f);
    tb_resource_release(tb_resource_of(f));          /* the term holds it now */
    return tb_tuple2(p, AM(ok), ref);
}

static unsigned translate_modes(Term list) {
    static Term am[7];
    static const char *names[7] = {"read", "write", "exclusive", "append", "sync", "skip_type_check", "directory"};
    static const unsigned bits[7] = {MODE_READ, MODE_WRITE, MODE_EXCLUSIVE, MODE_APPEND, MODE_SYNC,
                                     MODE_SKIP_TYPE_CHECK, MODE_DIRECTORY};
    if (!am[0]) for (int i = 0; i < 7; i++) am[i] = tb_atom_cstr(names[i]);
    unsigned modes = 0;
    for (; is_list(list); list = CDR(list_val(list)))
        for (int i = 0; i < 7; i++) if (CAR(list_val(list)) == am[i]) modes |= bits[i];
    if (modes & (MODE_APPEND | MODE_EXCLUSIVE)) modes |= MODE_WRITE;
    else if (!(modes & (MODE_READ | MODE_WRITE))) modes |= MODE_READ;
    return modes;
}

/* Open path; 0 and *fd, or an errno (ERTS's efile_open). */
static int efile_open(const char *path, unsigned modes, int *fd_out) {
    int flags;
    if ((modes & MODE_READ) && !(modes & MODE_WRITE)) flags = O_RDONLY;
    else if ((modes & MODE_WRITE) && !(modes & MODE_READ)) flags = O_WRONLY | O_CREAT | O_TRUNC;
    else flags = O_RDWR | O_CREAT;
    if (modes & MODE_APPEND) { flags &= ~O_TRUNC; flags |= O_APPEND; }
    if (modes & MODE_EXCLUSIVE) flags |= O_EXCL;
    if (modes & MODE_SYNC) flags |= O_SYNC;
    int mode = 0666;
    if (modes & MODE_DIRECTORY) { mode = 0777; flags |= O_DIRECTORY; }
    int fd;
    do fd = open(path, flags | O_CLOEXEC, mode); while (fd == -1 && errno == EINTR);
    if (fd == -1) return errno;
    struct stat st;
    if (!(modes & (MODE_SKIP_TYPE_CHECK | MODE_DIRECTORY)) && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return EISDIR;
    }
    *fd_out = fd;
    return 0;
}

/* open_nif(Path, Modes) */
Term nif_prim_file_open_2(TbProcess *p, Term *args) {
    if (!is_list(args[1]) && !is_nil(args[1])) BADARG(p);
    unsigned modes = translate_modes(args[1]);
    const char *path;
    uint8_t *tmp;
    int err = tb_efile_path(args[0], &path, &tmp), fd = -1;
    if (!err) err = efile_open(path, modes, &fd);
    free(tmp);
    if (err) return tb_efile_error(p, err);
    return new_handle(p, fd);
}

/* file_desc_to_ref_nif(Fd): a handle for a descriptor that is already open. */
Term nif_prim_file_file_desc_to_ref_1(TbProcess *p, Term *args) {
    int fd;
    if (!is_number(args[0]) || !tb_efile_get_int(args[0], &fd)) BADARG(p);
    if (fcntl(fd, F_GETFL) == -1 && errno == EBADF) return tb_efile_error(p, EBADF);
    return new_handle(p, fd);
}

Term nif_prim_file_close_1(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    f->closed = true;
    if (close(f->fd) < 0) return tb_efile_error(p, errno);
    return AM(ok);
}

/* delayed_close_nif(Ref): the helper process closes a dead owner's file. */
Term nif_prim_file_delayed_close_1(TbProcess *p, Term *args) {
    EFile *f = tb_get_resource(args[0], &efile_type);
    if (!f) BADARG(p);
    if (!f->closed) { f->closed = true; close(f->fd); }
    return AM(ok);
}

/* Read len bytes at the file position (off < 0) or at off, until EOF: the
 * bytes read, 0 at EOF, or -1 with *err (even after a partial read, like ERTS). */
static int64_t read_full(int fd, uint8_t *buf, size_t len, int64_t off, int *err) {
    size_t got = 0;
    ssize_t r;
    do {
        if (got == len) { r = 0; break; }
        r = off < 0 ? read(fd, buf + got, len - got) : pread(fd, buf + got, len - got, off + (int64_t)got);
        if (r > 0) got += (size_t)r;
    } while (r > 0 || (r < 0 && errno == EINTR));
    if (r < 0) { *err = errno; return -1; }
    return (int64_t)got;
}

/* The first n bytes of b (refc 1) as a binary term; takes b over. */
static Term finish_binary(TbProcess *p, TbBinary *b, size_t n) {
    if (n <= TB_HEAP_BIN_LIMIT) {
        Term t = tb_new_binary(p, b->data, n);
        tb_binary_unref(b);
        return t;
    }
    if (n < b->orig_size) {
        TbBinary *nb = realloc(b, sizeof *b + n);
        if (nb) { b = nb; b->orig_size = n; }
    }
    return tb_make_proc_bin(p, b, n);
}

/* {ok, Data} | eof | {error, R} for a read of size bytes at off (-1: at the position). */
static Term read_result(TbProcess *p, int fd, int64_t size, int64_t off) {
    TbBinary *b = tb_binary_try_alloc((size_t)size);
    if (!b) return tb_efile_error(p, ENOMEM);
    int err;
    int64_t n = read_full(fd, b->data, (size_t)size, off, &err);
    if (n <= 0) {
        tb_binary_unref(b);
        return n < 0 ? tb_efile_error(p, err) : am_eof;
    }
    return tb_tuple2(p, AM(ok), finish_binary(p, b, (size_t)n));
}

/* read_nif(Ref, Size) */
Term nif_prim_file_read_2(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    int64_t size;
    if (!is_number(args[1])) BADARG(p);
    if (!tb_efile_get_int64(args[1], &size) || size < 0) return tb_efile_error(p, EINVAL);
    return read_result(p, f->fd, size, -1);
}

/* pread_nif(Ref, Offset, Size) */
Term nif_prim_file_pread_3(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    int64_t off, size;
    if (!is_number(args[1]) || !is_number(args[2])) BADARG(p);
    if (!tb_efile_get_int64(args[1], &off) || !tb_efile_get_int64(args[2], &size) || off < 0 || size < 0)
        return tb_efile_error(p, EINVAL);
    return read_result(p, f->fd, size, off);
}

/* An erlang:iovec() (a proper list of binaries) as struct iovecs; unaligned
 * sub binaries are copied into *copies (free each, then the array). */
typedef struct { struct iovec *iov; int n; uint8_t **copies; int ncopies; } IoVec;

static void iovec_free(IoVec *v) {
    for (int i = 0; i < v->ncopies; i++) free(v->copies[i]);
    free(v->copies);
    free(v->iov);
}

static bool iovec_get(Term list, IoVec *v) {
    size_t n = 0;
    Term l;
    long count = tb_iovec_length(list);
    if (count < 0) return false;
    n = (size_t)count;
    v->iov = malloc((n ? n : 1) * sizeof *v->iov);
    v->copies = malloc((n ? n : 1) * sizeof *v->copies);
    if (!v->iov || !v->copies) abort();
    v->n = 0;
    v->ncopies = 0;
    for (l = list; is_list(l); l = CDR(list_val(l))) {
        size_t len;
        uint8_t *tmp;
        const uint8_t *bytes = tb_binary_aligned_bytes(CAR(list_val(l)), &len, &tmp);
        if (tmp) v->copies[v->ncopies++] = tmp;
        if (!bytes || !len) continue;            /* empty, or a bitstring of < 8 bits */
        v->iov[v->n].iov_base = (void *)bytes;
        v->iov[v->n].iov_len = len;
        v->n++;
    }
    return true;
}

/* Write all of v at the position (off < 0) or at off: 0 or an errno. */
static int write_full(int fd, IoVec *v, int64_t off) {
    struct iovec *iov = v->iov;
    int n = v->n;
    ssize_t r;
    do {
        if (n < 1) { r = 0; break; }
        int cnt = n < IOV_MAX ? n : IOV_MAX;
        r = off < 0 ? writev(fd, iov, cnt) : pwritev(fd, iov, cnt, off);
        if (r > 0) {
            if (off >= 0) off += r;
            size_t shift = (size_t)r;
            while (shift > 0) {
                if (shift < iov->iov_len) {
                    iov->iov_base = (uint8_t *)iov->iov_base + shift;
                    iov->iov_len -= shift;
                    break;
                }
                shift -= iov->iov_len;
                iov++;
                n--;
            }
        }
    } while (r > 0 || (r < 0 && errno == EINTR));
    return r < 0 ? errno : 0;
}

/* write_nif(Ref, IOVec): ok | {error, R} (ERTS may answer {continue, Rest}
 * after 64 binaries; tbeam writes them all at once). */
Term nif_prim_file_write_2(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    IoVec v;
    if (!iovec_get(args[1], &v)) BADARG(p);
    int err = write_full(f->fd, &v, -1);
    iovec_free(&v);
    return err ? tb_efile_error(p, err) : AM(ok);
}

/* pwrite_nif(Ref, Offset, IOVec) */
Term nif_prim_file_pwrite_3(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    int64_t off;
    IoVec v;
    if (!is_number(args[1])) BADARG(p);
    if (!iovec_get(args[2], &v)) BADARG(p);
    if (!tb_efile_get_int64(args[1], &off) || off < 0) { iovec_free(&v); return tb_efile_error(p, EINVAL); }
    int err = write_full(f->fd, &v, off);
    iovec_free(&v);
    return err ? tb_efile_error(p, err) : AM(ok);
}

/* seek_nif(Ref, bof | cur | eof, Offset) */
Term nif_prim_file_seek_3(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    int64_t off;
    int whence;
    if (!tb_efile_get_int64(args[2], &off)) BADARG(p);
    if (args[1] == am_bof) whence = SEEK_SET;
    else if (args[1] == am_cur) whence = SEEK_CUR;
    else if (args[1] == am_eof) whence = SEEK_END;
    else BADARG(p);
    errno = 0;
    off_t r = lseek(f->fd, off, whence);
    if (r < 0) return tb_efile_error(p, errno ? errno : EINVAL);
    return tb_tuple2(p, AM(ok), tb_make_integer(p, r));
}

/* sync_nif(Ref, DataOnly) */
Term nif_prim_file_sync_2(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    int data_only;
    if (!tb_efile_get_int(args[1], &data_only)) BADARG(p);
    if ((data_only ? fdatasync(f->fd) : fsync(f->fd)) < 0) return tb_efile_error(p, errno);
    return AM(ok);
}

/* truncate_nif(Ref): cut the file at the current position. */
Term nif_prim_file_truncate_1(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    off_t pos = lseek(f->fd, 0, SEEK_CUR);
    if (pos < 0 || ftruncate(f->fd, pos) < 0) return tb_efile_error(p, errno);
    return AM(ok);
}

/* allocate_nif(Ref, Offset, Length): fallocate, falling back to posix_fallocate. */
Term nif_prim_file_allocate_3(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    int64_t off, len;
    if (!is_number(args[1]) || !is_number(args[2])) BADARG(p);
    if (!tb_efile_get_int64(args[1], &off) || !tb_efile_get_int64(args[2], &len) || off < 0 || len < 0)
        return tb_efile_error(p, EINVAL);
    int r;
    do r = fallocate(f->fd, 0, off, len); while (r < 0 && errno == EINTR);
    if (r < 0) {
        do {
            r = posix_fallocate(f->fd, off, len);
            if (r > 0) { errno = r; r = -1; }
        } while (r < 0 && errno == EINTR);
    }
    if (r < 0) return tb_efile_error(p, errno);
    return AM(ok);
}

/* advise_nif(Ref, Offset, Length, Advice): ERTS ignores posix_fadvise's
 * result (it returns the error instead of setting errno), so ok. */
Term nif_prim_file_advise_4(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    static const char *names[] = {"normal", "random", "sequential", "will_need", "dont_need", "no_reuse"};
    static const int advice[] = {POSIX_FADV_NORMAL, POSIX_FADV_RANDOM, POSIX_FADV_SEQUENTIAL,
                                 POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
    int64_t off, len;
    if (!is_number(args[1]) || !is_number(args[2])) BADARG(p);
    if (!tb_efile_get_int64(args[1], &off) || !tb_efile_get_int64(args[2], &len) || off < 0 || len < 0)
        return tb_efile_error(p, EINVAL);
    for (int i = 0; i < 6; i++)
        if (args[3] == tb_atom_cstr(names[i])) {
            (void)posix_fadvise(f->fd, off, len, advice[i]);
            return AM(ok);
        }
    return tb_efile_error(p, EINVAL);
}

/* get_handle_nif(Ref): the descriptor as a native-endian 4-byte binary. */
Term nif_prim_file_get_handle_1(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    int fd = f->fd;
    return tb_new_binary(p, (const uint8_t *)&fd, sizeof fd);
}

/* ipread_s32bu_p32bu_nif(Ref, Offset, MaxSize): read <<Size:32, Ptr:32>> at
 * Offset, then Size bytes at Ptr: {ok, {Size, Ptr, Data | eof}} or eof. */
Term nif_prim_file_ipread_s32bu_p32bu_3(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    int64_t off, max;
    uint8_t blk[8];
    int err;
    if (!is_number(args[1]) || !is_number(args[2])) BADARG(p);
    if (!tb_efile_get_int64(args[1], &off) || !tb_efile_get_int64(args[2], &max) || off < 0 || max >= ((int64_t)1 << 31))
        return tb_efile_error(p, EINVAL);
    int64_t n = read_full(f->fd, blk, 8, off, &err);
    if (n < 0) return tb_efile_error(p, err);
    if (n < 8) return am_eof;
    uint32_t size = (uint32_t)blk[0] << 24 | (uint32_t)blk[1] << 16 | (uint32_t)blk[2] << 8 | blk[3];
    uint32_t ptr = (uint32_t)blk[4] << 24 | (uint32_t)blk[5] << 16 | (uint32_t)blk[6] << 8 | blk[7];
    if ((int64_t)size > max) return am_eof;
    TbBinary *b = tb_binary_try_alloc(size);
    if (!b) return tb_efile_error(p, ENOMEM);
    n = read_full(f->fd, b->data, size, ptr, &err);
    if (n < 0) { tb_binary_unref(b); return tb_efile_error(p, err); }
    Term data;
    if (n == 0) { tb_binary_unref(b); data = am_eof; }
    else data = finish_binary(p, b, (size_t)n);
    Term t = tb_tuple3(p, tb_make_uinteger(p, size), tb_make_uinteger(p, ptr), data);
    return tb_tuple2(p, AM(ok), t);
}

/* read_handle_info_nif(Ref): #file_info{} of the open file; access from the
 * permission bits (ERTS's check_access). */
Term nif_prim_file_read_handle_info_1(TbProcess *p, Term *args) {
    GET_HANDLE(f);
    struct stat st;
    if (fstat(f->fd, &st) < 0) return tb_efile_error(p, errno);
    unsigned access = 0;
    if (st.st_uid == geteuid()) {
        if (st.st_mode & S_IRUSR) access |= EFILE_ACCESS_READ;
        if (st.st_mode & S_IWUSR) access |= EFILE_ACCESS_WRITE;
    } else if (st.st_gid == getegid()) {
        if (st.st_mode & S_IRGRP) access |= EFILE_ACCESS_READ;
        if (st.st_mode & S_IWGRP) access |= EFILE_ACCESS_WRITE;
    } else {
        if (st.st_mode & S_IROTH) access |= EFILE_ACCESS_READ;
        if (st.st_mode & S_IWOTH) access |= EFILE_ACCESS_WRITE;
    }
    return tb_efile_info_tuple(p, &st, access);
}

/* read_file_nif(Path): {ok, Contents} | {error, R}. */
Term nif_prim_file_read_file_1(TbProcess *p, Term *args) {
    const char *path;
    uint8_t *tmp;
    int fd = -1, err = tb_efile_path(args[0], &path, &tmp);
    if (!err) err = efile_open(path, MODE_READ, &fd);
    free(tmp);
    if (err) return tb_efile_error(p, err);
    struct stat st;
    size_t size = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size : 0;
    size_t cap = size ? size : 16 << 10, got = 0;
    TbBinary *b = tb_binary_try_alloc(cap);
    if (!b) { close(fd); return tb_efile_error(p, ENOMEM); }
    for (;;) {
        int64_t n = read_full(fd, b->data + got, cap - got, -1, &err);
        if (n < 0) { tb_binary_unref(b); close(fd); return tb_efile_error(p, err); }
        got += (size_t)n;
        if ((size_t)n < cap - (got - (size_t)n) || got == size) break;
        TbBinary *nb = realloc(b, sizeof *b + got * 2);
        if (!nb) { tb_binary_unref(b); close(fd); return tb_efile_error(p, ENOMEM); }
        b = nb;
        b->orig_size = cap = got * 2;
    }
    close(fd);
    return tb_tuple2(p, AM(ok), finish_binary(p, b, got));
}
