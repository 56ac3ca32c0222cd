package gen

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteDir writes posts [from, to) as files under dir (dir/_posts/…),
// creating directories, so ingest benchmarks can read a site checkout.
func (g *Generator) WriteDir(dir string, from, to int) error {
	if from < 0 || to < from {
		return fmt.Errorf("gen: bad post range [%d, %d)", from, to)
	}
	if err := os.MkdirAll(filepath.Join(dir, "_posts"), 0o755); err != nil {
		return fmt.Errorf("gen: unable to create %s: %w", dir, err)
	}
	for i := from; i < to; i++ {
		p := g.Post(i)
		name := filepath.Join(dir, filepath.FromSlash(p.Name))
		if err := os.WriteFile(name, p.Raw, 0o644); err != nil {
			return fmt.Errorf("gen: unable to write post %d: %w", i, err)
		}
	}
	return nil
}
