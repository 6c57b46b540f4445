/*
 * Copyright 2026 the wine-d3dkmt authors
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  It is distributed WITHOUT ANY WARRANTY;
 * see COPYING.LIB.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The checker of tests/monitor/check-monitor.sh (native, no library: a
 * fresh Debian need not have python3):
 *   check_snapshot SCHEMA FILE [none | PID:LOCAL:NONLOCAL:ALLOCS ...]
 * FILE must be one line of JSON valid against SCHEMA (the subset of JSON
 * Schema snapshot.schema.json uses; any other keyword is an error, so the
 * schema cannot drift past what is checked).  Then "none": no adapter
 * lists a process; or each PID is listed with exactly those byte counts and
 * allocations, one allocation locked, and QueryStatistics' usage equal to
 * the escape's.  Exit 0 when it all holds, 1 when the figures do not match
 * (yet), 3 when FILE or SCHEMA is not valid.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum type { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct value
{
    enum type type;
    int is_int, boolean;
    uint64_t u;                 /* J_NUMBER with is_int: a non-negative integer */
    double d;
    char *str;                  /* J_STRING */
    size_t count;               /* J_ARRAY, J_OBJECT */
    struct value *items;
    char **keys;                /* J_OBJECT */
};

struct parser { const char *p; const char *error; };

static void *xrealloc(void *p, size_t n)
{
    if (!(p = realloc(p, n))) { perror("realloc"); exit(3); }
    return p;
}

static void skip_ws(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') ps->p++;
}

static int fail(struct parser *ps, const char *error)
{
    if (!ps->error) ps->error = error;
    return 0;
}

static int parse_value(struct parser *ps, struct value *v, int depth);

static void put_utf8(char **s, size_t *len, unsigned cp)
{
    char b[4];
    size_t n = 0, i;

    if (cp < 0x80) b[n++] = cp;
    else if (cp < 0x800) { b[n++] = 0xc0 | cp >> 6; b[n++] = 0x80 | (cp & 0x3f); }
    else if (cp < 0x10000) { b[n++] = 0xe0 | cp >> 12; b[n++] = 0x80 | (cp >> 6 & 0x3f); b[n++] = 0x80 | (cp & 0x3f); }
    else
    {
        b[n++] = 0xf0 | cp >> 18; b[n++] = 0x80 | (cp >> 12 & 0x3f);
        b[n++] = 0x80 | (cp >> 6 & 0x3f); b[n++] = 0x80 | (cp & 0x3f);
    }
    *s = xrealloc(*s, *len + n + 1);
    for (i = 0; i < n; i++) (*s)[(*len)++] = b[i];
}

static int hex4(struct parser *ps, unsigned *cp)
{
    int i;

    for (*cp = 0, i = 0; i < 4; i++, ps->p++)
    {
        char c = *ps->p;
        unsigned d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
        if (d == 16) return fail(ps, "bad \\u escape");
        *cp = *cp * 16 + d;
    }
    return 1;
}

static int parse_escape(struct parser *ps, char **s, size_t *len)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *e = strchr(from, *ps->p);
    unsigned cp, lo;

    if (*ps->p && e) { ps->p++; put_utf8(s, len, to[e - from]); return 1; }
    if (*ps->p++ != 'u' || !hex4(ps, &cp)) return fail(ps, "bad escape");
    if (cp >= 0xd800 && cp < 0xdc00)
    {
        if (ps->p[0] != '\\' || ps->p[1] != 'u') return fail(ps, "lone surrogate");
        ps->p += 2;
        if (!hex4(ps, &lo) || lo < 0xdc00 || lo >= 0xe000) return fail(ps, "bad surrogate pair");
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    }
    else if (cp >= 0xdc00 && cp < 0xe000) return fail(ps, "lone surrogate");
    put_utf8(s, len, cp);
    return 1;
}

/* One UTF-8 sequence, copied as it is; overlong forms and surrogates refused. */
static int copy_utf8(struct parser *ps, char **s, size_t *len)
{
    const unsigned char *c = (const unsigned char *)ps->p;
    unsigned n = *c < 0x80 ? 1 : (*c & 0xe0) == 0xc0 ? 2 : (*c & 0xf0) == 0xe0 ? 3 : (*c & 0xf8) == 0xf0 ? 4 : 0;
    unsigned cp = n == 1 ? *c : n == 2 ? *c & 0x1f : n == 3 ? *c & 0x0f : *c & 0x07, i;
    static const unsigned min[5] = { 0, 0, 0x80, 0x800, 0x10000 };

    if (!n) return fail(ps, "invalid UTF-8");
    for (i = 1; i < n; i++)
    {
        if ((c[i] & 0xc0) != 0x80) return fail(ps, "invalid UTF-8");
        cp = cp << 6 | (c[i] & 0x3f);
    }
    if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return fail(ps, "invalid UTF-8");
    *s = xrealloc(*s, *len + n + 1);
    memcpy(*s + *len, c, n);
    *len += n;
    ps->p += n;
    return 1;
}

static int parse_string(struct parser *ps, char **out)
{
    char *s = xrealloc(NULL, 1);
    size_t len = 0;

    ps->p++;  /* the opening quote */
    while (*ps->p != '"')
    {
        int good;

        if ((unsigned char)*ps->p < 0x20) { free(s); return fail(ps, "control character or end in a string"); }
        if (*ps->p == '\\') { ps->p++; good = parse_escape(ps, &s, &len); }
        else good = copy_utf8(ps, &s, &len);
        if (!good) { free(s); return 0; }
    }
    ps->p++;
    s[len] = 0;
    *out = s;
    return 1;
}

static int parse_number(struct parser *ps, struct value *v)
{
    const char *start = ps->p, *digits;
    char *end;

    if (*ps->p == '-') ps->p++;
    digits = ps->p;
    if (*ps->p == '0') ps->p++;
    else if (*ps->p >= '1' && *ps->p <= '9') while (*ps->p >= '0' && *ps->p <= '9') ps->p++;
    else return fail(ps, "bad number");
    v->is_int = *start != '-' && *ps->p != '.' && *ps->p != 'e' && *ps->p != 'E';
    if (*ps->p == '.')
    {
        if (*++ps->p < '0' || *ps->p > '9') return fail(ps, "bad fraction");
        while (*ps->p >= '0' && *ps->p <= '9') ps->p++;
    }
    if (*ps->p == 'e' || *ps->p == 'E')
    {
        if (*++ps->p == '+' || *ps->p == '-') ps->p++;
        if (*ps->p < '0' || *ps->p > '9') return fail(ps, "bad exponent");
        while (*ps->p >= '0' && *ps->p <= '9') ps->p++;
    }
    v->type = J_NUMBER;
    v->d = strtod(start, &end);
    if (v->is_int && (ps->p - digits > 20 || (v->u = strtoull(digits, NULL, 10)) == UINT64_MAX))
        return fail(ps, "integer too large");
    if (!v->is_int && v->d >= 0 && v->d < 18446744073709551616.0) v->u = (uint64_t)v->d;  /* 2.0e0 */
    return 1;
}

static int parse_members(struct parser *ps, struct value *v, int depth, int object)
{
    ps->p++;
    skip_ws(ps);
    if (*ps->p == (object ? '}' : ']')) { ps->p++; return 1; }
    for (;;)
    {
        size_t i = v->count;

        v->items = xrealloc(v->items, (i + 1) * sizeof(*v->items));
        memset(&v->items[i], 0, sizeof(v->items[i]));
        if (object)
        {
            v->keys = xrealloc(v->keys, (i + 1) * sizeof(*v->keys));
            skip_ws(ps);
            if (*ps->p != '"') return fail(ps, "object key expected");
            if (!parse_string(ps, &v->keys[i])) return 0;
            for (size_t k = 0; k < i; k++)
                if (!strcmp(v->keys[k], v->keys[i])) return fail(ps, "duplicate key");
            skip_ws(ps);
            if (*ps->p++ != ':') return fail(ps, "':' expected");
        }
        v->count++;
        if (!parse_value(ps, &v->items[i], depth + 1)) return 0;
        skip_ws(ps);
        if (*ps->p == ',') { ps->p++; continue; }
        if (*ps->p++ == (object ? '}' : ']')) return 1;
        return fail(ps, object ? "',' or '}' expected" : "',' or ']' expected");
    }
}

static int parse_literal(struct parser *ps, const char *word, struct value *v, enum type type, int boolean)
{
    if (strncmp(ps->p, word, strlen(word))) return fail(ps, "unexpected character");
    ps->p += strlen(word);
    v->type = type;
    v->boolean = boolean;
    return 1;
}

static int parse_value(struct parser *ps, struct value *v, int depth)
{
    if (depth > 64) return fail(ps, "nested too deep");
    skip_ws(ps);
    switch (*ps->p)
    {
    case '{': v->type = J_OBJECT; return parse_members(ps, v, depth, 1);
    case '[': v->type = J_ARRAY; return parse_members(ps, v, depth, 0);
    case '"': v->type = J_STRING; return parse_string(ps, &v->str);
    case 't': return parse_literal(ps, "true", v, J_BOOL, 1);
    case 'f': return parse_literal(ps, "false", v, J_BOOL, 0);
    case 'n': return parse_literal(ps, "null", v, J_NULL, 0);
    default: return parse_number(ps, v);
    }
}

/* The whole text is one JSON value. */
static int parse_text(const char *text, struct value *v, const char **error)
{
    struct parser ps = { text, NULL };

    memset(v, 0, sizeof(*v));
    if (parse_value(&ps, v, 0))
    {
        skip_ws(&ps);
        if (!*ps.p) return 1;
        fail(&ps, "text after the value");
    }
    *error = ps.error;
    return 0;
}

static const struct value *member(const struct value *obj, const char *key)
{
    size_t i;

    if (obj->type != J_OBJECT) return NULL;
    for (i = 0; i < obj->count; i++)
        if (!strcmp(obj->keys[i], key)) return &obj->items[i];
    return NULL;
}

/* ---- the schema subset ---- */

static int schema_error(const char *path, const char *what)
{
    fprintf(stderr, "schema: %s: %s\n", path, what);
    exit(3);
}

static int invalid(const char *path, const char *what)
{
    printf("invalid: %s: %s\n", path, what);
    return 0;
}

static int type_matches(const struct value *v, const char *type)
{
    if (!strcmp(type, "object")) return v->type == J_OBJECT;
    if (!strcmp(type, "array")) return v->type == J_ARRAY;
    if (!strcmp(type, "string")) return v->type == J_STRING;
    if (!strcmp(type, "number")) return v->type == J_NUMBER;
    if (!strcmp(type, "integer")) return v->type == J_NUMBER && (v->is_int || v->d == (double)(int64_t)v->d);
    if (!strcmp(type, "boolean")) return v->type == J_BOOL;
    if (!strcmp(type, "null")) return v->type == J_NULL;
    return schema_error(type, "unknown type");
}

/* The one pattern the schema has, checked by hand (no regex library). */
static int pattern_matches(const char *s, const char *pattern, const char *path)
{
    size_t i;

    if (strcmp(pattern, "^0x[0-9a-f]{16}$")) return schema_error(path, "unsupported pattern");
    if (strlen(s) != 18 || strncmp(s, "0x", 2)) return 0;
    for (i = 2; i < 18; i++)
        if (!strchr("0123456789abcdef", s[i])) return 0;
    return 1;
}

static int validate(const struct value *v, const struct value *schema, const char *path);

static int validate_object(const struct value *v, const struct value *schema, const char *path)
{
    const struct value *props = member(schema, "properties"), *req = member(schema, "required");
    const struct value *extra = member(schema, "additionalProperties");
    char sub[512];
    size_t i;
    int good = 1;

    for (i = 0; req && i < req->count; i++)
        if (!member(v, req->items[i].str)) { snprintf(sub, sizeof(sub), "%s.%s", path, req->items[i].str);
                                              good = invalid(sub, "required field missing"); }
    for (i = 0; i < v->count; i++)
    {
        const struct value *s = props ? member(props, v->keys[i]) : NULL;

        snprintf(sub, sizeof(sub), "%s.%s", path, v->keys[i]);
        if (s) good &= validate(&v->items[i], s, sub);
        else if (extra && extra->type == J_BOOL && !extra->boolean) good = invalid(sub, "field not in the schema");
    }
    return good;
}

static int validate_keywords(const struct value *v, const struct value *schema, const char *path)
{
    const struct value *k;
    char sub[512];
    size_t i;
    int good = 1;

    if ((k = member(schema, "type")) && !type_matches(v, k->str)) return invalid(path, "wrong type");
    if ((k = member(schema, "const")) && (v->type != J_NUMBER || !v->is_int || v->u != k->u))
        good = invalid(path, "not the constant");
    if ((k = member(schema, "minimum")) && v->type == J_NUMBER && v->d < k->d) good = invalid(path, "below minimum");
    if ((k = member(schema, "pattern")) && v->type == J_STRING && !pattern_matches(v->str, k->str, path))
        good = invalid(path, "does not match the pattern");
    if (v->type == J_OBJECT) good &= validate_object(v, schema, path);
    if ((k = member(schema, "items")) && v->type == J_ARRAY)
        for (i = 0; i < v->count; i++)
        {
            snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
            good &= validate(&v->items[i], k, sub);
        }
    return good;
}

static int validate(const struct value *v, const struct value *schema, const char *path)
{
    static const char *known[] = { "$schema", "$id", "title", "description", "type", "const", "minimum", "pattern",
                                   "properties", "required", "additionalProperties", "items" };
    size_t i, j;

    if (schema->type != J_OBJECT) schema_error(path, "a schema must be an object");
    for (i = 0; i < schema->count; i++)
    {
        for (j = 0; j < sizeof(known) / sizeof(known[0]); j++)
            if (!strcmp(schema->keys[i], known[j])) break;
        if (j == sizeof(known) / sizeof(known[0])) schema_error(schema->keys[i], "keyword not supported");
    }
    return validate_keywords(v, schema, path);
}

/* ---- the figures ---- */

static uint64_t field(const struct value *obj, const char *key)
{
    return member(obj, key)->u;  /* present and an integer: validated */
}

static const struct value *find_process(const struct value *snap, uint64_t pid)
{
    const struct value *adapters = member(snap, "adapters");
    size_t i, j;

    for (i = 0; i < adapters->count; i++)
    {
        const struct value *procs = member(&adapters->items[i], "processes");
        for (j = 0; j < procs->count; j++)
            if (field(&procs->items[j], "pid") == pid) return &procs->items[j];
    }
    return NULL;
}

static int expect_field(const struct value *p, uint64_t pid, const char *key, uint64_t want)
{
    uint64_t got = field(p, key);

    if (got == want) return 1;
    printf("pid %llu: %s is %llu, expected %llu\n", (unsigned long long)pid, key, (unsigned long long)got,
           (unsigned long long)want);
    return 0;
}

/* PID:LOCAL:NONLOCAL:ALLOCS[:EVICTIONS]: with EVICTIONS, also a paging
 * fence that completed everything it submitted, at least one per eviction. */
static int check_expectation(const struct value *snap, const char *arg)
{
    unsigned long long pid, local, nonlocal, allocs, evictions;
    const struct value *p;
    int good = 1, n;

    if ((n = sscanf(arg, "%llu:%llu:%llu:%llu:%llu", &pid, &local, &nonlocal, &allocs, &evictions)) < 4)
    {
        fprintf(stderr, "bad expectation %s\n", arg);
        exit(3);
    }
    if (!(p = find_process(snap, pid))) { printf("pid %llu is not listed\n", pid); return 0; }
    good &= expect_field(p, pid, "local_usage", local);
    good &= expect_field(p, pid, "nonlocal_usage", nonlocal);
    good &= expect_field(p, pid, "allocations", allocs);
    good &= expect_field(p, pid, "locked", 1);
    good &= expect_field(p, pid, "qs_local_usage", field(p, "local_usage"));
    if (n == 5)
    {
        good &= expect_field(p, pid, "evictions", evictions);
        good &= expect_field(p, pid, "fence_completed", field(p, "fence_submitted"));
        if (field(p, "fence_submitted") < evictions)
        {
            printf("pid %llu: fence_submitted %llu, below its %llu evictions\n", pid,
                   (unsigned long long)field(p, "fence_submitted"), evictions);
            good = 0;
        }
    }
    return good;
}

static int check_none(const struct value *snap)
{
    const struct value *adapters = member(snap, "adapters");
    size_t i, n = 0;

    for (i = 0; i < adapters->count; i++) n += member(&adapters->items[i], "processes")->count;
    if (n) printf("%zu processes listed, expected none\n", n);
    return !n;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0, n;

    if (!f) { perror(path); exit(3); }
    do
    {
        text = xrealloc(text, len + 4097);
        len += n = fread(text + len, 1, 4096, f);
    } while (n);
    fclose(f);
    text[len] = 0;
    if (strlen(text) != len) { printf("%s: a NUL byte\n", path); exit(3); }
    return text;
}

static void load(const char *path, struct value *v)
{
    const char *error = NULL;

    if (!parse_text(read_file(path), v, &error))
    {
        printf("%s: not JSON: %s\n", path, error);
        exit(3);
    }
}

/* One line: the text ends in its only newline. */
static int one_line(const char *path)
{
    char *text = read_file(path), *nl = strchr(text, '\n');
    int good = nl && !nl[1];

    if (!good) printf("%s: not exactly one line\n", path);
    free(text);
    return good;
}

int main(int argc, char **argv)
{
    struct value schema, snap;
    int i, good = 1;

    if (argc < 3)
    {
        fprintf(stderr, "usage: check_snapshot SCHEMA FILE [none | PID:LOCAL:NONLOCAL:ALLOCS[:EVICTIONS] ...]\n");
        return 3;
    }
    load(argv[1], &schema);
    if (!one_line(argv[2])) return 3;
    load(argv[2], &snap);
    if (!validate(&snap, &schema, "$")) return 3;
    for (i = 3; i < argc; i++)
        good &= !strcmp(argv[i], "none") ? check_none(&snap) : check_expectation(&snap, argv[i]);
    if (good) printf("valid, as expected\n");
    return good ? 0 : 1;
}
