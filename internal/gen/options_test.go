package gen

import (
	"os"
	"testing"
	"time"
)

func TestOptionsValidate(t *testing.T) {
	cases := map[string]struct {
		change  func(*Options)
		wantErr bool
	}{
		"defaults":             {func(*Options) {}, false},
		"no reprints":          {func(o *Options) { o.ReprintFraction = 0 }, false},
		"end before start":     {func(o *Options) { o.End = o.Start.Add(-time.Hour) }, true},
		"zero start":           {func(o *Options) { o.Start = time.Time{} }, true},
		"zero rate":            {func(o *Options) { o.PerDay = 0 }, true},
		"negative reprints":    {func(o *Options) { o.ReprintFraction = -0.1 }, true},
		"too many backdated":   {func(o *Options) { o.BackdateFraction = 0.9 }, true},
		"NaN reprint fraction": {func(o *Options) { o.ReprintFraction = nan() }, true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			o := DefaultOptions(1)
			c.change(&o)
			_, err := NewWithOptions(os.DirFS("../sample/finews"), o)
			if (err != nil) != c.wantErr {
				t.Errorf("NewWithOptions error = %v, want error %v", err, c.wantErr)
			}
		})
	}
}

func nan() float64 {
	zero := 0.0
	return zero / zero
}

func TestOptionsSpan(t *testing.T) {
	o := DefaultOptions(1)
	o.Start = time.Date(2024, 1, 1, 0, 0, 0, 0, shanghai())
	o.End = time.Date(2024, 2, 1, 0, 0, 0, 0, shanghai())
	o.PerDay = 5
	g, err := NewWithOptions(os.DirFS("../sample/finews"), o)
	if err != nil {
		t.Fatalf("NewWithOptions: %v", err)
	}
	if c := g.Capacity(); c < 140 || c > 155 {
		t.Errorf("Capacity() = %d, want about 31 days × 5", c)
	}
	for i := range g.Capacity() {
		if p := g.Post(i).Published; p.Before(o.Start) || !p.Before(o.End) {
			t.Fatalf("post %d published %v, outside [%v, %v)", i, p, o.Start, o.End)
		}
	}
}

func TestFitEndsAnyCorpusBeforeEnd(t *testing.T) {
	for _, n := range []int{10, 100000, 300000} {
		o := DefaultOptions(1).Fit(n)
		g, err := NewWithOptions(os.DirFS("../sample/finews"), o)
		if err != nil {
			t.Fatalf("NewWithOptions: %v", err)
		}
		if c := g.Capacity(); c < n {
			t.Errorf("%d posts: capacity %d", n, c)
		}
		for _, i := range []int{0, n / 2, n - 1} {
			if p := g.Post(i).Published; p.Before(o.Start) || !p.Before(o.End) {
				t.Errorf("%d posts: post %d published %v, outside [%v, %v)", n, i, p, o.Start, o.End)
			}
		}
		if d := DefaultOptions(1); n <= 100000 && !o.Start.Equal(d.Start) {
			t.Errorf("%d posts fit the default span, yet Start moved to %v", n, o.Start)
		}
	}
}
