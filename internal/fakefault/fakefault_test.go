package fakefault

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestQueueUsesFaultsInOrderAndForgetsThemWhenUsedUp(t *testing.T) {
	var q Queue
	q.Add(Fault{Key: "send", Times: 2, Code: 1})
	q.Add(Fault{Key: "", Times: 1, Status: 502})
	q.Add(Fault{Key: "sync", Times: -1, Drop: true})
	var got []string
	for _, key := range []string{"send", "sync", "send", "send", "sync", "sync", "send"} {
		f, _ := q.Take(key)
		got = append(got, key+":"+describe(f))
	}
	want := "send:code 1 sync:status 502 send:code 1 send:none sync:drop sync:drop send:none"
	if strings.Join(got, " ") != want {
		t.Errorf("took %q, want %q", strings.Join(got, " "), want)
	}
}

func describe(f Fault) string {
	switch {
	case f.Code != 0:
		return fmt.Sprint("code ", f.Code)
	case f.Status != 0:
		return "status 502"
	case f.Drop:
		return "drop"
	}
	return "none"
}

func TestClearEndsDelaysAndFaults(t *testing.T) {
	var q Queue
	q.Add(Fault{Times: -1, Delay: time.Hour})
	f, release := q.Take("any")
	if f.Delay != time.Hour {
		t.Fatalf("took %+v", f)
	}
	q.Clear()
	select {
	case <-release:
	default:
		t.Error("Clear did not close the release channel of a delay under way")
	}
	if f, _ := q.Take("any"); f != (Fault{}) {
		t.Errorf("after Clear took %+v", f)
	}
}

func TestCheck(t *testing.T) {
	known := func(k string) bool { return k == "send" }
	for _, tc := range []struct {
		f    Fault
		want string
	}{
		{Fault{Key: "send", Times: 1, Code: 5}, ""},
		{Fault{Times: -1, Delay: time.Second}, ""},
		{Fault{Key: "send", Times: 1, Code: 5, Drop: true}, "choose one of Errcode, Status and Drop"},
		{Fault{Key: "send", Times: 1}, "does nothing"},
		{Fault{Key: "send", Times: 1, Delay: -1, Code: 1}, "negative delay"},
		{Fault{Key: "send", Times: -2, Code: 1}, "times -2"},
		{Fault{Key: "send", Times: 1, Status: 302}, "status 302 is not an error"},
		{Fault{Key: "recv", Times: 1, Code: 1}, `unknown endpoint "recv"`},
	} {
		err := Check(tc.f, "fakex", "Errcode", known)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", tc.f, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "fakex: unable to add fault: ")):
			t.Errorf("%+v: %v, want %q", tc.f, err, tc.want)
		}
	}
}

func TestWriteStatusAndDrop(t *testing.T) {
	w := httptest.NewRecorder()
	WriteStatus(w, http.StatusBadGateway)
	if w.Code != 502 || !strings.Contains(w.Body.String(), "502 Bad Gateway") || w.Header().Get("Content-Type") != "text/html" {
		t.Errorf("WriteStatus wrote %d %q", w.Code, w.Body)
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { Drop(w) }))
	defer hs.Close()
	if resp, err := http.Get(hs.URL); err == nil {
		resp.Body.Close()
		t.Errorf("a dropped connection answered %d", resp.StatusCode)
	}
}
