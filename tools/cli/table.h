// Plain-text tables for the CLI's human-readable output: a header row, a rule of dashes,
// then the rows, columns separated by two spaces and padded to the widest cell. Widths count
// what a terminal shows: UTF-8 code points, with combining marks (Vietnamese text in NFD) taking
// no room. A cell may hold several lines ("\n"); the row then takes several lines. Lines never
// end in spaces.
//
// Thread-compatible (a Table is a plain value).
#ifndef EINVOICE_TOOLS_CLI_TABLE_H_
#define EINVOICE_TOOLS_CLI_TABLE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace einvoice::cli {

// Columns shown on a terminal by `utf8` (one line): code points, combining marks excluded.
// Invalid bytes count one each.
int DisplayWidth(absl::string_view utf8);

// `utf8` cut to at most `max_width` display columns, ending in "…" when cut.
// REQUIRES: max_width >= 1.
std::string TruncateToWidth(absl::string_view utf8, int max_width);

class Table {
 public:
  enum class Align { kLeft, kRight };

  // A table with these column headers. With `headers` empty the table has no header row and
  // no rule (used for "key  value" views); its column count is set by the first row.
  explicit Table(std::vector<std::string> headers);

  // Right-align column `column` (numbers). REQUIRES: column < column count.
  void AlignRight(size_t column);
  // Cut cells of `column` wider than `max_width` (per line) with "…". REQUIRES: max_width >= 1.
  void SetMaxWidth(size_t column, int max_width);

  // Adds a row; missing cells are empty, extra cells are dropped.
  void AddRow(std::vector<std::string> cells);
  size_t row_count() const { return rows_.size(); }

  // The table, every line ending in "\n". Only the header (and rule) when there are no rows.
  std::string Render() const;

 private:
  size_t columns_;
  std::vector<std::string> headers_;
  std::vector<Align> align_;
  std::vector<int> max_width_;  // 0 = unlimited
  std::vector<std::vector<std::string>> rows_;
};

// A two-column "key  value" listing without header, e.g. for one invoice or one seller.
std::string RenderKeyValues(const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace einvoice::cli

#endif  // EINVOICE_TOOLS_CLI_TABLE_H_
