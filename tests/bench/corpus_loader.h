// Loads a folder of released documents (every *.txt below it) into memory
// for benchmarks, so that file I/O is not measured.
#ifndef RA_TESTS_BENCH_CORPUS_LOADER_H_
#define RA_TESTS_BENCH_CORPUS_LOADER_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ra::bench {

struct LoadedDocument {
  std::string file;  // path relative to the folder
  std::string bytes;
};

inline std::vector<LoadedDocument> LoadCorpus(const std::string& folder) {
  namespace fs = std::filesystem;
  std::vector<LoadedDocument> docs;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    docs.push_back({fs::relative(entry.path(), folder).generic_string(), ss.str()});
  }
  std::sort(docs.begin(), docs.end(),
            [](const LoadedDocument& a, const LoadedDocument& b) { return a.file < b.file; });
  return docs;
}

}  // namespace ra::bench

#endif  // RA_TESTS_BENCH_CORPUS_LOADER_H_
