// The CSV writer: RFC 4180 quoting, CRLF records, UTF-8 passed through without a BOM, and
// formula neutralisation that leaves decimals exact. A small independent RFC 4180 reader
// (below) checks that what is written reads back as the fields given.
#include "tools/cli/csv.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace einvoice::cli {
namespace {

using ::testing::ElementsAre;

// Reads a CSV document the way RFC 4180 §2 defines it (CRLF record ends; quoted fields may
// hold commas, CR, LF and doubled quotes). Fails the test on anything malformed.
std::vector<std::vector<std::string>> ReadCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  size_t i = 0;
  bool field_started = false;
  while (i < text.size()) {
    if (!field_started && text[i] == '"') {
      ++i;
      while (true) {
        if (i >= text.size()) {
          ADD_FAILURE() << "unterminated quoted field";
          return records;
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(text[i++]);
      }
      field_started = true;
      if (i < text.size() && text[i] != ',' && text[i] != '\r') {
        ADD_FAILURE() << "text after a closing quote at byte " << i;
        return records;
      }
      continue;
    }
    if (text[i] == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
      ++i;
    } else if (text[i] == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') {
        ADD_FAILURE() << "CR without LF outside quotes at byte " << i;
        return records;
      }
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
      records.push_back(std::move(record));
      record.clear();
      i += 2;
    } else if (text[i] == '\n' || text[i] == '"') {
      ADD_FAILURE() << "bare LF or quote outside quotes at byte " << i;
      return records;
    } else {
      field.push_back(text[i++]);
      field_started = true;
    }
  }
  if (field_started || !record.empty()) ADD_FAILURE() << "last record has no CRLF";
  return records;
}

TEST(CsvFieldTest, PlainFieldsAreWrittenAsTheyAre) {
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("0100109106"), "0100109106");
  EXPECT_EQ(CsvField("Công ty TNHH Mẫu"), "Công ty TNHH Mẫu");
  EXPECT_EQ(CsvField(" leading and trailing "), " leading and trailing ");
  EXPECT_EQ(CsvField("it's"), "it's");
}

TEST(CsvFieldTest, QuotesFieldsWithACommaQuoteCrOrLf) {
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("\""), "\"\"\"\"");
  EXPECT_EQ(CsvField("line 1\nline 2"), "\"line 1\nline 2\"");
  EXPECT_EQ(CsvField("line 1\r\nline 2"), "\"line 1\r\nline 2\"");
  EXPECT_EQ(CsvField("a\rb"), "\"a\rb\"");
}

TEST(CsvFieldTest, NeutralisesWhatASpreadsheetWouldRunAsAFormula) {
  EXPECT_EQ(CsvField("=1+2"), "'=1+2");
  EXPECT_EQ(CsvField("+84 912"), "'+84 912");
  EXPECT_EQ(CsvField("-x"), "'-x");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("\tx"), "'\tx");
  EXPECT_EQ(CsvField("\rx"), "\"'\rx\"");  // neutralised, then quoted for its CR
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\",\"a,b\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\"");
  // Only at the start.
  EXPECT_EQ(CsvField("a=b"), "a=b");
  EXPECT_EQ(CsvField("2026-11-20"), "2026-11-20");
}

TEST(CsvFieldTest, DecimalsComeOutExactlyNegativeOnesToo) {
  for (const char* decimal : {"0", "4799200", "1500.25", "-1500.25", "-0.000001",
                              "123456789012345678901234567890.123456789"}) {
    EXPECT_EQ(CsvField(decimal), decimal);
  }
  // Not plain decimals: neutralised.
  EXPECT_EQ(CsvField("-"), "'-");
  EXPECT_EQ(CsvField("-1.5e3"), "'-1.5e3");
  EXPECT_EQ(CsvField("-1."), "'-1.");
  EXPECT_EQ(CsvField("-.5"), "'-.5");
  EXPECT_EQ(CsvField("-1-1"), "'-1-1");
  EXPECT_EQ(CsvField("+5"), "'+5");
}

TEST(CsvRecordTest, JoinsWithCommasAndEndsWithCrlf) {
  EXPECT_EQ(CsvRecord({"a", "b,c", ""}), "a,\"b,c\",\r\n");
  EXPECT_EQ(CsvRecord({""}), "\"\"\r\n");  // not an empty line, which reads as no record
  EXPECT_EQ(kCsvLineEnd, "\r\n");
}

TEST(CsvTableTest, HeaderThenRowsAllTheSameWidth) {
  CsvTable table({"code", "name", "total"});
  table.AddRow({"A", "Công ty \"Mẫu\", Hà Nội", "-1500.25"});
  table.AddRow({"B"});                              // padded
  table.AddRow({"C", "x", "1", "dropped", "also"});  // cut
  EXPECT_EQ(table.row_count(), 3u);
  EXPECT_EQ(table.Render(),
            "code,name,total\r\n"
            "A,\"Công ty \"\"Mẫu\"\", Hà Nội\",-1500.25\r\n"
            "B,,\r\n"
            "C,x,1\r\n");
}

TEST(CsvTableTest, OnlyTheHeaderWithoutRows) {
  EXPECT_EQ(CsvTable({"day", "issued"}).Render(), "day,issued\r\n");
}

TEST(CsvTableTest, NoByteOrderMarkAndUtf8Untouched) {
  CsvTable table({"tên"});
  table.AddRow({"Hóa đơn giá trị gia tăng"});
  const std::string csv = table.Render();
  EXPECT_NE(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(csv, "tên\r\nHóa đơn giá trị gia tăng\r\n");
}

TEST(CsvTableTest, EveryAwkwardFieldReadsBackAsWritten) {
  const std::vector<std::string> awkward = {
      "",      "plain",   "a,b",        "\"quoted\"",         "x\"y",   "line\nbreak",
      "cr\rlf\r\n", ",",  "\"\"",       " spaced ",           "Đơn giá", "-2.5",
      "Công ty TNHH \"Ánh Dương\", chi nhánh\r\nHà Nội"};
  CsvTable table({"value", "n"});
  for (size_t i = 0; i < awkward.size(); ++i) table.AddRow({awkward[i], std::to_string(i)});
  const std::vector<std::vector<std::string>> read = ReadCsv(table.Render());
  ASSERT_EQ(read.size(), awkward.size() + 1);
  EXPECT_THAT(read[0], ElementsAre("value", "n"));
  for (size_t i = 0; i < awkward.size(); ++i) {
    EXPECT_THAT(read[i + 1], ElementsAre(awkward[i], std::to_string(i))) << i;
  }
}

}  // namespace
}  // namespace einvoice::cli
