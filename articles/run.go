package articles

import (
	"context"
	"database/sql"
	"log/slog"
)

// RunOutcome is how a source's last run ended.
type RunOutcome string

const (
	RunOK          RunOutcome = "ok"
	RunFailed      RunOutcome = "failed"
	RunInterrupted RunOutcome = "interrupted" // stopped by the program; what it read is stored
	RunEmpty       RunOutcome = "empty"       // the site had no current posts for the source
	RunCapped      RunOutcome = "capped"      // more posts listed than one run fetches; the rest come next run
)

// outcome classifies a finished run.
func (rep Report) outcome(runErr error) RunOutcome {
	switch {
	case rep.Interrupted:
		return RunInterrupted
	case runErr != nil:
		return RunFailed
	case rep.Left > 0:
		return RunCapped
	case rep.Empty:
		return RunEmpty
	}
	return RunOK
}

// recordRun keeps each source's last success and last error for health
// views. An interrupted run is not a success, nor a failure of the source:
// it moves only the last run and says why it stopped. A failure to record
// is logged, not returned: the run's own outcome matters more.
func (s *Store) recordRun(ctx context.Context, rep Report, runErr error) {
	now := s.now().Unix()
	out := rep.outcome(runErr)
	msg := ""
	switch {
	case out == RunInterrupted:
		msg = "interrupted: " + runErr.Error()
	case runErr != nil:
		msg = runErr.Error()
	}
	ok := runErr == nil
	failed := out == RunFailed
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sources (name, last_run_at, last_success_at, last_new_at, last_error, errors, articles_new, last_outcome)
		VALUES (?1, ?2, CASE WHEN ?3 THEN ?2 ELSE 0 END, CASE WHEN ?4 > 0 THEN ?2 ELSE 0 END, ?5, CASE WHEN ?6 THEN 1 ELSE 0 END, ?4, ?7)
		ON CONFLICT (name) DO UPDATE SET
			last_run_at = ?2,
			last_success_at = CASE WHEN ?3 THEN ?2 ELSE last_success_at END,
			last_new_at = CASE WHEN ?4 > 0 THEN ?2 ELSE last_new_at END,
			last_error = ?5,
			errors = CASE WHEN ?3 THEN 0 WHEN ?6 THEN errors + 1 ELSE errors END,
			articles_new = articles_new + ?4,
			last_outcome = ?7`,
			rep.Source, now, ok, rep.New, msg, failed, string(out))
		return err
	})
	if err != nil {
		slog.Warn("Unable to record the source run", slog.String("source", rep.Source), slog.Any("error", err))
	}
}
