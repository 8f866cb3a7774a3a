/* tests/faults/fault_shim.c — an LD_PRELOAD library for the fault-injection tests
 * (issue 15). It counts the calls that change files — write, pwrite, writev, fwrite,
 * fflush, fsync, fdatasync, ftruncate, rename, unlink — and at the Nth one either
 * kills the process (SIGKILL: nothing is flushed, exactly like a power cut for the
 * process) or makes that one call fail with EIO or ENOSPC.
 *
 *   TROVE_FAULT=kill:N | eio:N | enospc:N   (N counts from 1)
 *   TROVE_FAULT_COUNT=FILE                  at exit, writes the number of calls seen
 *
 * Writes to stdin/stdout/stderr are not counted: they change no file of the library.
 * Test-only code: it is never linked into trove. C, because an interposer must not
 * depend on the C++ runtime being initialised. */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier): feature-test macro for RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum Mode { kNone, kKill, kEio, kEnospc };

static enum Mode g_mode = kNone;
static long g_at = 0;
static atomic_long g_count = 0;
static const char* g_count_file = NULL;

__attribute__((constructor)) static void shim_init(void) {
  const char* f = getenv("TROVE_FAULT");
  g_count_file = getenv("TROVE_FAULT_COUNT");
  if (f == NULL) return;
  const char* colon = strchr(f, ':');
  if (colon == NULL) return;
  char* end = NULL;
  errno = 0;
  const long at = strtol(colon + 1, &end, 10);
  if (end == colon + 1 || *end != '\0' || errno == ERANGE) {
    fprintf(stderr, "fault_shim: TROVE_FAULT=%s: expected a count after ':'; no fault\n", f);
    return;
  }
  g_at = at;
  if (strncmp(f, "kill:", 5) == 0) g_mode = kKill;
  if (strncmp(f, "eio:", 4) == 0) g_mode = kEio;
  if (strncmp(f, "enospc:", 7) == 0) g_mode = kEnospc;
}

__attribute__((destructor)) static void shim_fini(void) {
  if (g_count_file == NULL) return;
  FILE* out = fopen(g_count_file, "w");
  if (out == NULL) return;
  fprintf(out, "%ld\n", atomic_load(&g_count));
  fclose(out);
}

/* Returns 0 to go on, or -1 (errno set) to fail this call. */
static int point(void) {
  long n = atomic_fetch_add(&g_count, 1) + 1;
  if (g_mode == kNone || n != g_at) return 0;
  if (g_mode == kKill) {
    kill(getpid(), SIGKILL);
    for (;;) pause();
  }
  errno = g_mode == kEio ? EIO : ENOSPC;
  return -1;
}

#define REAL(name)                      \
  static __typeof__(name)* real_##name; \
  if (!real_##name) real_##name = (__typeof__(name)*)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void* buf, size_t n) {
  REAL(write);
  if (fd > 2 && point() != 0) return -1;
  return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
  REAL(pwrite);
  if (fd > 2 && point() != 0) return -1;
  return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t off) {
  REAL(pwrite64);
  if (fd > 2 && point() != 0) return -1;
  return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec* iov, int cnt) {
  REAL(writev);
  if (fd > 2 && point() != 0) return -1;
  return real_writev(fd, iov, cnt);
}

static int is_std_stream(FILE* f) {
  return f == NULL || f == stdout || f == stderr || f == stdin;
}

size_t fwrite(const void* p, size_t size, size_t n, FILE* f) {
  REAL(fwrite);
  if (!is_std_stream(f) && point() != 0) return 0;
  return real_fwrite(p, size, n, f);
}

int fflush(FILE* f) {
  REAL(fflush);
  if (!is_std_stream(f) && point() != 0) return EOF;
  return real_fflush(f);
}

int fsync(int fd) {
  REAL(fsync);
  if (point() != 0) return -1;
  return real_fsync(fd);
}

int fdatasync(int fd) {
  REAL(fdatasync);
  if (point() != 0) return -1;
  return real_fdatasync(fd);
}

int ftruncate(int fd, off_t len) {
  REAL(ftruncate);
  if (point() != 0) return -1;
  return real_ftruncate(fd, len);
}

int ftruncate64(int fd, off64_t len) {
  REAL(ftruncate64);
  if (point() != 0) return -1;
  return real_ftruncate64(fd, len);
}

int rename(const char* from, const char* to) {
  REAL(rename);
  if (point() != 0) return -1;
  return real_rename(from, to);
}

int renameat(int a, const char* from, int b, const char* to) {
  REAL(renameat);
  if (point() != 0) return -1;
  return real_renameat(a, from, b, to);
}

int unlink(const char* path) {
  REAL(unlink);
  if (point() != 0) return -1;
  return real_unlink(path);
}
