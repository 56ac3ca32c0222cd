package articles

import (
	"embed"

	"wzdaily/internal/db"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema returns the migrations of the tables this package owns.
func Schema() db.Schema {
	return db.Schema{Name: "articles", Steps: db.SQLFiles(migrations, "migrations"), Setup: registerRank}
}
