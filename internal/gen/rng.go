package gen

// rng is a splitmix64 stream. It is a value type so each post can own one
// on the stack: math/rand/v2 sources are pointers and would cost an
// allocation per post, which matters at 100k posts per benchmark run.
type rng struct{ s uint64 }

// Separate streams keep decisions independent: changing how a body is
// built must not move dates or reprint choices, and vice versa.
const (
	streamContent uint64 = iota + 1
	streamDate
	streamReprint
	streamShape
)

func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// newRNG derives a stream from (seed, i, stream) alone, which is what makes
// Post(i) independent of call order.
func newRNG(seed int64, i int, stream uint64) rng {
	return rng{s: mix64(uint64(seed)^0x9e3779b97f4a7c15) ^ mix64(uint64(i)*0x2545f4914f6cdd1d+stream)}
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix64(r.s)
}

// intn returns a value in [0, n); n must be positive and below 2^32.
func (r *rng) intn(n int) int {
	return int((r.next() >> 32) * uint64(n) >> 32)
}

// between returns a value in [lo, hi].
func (r *rng) between(lo, hi int) int {
	return lo + r.intn(hi-lo+1)
}

func (r *rng) float() float64 {
	return float64(r.next()>>11) / (1 << 53)
}

func (r *rng) chance(p float64) bool {
	return r.float() < p
}

// zipf picks an index in [0, n) that favours the front of a list, so the
// first words of a vocabulary list are common and the tail is rare.
func (r *rng) zipf(n int) int {
	u := r.float()
	return int(float64(n) * u * u * u)
}

// skew favours the front of a list less strongly than zipf.
func (r *rng) skew(n int) int {
	u := r.float()
	return int(float64(n) * u * u)
}
