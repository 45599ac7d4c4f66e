#include "service/audit_service.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "pack/rule_catalog.h"
#include "service/convert.h"
#include "util/log.h"

namespace ra {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

absl::Status CheckNamePart(const std::string& what, const std::string& value) {
  if (value.find('/') != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " \"", value, "\" must not contain '/'"));
  }
  return absl::OkStatus();
}

// Looks up a finding by reference; "-" for both case and document (the
// AIP-159 wildcard) finds it by id alone.
absl::StatusOr<StoredFinding> Resolve(Store& store, const FindingRef& ref) {
  if (ref.case_number != "-" || ref.doc_number != "-") {
    return store.GetFinding(ref.case_number, ref.doc_number, ref.id);
  }
  FindingFilter filter;
  filter.after_id = ref.id - 1;
  filter.limit = 1;
  absl::StatusOr<std::vector<StoredFinding>> found = store.ListFindings(filter);
  if (!found.ok()) return found.status();
  if (found->empty() || found->front().id != ref.id) {
    return absl::NotFoundError(absl::StrCat("finding ", ref.id, " not found"));
  }
  return std::move(found->front());
}

}  // namespace

namespace {

// Validates what becomes part of resource names; the message names the file.
absl::Status CheckNames(const Submission& s, const std::string& shown) {
  absl::Status names = CheckNamePart("case number", s.metadata.case_number);
  if (names.ok()) names = CheckNamePart("doc number", s.metadata.doc_number);
  if (!names.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(shown, ": ", names.message()));
  }
  return absl::OkStatus();
}

Submission ToSubmission(const v1::AuditDocumentRequest& request,
                        const Principal& who) {
  Submission s;
  s.submitter = who.name;
  s.metadata = FromProto(request.metadata());
  s.file_name = request.file_name();
  s.content = request.content();
  s.content_type = request.content_type();
  return s;
}

std::string Shown(const v1::AuditDocumentRequest& request) {
  return request.file_name().empty() ? request.metadata().doc_number()
                                     : request.file_name();
}

// `log`: in this batch of lines, instead of on its own.
void LogRejected(const std::string& shown, const absl::Status& status,
                 metrics::DaemonMetrics* metrics, LogBatch* log = nullptr) {
  if (metrics != nullptr) {
    metrics->errors
        .With({"document_rejected", absl::StatusCodeToString(status.code())})
        .Add();
  }
  std::string line = absl::StrCat(
      "event=audit_rejected file=\"", shown, "\" code=",
      absl::StatusCodeToString(status.code()), " reason=\"", status.message(), "\"");
  if (log != nullptr) {
    log->Add(LogLevel::kWarning, line);
  } else {
    LogLine(LogLevel::kWarning, line);
  }
}

// The audited documents of a group and, of new versions, the findings by
// rule and severity: counted here, added to the metrics at once (a series
// lookup each, not one a document and one a finding).
class AuditCounts {
 public:
  AuditCounts() = default;
  AuditCounts(const AuditCounts&) = delete;
  AuditCounts& operator=(const AuditCounts&) = delete;

  // The outcome's findings must stay alive until AddTo.
  void Count(const AuditOutcome& stored) {
    if (stored.already_stored) {
      ++existing_;
      return;
    }
    ++new_;
    for (const StoredFinding& f : stored.findings) {
      ++findings_[{f.finding.rule_id, f.finding.severity}];
    }
  }
  // Adds the counts to `metrics` (if any) and clears them.
  void AddTo(metrics::DaemonMetrics* metrics) {
    if (metrics != nullptr) {
      if (new_ > 0) metrics->documents_audited.With({"new"}).Add(new_);
      if (existing_ > 0) metrics->documents_audited.With({"existing"}).Add(existing_);
      for (const auto& [key, n] : findings_) {
        metrics->findings
            .With({std::string(key.first), std::string(SeverityName(key.second))})
            .Add(n);
      }
    }
    new_ = existing_ = 0;
    findings_.clear();
  }

 private:
  uint64_t new_ = 0;
  uint64_t existing_ = 0;
  std::map<std::pair<absl::string_view, Severity>, uint64_t> findings_;
};

// `brief`: of the parsed document only the disposition, of each finding
// only rule, severity and status (AuditDocumentGroup.brief_results). The
// audit is counted in `counts` and logged in `log`.
// `metadata` and `sha256` are the audit's (an InspectResult's, or a
// prepared audit's record's), `document` its parsed document.
void FillResponse(const ReleaseMetadata& metadata, const std::string& sha256,
                  const Document& document, const AuditOutcome& stored, int64_t index,
                  absl::Time start, AuditCounts& counts, LogBatch& log,
                  v1::AuditDocumentResponse* response, bool brief = false) {
  counts.Count(stored);
  response->set_document(DocumentName(metadata.case_number, metadata.doc_number));
  response->set_version_sha256(sha256);
  response->set_already_stored(stored.already_stored);
  response->set_index(index);
  if (brief) {
    response->mutable_parsed()->set_disposition(ToProto(document.stamp.disposition));
  } else {
    ToProto(document, response->mutable_parsed());
  }
  for (const StoredFinding& f : stored.findings) {
    v1::Finding* out = response->add_findings();
    if (brief) {
      out->set_rule(f.finding.rule_id);
      out->set_severity(ToProto(f.finding.severity));
      out->set_status(ToProto(f.status));
    } else {
      ToProto(f, out);
    }
  }
  log.Info("event=audit case=", metadata.case_number, " doc=",
           metadata.doc_number, " sha256=",
           absl::string_view(sha256).substr(0, 12),
           " stored=", stored.already_stored ? "existing" : "new",
           " findings=", stored.findings.size(), " ms=",
           absl::ToInt64Milliseconds(absl::Now() - start));
}

// `out` becomes the error result `status` (its audited part dropped).
void SetError(const absl::Status& status, v1::AuditDocumentsResponse* out) {
  out->mutable_error()->set_code(static_cast<int>(status.code()));
  out->mutable_error()->set_message(std::string(status.message()));
}

}  // namespace

absl::Status AuditServiceImpl::AuditOne(
    const v1::AuditDocumentRequest& request, const Principal& who,
    v1::AuditDocumentResponse* response) const {
  const absl::Time start = absl::Now();
  const std::string shown = Shown(request);
  Submission s = ToSubmission(request, who);
  absl::Status names = CheckNames(s, shown);
  if (names.ok()) names = CheckDocumentLimits(shown, s.content, options_.limits);
  absl::StatusOr<AuditResult> result =
      names.ok() ? pipeline_->Audit(std::move(s)) : absl::StatusOr<AuditResult>(names);
  if (!result.ok()) {
    LogRejected(shown, result.status(), options_.metrics);
    return result.status();
  }
  AuditCounts counts;
  LogBatch log;
  const InspectResult& in = result->inspected;
  FillResponse(in.metadata, in.sha256, in.document, result->stored, request.index(),
               start, counts, log, response);
  counts.AddTo(options_.metrics);
  return absl::OkStatus();
}

grpc::Status AuditServiceImpl::AuditDocument(
    grpc::ServerContext* context, const v1::AuditDocumentRequest* request,
    v1::AuditDocumentResponse* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kSubmitter, "AuditDocument", &who);
  if (!allowed.ok()) return allowed;
  return ToGrpc(AuditOne(*request, who, response));
}

// Where the documents of a batch stream come from and where their results
// go: one document a message (AuditDocuments) or several
// (AuditDocumentGroups). Read is called from the rpc thread only, Add and
// Added from the sender thread only.
class BatchStream {
 public:
  virtual ~BatchStream() = default;
  // Appends the documents of the next request message to `out`; false at
  // the end of the stream, or with `error` set when the message breaks the
  // protocol. `brief`: their results are to be brief.
  virtual bool Read(std::vector<v1::AuditDocumentRequest>* out, bool* brief,
                    grpc::Status* error) = 0;
  // The response to fill for the next result.
  virtual v1::AuditDocumentsResponse* Add() = 0;
  // The result just added is filled and its size is `bytes`; `last` when
  // it is the last of its group. Sends when a message is due. Once a write
  // failed (the client stopped reading), nothing more is written.
  virtual void Added(bool last, size_t bytes) = 0;
  bool write_failed() const { return write_failed_; }
  // Runs before each message is written (a write may block for as long as
  // the client does not read): the sender writes its log lines there.
  void set_before_write(std::function<void()> f) { before_write_ = std::move(f); }

 protected:
  template <typename Stream, typename Message>
  void Write(Stream* stream, const Message& message) {
    if (before_write_) before_write_();
    if (!write_failed_ && !stream->Write(message)) write_failed_ = true;
  }

 private:
  bool write_failed_ = false;
  std::function<void()> before_write_;
};

namespace {

class SingleStream final : public BatchStream {
 public:
  using Stream =
      grpc::ServerReaderWriter<v1::AuditDocumentsResponse, v1::AuditDocumentRequest>;
  explicit SingleStream(Stream* stream) : stream_(stream) {}
  bool Read(std::vector<v1::AuditDocumentRequest>* out, bool* brief,
            grpc::Status*) override {
    *brief = false;
    out->emplace_back();
    if (stream_->Read(&out->back())) return true;
    out->pop_back();
    return false;
  }
  v1::AuditDocumentsResponse* Add() override {
    response_.Clear();
    return &response_;
  }
  void Added(bool, size_t) override { Write(stream_, response_); }

 private:
  Stream* stream_;
  v1::AuditDocumentsResponse response_;
};

class GroupStream final : public BatchStream {
 public:
  using Stream =
      grpc::ServerReaderWriter<v1::AuditDocumentGroupResults, v1::AuditDocumentGroup>;
  // Documents a request message may hold (the proto's contract).
  static constexpr int kMaxDocuments = 1024;
  // A response message is sent once its results reach this size, or at the
  // end of a stored group (whichever comes first).
  static constexpr size_t kMaxResultBytes = 1 << 20;

  explicit GroupStream(Stream* stream) : stream_(stream) {}
  bool Read(std::vector<v1::AuditDocumentRequest>* out, bool* brief,
            grpc::Status* error) override {
    if (!stream_->Read(&group_)) return false;
    ++messages_;
    *brief = group_.brief_results();
    if (group_.documents_size() > kMaxDocuments) {
      const v1::AuditDocumentRequest& first = group_.documents(0);
      *error = grpc::Status(
          grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat("message ", messages_, " of the batch (documents from index ",
                       first.index(), ", ", first.file_name(), ") holds ",
                       group_.documents_size(), " documents, more than ",
                       kMaxDocuments, "; results sent so far are stored"));
      return false;
    }
    for (v1::AuditDocumentRequest& d : *group_.mutable_documents()) {
      out->push_back(std::move(d));
    }
    group_.Clear();
    return true;
  }
  v1::AuditDocumentsResponse* Add() override { return results_.add_results(); }
  void Added(bool last, size_t bytes) override {
    if (bytes_ > 0 && bytes_ + bytes > kMaxResultBytes) {
      // The results before this one go first, so that a message stays
      // within kMaxResultBytes unless one result alone is larger.
      std::unique_ptr<v1::AuditDocumentsResponse> added(
          results_.mutable_results()->ReleaseLast());
      Flush();
      results_.mutable_results()->AddAllocated(added.release());
    }
    bytes_ += bytes;
    if (last || bytes_ >= kMaxResultBytes) Flush();
  }

 private:
  void Flush() {
    Write(stream_, results_);
    results_.Clear();
    bytes_ = 0;
  }

  Stream* stream_;
  int64_t messages_ = 0;  // read so far
  v1::AuditDocumentGroup group_;
  v1::AuditDocumentGroupResults results_;
  size_t bytes_ = 0;
};

// A condition variable that knows whether a thread waits on it (under the
// mutex the waits use): a thread that changes a queue wakes another only
// when that one waits for the change, and wakes nobody otherwise.
class Waiters {
 public:
  template <typename Predicate>
  void Wait(std::unique_lock<std::mutex>& lock, Predicate done) {
    ++waiting_;
    cv_.wait(lock, done);
    --waiting_;
  }
  template <typename Predicate>
  void WaitFor(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds most,
               Predicate done) {
    ++waiting_;
    cv_.wait_for(lock, most, done);
    --waiting_;
  }
  // The mutex held.
  bool waiting() const { return waiting_ > 0; }
  void NotifyOne() { cv_.notify_one(); }
  void NotifyAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
  int waiting_ = 0;
};

}  // namespace

grpc::Status AuditServiceImpl::AuditDocuments(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::AuditDocumentsResponse,
                             v1::AuditDocumentRequest>* stream) {
  SingleStream batch(stream);
  return RunBatch(context, "AuditDocuments", batch);
}

grpc::Status AuditServiceImpl::AuditDocumentGroups(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::AuditDocumentGroupResults,
                             v1::AuditDocumentGroup>* stream) {
  GroupStream batch(stream);
  return RunBatch(context, "AuditDocumentGroups", batch);
}

grpc::Status AuditServiceImpl::RunBatch(grpc::ServerContext* context,
                                        const char* method, BatchStream& stream) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kSubmitter, method, &who);
  if (!allowed.ok()) return allowed;
  // Counts this stream; released on every return path.
  struct StreamSlot {
    std::atomic<int>* open;
    ~StreamSlot() { open->fetch_sub(1); }
  } slot{&open_streams_};
  if (open_streams_.fetch_add(1) >= options_.limits.max_streams) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        absl::StrCat("too many batch streams open at once (limit ",
                                     options_.limits.max_streams,
                                     ", --max_streams); retry later"));
  }
  const absl::Time stream_deadline = absl::Now() + options_.limits.max_stream_time;
  bool too_long = false;
  grpc::Status bad_message;
  // Five stages. This thread reads requests into `inbox`, a message's
  // documents at once; workers parse and check them (Pipeline::Prepare)
  // into `ready`; one cross-checker takes what is ready as a group and
  // compares it with the passage index (Pipeline::CrossCheck) into
  // `checked`; one committer stores what is checked in one transaction
  // (group commit, Pipeline::Record) into `outbox`; one sender turns each
  // stored group into responses, writes them and frees the group, so a
  // result is sent only once its audit is stored and the committer does
  // nothing but store. Each stage works on a group while the next one
  // works on the group before it.
  // A document read, and whether its result is to be brief.
  struct Incoming {
    v1::AuditDocumentRequest request;
    bool brief = false;
  };
  // The prepared audit is on the heap and stays there until the sender
  // frees it: each stage hands on a pointer, not the audit (some 1.8 kB,
  // moved five times between the queues before, each queue entry a block
  // of its own).
  struct Ready {
    int64_t index = 0;
    bool brief = false;
    std::string file_name;
    absl::Time start;
    absl::StatusOr<std::unique_ptr<PreparedAudit>> prepared;
  };
  // A stored group: `recorded` holds the outcomes of the audits of
  // `batch` that were prepared, in order (Pipeline::RecordInPlace: the
  // audits stay in `batch`).
  struct Stored {
    std::vector<Ready> batch;
    std::vector<absl::StatusOr<AuditOutcome>> recorded;
  };
  std::mutex mu;
  // For each queue, the threads waiting for something in it and those
  // waiting for room in it. Every queue is bounded, so that documents wait
  // in the client rather than in the daemon's memory.
  Waiters inbox_items, inbox_room, ready_items, ready_room, checked_items,
      checked_room, outbox_items, outbox_room;
  std::deque<Incoming> inbox;
  std::deque<Ready> ready;
  constexpr size_t kMaxReady = 128;
  // The cross-checker waits for kCheckGroup documents, or until a worker
  // finds the inbox empty (no more are coming soon), or kCheckWait: one
  // wake-up a group instead of one a document.
  constexpr size_t kCheckGroup = 16;
  constexpr size_t kMaxCheck = 64;
  constexpr auto kCheckWait = std::chrono::milliseconds(5);
  // Cross-checked documents, in order; bounded so memory stays flat. The
  // committer stores up to kMaxCommit of them in one transaction: the
  // larger the group, the fewer times SQLite writes the same pages.
  std::deque<Ready> checked;
  constexpr size_t kMaxChecked = 256;
  constexpr size_t kMaxCommit = 256;
  // While more documents are on their way (read, not yet cross-checked:
  // `unchecked`), the committer waits up to kGroupWait for kMinCommit of
  // them: small groups cost a commit each, which rewrites the same index
  // pages (a corpus stream made ~570 groups of 28 documents on average).
  constexpr size_t kMinCommit = 128;
  constexpr auto kGroupWait = std::chrono::milliseconds(50);
  // Stored groups not yet sent.
  std::deque<Stored> outbox;
  constexpr size_t kMaxOutbox = 2;
  size_t unchecked = 0;
  bool done_reading = false;
  bool done_checking = false;
  bool done_committing = false;
  int workers_running = std::max(1, options_.stream_workers);
  // Workers waiting for the inbox.
  int idle_workers = 0;
  // What the committer waits for: 0 nothing, 1 a document, 2 a group.
  int committer_wants = 0;
  const size_t max_inbox = static_cast<size_t>(2 * workers_running);

  auto check_due = [&] {
    return ready.size() >= kCheckGroup || (!ready.empty() && idle_workers > 0) ||
           workers_running == 0;
  };
  auto commit_due = [&] {
    return checked.size() >= kMinCommit || unchecked == 0 || done_checking;
  };

  auto work = [&] {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      if (inbox.empty() && !done_reading) {
        ++idle_workers;
        if (ready_items.waiting() && !ready.empty()) ready_items.NotifyOne();
        inbox_items.Wait(lock, [&] { return !inbox.empty() || done_reading; });
        --idle_workers;
      }
      if (inbox.empty()) break;
      Incoming incoming = std::move(inbox.front());
      inbox.pop_front();
      v1::AuditDocumentRequest& request = incoming.request;
      const bool wake_reader = inbox_room.waiting() && inbox.size() < max_inbox;
      lock.unlock();
      if (wake_reader) inbox_room.NotifyOne();
      Ready r;
      r.index = request.index();
      r.brief = incoming.brief;
      r.file_name = request.file_name();
      r.start = absl::Now();
      const std::string shown = Shown(request);
      // The request is this thread's: its content moves, not copied.
      std::string content = std::move(*request.mutable_content());
      Submission s = ToSubmission(request, who);
      s.content = std::move(content);
      absl::Status names = CheckNames(s, shown);
      if (names.ok()) names = CheckDocumentLimits(shown, s.content, options_.limits);
      if (names.ok()) {
        auto audit = std::make_unique<PreparedAudit>();
        names = pipeline_->PrepareInPlace(std::move(s), audit.get());
        if (names.ok()) r.prepared = std::move(audit);
      }
      if (!names.ok()) r.prepared = names;
      if (!r.prepared.ok()) {
        LogRejected(shown, r.prepared.status(), options_.metrics);
      } else if (r.brief) {
        // A brief result shows of the parsed document only its disposition,
        // and nothing after this stage reads the rest: it is freed here, by
        // the thread that allocated it (the sender freeing every document
        // cost it a third of its time in the allocator, handing the memory
        // back across threads), and the queues hold less.
        Document& parsed = (*r.prepared)->inspected.document;
        const Disposition disposition = parsed.stamp.disposition;
        parsed = Document();
        parsed.stamp.disposition = disposition;
      }
      lock.lock();
      ready_room.Wait(lock, [&] { return ready.size() < kMaxReady; });
      ready.push_back(std::move(r));
      // The first document wakes a cross-checker waiting for any; a group,
      // one waiting for a group.
      if (ready_items.waiting() && (ready.size() == 1 || check_due())) {
        ready_items.NotifyOne();
      }
    }
    --workers_running;
    ready_items.NotifyOne();
  };

  // The prepared audits of a group, where they are.
  auto audits_of = [](std::vector<Ready>& batch) {
    std::vector<PreparedAudit*> out;
    out.reserve(batch.size());
    for (Ready& r : batch) {
      if (r.prepared.ok()) out.push_back(r.prepared->get());
    }
    return out;
  };

  // Moves up to `n` entries from the front of `queue` (mu held).
  auto pop_front = [](std::deque<Ready>& queue, size_t n) {
    std::vector<Ready> out;
    out.reserve(std::min(n, queue.size()));
    while (!queue.empty() && out.size() < n) {
      out.push_back(std::move(queue.front()));
      queue.pop_front();
    }
    return out;
  };

  auto cross_check = [&] {
    while (true) {
      std::vector<Ready> batch;
      {
        std::unique_lock<std::mutex> lock(mu);
        ready_items.Wait(lock, [&] { return !ready.empty() || workers_running == 0; });
        if (ready.empty()) break;
        ready_items.WaitFor(lock, kCheckWait, check_due);
        batch = pop_front(ready, kMaxCheck);
        if (ready_room.waiting()) ready_room.NotifyAll();
      }
      pipeline_->CrossCheckInPlace(audits_of(batch));
      {
        std::unique_lock<std::mutex> lock(mu);
        checked_room.Wait(lock, [&] { return checked.size() < kMaxChecked; });
        for (Ready& r : batch) checked.push_back(std::move(r));
        unchecked -= batch.size();
        if (committer_wants == 1 || (committer_wants == 2 && commit_due())) {
          checked_items.NotifyOne();
        }
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    done_checking = true;
    checked_items.NotifyOne();
  };

  auto commit = [&] {
    while (true) {
      Stored group;
      {
        std::unique_lock<std::mutex> lock(mu);
        committer_wants = 1;
        checked_items.Wait(lock, [&] { return !checked.empty() || done_checking; });
        if (checked.empty()) break;
        committer_wants = 2;
        checked_items.WaitFor(lock, kGroupWait, commit_due);
        committer_wants = 0;
        group.batch = pop_front(checked, kMaxCommit);
        if (checked_room.waiting()) checked_room.NotifyOne();
      }
      group.recorded = pipeline_->RecordInPlace(audits_of(group.batch));
      std::unique_lock<std::mutex> lock(mu);
      outbox_room.Wait(lock, [&] { return outbox.size() < kMaxOutbox; });
      outbox.push_back(std::move(group));
      if (outbox_items.waiting()) outbox_items.NotifyOne();
    }
    std::lock_guard<std::mutex> lock(mu);
    done_committing = true;
    outbox_items.NotifyOne();
  };

  // Fills and writes the responses of each stored group, then frees it.
  auto send = [&] {
    while (true) {
      Stored group;
      {
        std::unique_lock<std::mutex> lock(mu);
        outbox_items.Wait(lock, [&] { return !outbox.empty() || done_committing; });
        if (outbox.empty()) break;
        group = std::move(outbox.front());
        outbox.pop_front();
        if (outbox_room.waiting()) outbox_room.NotifyOne();
      }
      // The group's log lines, written together before each message of its
      // results, and its metrics, added once it is sent.
      LogBatch log;
      stream.set_before_write([&log] { log.Flush(); });
      AuditCounts counts;
      size_t k = 0;  // into group.recorded
      for (size_t i = 0; i < group.batch.size(); ++i) {
        const Ready& r = group.batch[i];
        const absl::StatusOr<AuditOutcome>* recorded = nullptr;
        const absl::Status* error = nullptr;
        if (!r.prepared.ok()) {
          error = &r.prepared.status();
        } else {
          recorded = &group.recorded[k++];
          if (!recorded->ok()) {
            error = &recorded->status();
            LogRejected(r.file_name, *error, options_.metrics, &log);
          }
        }
        v1::AuditDocumentsResponse* out = stream.Add();
        out->set_index(r.index);
        out->set_file_name(r.file_name);
        if (error == nullptr) {
          // (Prepare moved the metadata and digest into the record.)
          const PreparedAudit& p = **r.prepared;
          FillResponse(p.record.metadata, p.record.sha256, p.inspected.document, **recorded,
                       r.index, r.start, counts, log, out->mutable_audited(), r.brief);
        } else {
          SetError(*error, out);
        }
        size_t bytes = out->ByteSizeLong();
        // Room for the framing of a group message.
        constexpr int64_t kFraming = 1024;
        if (options_.max_result_bytes > 0 &&
            static_cast<int64_t>(bytes) > options_.max_result_bytes - kFraming) {
          const absl::Status too_large = absl::ResourceExhaustedError(absl::StrCat(
              r.file_name, ": stored, but its result (", bytes, " bytes, ",
              out->audited().findings_size(),
              " findings) is larger than the largest message the daemon sends (",
              options_.max_result_bytes,
              " bytes, from --max_document_bytes); list its findings with "
              "`redaction-audit findings --case ",
              (*r.prepared)->record.metadata.case_number, " --document ",
              (*r.prepared)->record.metadata.doc_number, "`"));
          LogRejected(r.file_name, too_large, options_.metrics, &log);
          SetError(too_large, out);
          bytes = out->ByteSizeLong();
        }
        stream.Added(i + 1 == group.batch.size(), bytes);
      }
      stream.set_before_write(nullptr);
      counts.AddTo(options_.metrics);
      log.Flush();
    }
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < workers_running; ++i) threads.emplace_back(work);
  std::thread cross_checker(cross_check);
  std::thread committer(commit);
  std::thread sender(send);

  std::vector<v1::AuditDocumentRequest> requests;
  bool brief = false;
  while (stream.Read(&requests, &brief, &bad_message)) {
    if (absl::Now() > stream_deadline) {
      too_long = true;
      break;
    }
    std::unique_lock<std::mutex> lock(mu);
    inbox_room.Wait(lock, [&] { return inbox.size() < max_inbox; });
    for (v1::AuditDocumentRequest& r : requests) inbox.push_back({std::move(r), brief});
    unchecked += requests.size();
    if (inbox_items.waiting() && !requests.empty()) {
      if (requests.size() == 1) {
        inbox_items.NotifyOne();
      } else {
        inbox_items.NotifyAll();
      }
    }
    lock.unlock();
    requests.clear();
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    done_reading = true;
    inbox_items.NotifyAll();
  }
  for (std::thread& t : threads) t.join();
  cross_checker.join();
  committer.join();
  sender.join();
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "client cancelled the batch");
  }
  if (too_long) {
    return grpc::Status(
        grpc::StatusCode::DEADLINE_EXCEEDED,
        absl::StrCat("the batch stream stayed open longer than ",
                     absl::FormatDuration(options_.limits.max_stream_time),
                     " (--max_stream_seconds); results sent so far are stored"));
  }
  if (!bad_message.ok()) return bad_message;
  if (stream.write_failed()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the client stopped reading results");
  }
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::InspectDocument(
    grpc::ServerContext* context, const v1::InspectDocumentRequest* request,
    v1::InspectDocumentResponse* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kSubmitter, "InspectDocument", &who);
  if (!allowed.ok()) return allowed;
  Submission s;
  s.metadata = FromProto(request->metadata());
  s.file_name = request->file_name();
  s.content = request->content();
  s.content_type = request->content_type();
  absl::StatusOr<InspectResult> result = pipeline_->Inspect(std::move(s));
  if (!result.ok()) return ToGrpc(result.status());
  ToProto(result->document, response->mutable_parsed());
  for (const Finding& f : result->findings) ToProto(f, response->add_findings());
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ListFindings(
    grpc::ServerContext* context, const v1::ListFindingsRequest* request,
    v1::ListFindingsResponse* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kSubmitter, "ListFindings", &who);
  if (!allowed.ok()) return allowed;
  FindingFilter filter;
  if (!request->parent().empty()) {
    absl::StatusOr<std::string> c = ParseCaseName(request->parent());
    if (!c.ok()) return ToGrpc(c.status());
    filter.case_number = *c;
  }
  filter.release = request->release();
  filter.doc_number = request->document();
  filter.rule_id = request->rule();
  filter.min_severity = FromProto(request->min_severity());
  filter.status = FromProto(request->status());
  if (request->page_size() < 0) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "page_size must not be negative");
  }
  filter.limit = request->page_size() == 0
                     ? kDefaultPageSize
                     : std::min(request->page_size(), kMaxPageSize);
  if (!request->page_token().empty()) {
    absl::StatusOr<int64_t> after = DecodePageToken(request->page_token());
    if (!after.ok()) return ToGrpc(after.status());
    filter.after_id = *after;
  }
  // Ask for one more than a page to know whether another page exists.
  const int page = filter.limit;
  filter.limit = page + 1;
  absl::StatusOr<std::vector<StoredFinding>> found = store_->ListFindings(filter);
  if (!found.ok()) return ToGrpc(found.status());
  const bool more = static_cast<int>(found->size()) > page;
  if (more) found->resize(page);
  for (const StoredFinding& f : *found) ToProto(f, response->add_findings());
  if (more) response->set_next_page_token(EncodePageToken(found->back().id));
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::GetFinding(grpc::ServerContext* context,
                                          const v1::GetFindingRequest* request,
                                          v1::Finding* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kSubmitter, "GetFinding", &who);
  if (!allowed.ok()) return allowed;
  absl::StatusOr<FindingRef> ref = ParseFindingName(request->name());
  if (!ref.ok()) return ToGrpc(ref.status());
  absl::StatusOr<StoredFinding> f = Resolve(*store_, *ref);
  if (!f.ok()) return ToGrpc(f.status());
  ToProto(*f, response);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ReviewFinding(
    grpc::ServerContext* context, const v1::ReviewFindingRequest* request,
    v1::Finding* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kReviewer, "ReviewFinding", &who);
  if (!allowed.ok()) return allowed;
  absl::StatusOr<FindingRef> ref = ParseFindingName(request->name());
  if (!ref.ok()) return ToGrpc(ref.status());
  const FindingStatus status = FromProto(request->status());
  if (status == FindingStatus::kUnspecified || status == FindingStatus::kFixed) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "status must be OPEN, CONFIRMED, WAIVED or FALSE_POSITIVE "
                        "(FIXED is set by re-audits)");
  }
  if (status == FindingStatus::kWaived && request->note().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "a waiver needs a note giving the reason");
  }
  // With --auth_tokens the history records the authenticated principal;
  // a name the request claims is ignored.
  const std::string reviewer =
      options_.guard != nullptr && options_.guard->enabled() ? who.name
                                                             : request->reviewer();
  if (reviewer.empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "reviewer is required");
  }
  // The finding must belong to the named case and document.
  absl::StatusOr<StoredFinding> current = Resolve(*store_, *ref);
  if (!current.ok()) return ToGrpc(current.status());
  ReviewChange change;
  change.finding_id = ref->id;
  change.status = status;
  change.reviewer = reviewer;
  change.note = request->note();
  change.expected_etag = request->etag();
  absl::StatusOr<StoredFinding> f = store_->Review(change);
  if (!f.ok()) return ToGrpc(f.status());
  LogInfo("event=review finding=", ref->id, " status=", FindingStatusName(status),
          " reviewer=\"", change.reviewer, "\"");
  ToProto(*f, response);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::GetCaseReport(
    grpc::ServerContext* context, const v1::GetCaseReportRequest* request,
    v1::CaseReport* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kSubmitter, "GetCaseReport", &who);
  if (!allowed.ok()) return allowed;
  absl::StatusOr<std::string> c = ParseCaseName(request->name());
  if (!c.ok()) return ToGrpc(c.status());
  absl::StatusOr<CaseSummary> s = store_->Summarize(*c);
  if (!s.ok()) return ToGrpc(s.status());
  response->set_name(CaseName(*c));
  response->set_documents(s->documents);
  response->set_versions(s->versions);
  response->set_findings(s->findings);
  auto fill = [](const auto& pairs, auto* out) {
    for (const auto& [key, count] : pairs) {
      v1::CountByKey* kv = out->Add();
      kv->set_key(key);
      kv->set_count(count);
    }
  };
  fill(s->by_rule, response->mutable_by_rule());
  fill(s->by_severity, response->mutable_by_severity());
  fill(s->by_status, response->mutable_by_status());
  fill(s->by_disposition, response->mutable_by_disposition());
  if (request->include_documents()) {
    absl::StatusOr<std::vector<DocumentExemptions>> docs =
        store_->ListDocumentExemptions(*c);
    if (!docs.ok()) return ToGrpc(docs.status());
    for (const DocumentExemptions& d : *docs) {
      v1::DocumentExemptions* out = response->add_document_exemptions();
      out->set_document(DocumentName(*c, d.doc_number));
      out->set_release(d.release);
      out->set_file_name(d.file_name);
      out->set_version_sha256(d.sha256);
      out->set_disposition(ToProto(d.disposition));
      out->set_known(d.known);
      for (const std::string& code : d.stamp_codes) out->add_stamp_codes(code);
      fill(d.marks_by_code, out->mutable_marks_by_code());
    }
  }
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::CrossCheckCase(
    grpc::ServerContext* context, const v1::CrossCheckCaseRequest* request,
    v1::CrossCheckCaseResponse* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kSubmitter, "CrossCheckCase", &who);
  if (!allowed.ok()) return allowed;
  absl::StatusOr<std::string> c = ParseCaseName(request->name());
  if (!c.ok()) return ToGrpc(c.status());
  absl::StatusOr<CrossCheckResult> r = pipeline_->CrossCheckCase(*c);
  if (!r.ok()) return ToGrpc(r.status());
  if (r->documents == 0) {
    return ToGrpc(absl::NotFoundError(
        absl::StrCat("no stored document in case ", *c)));
  }
  response->set_name(CaseName(*c));
  response->set_documents(r->documents);
  response->set_findings(r->findings);
  response->set_new_findings(r->new_findings);
  response->set_closed_findings(r->closed_findings);
  for (const auto& [key, count] : r->by_rule) {
    v1::CountByKey* kv = response->add_by_rule();
    kv->set_key(key);
    kv->set_count(count);
  }
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ListRules(grpc::ServerContext* context,
                                         const v1::ListRulesRequest*,
                                         v1::ListRulesResponse* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kSubmitter, "ListRules", &who);
  if (!allowed.ok()) return allowed;
  const std::shared_ptr<const RulePack> pack = packs_->Get();
  response->set_pack(absl::StrCat(pack->name(), "@", pack->version()));
  for (const RuleInfo& info : RuleCatalog()) {
    const RuleConfig cfg = pack->Rule(info.id);
    v1::Rule* r = response->add_rules();
    r->set_id(std::string(info.id));
    r->set_severity(ToProto(cfg.severity));
    r->set_enabled(cfg.enabled);
    r->set_description(std::string(info.description));
  }
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ListFindingReviews(
    grpc::ServerContext* context, const v1::ListFindingReviewsRequest* request,
    v1::ListFindingReviewsResponse* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kSubmitter, "ListFindingReviews", &who);
  if (!allowed.ok()) return allowed;
  absl::StatusOr<FindingRef> ref = ParseFindingName(request->name());
  if (!ref.ok()) return ToGrpc(ref.status());
  absl::StatusOr<StoredFinding> f = Resolve(*store_, *ref);
  if (!f.ok()) return ToGrpc(f.status());
  absl::StatusOr<std::vector<ReviewEntry>> history = store_->History(f->id);
  if (!history.ok()) return ToGrpc(history.status());
  ToProto(*f, response->mutable_finding());
  for (const ReviewEntry& e : *history) {
    v1::FindingReview* r = response->add_reviews();
    r->set_from_status(ToProto(e.from));
    r->set_to_status(ToProto(e.to));
    r->set_reviewer(e.reviewer);
    r->set_note(e.note);
    r->set_time(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", e.at, absl::UTCTimeZone()));
  }
  return grpc::Status::OK;
}

// Release check: manifest rows in, stored release-level findings out.
grpc::Status AuditServiceImpl::CheckRelease(
    grpc::ServerContext* context, const v1::CheckReleaseRequest* request,
    v1::CheckReleaseResponse* response) {
  constexpr int kMaxRows = 1000000;
  constexpr int kMaxFindingsReturned = 1000;
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kSubmitter, "CheckRelease", &who);
  if (!allowed.ok()) return allowed;
  absl::StatusOr<std::string> c = ParseCaseName(request->name());
  if (!c.ok()) return ToGrpc(c.status());
  if (request->documents_size() > kMaxRows) {
    return ToGrpc(absl::InvalidArgumentError(
        absl::StrCat("release check of ", *c, ": ", request->documents_size(),
                     " manifest rows, more than ", kMaxRows)));
  }
  const absl::Time start = absl::Now();
  std::vector<ListedDocument> listed;
  listed.reserve(request->documents_size());
  for (const v1::ListedDocument& d : request->documents()) {
    if (d.doc_number().empty()) {
      return ToGrpc(absl::InvalidArgumentError(absl::StrCat(
          "release check of ", *c, ": manifest row at line ", d.manifest_line(),
          " has no doc number")));
    }
    listed.push_back(
        ListedDocument{d.doc_number(), d.release(), d.file(), d.manifest_line()});
  }
  absl::StatusOr<ReleaseCheckResult> r = pipeline_->CheckRelease(*c, listed);
  if (!r.ok()) return ToGrpc(r.status());
  response->set_name(CaseName(*c));
  response->set_listed(r->listed);
  response->set_checked(r->checked);
  const auto& found = r->stored.findings;
  for (size_t i = 0; i < found.size() && i < kMaxFindingsReturned; ++i) {
    ToProto(found[i], response->add_findings());
  }
  response->set_findings_total(static_cast<int64_t>(found.size()));
  response->set_new_findings(r->stored.new_findings);
  response->set_fixed(r->stored.fixed);
  LogInfo("event=release_check case=", *c, " listed=", r->listed, " checked=", r->checked,
          " findings=", found.size(), " new=", r->stored.new_findings,
          " fixed=", r->stored.fixed, " ms=", absl::ToInt64Milliseconds(absl::Now() - start));
  return grpc::Status::OK;
}

}  // namespace ra
