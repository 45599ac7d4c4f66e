// redaction-audit audit PATH... : streams documents to AuditDocuments.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "cli.h"
#include "format/json.h"
#include "format/table.h"
#include "grpcpp/grpcpp.h"
#include "util/sha256.h"
#include "ingest/manifest.h"

namespace ra::cli {
namespace fs = std::filesystem;

namespace {

struct Job {
  std::string path;
  v1::DocumentMetadata metadata;
};

bool ReadAll(const std::string& path, std::string* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open file";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    *error = "read error";
    return false;
  }
  *out = ss.str();
  return true;
}

// Files named on the command line, folders expanded to their *.txt files
// (recursively, sorted). Returns false with `error` for a missing path.
bool CollectFiles(const std::vector<std::string>& paths,
                  std::vector<std::string>* files, std::string* error) {
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".txt") {
          found.push_back(it->path().string());
        }
      }
      if (ec) {
        *error = absl::StrCat(p, ": ", ec.message());
        return false;
      }
      std::sort(found.begin(), found.end());
      files->insert(files->end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      files->push_back(p);
    } else {
      *error = absl::StrCat(p, ": no such file or folder");
      return false;
    }
  }
  return true;
}

v1::DocumentMetadata ToProto(const ReleaseMetadata& md) {
  v1::DocumentMetadata out;
  out.set_case_number(md.case_number);
  out.set_doc_number(md.doc_number);
  out.set_release(md.release);
  out.set_release_date(md.release_date);
  out.set_document_date(md.document_date);
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

// Progress on a terminal: counts, rate and ETA, redrawn in place.
class Progress {
 public:
  Progress(size_t total, bool enabled)
      : total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  void Update(size_t done, size_t rejected) {
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
  void Clear() {
    if (enabled_) std::fputs("\r\033[K", stderr);
  }

 private:
  size_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace

OptionSpec AuditOptions() {
  return OptionSpec{{"case", "manifest", "release", "fail-on", "format"},
                    {"quiet", "resume"}};
}

int RunAudit(const Args& args) {
  if (args.positional.empty()) {
    return Fail("audit needs at least one file or folder");
  }
  auto fail_on = ParseSeverityName(args.Get("fail-on", "error"));
  if (!fail_on.ok()) return Fail(std::string(fail_on.status().message()));
  const std::string format = args.Get("format", "table");
  if (format != "table" && format != "json") {
    return Fail("--format must be table or json");
  }
  std::vector<std::string> files;
  std::string error;
  if (!CollectFiles(args.positional, &files, &error)) return Fail(error);
  if (files.empty()) return Fail("no *.txt documents found in the given folders");

  // Release metadata from the manifest, if any.
  std::optional<Manifest> manifest;
  fs::path manifest_dir;
  if (args.Has("manifest")) {
    const std::string path = args.Get("manifest");
    std::string csv;
    if (!ReadAll(path, &csv, &error)) return Fail(absl::StrCat(path, ": ", error));
    auto parsed = Manifest::Parse(csv, path);
    if (!parsed.ok()) return Fail(std::string(parsed.status().message()));
    manifest = std::move(*parsed);
    for (const std::string& e : manifest->row_errors()) {
      std::cerr << "redaction-audit: " << e << "\n";
    }
    std::error_code ec;
    manifest_dir = fs::weakly_canonical(fs::path(path), ec).parent_path();
  }

  size_t rejected = 0;  // by the client (manifest) or by the daemon
  std::vector<Job> jobs;
  std::map<const ManifestRow*, bool> used_rows;
  for (const std::string& file : files) {
    Job job;
    job.path = file;
    ReleaseMetadata md;
    if (manifest) {
      std::error_code ec;
      const fs::path abs = fs::weakly_canonical(fs::path(file), ec);
      const std::string rel = abs.lexically_relative(manifest_dir).generic_string();
      const ManifestRow* row = manifest->Find(rel, fs::path(file).stem().string());
      if (row == nullptr) {
        std::cerr << "redaction-audit: " << file
                  << ": rejected: no row in the manifest names this file or its "
                     "doc number\n";
        ++rejected;
        continue;
      }
      used_rows[row] = true;
      md = row->metadata;
    }
    if (md.case_number.empty()) md.case_number = args.Get("case");
    if (md.release.empty()) md.release = args.Get("release");
    if (md.case_number.empty()) {
      return Fail(absl::StrCat(file, ": no case number: pass --case"));
    }
    job.metadata = ToProto(md);
    jobs.push_back(std::move(job));
  }
  if (manifest) {
    const size_t unlisted = manifest->rows().size() - used_rows.size();
    if (unlisted > 0 && !args.Flag("quiet")) {
      std::cerr << "redaction-audit: note: " << unlisted
                << " manifest rows name documents that were not submitted\n";
    }
  }

  auto conn = Connection::Open(ServerAddress(args));
  if (!conn.ok()) return Fail(std::string(conn.status().message()));

  // --resume: the versions the daemon already stores, per case, so that
  // identical content is not sent again.
  std::set<std::string> stored;  // "cases/C/documents/D sha256"
  std::atomic<size_t> skipped{0};
  if (args.Flag("resume")) {
    std::set<std::string> cases;
    for (const Job& job : jobs) cases.insert(job.metadata.case_number());
    for (const std::string& c : cases) {
      v1::ListStoredVersionsRequest request;
      request.set_parent("cases/" + c);
      v1::ListStoredVersionsResponse response;
      grpc::ClientContext ctx;
      grpc::Status s = conn->stub->ListStoredVersions(&ctx, request, &response);
      if (!s.ok()) {
        return Fail(absl::StrCat("--resume: cannot list stored versions of case ",
                                 c, ": ", s.error_message()));
      }
      for (const v1::StoredVersion& v : response.versions()) {
        stored.insert(absl::StrCat(v.document(), " ", v.sha256()));
      }
    }
  }

  grpc::ClientContext context;
  auto stream = conn->stub->AuditDocuments(&context);
  std::mutex err_mu;
  std::atomic<size_t> read_failures{0};
  std::thread writer([&] {
    for (size_t i = 0; i < jobs.size(); ++i) {
      v1::AuditDocumentRequest request;
      std::string bytes, read_error;
      if (!ReadAll(jobs[i].path, &bytes, &read_error)) {
        std::lock_guard<std::mutex> lock(err_mu);
        std::cerr << "\rredaction-audit: " << jobs[i].path << ": rejected: "
                  << read_error << "\n";
        ++read_failures;
        continue;
      }
      if (!stored.empty()) {
        std::string doc = jobs[i].metadata.doc_number();
        if (doc.empty()) doc = fs::path(jobs[i].path).stem().string();
        if (stored.count(absl::StrCat("cases/", jobs[i].metadata.case_number(),
                                      "/documents/", doc, " ",
                                      Sha256Hex(bytes))) > 0) {
          ++skipped;
          continue;
        }
      }
      *request.mutable_metadata() = jobs[i].metadata;
      request.set_file_name(jobs[i].path);
      request.set_content(std::move(bytes));
      request.set_index(static_cast<int64_t>(i));
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });

  const bool tty = isatty(STDERR_FILENO) && !args.Flag("quiet") && format == "table";
  Progress progress(jobs.size(), tty);
  size_t done = 0, already = 0, audited = 0;
  std::map<std::string, int64_t> by_rule;
  std::map<int, int64_t> by_severity;
  int64_t at_or_above = 0;
  v1::AuditDocumentsResponse response;
  while (stream->Read(&response)) {
    ++done;
    if (response.has_error()) {
      ++rejected;
      std::lock_guard<std::mutex> lock(err_mu);
      progress.Clear();
      std::cerr << "redaction-audit: " << response.error().message() << "\n";
      if (format == "json") {
        std::cout << JsonObject()
                         .Field("file", response.file_name())
                         .Field("status", "rejected")
                         .Field("error", response.error().message())
                         .str()
                  << "\n";
      }
    } else {
      const v1::AuditDocumentResponse& r = response.audited();
      ++audited;
      if (r.already_stored()) ++already;
      int64_t doc_at_or_above = 0;
      for (const v1::Finding& f : r.findings()) {
        ++by_rule[f.rule()];
        ++by_severity[f.severity()];
        if (f.severity() >= *fail_on && f.status() != v1::WAIVED &&
            f.status() != v1::FALSE_POSITIVE) {
          ++doc_at_or_above;
        }
      }
      at_or_above += doc_at_or_above;
      if (format == "json") {
        std::cout << JsonObject()
                         .Field("file", response.file_name())
                         .Field("status", "audited")
                         .Field("document", r.document())
                         .Field("sha256", r.version_sha256())
                         .Field("already_stored", r.already_stored())
                         .Field("disposition", DispositionLabel(r.parsed().disposition()))
                         .Field("findings", static_cast<int64_t>(r.findings_size()))
                         .Field("failing", doc_at_or_above)
                         .str()
                  << "\n";
      }
    }
    std::lock_guard<std::mutex> lock(err_mu);
    progress.Update(done + read_failures + skipped, rejected + read_failures);
  }
  writer.join();
  grpc::Status status = stream->Finish();
  rejected += read_failures;
  if (!status.ok()) {
    return Fail(absl::StrCat("batch stopped after ", done, " of ", jobs.size(),
                             " documents: ", status.error_message()));
  }
  if (format == "table") {
    std::cout << "audited " << audited << " documents ("
              << already << " already stored), " << rejected << " rejected\n";
    if (args.Flag("resume")) {
      std::cout << "skipped " << skipped << " documents already stored with the "
                << "same content (--resume)\n";
    }
    std::cout << "findings: " << by_severity[v1::ERROR] << " error, "
              << by_severity[v1::WARNING] << " warning, " << by_severity[v1::INFO]
              << " info\n";
    if (!by_rule.empty()) {
      Table table({"rule", "findings"});
      std::vector<std::pair<std::string, int64_t>> rows(by_rule.begin(), by_rule.end());
      std::stable_sort(rows.begin(), rows.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
      for (const auto& [rule, n] : rows) table.AddRow({rule, std::to_string(n)});
      table.Print(std::cout);
    }
  }
  return (at_or_above > 0 || rejected > 0) ? kExitFindings : kExitClean;
}

}  // namespace ra::cli
