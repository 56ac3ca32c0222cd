package fakewechat

import (
	"errors"
	"testing"
	"time"

	"github.com/eatmoreapple/openwechat"
)

// Session expiry mid-run: the held synccheck answers retcode 1101 at once;
// openwechat's default MessageErrorHandler returns it, the loop calls
// ExitWith: LogoutCallBack runs, Alive turns false and CrashReason is Ret
// 1101. Block would return it too, but a Block running while the loop
// exits is a data race inside openwechat v1.4.10 (Exit writes bot.self,
// which Block read, unsynchronised), so the test calls Block only after
// LogoutCallBack, when it reports that nobody is logged in.
func TestExpiry_StopsBot(t *testing.T) {
	opts := testOptions()
	opts.SyncHold = time.Minute // the answer must come from the expiry, not the hold
	s := startFake(t, opts)
	held := holds(s)
	tb := login(t, s)
	waitHeld(t, held, "synccheck")

	start := time.Now()
	if err := s.Expire(); err != nil {
		t.Fatal(err)
	}
	if !closed(tb.logout) {
		t.Fatal("deadlocked: LogoutCallBack not called after expiry")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("bot stopped %v after expiry, want at once", d)
	}
	var ret openwechat.Ret
	if err := tb.CrashReason(); !errors.As(err, &ret) || ret != 1101 || err.Error() != "failed login check" {
		t.Errorf("CrashReason = %v, want Ret 1101 failed login check", err)
	}
	if tb.Alive() {
		t.Error("bot alive after expiry")
	}
	if err := tb.Block(); err == nil || err.Error() != "`Block` must be called after user login" {
		t.Errorf("Block after the exit = %v, want the not-logged-in error", err)
	}
}

// Logging out on the phone answers retcode 1100, which MessageErrorHandler
// sees before the bot stops.
func TestLogoutFromPhone(t *testing.T) {
	s := startFake(t, testOptions())
	tb := newBot(t, s)
	tb.confirmEachQR(t, s)
	errs := make(chan error, 16)
	tb.MessageErrorHandler = func(err error) error {
		errs <- err
		var ret openwechat.Ret
		if errors.As(err, &ret) && ret >= 1100 && ret <= 1102 {
			return err
		}
		return nil
	}
	if err := tb.Login(); err != nil {
		t.Fatal(err)
	}
	if err := s.LogoutFromPhone(); err != nil {
		t.Fatal(err)
	}
	if !closed(tb.logout) {
		t.Fatal("deadlocked: LogoutCallBack not called")
	}
	var ret openwechat.Ret
	if err := <-errs; !errors.As(err, &ret) || ret != 1100 || err.Error() != "failed login warn" {
		t.Errorf("MessageErrorHandler got %v, want Ret 1100 failed login warn", err)
	}
	if err := tb.CrashReason(); !errors.As(err, &ret) || ret != 1100 {
		t.Errorf("CrashReason = %v, want Ret 1100", err)
	}
}

// bot.Logout calls webwxlogout, which ends the session; the bot exits with
// ErrUserLogout. The test logs out while a synccheck is held: a synccheck
// that reaches the service after the logout is answered 1101, and then
// openwechat's loop calls ExitWith(Ret 1101) while Logout calls
// ExitWith(ErrUserLogout), a data race inside the library.
func TestBotLogout(t *testing.T) {
	opts := testOptions()
	opts.SyncHold = time.Minute
	s := startFake(t, opts)
	held := holds(s)
	tb := login(t, s)
	waitHeld(t, held, "synccheck")
	if err := tb.Logout(); err != nil {
		t.Fatalf("logout: %v", err)
	}
	if !errors.Is(tb.CrashReason(), openwechat.ErrUserLogout) {
		t.Errorf("CrashReason = %v, want ErrUserLogout", tb.CrashReason())
	}
	if info, _ := s.Session(); info.Ended != 1101 {
		t.Errorf("session ended with %d, want 1101", info.Ended)
	}
	if s.Count("webwxlogout") != 1 {
		t.Errorf("%d webwxlogout calls, want 1", s.Count("webwxlogout"))
	}
}
