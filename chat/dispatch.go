package chat

import (
	"context"
	"runtime"
	"sync"
)

// Dispatcher runs a transport's updates through a Handler with a few
// workers. Updates of one chat are handled one at a time, in the order they
// arrived, so "订阅 工业" then "我的订阅" is answered in that order; updates
// of different chats run in parallel. Waiting chats are served first come,
// first served, which keeps the slowest answers close to the typical ones
// under load.
type Dispatcher struct {
	Handler Handler
	// Workers is how many updates are handled at once; default twice the
	// number of CPUs. SQLite has one writer, so more would only queue.
	Workers int
	// Reply receives each update's answers, from a worker goroutine.
	Reply func(ctx context.Context, u Update, replies []Message)
}

// Run handles updates until the channel closes, then finishes the queued
// ones; or until ctx ends, then drops the queued ones and waits only for
// those in progress.
func (d *Dispatcher) Run(ctx context.Context, updates <-chan Update) {
	workers := d.Workers
	if workers <= 0 {
		workers = 2 * runtime.GOMAXPROCS(0)
	}
	q := &chatQueue{pending: map[Key][]Update{}}
	q.ready = sync.NewCond(&q.mu)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				u, ok := q.next()
				if !ok {
					return
				}
				replies := d.Handler.Handle(ctx, u)
				if d.Reply != nil {
					d.Reply(ctx, u, replies)
				}
				q.done(u.Chat)
			}
		}()
	}
	for {
		select {
		case u, ok := <-updates:
			if ok {
				q.push(u)
				continue
			}
			q.close(false)
		case <-ctx.Done():
			q.close(true)
		}
		wg.Wait()
		return
	}
}

// chatQueue holds updates per chat and a first-come queue of chats that
// have work and no update in progress.
type chatQueue struct {
	mu      sync.Mutex
	ready   *sync.Cond
	pending map[Key][]Update // per chat, oldest first; present while busy or waiting
	busy    map[Key]bool
	order   []Key // chats with pending work that no worker holds
	closed  bool
}

func (q *chatQueue) push(u Update) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.busy == nil {
		q.busy = map[Key]bool{}
	}
	if len(q.pending[u.Chat]) == 0 && !q.busy[u.Chat] {
		q.order = append(q.order, u.Chat)
	}
	q.pending[u.Chat] = append(q.pending[u.Chat], u)
	q.ready.Signal()
}

// next blocks until a chat is ready and returns its oldest update, or
// returns false once the queue is closed and empty.
func (q *chatQueue) next() (Update, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.order) == 0 {
		if q.closed {
			return Update{}, false
		}
		q.ready.Wait()
	}
	chat := q.order[0]
	q.order = q.order[1:]
	u := q.pending[chat][0]
	q.pending[chat] = q.pending[chat][1:]
	q.busy[chat] = true
	return u, true
}

// done releases a chat; if it has more updates it queues again at the end.
func (q *chatQueue) done(chat Key) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.busy, chat)
	if len(q.pending[chat]) > 0 {
		q.order = append(q.order, chat)
		q.ready.Signal()
	} else {
		delete(q.pending, chat)
	}
}

// close stops the queue; with drop, updates not yet started are dropped.
func (q *chatQueue) close(drop bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	if drop {
		q.order = nil
	}
	q.ready.Broadcast()
}
