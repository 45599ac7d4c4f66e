#include "commands/submit.h"

#include "util/sha256.h"

#include <algorithm>
#include <set>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "ingest/manifest.h"

namespace ra::cli {
namespace fs = std::filesystem;

namespace {

// Files named on the command line, folders expanded to their *.txt and
// *.pdf files
// (recursively, sorted). Returns false with `error` for a missing path.
bool CollectFiles(const std::vector<std::string>& paths,
                  std::vector<std::string>* files, std::string* error) {
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file() && (it->path().extension() == ".txt" ||
                                      it->path().extension() == ".pdf")) {
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

bool ReadAll(const std::string& path, std::string* out, std::string* error) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    *error = "is a folder, not a file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open file";
    return false;
  }
  out->clear();
  // A regular file is read into a buffer of its size in one go (a batch
  // reads every file of a release once); a pipe, a /proc file or a file
  // that grows meanwhile is read on to its end.
  if (fs::is_regular_file(path, ec)) {
    const uintmax_t size = fs::file_size(path, ec);
    if (!ec && size > 0 && size < out->max_size()) {
      out->resize(static_cast<size_t>(size));
      in.read(out->data(), static_cast<std::streamsize>(size));
      out->resize(static_cast<size_t>(in.gcount()));
    }
  }
  if (!in.bad()) {
    in.clear();
    for (char buf[4096]; in.read(buf, sizeof buf) || in.gcount() > 0;) {
      out->append(buf, static_cast<size_t>(in.gcount()));
    }
  }
  if (in.bad()) {
    *error = "read error";
    return false;
  }
  return true;
}

std::string PrepareJobs(const Args& args, std::vector<SubmitJob>* jobs,
                        size_t* rejected, ManifestListing* listing) {
  std::vector<std::string> files;
  std::string error;
  if (!CollectFiles(args.positional, &files, &error)) return error;
  if (files.empty()) return "no *.txt or *.pdf documents found in the given folders";

  // Release metadata from the manifest, if any.
  std::optional<Manifest> manifest;
  fs::path manifest_dir;
  if (args.Has("manifest")) {
    const std::string path = args.Get("manifest");
    std::string csv;
    if (!ReadAll(path, &csv, &error)) return absl::StrCat(path, ": ", error);
    auto parsed = Manifest::Parse(csv, path);
    if (!parsed.ok()) return std::string(parsed.status().message());
    manifest = std::move(*parsed);
    for (const std::string& e : manifest->row_errors()) {
      std::cerr << "redaction-audit: " << e << "\n";
    }
    std::error_code ec;
    manifest_dir = fs::weakly_canonical(fs::path(path), ec).parent_path();
    if (listing != nullptr) {
      for (const ManifestRow& row : manifest->rows()) {
        std::string case_number = row.metadata.case_number;
        if (case_number.empty()) case_number = args.Get("case");
        std::string doc = row.metadata.doc_number;
        if (doc.empty()) doc = fs::path(row.file).stem().string();
        if (case_number.empty() || doc.empty()) continue;
        v1::ListedDocument& d = listing->by_case[case_number].emplace_back();
        d.set_doc_number(doc);
        d.set_release(row.metadata.release.empty() ? args.Get("release")
                                                   : row.metadata.release);
        d.set_file(row.file);
        d.set_manifest_line(row.line);
      }
    }
  }

  // A file's path as the manifest's folder sees it: symbolic links
  // resolved. Each folder is resolved once (a release holds thousands of
  // files in a few folders); a file that is itself a link is resolved alone.
  std::map<fs::path, fs::path> canonical_dirs;
  auto canonical_path = [&canonical_dirs](const std::string& file) {
    const fs::path p(file);
    std::error_code ec;
    if (fs::is_symlink(p, ec) || !p.has_filename()) return fs::weakly_canonical(p, ec);
    auto [it, inserted] = canonical_dirs.try_emplace(p.parent_path());
    if (inserted) {
      it->second = fs::weakly_canonical(
          p.parent_path().empty() ? fs::path(".") : p.parent_path(), ec);
    }
    return it->second / p.filename();
  };
  std::map<const ManifestRow*, bool> used_rows;
  for (const std::string& file : files) {
    SubmitJob job;
    job.path = file;
    ReleaseMetadata md;
    if (manifest) {
      const fs::path abs = canonical_path(file);
      const std::string rel = abs.lexically_relative(manifest_dir).generic_string();
      const ManifestRow* row = manifest->Find(rel, fs::path(file).stem().string());
      if (row == nullptr) {
        std::cerr << "redaction-audit: " << file
                  << ": rejected: no row in the manifest names this file or its "
                     "doc number\n";
        ++*rejected;
        continue;
      }
      used_rows[row] = true;
      md = row->metadata;
    }
    if (md.case_number.empty()) md.case_number = args.Get("case");
    if (md.release.empty()) md.release = args.Get("release");
    if (md.request_date.empty()) md.request_date = args.Get("request-date");
    if (md.case_number.empty()) {
      return absl::StrCat(file, ": no case number: pass --case");
    }
    job.metadata = ToProto(md);
    jobs->push_back(std::move(job));
  }
  if (manifest && listing == nullptr) {  // else the release check reports each
    const size_t unlisted = manifest->rows().size() - used_rows.size();
    if (unlisted > 0 && !args.Flag("quiet")) {
      std::cerr << "redaction-audit: note: " << unlisted
                << " manifest rows name documents that were not submitted\n";
    }
  }
  return "";
}

absl::StatusOr<std::vector<v1::CheckReleaseResponse>> CheckReleases(
    Connection& conn, const ManifestListing& listing) {
  std::vector<v1::CheckReleaseResponse> out;
  for (const auto& [case_number, rows] : listing.by_case) {
    v1::CheckReleaseRequest request;
    request.set_name("cases/" + case_number);
    *request.mutable_documents() = {rows.begin(), rows.end()};
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

grpc::Status SubmitBatch(
    Connection& conn, const std::vector<SubmitJob>& jobs, Progress& progress,
    const std::function<void(const v1::AuditDocumentsResponse&)>& on_response,
    const std::function<void(size_t, const std::string&)>& on_unreadable) {
  grpc::ClientContext context;
  auto stream = conn.stub->AuditDocuments(&context);
  std::mutex mu;
  size_t done = 0, rejected = 0;
  std::thread writer([&] {
    for (size_t i = 0; i < jobs.size(); ++i) {
      v1::AuditDocumentRequest request;
      std::string bytes, read_error;
      if (!ReadAll(jobs[i].path, &bytes, &read_error)) {
        std::lock_guard<std::mutex> lock(mu);
        progress.Clear();
        on_unreadable(i, absl::StrCat(jobs[i].path, ": rejected: ", read_error));
        ++done;
        ++rejected;
        progress.Update(done, rejected);
        continue;
      }
      *request.mutable_metadata() = jobs[i].metadata;
      request.set_file_name(jobs[i].path);
      request.set_content(std::move(bytes));
      request.set_index(static_cast<int64_t>(i));
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  v1::AuditDocumentsResponse response;
  while (stream->Read(&response)) {
    std::lock_guard<std::mutex> lock(mu);
    ++done;
    if (response.has_error()) {
      ++rejected;
      progress.Clear();
    }
    on_response(response);
    progress.Update(done, rejected);
  }
  writer.join();
  return stream->Finish();
}

}  // namespace ra::cli
