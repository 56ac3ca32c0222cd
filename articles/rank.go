package articles

// #include "rank.h"
import "C"

import "fmt"

// registerRank teaches SQLite connections opened afterwards the wzrank
// ranking function. It must run before the database is opened.
func registerRank() error {
	if rc := C.wz_register_rank(); rc != 0 {
		return fmt.Errorf("articles: unable to register the ranking function with SQLite (code %d)", int(rc))
	}
	return nil
}
