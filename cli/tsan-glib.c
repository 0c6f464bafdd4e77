/* tsan-glib.c: in ThreadSanitizer builds only (meson.build adds it when b_sanitize=thread).
 *
 * GLib implements GMutex and GCond with futexes, which TSan cannot see, so every hand-off
 * through them (our lock, and the queue of GLib's thread pool) reads as a data race. These
 * wrappers take the place of GLib's functions for the calls our programs and GMime make, tell
 * TSan of the release and the acquire, and call GLib's. GLib's calls to itself bind inside
 * libglib (-Bsymbolic-functions), so the thread pool's hand-off of a job is wrapped too: the
 * push releases the job, the worker function acquires it. */
#include <glib.h>

#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

typedef void (*MutexFunc) (GMutex *);
typedef gboolean (*TrylockFunc) (GMutex *);
typedef void (*WaitFunc) (GCond *, GMutex *);
typedef gboolean (*WaitUntilFunc) (GCond *, GMutex *, gint64);

/* GLib's function @name, looked up once (an atomic: threads may race to look it up). */
#define REAL(name, type)                                                                           \
  static type real_ptr;                                                                            \
  type real = __atomic_load_n (&real_ptr, __ATOMIC_RELAXED);                                       \
  if (real == NULL)                                                                                \
  __atomic_store_n (&real_ptr, real = (type) dlsym (RTLD_NEXT, name), __ATOMIC_RELAXED)

void
g_mutex_lock (GMutex *mutex)
{
  REAL ("g_mutex_lock", MutexFunc);
  real (mutex);
  __tsan_acquire (mutex);
}

gboolean
g_mutex_trylock (GMutex *mutex)
{
  REAL ("g_mutex_trylock", TrylockFunc);
  if (!real (mutex))
    return FALSE;
  __tsan_acquire (mutex);
  return TRUE;
}

void
g_mutex_unlock (GMutex *mutex)
{
  REAL ("g_mutex_unlock", MutexFunc);
  __tsan_release (mutex);
  real (mutex);
}

void
g_cond_wait (GCond *cond, GMutex *mutex)
{
  REAL ("g_cond_wait", WaitFunc);
  __tsan_release (mutex);
  real (cond, mutex);
  __tsan_acquire (mutex);
}

gboolean
g_cond_wait_until (GCond *cond, GMutex *mutex, gint64 end_time)
{
  gboolean signalled;

  REAL ("g_cond_wait_until", WaitUntilFunc);
  __tsan_release (mutex);
  signalled = real (cond, mutex, end_time);
  __tsan_acquire (mutex);
  return signalled;
}

typedef gboolean (*PushFunc) (GThreadPool *, gpointer, GError **);
typedef GThreadPool *(*NewFunc) (GFunc, gpointer, gint, gboolean, GError **);

gboolean
g_thread_pool_push (GThreadPool *pool, gpointer data, GError **error)
{
  REAL ("g_thread_pool_push", PushFunc);
  __tsan_release (data);
  return real (pool, data, error);
}

typedef struct {
  GFunc func;
  gpointer user_data;
} Worker;

static void
acquire_and_run (gpointer data, gpointer user_data)
{
  Worker *worker = user_data;

  __tsan_acquire (data);
  worker->func (data, worker->user_data);
}

/* The Worker lives as long as the program (a pool's user data cannot be freed with it). */
GThreadPool *
g_thread_pool_new (GFunc func, gpointer user_data, gint max_threads, gboolean exclusive,
                   GError **error)
{
  Worker *worker = g_new (Worker, 1);

  REAL ("g_thread_pool_new", NewFunc);
  worker->func = func;
  worker->user_data = user_data;
  return real (acquire_and_run, worker, max_threads, exclusive, error);
}
