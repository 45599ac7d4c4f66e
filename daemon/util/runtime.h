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

// The daemon allocates each document's text, lines and passage in one
// stage and frees them in another, thousands a second, next to a passage
// index that grows to a few hundred MB. With glibc's defaults a heap grows
// and shrinks in small steps and its memory lies in 4 KB pages: a full
// dev-corpus audit took about 98,000 page faults, and the random reads of
// the index and SQLite's pages miss the TLB. These settings grow a heap 64
// MB at a time and trim it only when 256 MB sit free at its top, so that
// with transparent huge pages (ReexecWithHugePageMalloc) the heaps lie in
// 2 MB pages: about 2,000 faults and 10% less daemon CPU for the same audit
// (README, Performance). Call first thing in main, before any thread starts.
void UseDaemonMallocSettings();

// glibc reads its malloc tunables from GLIBC_TUNABLES only when a program
// starts. Unless GLIBC_TUNABLES already names glibc.malloc.hugetlb (set it
// to 0 to opt out) or the kernel has transparent huge pages turned off,
// this starts the same executable again, in the same process (same pid,
// arguments and environment), with glibc.malloc.hugetlb=1 added, which
// makes malloc ask for transparent huge pages for its heaps. Returns only
// when nothing was done or the exec failed (the program then runs with 4
// KB pages). Call first thing in main.
void ReexecWithHugePageMalloc(char** argv);

}  // namespace ra

#endif  // RA_UTIL_RUNTIME_H_
