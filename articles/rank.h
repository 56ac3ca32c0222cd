// The parts of SQLite's C API that rank.c uses. go-sqlite3 compiles SQLite
// into the program, so these symbols resolve at link time; the shapes are
// SQLite's documented, append-only ABI (sqlite3.h and fts5.h).
#include <stdint.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef struct sqlite3_context sqlite3_context;
typedef struct sqlite3_value sqlite3_value;
typedef int64_t sqlite3_int64;

int sqlite3_auto_extension(void (*xEntryPoint)(void));
int sqlite3_prepare_v2(sqlite3 *db, const char *zSql, int nByte, sqlite3_stmt **ppStmt, const char **pzTail);
int sqlite3_bind_pointer(sqlite3_stmt *, int, void *, const char *, void (*)(void *));
int sqlite3_step(sqlite3_stmt *);
int sqlite3_finalize(sqlite3_stmt *);
void sqlite3_result_double(sqlite3_context *, double);
void sqlite3_result_error(sqlite3_context *, const char *, int);
void sqlite3_result_error_code(sqlite3_context *, int);
double sqlite3_value_double(sqlite3_value *);
sqlite3_int64 sqlite3_value_int64(sqlite3_value *);
const void *sqlite3_value_blob(sqlite3_value *);
int sqlite3_value_bytes(sqlite3_value *);
int sqlite3_value_type(sqlite3_value *);
void *sqlite3_malloc64(uint64_t);
void sqlite3_free(void *);

typedef struct Fts5Context Fts5Context;
typedef struct Fts5PhraseIter {
	const unsigned char *a;
	const unsigned char *b;
} Fts5PhraseIter;

typedef struct Fts5ExtensionApi {
	int iVersion;
	void *(*xUserData)(Fts5Context *);
	int (*xColumnCount)(Fts5Context *);
	int (*xRowCount)(Fts5Context *, sqlite3_int64 *pnRow);
	int (*xColumnTotalSize)(Fts5Context *, int iCol, sqlite3_int64 *pnToken);
	int (*xTokenize)(Fts5Context *, const char *pText, int nText, void *pCtx,
		int (*xToken)(void *, int, const char *, int, int, int));
	int (*xPhraseCount)(Fts5Context *);
	int (*xPhraseSize)(Fts5Context *, int iPhrase);
	int (*xInstCount)(Fts5Context *, int *pnInst);
	int (*xInst)(Fts5Context *, int iIdx, int *piPhrase, int *piCol, int *piOff);
	sqlite3_int64 (*xRowid)(Fts5Context *);
	int (*xColumnText)(Fts5Context *, int iCol, const char **pz, int *pn);
	int (*xColumnSize)(Fts5Context *, int iCol, int *pnToken);
	int (*xQueryPhrase)(Fts5Context *, int iPhrase, void *pUserData,
		int (*)(const struct Fts5ExtensionApi *, Fts5Context *, void *));
	int (*xSetAuxdata)(Fts5Context *, void *pAux, void (*xDelete)(void *));
	void *(*xGetAuxdata)(Fts5Context *, int bClear);
	/* later members are not used */
} Fts5ExtensionApi;

typedef void (*fts5_extension_function)(const Fts5ExtensionApi *pApi, Fts5Context *pFts,
	sqlite3_context *pCtx, int nVal, sqlite3_value **apVal);

typedef struct fts5_api {
	int iVersion;
	void *xCreateTokenizer;
	void *xFindTokenizer;
	int (*xCreateFunction)(struct fts5_api *pApi, const char *zName, void *pUserData,
		fts5_extension_function xFunction, void (*xDestroy)(void *));
	/* later members are not used */
} fts5_api;

int wz_register_rank(void);
