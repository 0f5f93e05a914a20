#include "tools/cli/table.h"

#include "gtest/gtest.h"

namespace einvoice::cli {
namespace {

TEST(DisplayWidthTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("Hóa đơn"), 7);  // precomposed (NFC)
  // "ó" as "o" + U+0301 COMBINING ACUTE ACCENT (NFD) still takes one column.
  EXPECT_EQ(DisplayWidth("Ho\xCC\x81" "a"), 3);
  EXPECT_EQ(DisplayWidth("\xE2\x80\xA6"), 1);  // …
  EXPECT_EQ(DisplayWidth("\xFF" "a"), 2);      // an invalid byte counts one
}

TEST(TruncateToWidthTest, CutsWithAnEllipsis) {
  EXPECT_EQ(TruncateToWidth("abcdef", 6), "abcdef");
  EXPECT_EQ(TruncateToWidth("abcdef", 4), "abc\xE2\x80\xA6");
  EXPECT_EQ(TruncateToWidth("Công ty", 4), "Côn\xE2\x80\xA6");
  EXPECT_EQ(DisplayWidth(TruncateToWidth("Thành phố Hồ Chí Minh", 10)), 10);
}

TEST(TableTest, AlignsColumnsUnderHeaders) {
  // A right-aligned column right-aligns its header too.
  Table table({"code", "total"});
  table.AlignRight(1);
  table.AddRow({"A", "5"});
  table.AddRow({"BBBBBB", "1200000"});
  EXPECT_EQ(table.Render(),
            "code      total\n"
            "------  -------\n"
            "A             5\n"
            "BBBBBB  1200000\n");
}

TEST(TableTest, PadsByDisplayWidth) {
  Table table({"name", "x"});
  table.AddRow({"Đơn", "1"});
  table.AddRow({"abcd", "2"});
  EXPECT_EQ(table.Render(),
            "name  x\n"
            "----  -\n"
            "Đơn   1\n"
            "abcd  2\n");
}

TEST(TableTest, MultiLineCellsAndNoTrailingSpaces) {
  Table table({"code", "message", "n"});
  table.AddRow({"20001", "Sai định dạng\nwrong format", "1"});
  table.AddRow({"", "", ""});
  EXPECT_EQ(table.Render(),
            "code   message        n\n"
            "-----  -------------  -\n"
            "20001  Sai định dạng  1\n"
            "       wrong format\n"
            "\n");
}

TEST(TableTest, MissingCellsAreEmptyAndMaxWidthTruncates) {
  Table table({"a", "b"});
  table.SetMaxWidth(0, 3);
  table.AddRow({"abcdef"});
  EXPECT_EQ(table.Render(),
            "a    b\n"
            "---  -\n"
            "ab\xE2\x80\xA6\n");
}

TEST(TableTest, HeaderOnlyWhenEmpty) {
  Table table({"day", "issued"});
  EXPECT_EQ(table.Render(), "day  issued\n---  ------\n");
  EXPECT_EQ(table.row_count(), 0u);
}

TEST(RenderKeyValuesTest, TwoColumnsWithoutHeader) {
  EXPECT_EQ(RenderKeyValues({{"Tax code", "0100047516"}, {"Status", "active"}}),
            "Tax code  0100047516\n"
            "Status    active\n");
}

}  // namespace
}  // namespace einvoice::cli
