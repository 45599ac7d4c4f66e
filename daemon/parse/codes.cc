#include "parse/codes.h"

#include <string>

#include "parse/fields.h"

namespace ra::parse_internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// A word of a code list: bytes [begin, end) of the text.
struct Word {
  int begin;
  int end;
  bool comma_after;  // a comma separates it from the next word
};

// The words of a text, split on white space and the pack's list separators
// (',' always) as they are asked for: most texts are rejected on their
// first word, so the rest is never split.
class WordSplitter {
 public:
  WordSplitter(std::string_view text, const RulePack& pack, std::vector<Word>* words)
      : text_(text), pack_(pack), words_(*words) {
    words_.clear();
  }

  // True when the text has a word k (0-based); splits up to it.
  bool Has(size_t k) {
    while (words_.size() <= k && SplitNext()) {
    }
    return words_.size() > k;
  }
  const Word& operator[](size_t k) const { return words_[k]; }
  // Words split so far; all of them once Has() returned false.
  size_t split() const { return words_.size(); }

 private:
  bool SplitNext() {
    const int n = static_cast<int>(text_.size());
    int i = next_;
    while (i < n && (IsSpace(text_[i]) || pack_.IsListSeparator(text_[i]))) ++i;
    if (i >= n) {
      next_ = n;
      return false;
    }
    const int b = i;
    while (i < n && !IsSpace(text_[i]) && !pack_.IsListSeparator(text_[i])) ++i;
    int j = i;
    while (j < n && IsSpace(text_[j])) ++j;
    words_.push_back(Word{b, i, j < n && pack_.IsListSeparator(text_[j])});
    next_ = i;
    return true;
  }

  std::string_view text_;
  const RulePack& pack_;
  std::vector<Word>& words_;
  int next_ = 0;  // where the next word is looked for
};

// "(X)" at s[pos..]: a parenthesized letter, closing paren optional at end.
bool IsLetterGroup(std::string_view s, size_t pos) {
  if (pos >= s.size() || s[pos] != '(') return false;
  if (pos + 1 >= s.size() || !IsAlpha(s[pos + 1])) return false;
  if (pos + 2 == s.size()) return true;
  return pos + 3 == s.size() && s[pos + 2] == ')';
}

bool IsTrailingDebris(char c) {
  return c == '\'' || c == '`' || c == '"' || c == '-' || c == '_' || c == '.' || c == ';' ||
         c == ':';
}

// The first bytes LooksLikeCode accepts (keep the two together).
bool MayStartCodeShape(char c) { return c == 'B' || c == 'b' || c == '1' || c == '('; }

}  // namespace

bool LooksLikeCode(std::string_view w) {
  if (w.size() < 2 || w.size() > 8) return false;
  // FOIA in the State dialect: B<digits>[(<letter>)].
  if (w[0] == 'B' || w[0] == 'b') {
    size_t i = 1;
    while (i < w.size() && IsDigit(w[i])) ++i;
    if (i == 1 || i > 3) return false;
    return i == w.size() || IsLetterGroup(w, i);
  }
  // E.O. 13526 reasons: 1.4(<letter>).
  if (w.size() >= 5 && w[0] == '1' && (w[1] == '.' || w[1] == ',') && w[2] == '4') {
    return IsLetterGroup(w, 3);
  }
  // Statute style: (b)(<digits>)...
  if (w.size() >= 6 && w[0] == '(' && IsAlpha(w[1]) && w[2] == ')' && w[3] == '(') {
    return IsDigit(w[4]);
  }
  return false;
}

bool ReadCodeListFully(std::string_view text, int column, const RulePack& pack,
                       bool allow_unknown, std::vector<Mark>* out) {
  constexpr size_t kMaxWords = 12;  // a longer text is no code list
  thread_local std::vector<Word> storage;
  WordSplitter words(text, pack, &storage);
  const size_t first_new = out->size();
  auto fail = [&] {
    out->resize(first_new);
    return false;
  };
  auto add = [&](int b, int e, const CodeMatch* m) {
    Mark mark;
    mark.column = column + b;
    mark.length = e - b;
    mark.printed = std::string(text.substr(b, e - b));
    if (m != nullptr) {
      mark.code = m->code;
      mark.ocr_variant = m->ocr_variant;
    } else {
      mark.suggestion = pack.Suggest(mark.printed);
    }
    out->push_back(std::move(mark));
  };
  bool qualifiable = false;  // the previous word was a code without qualifier
  for (size_t i = 0; words.Has(i); ++i) {
    if (i >= kMaxWords) return fail();
    Word w = words[i];
    // A stray quote or dash stuck to a code ("B6'") or standing alone.
    while (w.end > w.begin && IsTrailingDebris(text[w.end - 1])) --w.end;
    if (w.end == w.begin) continue;
    const std::string_view word = text.substr(w.begin, w.end - w.begin);
    // Before a code, a word must be one (with an inner space, a suffix, or
    // unknown but code-shaped): each starts with the word's first byte.
    // Most fields that are no code list end here. (Lookup skips a line
    // break before a word's first byte, and words are not split at one: a
    // PDF label's text might hold it. No shortcut then.)
    const char first = word[0];
    if (out->size() == first_new && first != '\n' && !pack.MayStartSpelling(first) &&
        !(allow_unknown && MayStartCodeShape(first))) {
      return fail();
    }
    // Spellings with an inner space ("1.4 D)") span two words.
    if (!w.comma_after && words.Has(i + 1)) {
      const Word& n = words[i + 1];
      if (const CodeMatch* m = pack.Lookup(text.substr(w.begin, n.end - w.begin))) {
        add(w.begin, n.end, m);
        qualifiable = !n.comma_after;
        ++i;
        continue;
      }
    }
    if (const CodeMatch* m = pack.Lookup(word)) {
      add(w.begin, w.end, m);
      qualifiable = !w.comma_after;
      continue;
    }
    // A dialect's suffix after a code: "b6 -1" or glued, "b6-1".
    if (out->size() > first_new && pack.IsCodeSuffix(word)) {
      qualifiable = false;
      continue;
    }
    if (const size_t suffix = pack.CodeSuffixLength(word)) {
      if (const CodeMatch* m = pack.Lookup(word.substr(0, word.size() - suffix))) {
        add(w.begin, w.end - static_cast<int>(suffix), m);
        qualifiable = false;
        continue;
      }
    }
    // A code clipped by a narrow redaction box, after a code of the list.
    if (out->size() > first_new && pack.IsClipped(word)) {
      qualifiable = false;
      continue;
    }
    if (qualifiable) {
      // A qualifier of two words ("CIA PERS/ORG") before one of one ("CIA").
      int end = 0;
      if (!w.comma_after && words.Has(i + 1) &&
          pack.IsQualifier(text.substr(w.begin, words[i + 1].end - w.begin))) {
        end = words[++i].end;
      } else if (pack.IsQualifier(word)) {
        end = w.end;
      }
      if (end > 0) {
        (*out)[out->size() - 1].qualifier =
            std::string(text.substr(w.begin, end - w.begin));
        qualifiable = false;
        continue;
      }
    }
    if (allow_unknown && LooksLikeCode(word)) {
      add(w.begin, w.end, nullptr);
      qualifiable = false;
      continue;
    }
    return fail();
  }
  if (words.split() > kMaxWords) return fail();
  return out->size() > first_new;
}

bool ReadCodeList(std::string_view text, int column, const RulePack& pack,
                  bool allow_unknown, std::vector<Mark>* out) {
  // The margin scan asks about every short field that ends a line, and
  // nearly all are prose rejected on the first byte of their first word
  // (the test in ReadCodeListFully). Make that test here, before any word
  // is split: unless that byte is trailing debris, which may make the word
  // empty and skipped, it is the first byte of the first word read.
  size_t p = 0;
  while (p < text.size() && (IsSpace(text[p]) || pack.IsListSeparator(text[p]))) ++p;
  if (p == text.size()) return false;  // no word: no code
  const char first = text[p];
  if (!IsTrailingDebris(first) && first != '\n' && !pack.MayStartSpelling(first) &&
      !(allow_unknown && MayStartCodeShape(first))) {
    return false;
  }
  return ReadCodeListFully(text, column, pack, allow_unknown, out);
}

bool IsDebrisField(std::string_view text) {
  if (text.size() > 3) return false;
  for (char c : text) {
    if (IsAlpha(c) || IsDigit(c)) return false;
  }
  return true;
}

}  // namespace ra::parse_internal
