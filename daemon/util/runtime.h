// Process-wide runtime settings shared by the daemon and the CLI.
#ifndef RA_UTIL_RUNTIME_H_
#define RA_UTIL_RUNTIME_H_

namespace ra {

// Debian builds abseil without NDEBUG, so every absl::Mutex (gRPC 1.51's
// locks are absl::Mutex too) records lock order for deadlock detection: a
// lock pair costs about 4 times as much (194 vs 45 ns, measured on this
// project's build machine). Release builds (NDEBUG) turn the detection off,
// as abseil's own release default does; debug builds keep it. Call first
// thing in main, before any thread starts.
void UseReleaseMutexSettings();

}  // namespace ra

#endif  // RA_UTIL_RUNTIME_H_
