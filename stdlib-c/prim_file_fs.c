/* prim_file_fs.c — the prim_file NIFs that work on paths (file info,
 * directories, links, renames, the working directory) and the file name
 * BIFs of the prim_file module (internal_name2native/1 and friends, BIFs
 * in ERTS; here NIFs of the same library, installed over their stubs).
 *
 * Names: tbeam behaves as ERTS on Linux with its default +fnuw: the native
 * encoding is UTF-8, lists are encoded as UTF-8, binaries are passed
 * through raw, and a raw name that is not UTF-8 decodes to {error, warning}. */
#define _GNU_SOURCE
#include "prim_file.h"
#include "../emu/binary.h"
#include "../emu/big.h"
#include "../emu/utf8.h"
#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>

/* ---- paths ---- */
int tb_efile_path(Term t, const char **path, uint8_t **tmp) {
    size_t len;
    const uint8_t *b = tb_binary_aligned_bytes(t, &len, tmp);
    *path = NULL;
    if (!b) return EINVAL;
    const uint8_t *nul = len ? memchr(b, 0, len) : NULL;
    if (!nul) return EINVAL;
    for (const uint8_t *q = nul; q < b + len; q++) if (*q) return EINVAL;
    *path = (const char *)b;
    return 0;
}

/* Decode strict UTF-8 (no overlongs, surrogates or code points above
 * 0x10FFFF); returns the number of code points or -1. */
static long utf8_decode(const uint8_t *s, size_t len, uint32_t *out) {
    long n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c = s[i], cp;
        unsigned k;
        if (c < 0x80) { cp = c; k = 1; }
        else if (c >= 0xC2 && c <= 0xDF) { cp = c & 0x1F; k = 2; }
        else if (c >= 0xE0 && c <= 0xEF) { cp = c & 0x0F; k = 3; }
        else if (c >= 0xF0 && c <= 0xF4) { cp = c & 0x07; k = 4; }
        else return -1;
        if (i + k > len) return -1;
        for (unsigned j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) return -1;
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        if ((k == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return -1;
        if (out) out[n] = cp;
        n++;
        i += k;
    }
    return n;
}

/* A string of the code points of valid UTF-8 bytes. */
static Term utf8_to_list(TbProcess *p, const uint8_t *s, size_t len, long n) {
    uint32_t *cps = malloc((n ? (size_t)n : 1) * sizeof *cps);
    if (!cps) abort();
    utf8_decode(s, len, cps);
    Term l = NIL, *hp = tb_halloc(p, 2 * (size_t)n);
    for (long i = n; i-- > 0; hp += 2) { hp[0] = make_small(cps[i]); hp[1] = l; l = make_list(hp); }
    free(cps);
    return l;
}

/* internal_normalize_utf8(Bin): the UTF-8 name as a string.  ERTS also
 * composes it to NFC (used on macOS only); tbeam does not. */
Term nif_prim_file_normalize_utf8_1(TbProcess *p, Term *args) {
    size_t len;
    uint8_t *tmp;
    const uint8_t *b = tb_binary_aligned_bytes(args[0], &len, &tmp);
    if (!b) BADARG(p);
    long n = utf8_decode(b, len, NULL);
    if (n < 0) { free(tmp); BADARG(p); }
    Term r = utf8_to_list(p, b, len, n);
    free(tmp);
    return r;
}

/* ---- file info ---- */
#define MIN_FILETIME (-2145916800LL)   /* {{1902,1,1},{0,0,0}} */
#define MAX_FILETIME 253402300799LL    /* {{9999,12,31},{23,59,59}} */

static Term filetime(TbProcess *p, int64_t t) {
    return tb_make_integer(p, t < MIN_FILETIME ? MIN_FILETIME : t > MAX_FILETIME ? MAX_FILETIME : t);
}

Term tb_efile_info_tuple(TbProcess *p, const struct stat *st, unsigned access) {
    const char *type = S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) ? "device"
                     : S_ISDIR(st->st_mode) ? "directory"
                     : S_ISREG(st->st_mode) ? "regular"
                     : S_ISLNK(st->st_mode) ? "symlink" : "other";
    const char *acc = access == EFILE_ACCESS_READ ? "read" : access == EFILE_ACCESS_WRITE ? "write"
                    : access ? "read_write" : "none";
    Term size = tb_make_uinteger(p, (UWord)st->st_size);
    Term at = filetime(p, st->st_atime), mt = filetime(p, st->st_mtime), ct = filetime(p, st->st_ctime);
    /* ERTS keeps these in 32 bits */
    uint32_t u32[7] = {(uint32_t)st->st_mode, (uint32_t)st->st_nlink, (uint32_t)st->st_dev, (uint32_t)st->st_rdev,
                       (uint32_t)st->st_ino, (uint32_t)st->st_uid, (uint32_t)st->st_gid};
    Term *hp = tb_halloc(p, 15);
    hp[0] = make_arityval(14);
    hp[1] = tb_atom_cstr("file_info");
    hp[2] = size;
    hp[3] = tb_atom_cstr(type);
    hp[4] = tb_atom_cstr(acc);
    hp[5] = at; hp[6] = mt; hp[7] = ct;
    for (int i = 0; i < 7; i++) hp[8 + i] = make_small(u32[i]);
    return make_boxed(hp);
}

/* One path argument: the macro declares `path` or returns {error, einval}. */
#define WITH_PATH(t, path, tmp)                                         \
    const char *path;                                                   \
    uint8_t *tmp;                                                       \
    if (tb_efile_path((t), &path, &tmp)) { free(tmp); return tb_efile_error(p, EINVAL); }

static Term done(TbProcess *p, int err, uint8_t *tmp1, uint8_t *tmp2) {
    free(tmp1);
    free(tmp2);
    return err ? tb_efile_error(p, err) : AM(ok);
}

/* read_info_nif(Path, FollowLinks) */
Term nif_prim_file_read_info_2(TbProcess *p, Term *args) {
    int follow;
    if (!tb_efile_get_int(args[1], &follow)) BADARG(p);
    WITH_PATH(args[0], path, tmp);
    struct stat st;
    if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) return done(p, errno, tmp, NULL);
    unsigned acc = 0;
    if (access(path, R_OK) == 0) acc |= EFILE_ACCESS_READ;
    if (access(path, W_OK) == 0) acc |= EFILE_ACCESS_WRITE;
    free(tmp);
    return tb_efile_info_tuple(p, &st, acc);
}

/* set_permissions_nif(Path, Mode): chmod, retried without setuid/setgid. */
Term nif_prim_file_set_permissions_2(TbProcess *p, Term *args) {
    int64_t perm;
    if (!tb_efile_get_int64(args[1], &perm) || perm < 0 || perm > UINT32_MAX) BADARG(p);
    WITH_PATH(args[0], path, tmp);
    mode_t m = (mode_t)perm & (S_ISUID | S_ISGID | S_IRWXU | S_IRWXG | S_IRWXO);
    int err = 0;
    if (chmod(path, m) < 0 && chmod(path, m & ~(S_ISUID | S_ISGID)) < 0) err = errno;
    return done(p, err, tmp, NULL);
}

/* set_owner_nif(Path, Uid, Gid): -1 leaves one unchanged. */
Term nif_prim_file_set_owner_3(TbProcess *p, Term *args) {
    int uid, gid;
    if (!tb_efile_get_int(args[1], &uid) || !tb_efile_get_int(args[2], &gid)) BADARG(p);
    WITH_PATH(args[0], path, tmp);
    return done(p, chown(path, (uid_t)uid, (gid_t)gid) < 0 ? errno : 0, tmp, NULL);
}

/* set_time_nif(Path, Atime, Mtime, Ctime): POSIX seconds; ctime is ignored. */
Term nif_prim_file_set_time_4(TbProcess *p, Term *args) {
    int64_t a, m, c;
    if (!tb_efile_get_int64(args[1], &a) || !tb_efile_get_int64(args[2], &m) || !tb_efile_get_int64(args[3], &c))
        BADARG(p);
    WITH_PATH(args[0], path, tmp);
    struct utimbuf tv = {(time_t)a, (time_t)m};
    return done(p, utime(path, &tv) < 0 ? errno : 0, tmp, NULL);
}

/* read_link_nif(Path): {ok, RawTarget} */
Term nif_prim_file_read_link_1(TbProcess *p, Term *args) {
    WITH_PATH(args[0], path, tmp);
    size_t cap = 256;
    for (;;) {
        char *buf = malloc(cap);
        if (!buf) abort();
        ssize_t n = readlink(path, buf, cap);
        if (n <= 0) { int err = errno; free(buf); return done(p, err, tmp, NULL); }
        if ((size_t)n < cap) {
            Term r = tb_new_binary(p, (const uint8_t *)buf, (size_t)n);
            free(buf);
            free(tmp);
            return tb_tuple2(p, AM(ok), r);
        }
        free(buf);
        cap *= 2;
    }
}

/* list_dir_nif(Path): {ok, RawNames} without "." and "..", newest entry first
 * (prim_file.erl reverses while converting). */
Term nif_prim_file_list_dir_1(TbProcess *p, Term *args) {
    WITH_PATH(args[0], path, tmp);
    DIR *d = opendir(path);
    if (!d) return done(p, errno, tmp, NULL);
    free(tmp);
    Term l = NIL;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if ((n == 1 && e->d_name[0] == '.') || (n == 2 && e->d_name[0] == '.' && e->d_name[1] == '.')) continue;
        l = tb_cons(p, tb_new_binary(p, (const uint8_t *)e->d_name, n), l);
    }
    closedir(d);
    return tb_tuple2(p, AM(ok), l);
}

/* Two path arguments, then f(a, b). */
static Term two_paths(TbProcess *p, Term *args, int (*f)(const char *, const char *)) {
    const char *a, *b;
    uint8_t *ta, *tb;
    int err = tb_efile_path(args[0], &a, &ta);
    tb = NULL;
    if (!err) err = tb_efile_path(args[1], &b, &tb);
    if (err) return done(p, err, ta, tb);
    return done(p, f(a, b), ta, tb);
}

static int do_rename(const char *a, const char *b) {
    if (rename(a, b) == 0) return 0;
    if (errno == ENOTEMPTY) return EEXIST;
    if (strcmp(a, "/") == 0) return EINVAL;
    return errno;
}
static int do_link(const char *a, const char *b) { return link(a, b) < 0 ? errno : 0; }
static int do_symlink(const char *a, const char *b) { return symlink(a, b) < 0 ? errno : 0; }

Term nif_prim_file_rename_2(TbProcess *p, Term *args) { return two_paths(p, args, do_rename); }
Term nif_prim_file_make_hard_link_2(TbProcess *p, Term *args) { return two_paths(p, args, do_link); }
Term nif_prim_file_make_soft_link_2(TbProcess *p, Term *args) { return two_paths(p, args, do_symlink); }

Term nif_prim_file_make_dir_1(TbProcess *p, Term *args) {
    WITH_PATH(args[0], path, tmp);
    return done(p, mkdir(path, 0777) < 0 ? errno : 0, tmp, NULL);
}

/* del_file_nif(Path): Linux's EISDIR is reported as eperm. */
Term nif_prim_file_del_file_1(TbProcess *p, Term *args) {
    WITH_PATH(args[0], path, tmp);
    int err = unlink(path) < 0 ? (errno == EISDIR ? EPERM : errno) : 0;
    return done(p, err, tmp, NULL);
}

/* del_dir_nif(Path): a non-empty directory is eexist, the current one einval. */
Term nif_prim_file_del_dir_1(TbProcess *p, Term *args) {
    WITH_PATH(args[0], path, tmp);
    int err = 0;
    if (rmdir(path) < 0) {
        err = errno == ENOTEMPTY ? EEXIST : errno;
        struct stat a, b;
        if (err == EEXIST && stat(path, &a) == 0 && stat(".", &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
            err = EINVAL;
    }
    return done(p, err, tmp, NULL);
}

/* get_device_cwd_nif(Drive): Windows only. */
Term nif_prim_file_get_device_cwd_1(TbProcess *p, Term *args) {
    int dev;
    if (!tb_efile_get_int(args[0], &dev)) BADARG(p);
    return tb_efile_error(p, ENOTSUP);
}

Term nif_prim_file_set_cwd_1(TbProcess *p, Term *args) {
    WITH_PATH(args[0], path, tmp);
    return done(p, chdir(path) < 0 ? errno : 0, tmp, NULL);
}

/* get_cwd_nif(): {ok, RawPath} */
Term nif_prim_file_get_cwd_0(TbProcess *p, Term *args) {
    (void)args;
    size_t cap = 256;
    for (;;) {
        char *buf = malloc(cap);
        if (!buf) abort();
        if (getcwd(buf, cap)) {
            Term r = tb_new_binary(p, (const uint8_t *)buf, strlen(buf));
            free(buf);
            return tb_tuple2(p, AM(ok), r);
        }
        int err = errno;
        free(buf);
        if (err != ERANGE) return tb_efile_error(p, err);
        cap *= 2;
    }
}

/* altname_nif(Path): Windows only. */
Term nif_prim_file_altname_1(TbProcess *p, Term *args) {
    WITH_PATH(args[0], path, tmp);
    (void)path;
    return done(p, ENOTSUP, tmp, NULL);
}
