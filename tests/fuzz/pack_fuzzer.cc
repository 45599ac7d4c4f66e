// libFuzzer target: rule-pack loading from a textproto file.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "pack/pack.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = [] {
    char tmpl[] = "/tmp/ra-pack-fuzz-XXXXXX";
    const char* dir = mkdtemp(tmpl);
    if (dir == nullptr) __builtin_trap();
    return std::string(dir) + "/pack.textproto";
  }();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  auto pack = ra::RulePack::LoadFile(path);
  if (pack.ok()) (*pack)->Lookup("B6");
  return 0;
}
