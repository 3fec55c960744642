/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Output templates: "text %proc.name %proc.aname[2]" compiled once into
 * literal and field segments, rendered per alert with raw values and
 * Falco's <NA> for unknown ones. Escaping is the formatter's job.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rules/falco_fields.h"
#include "rules/rules_internal.h"

/* Falco's %container.info placeholder, spelled out with the fields we have. */
static const char container_info[] =
	"container_id=%container.id container_name=%container.name "
	"container_image_repository=%container.image.repository "
	"container_image_tag=%container.image.tag k8s_pod_name=%k8s.pod.name "
	"k8s_ns_name=%k8s.ns.name";

struct tmpl_builder {
	struct arena *a;
	struct out_tmpl *t;
	size_t capsegs, caprefs;
};

static int push_seg(struct tmpl_builder *b, const struct out_seg *seg)
{
	struct out_tmpl *t = b->t;
	size_t i;

	if (t->nsegs == b->capsegs) {
		size_t cap = b->capsegs ? b->capsegs * 2 : 16;
		struct out_seg *s = arena_grow(b->a, t->segs, t->nsegs, cap, sizeof(*s));

		if (!s)
			return -ENOMEM;
		t->segs = s;
		b->capsegs = cap;
	}
	t->segs[t->nsegs++] = *seg;
	if (seg->lit)
		return 0;
	for (i = 0; i < t->nrefs; i++)
		if (t->refs[i].id == seg->ref.id && t->refs[i].index == seg->ref.index)
			return 0;
	if (t->nrefs == b->caprefs) {
		size_t cap = b->caprefs ? b->caprefs * 2 : 16;
		struct field_ref *r = arena_grow(b->a, t->refs, t->nrefs, cap, sizeof(*r));

		if (!r)
			return -ENOMEM;
		t->refs = r;
		b->caprefs = cap;
	}
	t->refs[t->nrefs++] = seg->ref;
	return 0;
}

static int push_lit(struct tmpl_builder *b, const char *s, size_t len)
{
	struct out_seg seg = {0};

	if (!len)
		return 0;
	seg.lit = s;
	seg.len = len;
	return push_seg(b, &seg);
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

static int compile_text(struct tmpl_builder *b, const struct src_text *src, const char *s,
			size_t len, bool nested, struct cerr *err)
{
	size_t i = 0, lit = 0;
	int rc;

	while (i < len) {
		const struct field_def *def;
		struct out_seg seg = {0};
		size_t start, nlen, end;
		char name[48];

		if (s[i] != '%') {
			i++;
			continue;
		}
		start = i + 1;
		nlen = 0;
		while (start + nlen < len && name_char(s[start + nlen]))
			nlen++;
		/* a sentence may end right after a field: "%proc.name." */
		while (nlen && s[start + nlen - 1] == '.')
			nlen--;
		if (!nlen) {
			i++;
			continue;
		}
		rc = push_lit(b, s + lit, i - lit);
		if (rc)
			return rc;
		end = start + nlen;
		if (nlen == strlen("container.info") &&
		    !strncmp(s + start, "container.info", nlen) && !nested) {
			rc = compile_text(b, src, container_info, sizeof(container_info) - 1, true,
					  err);
			if (rc)
				return rc;
			i = lit = end;
			continue;
		}
		if (nlen >= sizeof(name) - 8)
			goto bad;
		memcpy(name, s + start, nlen);
		name[nlen] = '\0';
		def = field_lookup(name);
		/*
		 * A field Falco knows and shellsentry does not have renders <NA> (null
		 * in JSON), as Falco renders a field with no value; only a name
		 * neither knows is an error.
		 */
		if (!def && !falco_field_known(name))
			goto bad;
		seg.ref.id = def ? def->id : F_COUNT;
		seg.ref.index = -1;
		if ((!def || def->indexed) && end < len && s[end] == '[') {
			size_t j = end + 1;
			int v = 0;

			while (j < len && isdigit((unsigned char)s[j]) && v <= RULES_MAX_INDEX)
				v = v * 10 + (s[j++] - '0');
			if (j < len && s[j] == ']' && j > end + 1 && v <= RULES_MAX_INDEX) {
				seg.ref.index = v;
				end = j + 1;
			}
		}
		snprintf(seg.ref.name, sizeof(seg.ref.name), "%.*s", (int)(end - start), s + start);
		rc = push_seg(b, &seg);
		if (rc)
			return rc;
		i = lit = end;
		continue;
	bad:
		err->kind = CE_UNSUPPORTED;
		memset(&err->pos, 0, sizeof(err->pos));
		snprintf(err->field, sizeof(err->field), "%.*s", (int)(nlen > 60 ? 60 : nlen),
			 s + start);
		if (!nested)
			src_text_locate(src, (size_t)(s - src->text) + start - 1, &err->pos);
		snprintf(err->pos.msg, sizeof(err->pos.msg), "unsupported field '%%%.*s' in output",
			 (int)(nlen > 60 ? 60 : nlen), s + start);
		return -EINVAL;
	}
	return push_lit(b, s + lit, len - lit);
}

int output_compile(struct arena *a, const struct src_text *t, struct out_tmpl *out,
		   struct cerr *err)
{
	struct tmpl_builder b = {.a = a, .t = out};
	int rc;

	size_t start = 0, len = t->len;

	memset(out, 0, sizeof(*out));
	/* Falco trims outputs: a folded YAML block ends with a newline */
	while (len && isspace((unsigned char)t->text[len - 1]))
		len--;
	while (start < len && isspace((unsigned char)t->text[start]))
		start++;
	rc = compile_text(&b, t, t->text + start, len - start, false, err);
	if (rc == -ENOMEM) {
		err->kind = CE_NOMEM;
		snprintf(err->pos.msg, sizeof(err->pos.msg), "out of memory");
	}
	return rc;
}

/* Returns 0, or -ENOSPC when the text was cut to fit (still terminated). */
int output_render(const struct out_tmpl *t, const struct exec_event *ev, char *buf, size_t len)
{
	struct field_value v;
	size_t used = 0, i, n;
	const char *s;
	int rc = 0;

	if (!len)
		return -ENOSPC;
	for (i = 0; i < t->nsegs; i++) {
		const struct out_seg *seg = &t->segs[i];

		if (seg->lit) {
			s = seg->lit;
			n = seg->len;
		} else {
			field_extract(ev, seg->ref.id, seg->ref.index, &v);
			s = field_value_str(&v);
			n = strlen(s);
		}
		if (n > len - 1 - used) {
			n = len - 1 - used;
			rc = -ENOSPC;
		}
		memcpy(buf + used, s, n);
		used += n;
		if (rc)
			break;
	}
	buf[used] = '\0';
	return rc;
}
