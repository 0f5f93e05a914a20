#include "tools/cli/table.h"

#include <algorithm>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace einvoice::cli {
namespace {

// Decodes the code point starting at `s[*i]` and advances `*i`; invalid bytes decode as
// themselves (one byte).
uint32_t NextCodePoint(absl::string_view s, size_t* i) {
  const unsigned char lead = static_cast<unsigned char>(s[*i]);
  size_t extra = 0;
  uint32_t cp = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    cp = lead & 0x07;
  }
  if (extra == 0 || *i + extra >= s.size()) {  // ASCII, stray byte, or cut short
    ++*i;
    return lead;
  }
  for (size_t k = 1; k <= extra; ++k) {
    const unsigned char c = static_cast<unsigned char>(s[*i + k]);
    if ((c & 0xC0) != 0x80) {
      ++*i;
      return lead;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  *i += 1 + extra;
  return cp;
}

bool IsCombining(uint32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
         (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0x200B || cp == 0x200D;
}

std::string Pad(absl::string_view text, int width, Table::Align align) {
  const int fill = std::max(0, width - DisplayWidth(text));
  if (align == Table::Align::kRight) return std::string(fill, ' ') + std::string(text);
  return std::string(text) + std::string(fill, ' ');
}

std::vector<std::string> Lines(absl::string_view cell) {
  return absl::StrSplit(cell, '\n');
}

}  // namespace

int DisplayWidth(absl::string_view utf8) {
  int width = 0;
  for (size_t i = 0; i < utf8.size();) {
    if (!IsCombining(NextCodePoint(utf8, &i))) ++width;
  }
  return width;
}

std::string TruncateToWidth(absl::string_view utf8, int max_width) {
  if (DisplayWidth(utf8) <= max_width) return std::string(utf8);
  // Keep max_width - 1 columns (plus any combining marks that follow them), then "…".
  int width = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    size_t next = i;
    const uint32_t cp = NextCodePoint(utf8, &next);
    if (!IsCombining(cp)) {
      if (width == max_width - 1) break;
      ++width;
    }
    i = next;
  }
  return std::string(utf8.substr(0, i)) + "\xE2\x80\xA6";
}

Table::Table(std::vector<std::string> headers)
    : columns_(headers.size()),
      headers_(std::move(headers)),
      align_(columns_, Align::kLeft),
      max_width_(columns_, 0) {}

void Table::AlignRight(size_t column) { align_.at(column) = Align::kRight; }

void Table::SetMaxWidth(size_t column, int max_width) { max_width_.at(column) = max_width; }

void Table::AddRow(std::vector<std::string> cells) {
  if (columns_ == 0) {
    columns_ = cells.size();
    align_.assign(columns_, Align::kLeft);
    max_width_.assign(columns_, 0);
  }
  cells.resize(columns_);
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  // Split every cell into lines (truncated where asked), then measure.
  std::vector<std::vector<std::vector<std::string>>> rows;
  rows.reserve(rows_.size());
  std::vector<int> widths(columns_, 0);
  for (size_t c = 0; c < headers_.size(); ++c) widths[c] = DisplayWidth(headers_[c]);
  for (const std::vector<std::string>& row : rows_) {
    std::vector<std::vector<std::string>> cells;
    for (size_t c = 0; c < columns_; ++c) {
      std::vector<std::string> lines = Lines(row[c]);
      for (std::string& line : lines) {
        if (max_width_[c] > 0) line = TruncateToWidth(line, max_width_[c]);
        widths[c] = std::max(widths[c], DisplayWidth(line));
      }
      cells.push_back(std::move(lines));
    }
    rows.push_back(std::move(cells));
  }

  std::string out;
  auto emit = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < columns_; ++c) {
      if (c > 0) line += "  ";
      line += Pad(cells[c], widths[c], align_[c]);
    }
    absl::string_view trimmed = absl::StripTrailingAsciiWhitespace(line);
    out.append(trimmed.data(), trimmed.size());
    out += '\n';
  };
  if (!headers_.empty()) {
    emit(headers_);
    std::vector<std::string> rule;
    for (int w : widths) rule.push_back(std::string(w, '-'));
    emit(rule);
  }
  for (const std::vector<std::vector<std::string>>& cells : rows) {
    size_t height = 0;
    for (const std::vector<std::string>& lines : cells) height = std::max(height, lines.size());
    for (size_t l = 0; l < height; ++l) {
      std::vector<std::string> line;
      for (const std::vector<std::string>& lines : cells) {
        line.push_back(l < lines.size() ? lines[l] : std::string());
      }
      emit(line);
    }
  }
  return out;
}

std::string RenderKeyValues(const std::vector<std::pair<std::string, std::string>>& pairs) {
  Table table({});
  for (const auto& [key, value] : pairs) table.AddRow({key, value});
  return table.Render();
}

}  // namespace einvoice::cli
