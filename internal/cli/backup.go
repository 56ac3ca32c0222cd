package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"wzdaily/internal/app"
	"wzdaily/internal/db"
)

func runBackup(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "backup", "BACKUP-FILE", `Writes a consistent copy of the database to BACKUP-FILE while the bot keeps
running: nobody waits for it, and the copy holds everything committed when it
began. The copy is checked in full (SQLite's integrity_check) before it gets its
name, so BACKUP-FILE is either a sound database or absent (a run killed half-way
leaves a hidden .BACKUP-FILE.tmp-… beside it to delete). It never replaces a
file, and only its owner may read it: it holds chat ids.

To restore:
  1. stop the bot;
  2. copy the backup over the database file, owned by the bot's user, and
     delete DB-wal and DB-shm beside it (wzdaily.db-wal, wzdaily.db-shm);
  3. start the bot.
The digest outbox resumes where the backup left it: no part confirmed before the
backup is sent again. Parts sent after the backup began are pending in it and go
out again; subscribers, settings and articles that came later are gone.`)
	dbPath := dbFlag(fs, env)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: give the file to write the backup to", errUsage)
	}
	// Read-only: a backup never creates, migrates or otherwise changes the
	// database, and works on a read-only medium. It copies any version of
	// it, so a backup can be taken before an upgrade.
	conn, err := db.OpenWith(ctx, *dbPath, db.Options{Access: db.ReadOnly, AnyVersion: true}, app.Schemas()...)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.Backup(ctx, pos[0]); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%w: %s exists; a backup never replaces a file", errUsage, pos[0])
		}
		return err
	}
	info, err := os.Stat(pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s  %d bytes, integrity ok\n", pos[0], info.Size())
	if ups := conn.Pending(); len(ups) > 0 {
		fmt.Fprintf(env.Stdout, "The database and the copy have an older schema than this version of wzdaily (%s): run wzdaily migrate to upgrade the database.\n",
			app.DescribePending(ups))
	}
	return nil
}
