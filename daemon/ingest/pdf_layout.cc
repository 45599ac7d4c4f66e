#include "ingest/pdf_layout.h"

#include <algorithm>
#include <cmath>

namespace ra {
namespace {

double Median(std::vector<double> v, double fallback) {
  if (v.empty()) return fallback;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

}  // namespace

std::vector<std::string> LayoutPage(std::vector<PdfWord>* words_in) {
  std::vector<PdfWord>& words = *words_in;
  std::vector<std::string> lines;
  if (words.empty()) return lines;

  std::vector<double> widths, heights;
  for (const PdfWord& w : words) {
    if (!w.chars.empty() && w.box.width > 0) {
      widths.push_back(w.box.width / static_cast<double>(w.chars.size()));
    }
    if (w.box.height > 0) heights.push_back(w.box.height);
  }
  const double char_w = std::max(1.0, Median(widths, 6.0));
  const double line_h = std::max(1.0, Median(heights, 12.0));

  // Words by vertical centre; a line takes the words whose centre lies
  // within half a line height of the line's first word.
  std::vector<size_t> order(words.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto centre = [&](size_t i) {
    return words[i].box.y + words[i].box.height / 2;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return centre(a) < centre(b); });
  std::vector<std::vector<size_t>> groups;
  double group_centre = 0;
  for (size_t i : order) {
    const double tolerance =
        std::max(2.0, std::min(words[i].box.height, line_h) / 2);
    if (groups.empty() || centre(i) - group_centre > tolerance) {
      groups.emplace_back();
      group_centre = centre(i);
    }
    groups.back().push_back(i);
  }

  double prev_bottom = -1;
  for (std::vector<size_t>& g : groups) {
    std::stable_sort(g.begin(), g.end(), [&](size_t a, size_t b) {
      return words[a].box.x < words[b].box.x;
    });
    double top = words[g.front()].box.y;
    double bottom = top;
    for (size_t i : g) {
      top = std::min(top, words[i].box.y);
      bottom = std::max(bottom, words[i].box.y + words[i].box.height);
    }
    if (prev_bottom >= 0) {
      const int gap = static_cast<int>((top - prev_bottom) / line_h);
      for (int k = 0; k < std::min(gap, 3); ++k) lines.emplace_back();
    }
    prev_bottom = bottom;
    std::string line;
    for (size_t i : g) {
      PdfWord& w = words[i];
      int col = static_cast<int>(std::lround(std::max(0.0, w.box.x) / char_w));
      const int min_col =
          line.empty() ? 0 : static_cast<int>(line.size()) + 1;
      col = std::max(col, min_col);
      line.append(static_cast<size_t>(col) - line.size(), ' ');
      w.line = static_cast<int>(lines.size());
      w.column = col;
      line += w.text;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace ra
