package gen

import (
	"strconv"
	"time"
)

// fill appends a rendered template.
func (st *state) fill(buf []byte, t *template) []byte {
	for _, s := range t.segs {
		if s.slot == slotNone || (s.keep > 0 && st.r.float() < float64(s.keep)) {
			buf = append(buf, s.lit...)
			continue
		}
		buf = st.slot(buf, s)
	}
	return buf
}

// slot appends one word for s.slot. Skewed picks (zipf) make the front of a
// list common and its tail rare; uniform picks suit lists whose members are
// equally likely news places.
func (st *state) slot(buf []byte, s segment) []byte {
	v, r := &st.g.v, &st.r
	t := &st.g.topics[st.topics[st.cur]]
	switch s.slot {
	case slotCity:
		return append(buf, v.cityForms[r.intn(len(v.cityForms))]...)
	case slotDistrict:
		return append(buf, v.districts[r.skew(len(v.districts))]...)
	case slotTown:
		return append(buf, v.towns[r.intn(len(v.towns))]...)
	case slotVillage:
		buf = append(buf, v.villageA[r.intn(len(v.villageA))]...)
		if b := v.villageB[r.intn(len(v.villageB))]; b != "村" {
			buf = append(buf, b...)
		}
		return append(buf, "村"...)
	case slotPlace:
		switch u := r.float(); {
		case u < 0.4:
			return st.slot(buf, segment{slot: slotDistrict})
		case u < 0.7:
			return st.slot(buf, segment{slot: slotTown})
		}
		return st.slot(buf, segment{slot: slotCity})
	case slotPlaceSwap:
		if r.chance(0.75) {
			return st.slot(buf, segment{slot: slotDistrict})
		}
		return st.slot(buf, segment{slot: slotTown})
	case slotRiver:
		return append(buf, v.rivers[r.intn(len(v.rivers))]...)
	case slotLandmark:
		return append(buf, v.landmarks[r.intn(len(v.landmarks))]...)
	case slotZone:
		return append(buf, v.zones[r.skew(len(v.zones))]...)
	case slotCompany:
		if r.chance(0.6) {
			buf = append(buf, "梧州"...)
		} else {
			buf = append(buf, "广西"...)
		}
		buf = append(buf, v.brands[r.intn(len(v.brands))]...)
		buf = append(buf, v.trades[r.intn(len(v.trades))]...)
		return append(buf, "有限公司"...)
	case slotOrg:
		return append(buf, t.orgs[r.zipf(len(t.orgs))]...)
	case slotRole:
		if r.chance(0.5) {
			return append(buf, t.roles[r.intn(len(t.roles))]...)
		}
		return append(buf, v.roles[r.zipf(len(v.roles))]...)
	case slotPerson:
		buf = append(buf, v.surnames[r.zipf(len(v.surnames))]...)
		buf = append(buf, v.givenChars[r.intn(len(v.givenChars))]...)
		if r.chance(0.7) {
			buf = append(buf, v.givenChars[r.intn(len(v.givenChars))]...)
		}
		return buf
	case slotWord:
		if r.chance(st.focusP) {
			return append(buf, st.focus[st.cur]...)
		}
		return append(buf, t.words[r.zipf(len(t.words))]...)
	case slotWord2:
		return append(buf, t.words[r.zipf(len(t.words))]...)
	case slotN:
		return strconv.AppendInt(buf, int64(r.between(2, 99)), 10)
	case slotNN:
		return strconv.AppendInt(buf, int64(r.between(100, 9999)), 10)
	case slotPct:
		buf = strconv.AppendInt(buf, int64(r.between(1, 60)), 10)
		buf = append(buf, '.')
		buf = strconv.AppendInt(buf, int64(r.intn(10)), 10)
		return append(buf, '%')
	case slotMoney:
		if r.chance(0.5) {
			buf = strconv.AppendInt(buf, int64(r.between(1, 99)), 10)
			buf = append(buf, '.')
			buf = strconv.AppendInt(buf, int64(r.intn(10)), 10)
			return append(buf, "亿元"...)
		}
		buf = strconv.AppendInt(buf, int64(r.between(50, 9800)), 10)
		return append(buf, "万元"...)
	case slotDate:
		d := st.when.Add(-time.Duration(r.intn(3)) * 24 * time.Hour)
		buf = strconv.AppendInt(buf, int64(d.Month()), 10)
		buf = append(buf, "月"...)
		buf = strconv.AppendInt(buf, int64(d.Day()), 10)
		return append(buf, "日"...)
	case slotYear:
		y := st.year
		if r.chance(0.2) {
			y--
		}
		return strconv.AppendInt(buf, int64(y), 10)
	case slotMonth:
		return strconv.AppendInt(buf, int64(r.between(1, 12)), 10)
	case slotTemp:
		return strconv.AppendInt(buf, int64(r.between(35, 39)), 10)
	case slotTyphoon:
		return append(buf, v.typhoons[r.intn(len(v.typhoons))]...)
	case slotDigits:
		for k := 0; k < len(s.lit); k++ {
			d := r.intn(10)
			if k == 0 && len(s.lit) > 1 && d == 0 {
				d = 1
			}
			buf = append(buf, byte('0'+d))
		}
		return buf
	}
	return append(buf, s.lit...)
}
