// Package digest composes each subscriber's morning digest, schedules it
// in the subscriber's time zone, and delivers it through a transactional
// outbox at the platform's rate, so that neither a crash nor a flood limit
// loses a message.
package digest

import (
	"embed"

	"wzdaily/internal/db"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema returns the migrations of the tables this package owns. They
// refer to subscribers, so it comes after subscribers.Schema.
func Schema() db.Schema {
	return db.Schema{Name: "digest", Steps: db.SQLFiles(migrations, "migrations")}
}
