/* poll.h — I/O readiness for drivers (epoll).  A driver registers an fd
 * with a callback; tb_poll_wait() blocks until an fd is ready or a timeout
 * passes and runs the callbacks (level-triggered: a callback that does not
 * drain its fd is called again on the next wait).  Files that epoll refuses
 * (regular files, /dev/null) count as always ready.  One scheduler: no
 * locking; with SMP one thread will own the poll set. */
#ifndef TB_POLL_H
#define TB_POLL_H
#include <stdbool.h>
#include <stdint.h>

#define TB_POLL_IN  1u
#define TB_POLL_OUT 2u

/* events: what is ready (TB_POLL_IN / TB_POLL_OUT; errors and hang-ups
 * are reported as both, so that a read or write finds them). */
typedef void (*TbPollFn)(int fd, unsigned events, void *arg);

/* Watch fd for `events` (replacing what was watched); events 0 stops
 * watching but keeps nothing.  `passive` registrations (a reaper waiting
 * for an orphaned child) do not keep the VM from ending as deadlocked.
 * Returns false (errno set) if the fd cannot be watched at all. */
bool tb_poll_set(int fd, unsigned events, TbPollFn fn, void *arg, bool passive);
void tb_poll_del(int fd);

/* Wait up to timeout_ns (< 0: until something happens; 0: just check) and
 * run the callbacks of ready fds and expired poll timers.  Returns how many
 * callbacks ran.  Without registrations it just sleeps the timeout. */
int tb_poll_wait(int64_t timeout_ns);

/* True while an active fd or timer is registered: something may still
 * wake a process, so waiting is not a deadlock. */
bool tb_poll_active(void);

/* Ignore SIGPIPE (once), as ERTS does before any port opens. */
void tb_ignore_sigpipe(void);

/* One-shot timers for drivers (driver_set_timer): fire from tb_poll_wait.
 * A key identifies the timer (one per key); setting again re-arms it. */
void tb_poll_timer_set(void *key, uint64_t expire_ns, void (*fn)(void *key));
void tb_poll_timer_cancel(void *key);
/* Monotonic expiry of the earliest poll timer, or UINT64_MAX. */
uint64_t tb_poll_timer_next(void);
#endif
