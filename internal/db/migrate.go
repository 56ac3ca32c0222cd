package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// ErrTooNew means the database was written by a newer version of the program.
var ErrTooNew = errors.New("the database was written by a newer version of wzdaily; upgrade the program or use another database")

// A Step is one migration. It runs inside the transaction that also records
// the new version, so a step is applied entirely or not at all.
type Step func(ctx context.Context, tx *sql.Tx) error

// Schema is the ordered, append-only list of migrations of one package's
// tables. Never edit or reorder a step that has shipped.
type Schema struct {
	Name  string
	Steps []Step
	// Setup, when set, runs before the first connection opens: for SQLite
	// extensions that every connection must have.
	Setup func() error
}

// SQL returns a step that executes the given statements.
func SQL(stmts string) Step {
	return func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, stmts)
		return err
	}
}

// SQLFiles returns one step per *.sql file of dir in fsys, ordered by name
// (001_x.sql, 002_y.sql, ...). It panics on a missing directory because the
// files are embedded at build time: that is a programming error.
func SQLFiles(fsys fs.FS, dir string) []Step {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		panic(fmt.Sprintf("db: embedded migrations %s: %v", dir, err))
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	steps := make([]Step, 0, len(names))
	for _, name := range names {
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			panic(fmt.Sprintf("db: embedded migration %s: %v", name, err))
		}
		steps = append(steps, SQL(string(b)))
	}
	return steps
}

// applicationID marks a file as this program's database in SQLite's
// header (PRAGMA application_id): "WZDY". A file another program made
// carries its own id or none, and is never taken for ours.
const applicationID = 0x575A4459

// An Upgrade is one schema brought from one version to another.
type Upgrade struct {
	Schema   string
	From, To int
}

// Migrate brings every schema up to its latest version. A schema recorded at
// a higher version than this program knows, or a schema it does not know at
// all, means a newer program wrote the file: refuse rather than guess.
// Callers check first that the file is ours: Open does.
func Migrate(ctx context.Context, conn *sql.DB, schemas ...Schema) error {
	_, err := migrate(ctx, conn, schemas)
	return err
}

func migrate(ctx context.Context, conn *sql.DB, schemas []Schema) ([]Upgrade, error) {
	if err := prepareFile(ctx, conn); err != nil {
		return nil, err
	}
	versions, err := Versions(ctx, conn)
	if err != nil {
		return nil, err
	}
	if err := checkNotNewer(versions, schemas); err != nil {
		return nil, err
	}
	var done []Upgrade
	for _, s := range schemas {
		from := versions[s.Name]
		for v := from; v < len(s.Steps); v++ {
			if err := applyStep(ctx, conn, s, v); err != nil {
				return nil, err
			}
		}
		if from < len(s.Steps) {
			done = append(done, Upgrade{Schema: s.Name, From: from, To: len(s.Steps)})
		}
	}
	return done, nil
}

// prepareFile creates this package's own tables and marks the file as
// ours, in one transaction. On a file that has them it writes nothing.
func prepareFile(ctx context.Context, conn *sql.DB) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("unable to begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_versions (
		name    TEXT PRIMARY KEY,
		version INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("unable to create schema_versions: %w", err)
	}
	// One row that Heartbeat rewrites: a committed write that proves the
	// disk takes one (see heartbeat.go).
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS db_heartbeat (
		id    INTEGER PRIMARY KEY CHECK (id = 1),
		beats INTEGER NOT NULL,
		at_ms INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("unable to create db_heartbeat: %w", err)
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&id); err != nil {
		return fmt.Errorf("unable to read the application id: %w", err)
	}
	if id != applicationID {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID)); err != nil {
			return fmt.Errorf("unable to mark the file as a wzdaily database: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("unable to commit: %w", err)
	}
	return nil
}

// checkNotNewer refuses a file holding a schema this program does not
// know, or one at a version past its last step.
func checkNotNewer(versions map[string]int, schemas []Schema) error {
	known := map[string]int{}
	for _, s := range schemas {
		known[s.Name] = len(s.Steps)
	}
	for name, v := range versions {
		latest, ok := known[name]
		if !ok && len(schemas) > 0 {
			return fmt.Errorf("%w (it has tables %q that this version does not know)", ErrTooNew, name)
		}
		if ok && v > latest {
			return fmt.Errorf("%w (tables %q are at version %d, this version knows up to %d)", ErrTooNew, name, v, latest)
		}
	}
	return nil
}

// pendingUpgrades lists the schemas older than this program knows.
func pendingUpgrades(versions map[string]int, schemas []Schema) []Upgrade {
	var out []Upgrade
	for _, s := range schemas {
		if v := versions[s.Name]; v < len(s.Steps) {
			out = append(out, Upgrade{Schema: s.Name, From: v, To: len(s.Steps)})
		}
	}
	return out
}

// applyStep runs step v (0-based) of s unless another process got there
// first: the version is re-read under the write lock.
func applyStep(ctx context.Context, conn *sql.DB, s Schema, v int) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("[migration %s v%d] unable to begin: %w", s.Name, v+1, err)
	}
	defer tx.Rollback()
	var current int
	err = tx.QueryRowContext(ctx, `SELECT version FROM schema_versions WHERE name = ?`, s.Name).Scan(&current)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("[migration %s v%d] unable to read version: %w", s.Name, v+1, err)
	}
	if current > v {
		return nil
	}
	if err := s.Steps[v](ctx, tx); err != nil {
		return fmt.Errorf("[migration %s v%d] %w", s.Name, v+1, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_versions (name, version) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET version = excluded.version`, s.Name, v+1); err != nil {
		return fmt.Errorf("[migration %s v%d] unable to record version: %w", s.Name, v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("[migration %s v%d] unable to commit: %w", s.Name, v+1, err)
	}
	return nil
}

// Versions returns the recorded version of every schema in the file.
func Versions(ctx context.Context, conn *sql.DB) (map[string]int, error) {
	rows, err := conn.QueryContext(ctx, `SELECT name, version FROM schema_versions`)
	if err != nil {
		return nil, fmt.Errorf("unable to read schema versions: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var name string
		var v int
		if err := rows.Scan(&name, &v); err != nil {
			return nil, fmt.Errorf("unable to read schema versions: %w", err)
		}
		out[name] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("unable to read schema versions: %w", err)
	}
	return out, nil
}
