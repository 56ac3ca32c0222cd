package webhook

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"wzdaily/chat"
	"wzdaily/internal/fakehook"
)

// startFake serves a fakehook over loopback for the length of the test.
func startFake(t *testing.T, opts fakehook.Options) (*fakehook.Server, *Sender) {
	t.Helper()
	fake := fakehook.New(opts)
	srv := httptest.NewServer(fake)
	t.Cleanup(func() {
		fake.Clear()
		srv.Close()
	})
	return fake, New(Options{URL: srv.URL, Client: srv.Client()})
}

func TestSender_AgainstFake(t *testing.T) {
	fake, s := startFake(t, fakehook.Options{})
	ctx := chat.WithIdempotencyKey(context.Background(), "digest-12-part-2")
	id, err := s.Send(ctx, reader, digestPart)
	if err != nil || id != "1" {
		t.Fatalf("Send() = %q, %v, want 1, nil", id, err)
	}
	d := fake.Deliveries()
	if len(d) != 1 || d[0].ChatID != "42" || d[0].IdempotencyKey != "digest-12-part-2" || d[0].Text != chat.PlainText(digestPart) || len(d[0].Buttons) != 1 {
		t.Errorf("fake recorded %+v", d)
	}
}

func TestSender_AgainstFakeChatFaults(t *testing.T) {
	cases := map[string]struct {
		set        func(f *fakehook.Server)
		permanent  bool
		migratedTo string
		sentinel   error
	}{
		"blocked":   {func(f *fakehook.Server) { f.Block("42") }, true, "", ErrBlocked},
		"not found": {func(f *fakehook.Server) { f.NotFound("42") }, true, "", ErrRejected},
		"migrated":  {func(f *fakehook.Server) { f.Migrate("42", "-100042") }, false, "-100042", ErrMigrated},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			fake, s := startFake(t, fakehook.Options{})
			c.set(fake)
			_, err := s.Send(context.Background(), reader, digestPart)
			se := chat.Classify(err)
			if se.Permanent != c.permanent || se.MigratedTo != c.migratedTo || !errors.Is(err, c.sentinel) {
				t.Errorf("%s: error = %+v, want Permanent %v MigratedTo %q wrapping %v", name, se, c.permanent, c.migratedTo, c.sentinel)
			}
		})
	}
}

func TestSender_AgainstFakeFloodControl(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2024, 5, 6, 7, 30, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	fake, s := startFake(t, fakehook.Options{Now: clock, Rate: 1})
	other := chat.Key{Platform: "webhook", ChatID: "43"}

	if _, err := s.Send(context.Background(), reader, digestPart); err != nil {
		t.Fatal(err)
	}
	_, err := s.Send(context.Background(), other, digestPart)
	if se := chat.Classify(err); se.RetryAfter != time.Second || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("second send in the second: error = %v, want RetryAfter 1s", err)
	}
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	if _, err := s.Send(context.Background(), other, digestPart); err != nil {
		t.Errorf("a second later: %v", err)
	}
	if fake.Rejected429() != 1 {
		t.Errorf("fake answered %d 429s, want 1", fake.Rejected429())
	}
}

// A lost confirmation must reach the outbox as an error: net/http would
// otherwise replay the POST, because it carries an Idempotency-Key, and
// the outbox would never learn that the part may have gone out twice.
func TestSender_DroppedConfirmationIsNotReplayed(t *testing.T) {
	fake, s := startFake(t, fakehook.Options{})
	ctx := chat.WithIdempotencyKey(context.Background(), "digest-1-part-1")
	if _, err := s.Send(ctx, reader, digestPart); err != nil { // leaves a connection to reuse
		t.Fatal(err)
	}
	if err := fake.SetFaults(fakehook.Faults{Fraction: 1, Kinds: []fakehook.FaultKind{fakehook.FaultDrop}, Times: 1}); err != nil {
		t.Fatal(err)
	}
	ctx = chat.WithIdempotencyKey(context.Background(), "digest-1-part-2")
	_, err := s.Send(ctx, reader, digestPart)
	transient(t, err)
	if got := fake.Count(); got != 2 {
		t.Errorf("fake recorded %d deliveries, want 2 (the dropped one once)", got)
	}
	if d := fake.Duplicates(); len(d) != 0 {
		t.Errorf("Duplicates() = %v, want none", d)
	}
}

func TestSender_AgainstFakeSlowAnswer(t *testing.T) {
	fake, s := startFake(t, fakehook.Options{})
	s.client.Timeout = 100 * time.Millisecond
	if err := fake.SetFaults(fakehook.Faults{Fraction: 1, Kinds: []fakehook.FaultKind{fakehook.FaultSlow}, Delay: time.Minute}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Send(context.Background(), reader, digestPart)
	transient(t, err)
	if fake.Count() != 0 {
		t.Errorf("an abandoned send was recorded")
	}
}

func TestSender_AgainstFakeServerErrors(t *testing.T) {
	for _, kind := range []fakehook.FaultKind{fakehook.Fault500, fakehook.Fault502} {
		t.Run(kind.String(), func(t *testing.T) {
			fake, s := startFake(t, fakehook.Options{})
			if err := fake.SetFaults(fakehook.Faults{Fraction: 1, Kinds: []fakehook.FaultKind{kind}}); err != nil {
				t.Fatal(err)
			}
			_, err := s.Send(context.Background(), reader, digestPart)
			transient(t, err)
			if !errors.Is(err, ErrUnavailable) {
				t.Errorf("%v: error = %v, want ErrUnavailable", kind, err)
			}
		})
	}
}

// The fake as a relay to a platform with conversation windows: a closed
// window is a SendError the outbox holds the part on.
func TestSender_AgainstFakeWindow(t *testing.T) {
	fake, s := startFake(t, fakehook.Options{Window: time.Hour})
	_, err := s.Send(context.Background(), reader, digestPart)
	var se *chat.SendError
	if !errors.As(err, &se) || !se.Closed || se.Permanent || !errors.Is(err, ErrWindowClosed) {
		t.Fatalf("before the reader wrote: %v", err)
	}
	fake.Heard("42")
	if _, err := s.Send(context.Background(), reader, digestPart); err != nil {
		t.Errorf("after the reader wrote: %v", err)
	}
	fake.CloseWindow("42")
	if _, err := s.Send(context.Background(), reader, digestPart); !errors.As(err, &se) || !se.Closed {
		t.Errorf("a window the relay closed: %v", err)
	}
}
