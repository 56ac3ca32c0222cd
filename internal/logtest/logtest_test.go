package logtest

import (
	"log/slog"
	"testing"
)

func TestCaptureCountsLinesAndRestores(t *testing.T) {
	before := slog.Default()
	t.Run("inner", func(t *testing.T) {
		b := Capture(t)
		slog.Info("Delivery paused", slog.String("why", "full"))
		slog.Debug("Delivery paused again")
		slog.Warn("Something else")
		if n := b.Count("Delivery paused"); n != 2 {
			t.Errorf("Count = %d, want 2 in:\n%s", n, b)
		}
	})
	if slog.Default() != before {
		t.Error("the default logger was not restored")
	}
}
