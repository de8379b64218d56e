/* bif_packet.c — erlang:decode_packet/3: packet framing (raw, 1/2/4, line,
 * asn1, sunrm, cdr, fcgi, tpkt, ssl_tls) and HTTP line parsing, with ERTS
 * 25's rules for lengths, limits and the shapes of the http tuples. */
#include "bif.h"
#include "../emu/big.h"
#include "../emu/binary.h"
#include <limits.h>
#include <stdlib.h>

enum PType { PT_RAW, PT_1, PT_2, PT_4, PT_ASN1, PT_RM, PT_CDR, PT_FCGI, PT_LINE, PT_TPKT,
             PT_HTTP, PT_HTTPH, PT_HTTP_BIN, PT_HTTPH_BIN, PT_SSL_TLS };

static Term atom_slot(Term *slot, const char *s) { if (!*slot) *slot = tb_atom_cstr(s); return *slot; }
#define ATOM_C(name) ({ static Term a_; atom_slot(&a_, name); })

static const char *const meth_names[] = { "OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE" };
#define N_METH (sizeof meth_names / sizeof meth_names[0])
/* Order matters: a known header's position + 1 is its tuple's second element. */
static const char *const hdr_names[] = {
    "Cache-Control", "Connection", "Date", "Pragma", "Transfer-Encoding", "Upgrade", "Via", "Accept",
    "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization", "From", "Host",
    "If-Modified-Since", "If-Match", "If-None-Match", "If-Range", "If-Unmodified-Since", "Max-Forwards",
    "Proxy-Authorization", "Range", "Referer", "User-Agent", "Age", "Location", "Proxy-Authenticate",
    "Public", "Retry-After", "Server", "Vary", "Warning", "Www-Authenticate", "Allow", "Content-Base",
    "Content-Encoding", "Content-Language", "Content-Length", "Content-Location", "Content-Md5",
    "Content-Range", "Content-Type", "Etag", "Expires", "Last-Modified", "Accept-Ranges", "Set-Cookie",
    "Set-Cookie2", "X-Forwarded-For", "Cookie", "Keep-Alive", "Proxy-Connection" };
#define N_HDR (sizeof hdr_names / sizeof hdr_names[0])
#define HTTP_MAX_NAME_LEN 50

static int find_name(const char *const *tab, int n, const char *s, int len) {
    for (int i = 0; i < n; i++)
        if ((int)strlen(tab[i]) == len && memcmp(tab[i], s, (size_t)len) == 0) return i;
    return -1;
}

static inline unsigned get16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }
static inline unsigned get24(const uint8_t *p) { return (unsigned)p[0] << 16 | get16(p + 1); }
static inline unsigned get32(const uint8_t *p) { return (unsigned)p[0] << 24 | get24(p + 1); }

/* Separators and non-token bytes (controls, space, >= 128) end an http token. */
static bool is_tspecial(unsigned c) {
    if (c <= 32 || c >= 128) return true;
    return c != 127 && strchr("()<>@,;:\\\"/[]?={}", (int)c) != NULL;
}
#define SP(c) ((c) == ' ' || (c) == '\t')
#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')

/* Total packet length (> 0), 0 when more data is needed with no known
 * size, < 0 when invalid.  `state` is the http header-mode flag. */
static long packet_length(enum PType t, const uint8_t *p, unsigned n, unsigned max_plen,
                          unsigned trunc_len, uint8_t delim, int *state) {
    unsigned hlen, plen;
    switch (t) {
    case PT_RAW: return n == 0 ? 0 : (long)n;
    case PT_1: hlen = 1; if (n < hlen) return 0; plen = p[0]; break;
    case PT_2: hlen = 2; if (n < hlen) return 0; plen = get16(p); break;
    case PT_4: hlen = 4; if (n < hlen) return 0; plen = get32(p); break;
    case PT_RM: hlen = 4; if (n < hlen) return 0; plen = get32(p) & 0x7fffffffu; break;
    case PT_LINE: {
        const uint8_t *e = memchr(p, delim, n);
        if (!e) {
            if (max_plen != 0 && n > max_plen) return -1;
            if (trunc_len != 0 && n >= trunc_len) return trunc_len;
            return 0;
        }
        unsigned len = (unsigned)(e - p) + 1;
        if (max_plen != 0 && len > max_plen) return -1;
        if (trunc_len != 0 && len > trunc_len) return trunc_len;
        return len;
    }
    case PT_ASN1: {
        const uint8_t *q = p;
        long nn = n;
        if (n < 2) return 0;
        nn--;
        if ((*q++ & 0x1f) == 0x1f) {            /* long tag */
            while (nn && (*q & 0x80)) { q++; nn--; }
            if (nn < 2) return 0;
            q++; nn--;
        }
        unsigned length = *q & 0x7f;
        if (*q & 0x80) {                        /* long length */
            q++; nn--;
            if (nn < (long)length) return 0;
            switch (length) {
            case 0: plen = 0; break;
            case 1: plen = q[0]; q += 1; break;
            case 2: plen = get16(q); q += 2; break;
            case 3: plen = get24(q); q += 3; break;
            case 4: plen = get32(q); q += 4; break;
            default: return -1;
            }
        } else {
            q++;
            plen = length;
        }
        hlen = (unsigned)(q - p);
        break;
    }
    case PT_CDR:
        hlen = 12;
        if (n < hlen) return 0;
        if (memcmp(p, "GIOP", 4) != 0) return -1;
        plen = (p[6] & 1) ? ((unsigned)p[11] << 24 | (unsigned)p[10] << 16 | (unsigned)p[9] << 8 | p[8])
                          : get32(p + 8);
        break;
    case PT_FCGI:
        hlen = 8;
        if (n < hlen) return 0;
        if (p[0] != 1) return -1;
        plen = get16(p + 4) + p[6];
        break;
    case PT_TPKT:
        hlen = 4;
        if (n < hlen) return 0;
        if (p[0] != 3) return -1;
        plen = get16(p + 2) - hlen;             /* wraps below 4: then too large */
        break;
    case PT_SSL_TLS:
        hlen = 5;
        if (n < hlen) return 0;
        if ((p[0] & 0x80) && p[2] == 1) plen = (get16(p) & 0x7fff) - 3;   /* SSLv2 hello */
        else plen = get16(p + 3);
        break;
    case PT_HTTPH: case PT_HTTPH_BIN:
        *state = 1;
        /* fall through */
    case PT_HTTP: case PT_HTTP_BIN: {
        if ((n == 1 && p[0] == '\n') || (n == 2 && p[0] == '\r' && p[1] == '\n')) return n;
        if (!max_plen) max_plen = trunc_len;    /* old line_length users */
        const uint8_t *from = p;
        unsigned len = n;
        for (;;) {
            const uint8_t *e = memchr(from, '\n', len);
            if (!e) {
                if (max_plen != 0 && n >= max_plen) return -1;
                return 0;
            }
            plen = (unsigned)(e - p) + 1;
            if (*state == 0) return (max_plen != 0 && plen > max_plen) ? -1 : (long)plen;
            if (plen < n) {
                if (SP(e[1]) && plen > 2) { from = e + 1; len = n - plen; continue; }   /* folded value */
                return (max_plen != 0 && plen > max_plen) ? -1 : (long)plen;
            }
            if (max_plen != 0 && plen > max_plen) return -1;
            return 0;
        }
    }
    default: return -1;
    }
    if (max_plen == 0) max_plen = (unsigned)INT_MAX - hlen;
    if (plen > max_plen) return -1;
    return (long)hlen + plen;
}

/* ---- building the http terms ---- */

typedef struct {
    TbProcess *p;
    Term orig;                  /* the bitstring argument */
    const uint8_t *bytes;       /* its bytes (aligned) */
    unsigned size;              /* whole bytes */
    bool as_bin;                /* http_bin / httph_bin */
} Pca;

static Term mk_string(Pca *c, const uint8_t *s, long len) {
    if (c->as_bin) {
        if (s >= c->bytes && s < c->bytes + c->size)
            return tb_make_sub_binary(c->p, c->orig, (UWord)(s - c->bytes) * 8, (UWord)len * 8);
        return tb_new_binary(c->p, s, (size_t)len);
    }
    Term *hp = tb_halloc(c->p, 2 * (UWord)len);
    Term l = NIL;
    for (long i = len; i > 0; i--) { hp[0] = make_small(s[i - 1]); hp[1] = l; l = make_list(hp); hp += 2; }
    return l;
}

static Term tuple(TbProcess *p, int n, const Term *el) {
    Term *hp = tb_halloc(p, (UWord)n + 1);
    hp[0] = make_arityval((UWord)n);
    memcpy(hp + 1, el, (size_t)n * sizeof(Term));
    return make_boxed(hp);
}

static Term version(TbProcess *p, int major, int minor) {
    return tuple(p, 2, (Term[]){ make_small(major), make_small(minor) });
}

/* Digits as ERTS reads them: int arithmetic, no overflow check. */
static int read_int(const uint8_t **pp, long *n) {
    unsigned v = 0;
    while (*n && IS_DIGIT(**pp)) { v = v * 10 + (unsigned)(**pp - '0'); (*pp)++; (*n)--; }
    return (int)v;
}

/* host[:port][/path] after "http://" or "https://". */
static Term absolute_uri(Pca *c, Term scheme, const uint8_t *u, long ulen) {
    const uint8_t *path = memchr(u, '/', (size_t)ulen);
    const uint8_t *s2; long s2len;
    if (!path) { s2 = (const uint8_t *)"/"; s2len = 1; }
    else { s2 = path; s2len = ulen - (path - u); ulen = path - u; }
    long hostlen = ulen;
    int port = 0;
    const uint8_t *colon = memchr(u, ':', (size_t)ulen);
    if (colon) {
        hostlen = colon - u;
        long n = ulen - (hostlen + 1);
        const uint8_t *q = colon + 1;
        int v = read_int(&q, &n);
        if (n == 0 && v != 0) port = v;
    }
    Term host = mk_string(c, u, hostlen);
    Term path_t = mk_string(c, s2, s2len);
    return tuple(c->p, 5, (Term[]){ ATOM_C("absoluteURI"), scheme, host,
                                   port ? make_small(port) : AM_undefined, path_t });
}

static Term http_uri(Pca *c, const uint8_t *u, long ulen) {
    if (ulen == 1 && u[0] == '*') return ATOM_C("*");
    if (ulen <= 1 || u[0] == '/')
        return tuple(c->p, 2, (Term[]){ ATOM_C("abs_path"), mk_string(c, u, ulen) });
    if (ulen >= 7 && strncasecmp((const char *)u, "http://", 7) == 0)
        return absolute_uri(c, ATOM_C("http"), u + 7, ulen - 7);
    if (ulen >= 8 && strncasecmp((const char *)u, "https://", 8) == 0)
        return absolute_uri(c, ATOM_C("https"), u + 8, ulen - 8);
    const uint8_t *colon = memchr(u, ':', (size_t)ulen);
    if (!colon) return mk_string(c, u, ulen);
    long slen = colon - u;
    Term s1 = mk_string(c, u, slen);
    Term s2 = mk_string(c, colon + 1, ulen - slen - 1);
    return tuple(c->p, 3, (Term[]){ ATOM_C("scheme"), s1, s2 });
}

/* One http line; TB_NONE when it does not parse (then http_error). */
static Term parse_http(Pca *c, const uint8_t *buf, long len, int *state) {
    const uint8_t *ptr = buf, *p0;
    long n = len;
    if (n >= 2 && buf[n - 2] == '\r') n -= 2;
    else if (n >= 1 && buf[n - 1] == '\n') n -= 1;

    if (*state == 0) {
        if (n >= 5 && memcmp(buf, "HTTP/", 5) == 0) {          /* Status-Line */
            ptr += 5; n -= 5;
            p0 = ptr;
            int major = read_int(&ptr, &n);
            if (ptr == p0 || !n || *ptr != '.') return TB_NONE;
            ptr++; n--;
            p0 = ptr;
            int minor = read_int(&ptr, &n);
            if (ptr == p0) return TB_NONE;
            p0 = ptr;
            while (n && SP(*ptr)) { ptr++; n--; }
            if (ptr == p0) return TB_NONE;
            int status = read_int(&ptr, &n);
            p0 = ptr;
            while (n && SP(*ptr)) { ptr++; n--; }
            if (ptr == p0 && n > 0) return TB_NONE;
            *state = 1;
            Term phrase = mk_string(c, ptr, n);
            return tuple(c->p, 4, (Term[]){ ATOM_C("http_response"), version(c->p, major, minor),
                                           make_small(status), phrase });
        }
        /* Request-Line = Method SP Request-URI [SP HTTP-Version] */
        while (n && !is_tspecial(*ptr)) { ptr++; n--; }
        long mlen = ptr - buf;
        if (n == 0 || mlen == 0 || !SP(*ptr)) return TB_NONE;
        while (n && SP(*ptr)) { ptr++; n--; }
        const uint8_t *uri = ptr;
        while (n && !SP(*ptr)) { ptr++; n--; }
        long ulen = ptr - uri;
        if (ulen == 0) return TB_NONE;
        while (n && SP(*ptr)) { ptr++; n--; }
        int major = 0, minor = 9;
        if (n != 0) {
            if (n < 8 || memcmp(ptr, "HTTP/", 5) != 0) return TB_NONE;
            ptr += 5; n -= 5;
            p0 = ptr;
            major = read_int(&ptr, &n);
            if (ptr == p0 || !n || *ptr != '.') return TB_NONE;
            ptr++; n--;
            p0 = ptr;
            minor = read_int(&ptr, &n);
            if (ptr == p0) return TB_NONE;
        }
        *state = 1;
        int mi = find_name(meth_names, N_METH, (const char *)buf, (int)mlen);
        Term meth = mi >= 0 ? tb_atom_cstr(meth_names[mi]) : mk_string(c, buf, mlen);
        Term uri_t = http_uri(c, uri, ulen);
        return tuple(c->p, 4, (Term[]){ ATOM_C("http_request"), meth, uri_t, version(c->p, major, minor) });
    }

    if (n == 0) { *state = 0; return ATOM_C("http_eoh"); }
    /* Header: name is normalised (Capitalised-Words) to find known ones. */
    uint8_t name[HTTP_MAX_NAME_LEN];
    long name_len = 0;
    bool up = true;
    while (!is_tspecial(*ptr)) {
        if (name_len < HTTP_MAX_NAME_LEN) {
            int ch = *ptr;
            if (up) { if (ch >= 'a' && ch <= 'z') ch -= 32; up = false; }
            else if (ch >= 'A' && ch <= 'Z') ch += 32;
            else if (ch == '-') up = true;
            name[name_len] = (uint8_t)ch;
        }
        name_len++;
        ptr++;
        if (--n == 0) return TB_NONE;
    }
    if (*ptr != ':') return TB_NONE;
    int hi = -1;
    const uint8_t *name_ptr = name;
    if (name_len <= HTTP_MAX_NAME_LEN) hi = find_name(hdr_names, N_HDR, (const char *)name, (int)name_len);
    else name_ptr = buf;
    ptr++; n--;
    while (n && SP(*ptr)) { ptr++; n--; }
    Term bit, name_t;
    if (hi >= 0) { bit = make_small(hi + 1); name_t = tb_atom_cstr(hdr_names[hi]); }
    else { bit = make_small(0); name_t = mk_string(c, name_ptr, name_len); }
    Term oname = mk_string(c, buf, name_len);
    Term val = mk_string(c, ptr, n);
    return tuple(c->p, 5, (Term[]){ ATOM_C("http_header"), bit, name_t, oname, val });
}

static Term parse_ssl(Pca *c, const uint8_t *buf, long len) {
    uint8_t prefix[4];
    unsigned type, major, minor, plen = 0;
    const uint8_t *data;
    long dlen;
    if ((buf[0] & 0x80) && buf[2] == 1) {       /* SSLv2 client hello */
        type = 22; major = buf[3]; minor = buf[4];
        prefix[0] = 1;
        unsigned l = (unsigned)(len - 3);
        prefix[1] = (uint8_t)(l >> 16); prefix[2] = (uint8_t)(l >> 8); prefix[3] = (uint8_t)l;
        plen = 4; data = buf + 3; dlen = len - 3;
    } else {
        type = buf[0]; major = buf[1]; minor = buf[2];
        data = buf + 5; dlen = len - 5;
    }
    Term bin = tb_new_binary(c->p, NULL, plen + (size_t)dlen);
    uint8_t *w = tb_binary_bytes_for_write(bin);
    memcpy(w, prefix, plen);
    memcpy(w + plen, data, (size_t)dlen);
    return tuple(c->p, 5, (Term[]){ ATOM_C("ssl_tls"), NIL, make_small((SWord)type),
                                   version(c->p, (int)major, (int)minor), bin });
}

static bool packet_type(Term t, enum PType *out) {
    if (t == make_small(0) || t == ATOM_C("raw")) *out = PT_RAW;
    else if (t == make_small(1)) *out = PT_1;
    else if (t == make_small(2)) *out = PT_2;
    else if (t == make_small(4)) *out = PT_4;
    else if (t == ATOM_C("asn1")) *out = PT_ASN1;
    else if (t == ATOM_C("sunrm")) *out = PT_RM;
    else if (t == ATOM_C("cdr")) *out = PT_CDR;
    else if (t == ATOM_C("fcgi")) *out = PT_FCGI;
    else if (t == ATOM_C("line")) *out = PT_LINE;
    else if (t == ATOM_C("tpkt")) *out = PT_TPKT;
    else if (t == ATOM_C("http")) *out = PT_HTTP;
    else if (t == ATOM_C("httph")) *out = PT_HTTPH;
    else if (t == ATOM_C("http_bin")) *out = PT_HTTP_BIN;
    else if (t == ATOM_C("httph_bin")) *out = PT_HTTPH_BIN;
    else if (t == ATOM_C("ssl_tls")) *out = PT_SSL_TLS;
    else return false;
    return true;
}

BIF_DECL(bif_decode_packet_3) {
    enum PType type;
    if (!packet_type(args[0], &type)) BADARG(p);      /* ERTS adds cause badopt */
    if (!is_bitstring(args[1]) || (!is_list(args[2]) && args[2] != NIL)) BADARG(p);
    unsigned max_plen = 0, trunc_len = 0;
    uint8_t delim = '\n';
    Term o = args[2];
    for (; is_list(o); o = CDR(list_val(o))) {
        Term e = CAR(list_val(o));
        uint64_t v;
        if (!is_tuple_arity(e, 2) || !tb_integer_to_uint64(tuple_val(e)[2], &v) || v > UINT_MAX) BADARG(p);
        Term k = tuple_val(e)[1];
        if (k == ATOM_C("packet_size")) max_plen = (unsigned)v;
        else if (k == ATOM_C("line_length")) trunc_len = (unsigned)v;
        else if (k == ATOM_C("line_delimiter") && type == PT_LINE && v <= 255) delim = (uint8_t)v;
        else BADARG(p);
    }
    if (o != NIL) BADARG(p);                          /* (ERTS 25 crashes here) */

    const uint8_t *bytes; UWord bitoffs, bitsize;
    bitstring_view(args[1], &bytes, &bitoffs, &bitsize);
    if (bitsize / 8 > UINT_MAX) BADARG(p);
    unsigned size = (unsigned)(bitsize / 8);
    uint8_t *tmp = NULL;
    if (bitoffs % 8 == 0) bytes += bitoffs / 8;
    else {
        tmp = malloc(size ? size : 1);
        if (!tmp) abort();
        for (unsigned i = 0; i < size; i++) {
            const uint8_t *b = bytes + (bitoffs / 8) + i;
            unsigned s = bitoffs % 8;
            tmp[i] = (uint8_t)(b[0] << s | b[1] >> (8 - s));
        }
        bytes = tmp;
    }

    int state = 0;
    long sz = packet_length(type, bytes, size, max_plen, trunc_len, delim, &state);
    Term res;
    if (sz < 0) {
        res = tuple(p, 2, (Term[]){ AM_error, ATOM_C("invalid") });
    } else if (sz == 0 || (unsigned long)sz > size) {
        Term need = sz == 0 ? AM_undefined : tb_make_integer(p, sz);
        res = tuple(p, 2, (Term[]){ ATOM_C("more"), need });
    } else {
        Pca c = { p, args[1], bytes, size, type == PT_HTTP_BIN || type == PT_HTTPH_BIN };
        Term body;
        switch (type) {
        case PT_HTTP: case PT_HTTPH: case PT_HTTP_BIN: case PT_HTTPH_BIN:
            body = parse_http(&c, bytes, sz, &state);
            if (body == TB_NONE)
                body = tuple(p, 2, (Term[]){ ATOM_C("http_error"), mk_string(&c, bytes, sz) });
            break;
        case PT_SSL_TLS:
            body = parse_ssl(&c, bytes, sz);
            break;
        default: {
            long off = 0, blen = sz;
            if (type == PT_1) off = 1;
            else if (type == PT_2) off = 2;
            else if (type == PT_4) off = 4;
            else if (type == PT_FCGI) blen -= bytes[6];
            body = tb_make_sub_binary(p, args[1], (UWord)off * 8, (UWord)(blen - off) * 8);
        }
        }
        /* The rest keeps any trailing bits of a bitstring argument. */
        Term rest = tb_make_sub_binary(p, args[1], (UWord)sz * 8, bitsize - (UWord)sz * 8);
        res = tuple(p, 3, (Term[]){ AM_ok, body, rest });
    }
    free(tmp);
    return res;
}
