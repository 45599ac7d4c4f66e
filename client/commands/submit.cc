#include "commands/submit.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "commands/listing.h"
#include "grpcpp/grpcpp.h"
#include "ingest/manifest.h"
#include "util/sha256.h"

namespace ra::cli {
namespace fs = std::filesystem;

namespace {

// The last component of a path ("a/b.txt" -> "b.txt").
std::string_view FileName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The file name without its last extension, as std::filesystem's stem():
// "a/b.txt" -> "b", "a/.hidden" -> ".hidden", "a/.." -> "..".
std::string_view FileStem(std::string_view path) {
  const std::string_view name = FileName(path);
  if (name == "." || name == "..") return name;
  const size_t dot = name.rfind('.');
  return dot == 0 || dot == std::string_view::npos ? name : name.substr(0, dot);
}

v1::DocumentMetadata ToProto(const ReleaseMetadata& md) {
  v1::DocumentMetadata out;
  out.set_case_number(md.case_number);
  out.set_doc_number(md.doc_number);
  out.set_release(md.release);
  out.set_release_date(md.release_date);
  out.set_document_date(md.document_date);
  out.set_request_date(md.request_date);
  if (md.disposition) {
    switch (*md.disposition) {
      case Disposition::kNone:
        out.set_disposition(v1::NONE);
        break;
      case Disposition::kFull:
        out.set_disposition(v1::FULL);
        break;
      case Disposition::kPart:
        out.set_disposition(v1::PART);
        break;
      case Disposition::kDenied:
        out.set_disposition(v1::DENIED);
        break;
    }
  }
  for (const auto& c : md.claimed_exemptions) out.add_claimed_exemptions(c);
  out.set_page_count(md.page_count);
  return out;
}

}  // namespace

void JobFeed::Publish(size_t count) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    published_.store(count, std::memory_order_release);
  }
  cv_.notify_all();
}

void JobFeed::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

bool JobFeed::Wait(size_t i) {
  if (i < published_.load(std::memory_order_acquire)) return true;
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return closed_ || i < published_.load(std::memory_order_relaxed); });
  return i < published_.load(std::memory_order_relaxed);
}

bool ReadAll(const std::string& path, std::string* out, std::string* error) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot open file";
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    *error = "cannot read file";
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    *error = "is a folder, not a file";
    return false;
  }
  // A regular file is read into a buffer of its size in one go (a batch
  // reads every file of a release once: open, fstat, two reads); a pipe, a
  // /proc file or a file that grows meanwhile is read on to its end.
  out->clear();
  out->resize(S_ISREG(st.st_mode) && st.st_size > 0
                  ? static_cast<size_t>(st.st_size) + 1
                  : size_t{4096});
  size_t size = 0;
  while (true) {
    if (size == out->size()) out->resize(2 * size);
    const ssize_t n = read(fd, out->data() + size, out->size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      out->clear();
      *error = "read error";
      return false;
    }
    if (n == 0) break;
    size += static_cast<size_t>(n);
  }
  close(fd);
  out->resize(size);
  return true;
}

std::string PrepareJobs(const Args& args, std::vector<SubmitJob>* jobs,
                        size_t* rejected, ManifestListing* listing, JobFeed* feed) {
  // Every return closes the feed; a successful one publishes every job
  // first (an error stops the batch before it is sent).
  struct Closer {
    JobFeed* feed;
    std::vector<SubmitJob>* jobs;
    bool ok = false;
    ~Closer() {
      if (feed == nullptr) return;
      if (ok) feed->Publish(jobs->size());
      feed->Close();
    }
  } closer{feed, jobs};
  // The manifest is read and parsed on a second thread while the folders
  // are listed: both come before the first document can be sent.
  std::optional<Manifest> manifest;
  std::string manifest_error;
  fs::path manifest_dir;
  std::thread manifest_reader;
  if (args.Has("manifest")) {
    manifest_reader = std::thread([&] {
      const std::string path = args.Get("manifest");
      std::string csv, error;
      if (!ReadAll(path, &csv, &error)) {
        manifest_error = absl::StrCat(path, ": ", error);
        return;
      }
      auto parsed = Manifest::Parse(csv, path);
      if (!parsed.ok()) {
        manifest_error = std::string(parsed.status().message());
        return;
      }
      manifest = std::move(*parsed);
      std::error_code ec;
      manifest_dir = fs::weakly_canonical(fs::path(path), ec).parent_path();
    });
  }
  std::vector<FoundFile> files;
  std::string error;
  const bool collected = CollectFiles(args.positional, &files, &error);
  if (manifest_reader.joinable()) manifest_reader.join();
  if (!collected) return error;
  if (files.empty()) return "no *.txt or *.pdf documents found in the given folders";
  if (!manifest_error.empty()) return manifest_error;

  // The release check's rows, built on a second thread while the files are
  // matched to the manifest.
  std::thread listing_builder;
  if (manifest) {
    for (const std::string& e : manifest->row_errors()) {
      std::cerr << "redaction-audit: " << e << "\n";
    }
    if (listing != nullptr) {
      listing_builder = std::thread([&] {
        const std::string default_case = args.Get("case");
        const std::string default_release = args.Get("release");
        for (const ManifestRow& row : manifest->rows()) {
          const std::string& case_number =
              row.metadata.case_number.empty() ? default_case : row.metadata.case_number;
          std::string_view doc = row.metadata.doc_number;
          if (doc.empty()) doc = FileStem(row.file);
          if (case_number.empty() || doc.empty()) continue;
          v1::CheckReleaseRequest& request = listing->by_case[case_number];
          if (request.name().empty()) request.set_name("cases/" + case_number);
          v1::ListedDocument& d = *request.add_documents();
          d.set_doc_number(std::string(doc));
          d.set_release(row.metadata.release.empty() ? default_release
                                                     : row.metadata.release);
          d.set_file(row.file);
          d.set_manifest_line(row.line);
        }
      });
    }
  }

  // A file's path relative to the manifest's folder, with symbolic links
  // resolved. Each folder is resolved once (a release holds thousands of
  // files in a few folders); a file that is itself a link is resolved alone.
  // Folder (as listed) -> its path relative to the manifest's folder with
  // a trailing '/', "" for the manifest's own folder; nullopt when there is
  // no relative path (the file's is then worked out whole, and is empty).
  std::map<std::string, std::optional<std::string>, std::less<>> relative_dirs;
  auto relative_path = [&](const FoundFile& file) -> std::string {
    const fs::path p(file.path);
    std::error_code ec;
    const std::string_view name = FileName(file.path);
    if (file.link || name.empty()) {
      return fs::weakly_canonical(p, ec).lexically_relative(manifest_dir).generic_string();
    }
    const std::string_view dir =
        std::string_view(file.path).substr(0, file.path.size() - name.size());
    auto it = relative_dirs.find(dir);
    if (it == relative_dirs.end()) {
      const fs::path canonical =
          fs::weakly_canonical(dir.empty() ? fs::path(".") : fs::path(dir), ec);
      std::optional<std::string> rel =
          canonical.lexically_relative(manifest_dir).generic_string();
      if (rel->empty()) {
        rel.reset();
      } else if (*rel == ".") {
        rel->clear();
      } else {
        *rel += '/';
      }
      it = relative_dirs.emplace(std::string(dir), std::move(rel)).first;
    }
    if (!it->second) {
      return fs::weakly_canonical(p, ec).lexically_relative(manifest_dir).generic_string();
    }
    std::string path = *it->second;
    path.append(name);
    return path;
  };
  std::vector<bool> used_rows(manifest ? manifest->rows().size() : 0, false);
  size_t used = 0;
  std::string usage_error;
  const std::string default_case = args.Get("case");
  const std::string default_release = args.Get("release");
  const std::string default_request_date = args.Get("request-date");
  // Jobs go to the feed as they are made only when no file can stop the
  // batch with a usage error (no case number) after the first documents
  // were sent.
  const bool publish_early =
      feed != nullptr &&
      (!default_case.empty() ||
       (manifest && std::all_of(manifest->rows().begin(), manifest->rows().end(),
                                [](const ManifestRow& row) {
                                  return !row.metadata.case_number.empty();
                                })));
  static const ReleaseMetadata kUnlisted;
  jobs->reserve(files.size());
  for (FoundFile& found : files) {
    const ReleaseMetadata* md = &kUnlisted;
    if (manifest) {
      const ManifestRow* row = manifest->Find(relative_path(found), FileStem(found.path));
      if (row == nullptr) {
        // One write: the batch may be streaming, and reporting, meanwhile.
        std::cerr << absl::StrCat("redaction-audit: ", found.path,
                                  ": rejected: no row in the manifest names this "
                                  "file or its doc number\n");
        ++*rejected;
        continue;
      }
      const size_t r = static_cast<size_t>(row - manifest->rows().data());
      if (!used_rows[r]) {
        used_rows[r] = true;
        ++used;
      }
      md = &row->metadata;
    }
    if (md->case_number.empty() && default_case.empty()) {
      usage_error = absl::StrCat(found.path, ": no case number: pass --case");
      break;
    }
    SubmitJob& job = jobs->emplace_back();
    job.path = std::move(found.path);
    job.metadata = ToProto(*md);
    if (md->case_number.empty()) job.metadata.set_case_number(default_case);
    if (md->release.empty()) job.metadata.set_release(default_release);
    if (md->request_date.empty()) job.metadata.set_request_date(default_request_date);
    if (publish_early && jobs->size() % 64 == 0) feed->Publish(jobs->size());
  }
  if (listing_builder.joinable()) listing_builder.join();
  if (!usage_error.empty()) return usage_error;
  if (manifest && listing == nullptr) {  // else the release check reports each
    const size_t unlisted = manifest->rows().size() - used;
    if (unlisted > 0 && !args.Flag("quiet")) {
      std::cerr << "redaction-audit: note: " << unlisted
                << " manifest rows name documents that were not submitted\n";
    }
  }
  closer.ok = true;
  return "";
}

absl::StatusOr<std::vector<v1::CheckReleaseResponse>> CheckReleases(
    Connection& conn, const ManifestListing& listing) {
  std::vector<v1::CheckReleaseResponse> out;
  for (const auto& [case_number, request] : listing.by_case) {
    grpc::ClientContext ctx;
    grpc::Status s = conn.stub->CheckRelease(&ctx, request, &out.emplace_back());
    if (s.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
      // A daemon older than the release check: the batch is stored anyway.
      std::cerr << "redaction-audit: note: the daemon has no release check ("
                << s.error_message() << "); manifest rows were not compared\n";
      out.pop_back();
      continue;
    }
    if (!s.ok()) {
      return absl::UnavailableError(absl::StrCat(
          "release check of case ", case_number, ": ", s.error_message()));
    }
  }
  return out;
}

absl::StatusOr<std::vector<SubmitJob>> SkipStored(Connection& conn,
                                                  std::vector<SubmitJob> jobs,
                                                  size_t* skipped) {
  std::set<std::string> cases, stored;  // stored: "cases/C/documents/D sha"
  for (const SubmitJob& job : jobs) cases.insert(job.metadata.case_number());
  for (const std::string& c : cases) {
    v1::ListStoredVersionsRequest request;
    request.set_parent("cases/" + c);
    v1::ListStoredVersionsResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = conn.stub->ListStoredVersions(&ctx, request, &response);
    if (!s.ok()) {
      return absl::UnavailableError(absl::StrCat(
          "--resume: cannot list stored versions of case ", c, ": ", s.error_message()));
    }
    for (const v1::StoredVersion& v : response.versions()) {
      stored.insert(absl::StrCat(v.document(), " ", v.sha256()));
    }
  }
  std::vector<SubmitJob> kept;
  *skipped = 0;
  for (SubmitJob& job : jobs) {
    std::string bytes, error;
    std::string doc = job.metadata.doc_number();
    if (doc.empty()) doc = fs::path(job.path).stem().string();
    if (ReadAll(job.path, &bytes, &error) &&
        stored.count(absl::StrCat("cases/", job.metadata.case_number(), "/documents/",
                                  doc, " ", Sha256Hex(bytes))) > 0) {
      ++*skipped;
      continue;
    }
    kept.push_back(std::move(job));
  }
  return kept;
}

Progress::Progress(size_t total, bool enabled)
    : total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

void Progress::Update(size_t done, size_t rejected) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double secs = std::chrono::duration<double>(now - start_).count();
  const double rate = secs > 0 ? done / secs : 0;
  const int width = 30;
  const int filled = total_ ? static_cast<int>(width * done / total_) : width;
  std::string bar(filled, '=');
  bar.resize(width, ' ');
  const double eta = rate > 0 ? (total_ - done) / rate : 0;
  std::fprintf(stderr, "\r[%s] %zu/%zu documents, %zu rejected, %.0f/s, ETA %d:%02d ",
               bar.c_str(), done, total_, rejected, rate,
               static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
  if (done == total_) std::fputc('\n', stderr);
  std::fflush(stderr);
}

void Progress::Clear() {
  if (enabled_) std::fputs("\r\033[K", stderr);
}

namespace {

// What the streams of one SubmitBatch share: the jobs, the callbacks and
// the counts shown by the progress bar. The writer and reader threads of a
// stream call it, one at a time.
class BatchRun {
 public:
  BatchRun(const std::vector<SubmitJob>& jobs, JobFeed* feed, Progress& progress,
           const std::function<void(const v1::AuditDocumentsResponse&)>& on_response,
           const std::function<void(size_t, const std::string&)>& on_unreadable)
      : jobs_(jobs),
        feed_(feed),
        progress_(progress),
        on_response_(on_response),
        on_unreadable_(on_unreadable) {}

  // Whether there is a job i (waiting for the feed to make it).
  bool Has(size_t i) { return feed_ != nullptr ? feed_->Wait(i) : i < jobs_.size(); }
  // Fills `request` with job i and its file; false for a file that cannot
  // be read, reported once (a second stream of the same batch, after a
  // daemon without AuditDocumentGroups, does not report it again).
  bool Prepare(size_t i, v1::AuditDocumentRequest* request) {
    std::string read_error;
    if (!ReadAll(jobs_[i].path, request->mutable_content(), &read_error)) {
      std::lock_guard<std::mutex> lock(mu_);
      if (reported_.size() <= i) reported_.resize(i + 1, false);
      if (reported_[i]) return false;
      reported_[i] = true;
      progress_.Clear();
      on_unreadable_(i, absl::StrCat(jobs_[i].path, ": rejected: ", read_error));
      ++done_;
      ++rejected_;
      progress_.Update(done_, rejected_);
      return false;
    }
    *request->mutable_metadata() = jobs_[i].metadata;
    request->set_file_name(jobs_[i].path);
    request->set_index(static_cast<int64_t>(i));
    return true;
  }
  // Results from the daemon, [begin, end).
  template <typename Iterator>
  void Answered(Iterator begin, Iterator end) {
    std::lock_guard<std::mutex> lock(mu_);
    for (; begin != end; ++begin) {
      const v1::AuditDocumentsResponse& response = *begin;
      ++answered_;
      ++done_;
      if (response.has_error()) {
        ++rejected_;
        progress_.Clear();
      }
      on_response_(response);
    }
    progress_.Update(done_, rejected_);
  }
  size_t answered() {
    std::lock_guard<std::mutex> lock(mu_);
    return answered_;
  }

 private:
  const std::vector<SubmitJob>& jobs_;
  JobFeed* const feed_;
  Progress& progress_;
  const std::function<void(const v1::AuditDocumentsResponse&)>& on_response_;
  const std::function<void(size_t, const std::string&)>& on_unreadable_;
  std::mutex mu_;
  std::vector<bool> reported_;  // grows to the last job reported
  size_t done_ = 0, rejected_ = 0, answered_ = 0;
};

// A group message is sent once it holds kGroupDocuments documents or
// kGroupBytes of them (content, names and metadata); a document that would
// take a group over kGroupBytes starts the next one, so a message is either
// at most about kGroupBytes or one document.
constexpr int kGroupDocuments = 64;
constexpr size_t kGroupBytes = 1 << 20;

grpc::Status StreamGroups(Connection& conn, BatchRun& run, bool brief_results) {
  grpc::ClientContext context;
  auto stream = conn.stub->AuditDocumentGroups(&context);
  std::thread writer([&] {
    v1::AuditDocumentGroup group;
    size_t bytes = 0;
    bool open = true;
    auto flush = [&] {
      if (open && group.documents_size() > 0) open = stream->Write(group);
      group.Clear();
      group.set_brief_results(brief_results);
      bytes = 0;
    };
    group.set_brief_results(brief_results);
    v1::AuditDocumentRequest request;
    for (size_t i = 0; open && run.Has(i); ++i) {
      if (!run.Prepare(i, &request)) continue;
      const size_t size = request.ByteSizeLong();
      if (bytes > 0 && bytes + size > kGroupBytes) flush();
      *group.add_documents() = std::move(request);
      request.Clear();
      bytes += size;
      if (group.documents_size() >= kGroupDocuments || bytes >= kGroupBytes) flush();
    }
    flush();
    stream->WritesDone();
  });
  v1::AuditDocumentGroupResults results;
  while (stream->Read(&results)) {
    run.Answered(results.results().begin(), results.results().end());
  }
  writer.join();
  return stream->Finish();
}

// The same over AuditDocuments, one document a message, for a daemon that
// has no AuditDocumentGroups.
grpc::Status StreamSingles(Connection& conn, BatchRun& run) {
  grpc::ClientContext context;
  auto stream = conn.stub->AuditDocuments(&context);
  std::thread writer([&] {
    for (size_t i = 0; run.Has(i); ++i) {
      v1::AuditDocumentRequest request;
      if (!run.Prepare(i, &request)) continue;
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  v1::AuditDocumentsResponse response;
  while (stream->Read(&response)) run.Answered(&response, &response + 1);
  writer.join();
  return stream->Finish();
}

}  // namespace

grpc::Status SubmitBatch(
    Connection& conn, const std::vector<SubmitJob>& jobs, Progress& progress,
    const std::function<void(const v1::AuditDocumentsResponse&)>& on_response,
    const std::function<void(size_t, const std::string&)>& on_unreadable,
    bool brief_results, JobFeed* feed) {
  BatchRun run(jobs, feed, progress, on_response, on_unreadable);
  grpc::Status status = StreamGroups(conn, run, brief_results);
  // A daemon still starting (loading rules, migrating its store) refuses
  // the stream before it reads a document. The channel's retry policy does
  // not replay a stream larger than gRPC's retry buffer (the first message
  // alone is up to 1 MiB), so the stream is opened again here, for up to
  // about 15 s: a batch started right after the daemon's socket appears
  // waits for it to serve.
  auto delay = std::chrono::milliseconds(50);
  for (auto waited = std::chrono::milliseconds(0);
       status.error_code() == grpc::StatusCode::UNAVAILABLE && run.answered() == 0 &&
       status.error_message().find("is starting") != std::string::npos &&
       waited < std::chrono::seconds(15);
       waited += delay, delay = std::min(2 * delay, std::chrono::milliseconds(1000))) {
    std::this_thread::sleep_for(delay);
    status = StreamGroups(conn, run, brief_results);
  }
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED && run.answered() == 0) {
    status = StreamSingles(conn, run);
  }
  return status;
}

}  // namespace ra::cli
