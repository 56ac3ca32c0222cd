package config

import (
	"slices"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := map[string]struct {
		kind    Kind
		in      input
		wantErr string
		check   func(Value) bool
	}{
		"string keeps inner spaces":   {kind: String, in: input{text: "  a b "}, check: func(v Value) bool { return v.String() == "a b" }},
		"int":                         {kind: Int, in: input{text: "500"}, check: func(v Value) bool { return v.Int() == 500 }},
		"negative int":                {kind: Int, in: input{text: "-3"}, check: func(v Value) bool { return v.Int() == -3 }},
		"int with a unit":             {kind: Int, in: input{text: "500ms"}, wantErr: "not a whole number; write it like 42"},
		"float is not an int":         {kind: Int, in: input{text: "1.5"}, wantErr: "not a whole number; write it like 42"},
		"int too large":               {kind: Int, in: input{text: "99999999999999999999"}, wantErr: "number out of range"},
		"empty int":                   {kind: Int, in: input{text: ""}, wantErr: "not a whole number; write it like 42"},
		"bool 1":                      {kind: Bool, in: input{text: "1"}, check: func(v Value) bool { return v.Bool() }},
		"bool 0":                      {kind: Bool, in: input{text: "0"}, check: func(v Value) bool { return !v.Bool() }},
		"bool yes":                    {kind: Bool, in: input{text: "yes"}, check: func(v Value) bool { return v.Bool() }},
		"bool no":                     {kind: Bool, in: input{text: "no"}, check: func(v Value) bool { return !v.Bool() }},
		"bool ON":                     {kind: Bool, in: input{text: "ON"}, check: func(v Value) bool { return v.Bool() }},
		"bool off":                    {kind: Bool, in: input{text: "off"}, check: func(v Value) bool { return !v.Bool() }},
		"bool True":                   {kind: Bool, in: input{text: "True"}, check: func(v Value) bool { return v.Bool() }},
		"bool false":                  {kind: Bool, in: input{text: "false"}, check: func(v Value) bool { return !v.Bool() }},
		"bool maybe":                  {kind: Bool, in: input{text: "maybe"}, wantErr: "not a boolean; write true or false"},
		"duration":                    {kind: Duration, in: input{text: "1m30s"}, check: func(v Value) bool { return v.Duration() == 90*time.Second }},
		"duration in days":            {kind: Duration, in: input{text: "30d"}, check: func(v Value) bool { return v.Duration() == 30*24*time.Hour }},
		"duration text kept":          {kind: Duration, in: input{text: "30d"}, check: func(v Value) bool { return v.String() == "30d" }},
		"duration without unit":       {kind: Duration, in: input{text: "5"}, wantErr: "not a duration; write it like 5s or 1m30s"},
		"duration 5x":                 {kind: Duration, in: input{text: "5x"}, wantErr: "not a duration; write it like 5s or 1m30s"},
		"fractional days":             {kind: Duration, in: input{text: "1.5d"}, wantErr: "not a duration; write it like 5s or 1m30s"},
		"days that overflow":          {kind: Duration, in: input{text: "999999999d"}, wantErr: "not a duration; write it like 5s or 1m30s"},
		"days mixed with Go units":    {kind: Duration, in: input{text: "1d12h"}, wantErr: "not a duration; write it like 5s or 1m30s"},
		"list from commas":            {kind: List, in: input{text: " a, b ,,c "}, check: func(v Value) bool { return slices.Equal(v.List(), []string{"a", "b", "c"}) && v.String() == "a,b,c" }},
		"empty list":                  {kind: List, in: input{text: ""}, check: func(v Value) bool { return v.List() != nil && len(v.List()) == 0 }},
		"list from sequence":          {kind: List, in: input{seq: true, items: []string{"a,b", " c "}}, check: func(v Value) bool { return slices.Equal(v.List(), []string{"a,b", "c"}) }},
		"sequence for a single value": {kind: String, in: input{seq: true, items: []string{"a"}}, wantErr: "must be a single value, not a list"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			v, err := parse(tc.kind, tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("parse(%s, %+v) error = %v, want %q", tc.kind, tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse(%s, %+v): %v", tc.kind, tc.in, err)
			}
			if !tc.check(v) {
				t.Errorf("parse(%s, %+v) = %+v, not what the case expects", tc.kind, tc.in, v)
			}
		})
	}
}

func TestValue_ListIsACopy(t *testing.T) {
	v, err := parse(List, input{text: "a,b"})
	if err != nil {
		t.Fatal(err)
	}
	v.List()[0] = "changed"
	if got := v.List()[0]; got != "a" {
		t.Errorf("List()[0] = %q after a caller changed its copy, want %q", got, "a")
	}
}

func TestValue_WrongKindPanics(t *testing.T) {
	v, err := parse(String, input{text: "5"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Int() on a string value did not panic")
		}
	}()
	v.Int()
}
