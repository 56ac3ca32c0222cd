// wzrank(fts, now, tau, title_weight, body_weight, idf_1, …, idf_n [, sz]):
// bm25 over the title and body columns, with the document frequencies
// supplied by the caller, divided by (1 + age / tau). SQLite's own bm25()
// counts each phrase's matches over the whole table on every query, which
// costs more than ranking itself for a common phrase; the caller estimates
// document frequencies from a recent window instead. The row's hour of
// publication is its rowid shifted right 7 bits (see docOf in store.go).
// sz, when given, is the row's record in the index's %_docsize table (see
// decodeSizes); without it the sizes come through xColumnSize.
#include "rank.h"

#define SQLITE_OK 0
#define SQLITE_NOMEM 7
#define SQLITE_CORRUPT 11
#define SQLITE_BLOB 4
#define K1 1.2
#define B 0.75

typedef struct {
	double avgdl;
	int nPhrase;
	double *tf;
} rankData;

static void freeRankData(void *p) {
	rankData *d = p;
	if (d) {
		sqlite3_free(d->tf);
		sqlite3_free(d);
	}
}

static rankData *loadRankData(const Fts5ExtensionApi *api, Fts5Context *fts, int *rc) {
	rankData *d = api->xGetAuxdata(fts, 0);
	if (d) {
		return d;
	}
	sqlite3_int64 rows = 0, tokens = 0;
	*rc = api->xRowCount(fts, &rows);
	if (*rc == SQLITE_OK) {
		*rc = api->xColumnTotalSize(fts, -1, &tokens);
	}
	if (*rc != SQLITE_OK) {
		return 0;
	}
	d = sqlite3_malloc64(sizeof(*d));
	if (!d) {
		*rc = SQLITE_NOMEM;
		return 0;
	}
	d->avgdl = rows > 0 ? (double)tokens / (double)rows : 1.0;
	if (d->avgdl <= 0) {
		d->avgdl = 1.0;
	}
	d->nPhrase = api->xPhraseCount(fts);
	d->tf = sqlite3_malloc64(sizeof(double) * (d->nPhrase > 0 ? d->nPhrase : 1));
	if (!d->tf) {
		sqlite3_free(d);
		*rc = SQLITE_NOMEM;
		return 0;
	}
	*rc = api->xSetAuxdata(fts, d, freeRankData);
	return *rc == SQLITE_OK ? d : 0;
}

// varint reads one SQLite varint of at most 5 bytes (a 32-bit value) from
// p[0:n] and returns its length, or 0 if it does not fit.
static int varint(const unsigned char *p, int n, unsigned int *v) {
	unsigned int x = 0;
	for (int i = 0; i < n && i < 5; i++) {
		x = (x << 7) | (p[i] & 0x7f);
		if (!(p[i] & 0x80)) {
			*v = x;
			return i + 1;
		}
	}
	return 0;
}

// decodeSizes reads the title's and the body's token counts from the
// row's record in FTS5's %_docsize table: one varint per column, nothing
// after (fts5StorageDecodeSizeArray in SQLite). It is the record
// xColumnSize reads, but xColumnSize looks it up with a statement of its
// own for every row, which took about 80% of the ranking's time; the
// search query joins the table instead. Anything else, such as NULL for a
// missing record, is an error, as it is to xColumnSize.
static int decodeSizes(sqlite3_value *sz, int *title, int *body) {
	if (sqlite3_value_type(sz) != SQLITE_BLOB) {
		return SQLITE_CORRUPT;
	}
	const unsigned char *p = sqlite3_value_blob(sz);
	int n = sqlite3_value_bytes(sz);
	unsigned int t = 0, b = 0;
	int i = p ? varint(p, n, &t) : 0;
	int k = i ? varint(p + i, n - i, &b) : 0;
	if (!k || i + k != n) {
		return SQLITE_CORRUPT;
	}
	*title = (int)t;
	*body = (int)b;
	return SQLITE_OK;
}

static int columnSizes(const Fts5ExtensionApi *api, Fts5Context *fts, int *title, int *body) {
	int rc = api->xColumnSize(fts, 0, title);
	return rc == SQLITE_OK ? api->xColumnSize(fts, 1, body) : rc;
}

static void wzrank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nVal, sqlite3_value **apVal) {
	int rc = SQLITE_OK;
	rankData *d = loadRankData(api, fts, &rc);
	if (!d) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	if (nVal != 4 + d->nPhrase && nVal != 5 + d->nPhrase) {
		sqlite3_result_error(ctx, "wzrank: want now, tau, two column weights, one idf per phrase and optionally the row's sizes", -1);
		return;
	}
	double now = (double)sqlite3_value_int64(apVal[0]);
	double tau = sqlite3_value_double(apVal[1]);
	double weight[2] = {sqlite3_value_double(apVal[2]), sqlite3_value_double(apVal[3])};
	for (int i = 0; i < d->nPhrase; i++) {
		d->tf[i] = 0;
	}
	int nInst = 0;
	rc = api->xInstCount(fts, &nInst);
	for (int i = 0; rc == SQLITE_OK && i < nInst; i++) {
		int phrase, col, off;
		rc = api->xInst(fts, i, &phrase, &col, &off);
		if (rc == SQLITE_OK && phrase >= 0 && phrase < d->nPhrase && col >= 0 && col < 2) {
			d->tf[phrase] += weight[col];
		}
	}
	int lenTitle = 0, lenBody = 0;
	if (rc == SQLITE_OK) {
		rc = nVal == 5 + d->nPhrase ? decodeSizes(apVal[4 + d->nPhrase], &lenTitle, &lenBody)
		                            : columnSizes(api, fts, &lenTitle, &lenBody);
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double norm = K1 * (1 - B + B * (double)(lenTitle + lenBody) / d->avgdl);
	double score = 0;
	for (int i = 0; i < d->nPhrase; i++) {
		double f = d->tf[i];
		score += sqlite3_value_double(apVal[4 + i]) * f * (K1 + 1) / (f + norm);
	}
	sqlite3_int64 rowid = api->xRowid(fts);
	// Floor division, so rowids before 1970 keep the right hour.
	sqlite3_int64 low = rowid & ((1 << 7) - 1);
	double published = (double)((rowid - low) / (1 << 7) * 3600);
	double age = now > published ? (now - published) / tau : 0;
	sqlite3_result_double(ctx, score / (1 + age));
}

static int registerOnConnection(sqlite3 *db, char **err, const void *api) {
	(void)err;
	(void)api;
	fts5_api *fts = 0;
	sqlite3_stmt *stmt = 0;
	// Without FTS5 (a build without the sqlite_fts5 tag) there is nothing to
	// register; the program's own startup check reports that.
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, 0) != SQLITE_OK) {
		return SQLITE_OK;
	}
	sqlite3_bind_pointer(stmt, 1, (void *)&fts, "fts5_api_ptr", 0);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (fts && fts->iVersion >= 2) {
		return fts->xCreateFunction(fts, "wzrank", 0, wzrank, 0);
	}
	return SQLITE_OK;
}

// wz_register_rank makes every connection opened from now on know wzrank.
// SQLite ignores a second registration of the same entry point.
int wz_register_rank(void) {
	return sqlite3_auto_extension((void (*)(void))registerOnConnection);
}
