// Submitting documents to the daemon, shared by `audit` and `check`: files
// and folders expanded, release metadata from a manifest, the batch streamed
// to AuditDocuments with a progress bar on a terminal.
#ifndef RA_CLIENT_COMMANDS_SUBMIT_H_
#define RA_CLIENT_COMMANDS_SUBMIT_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cli.h"

namespace ra::cli {

// One document to submit.
struct SubmitJob {
  std::string path;
  v1::DocumentMetadata metadata;
};

// The rows of a --manifest by case number, for the release check
// (CheckRelease): every row, submitted or not, in the request sent once
// the batch is stored (built while the batch is prepared, so the check
// does not wait for a copy of every row).
struct ManifestListing {
  std::map<std::string, v1::CheckReleaseRequest> by_case;
};

// Jobs handed from PrepareJobs, on a thread of its own, to SubmitBatch while
// they are made: the batch's first document is sent once the first 64
// files are matched to the manifest, not once every file is (matching the
// dev corpus's 15,948 took 46 ms). Job i may be read once Wait(i) returns
// true. The vector holding the jobs must not move meanwhile: PrepareJobs
// reserves it before the first job, and the sender reads job i through
// operator[] (the vector's start) only, never its size.
class JobFeed {
 public:
  // The first `count` jobs are ready.
  void Publish(size_t count);
  // Every job is published; Wait no longer blocks.
  void Close();
  // Waits until job i is ready (true) or the feed closes without it (false).
  bool Wait(size_t i);

 private:
  std::atomic<size_t> published_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool closed_ = false;
};

// Reads a whole file; false with `error` ("cannot open file", ...).
bool ReadAll(const std::string& path, std::string* out, std::string* error);

// Expands args.positional (files; folders to their *.txt files, sorted) and
// applies --manifest, --case and --release. Files the manifest does not list
// are reported on stderr and counted in `rejected`. Returns an error message
// (usage error) or "" on success.
// With a --manifest and a non-null `listing`, also fills `listing` (rows
// without a case number take --case).
// With a `feed`, publishes the jobs to it as they are made when no usage
// error can follow (--case given, or every manifest row names its case),
// else all at once at the end; closes it before returning in every case.
std::string PrepareJobs(const Args& args, std::vector<SubmitJob>* jobs,
                        size_t* rejected, ManifestListing* listing = nullptr,
                        JobFeed* feed = nullptr);

// Runs the release check (CheckRelease rpc) of each case of `listing`, in
// case order. Stops at the first failing call.
absl::StatusOr<std::vector<v1::CheckReleaseResponse>> CheckReleases(
    Connection& conn, const ManifestListing& listing);

// The jobs whose content (SHA-256) the daemon does not already store for
// their case and document; `skipped` counts the others. Files that cannot
// be read are kept (the batch reports them).
absl::StatusOr<std::vector<SubmitJob>> SkipStored(Connection& conn,
                                                  std::vector<SubmitJob> jobs,
                                                  size_t* skipped);

// Progress on a terminal: counts, rate and ETA, redrawn in place on stderr.
// Does nothing when disabled (output not a terminal, --quiet, JSON output).
class Progress {
 public:
  Progress(size_t total, bool enabled);
  void Update(size_t done, size_t rejected);
  // Erases the bar so that a message can be printed on a clean line.
  void Clear();

 private:
  size_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

// Streams `jobs` to AuditDocumentGroups (AuditDocuments on a daemon without
// it); calls `on_response` for each response (completion order) and
// `on_unreadable(index, message)` for files that could not be read (not
// sent). Updates `progress`. Returns the stream's final status.
// `brief_results`: the caller reads only the disposition and each
// finding's rule, severity and status (AuditDocumentGroup.brief_results;
// a daemon without groups sends full results).
// With a `feed`, `jobs` is still being filled: job i is sent once the feed
// has it, and the batch ends when the feed closes.
grpc::Status SubmitBatch(
    Connection& conn, const std::vector<SubmitJob>& jobs, Progress& progress,
    const std::function<void(const v1::AuditDocumentsResponse&)>& on_response,
    const std::function<void(size_t, const std::string&)>& on_unreadable,
    bool brief_results = false, JobFeed* feed = nullptr);

}  // namespace ra::cli

#endif  // RA_CLIENT_COMMANDS_SUBMIT_H_
