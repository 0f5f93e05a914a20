// What `search`, `get`, `stats` and `seller list` print, byte for byte, in each --output
// format, driven through RunCli() against fake InvoiceAuthority and TaxOfficer services on an
// in-process gRPC channel (no einvoiced): the fakes answer canned invoices and sellers chosen
// to need CSV quoting (commas, quotes, line breaks), formula neutralisation (a buyer name
// that starts with '=') and exact decimals (negative, many digits), and record what the CLI
// asked for.
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "einvoice/v1/authentication.pb.h"
#include "einvoice/v1/invoice_authority.grpc.pb.h"
#include "einvoice/v1/tax_officer.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tools/cli/dispatch.h"
#include "tools/cli/exit_codes.h"

namespace einvoice::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// 2026-11-22 10:03:01 UTC = 17:03:01 in Vietnam.
constexpr int64_t kIssuedAt = 1795341781;
constexpr char kCode[] = "00FE2FCA280CF74806BE839368A7C4AE25";
constexpr char kOtherCode[] = "00FE2FCA280CF74806BE839368A7C4AE26";

v1::Invoice AwkwardInvoice() {
  v1::Invoice invoice;
  invoice.set_template_code("1");
  invoice.set_symbol("C26TAA");
  invoice.set_number(42);
  invoice.set_issue_date("2026-11-20");
  invoice.set_currency("VND");
  invoice.mutable_seller()->set_tax_code("0100109106");
  invoice.mutable_seller()->set_name("Công ty TNHH \"Ánh Dương\", chi nhánh Hà Nội");
  invoice.mutable_buyer()->set_tax_code("0100047516");
  invoice.mutable_buyer()->set_name("=HYPERLINK(\"http://x.example\",\"bấm\")");
  v1::LineItem* goods = invoice.add_lines();
  goods->set_nature(v1::LINE_NATURE_GOODS_OR_SERVICE);
  goods->set_line_no(1);
  goods->set_item_code("SP-01");
  goods->set_name("Bàn gỗ\ncó ngăn kéo");
  goods->set_unit("cái");
  goods->set_quantity("1.5");
  goods->set_unit_price("1333333.3333");
  goods->set_amount("2000000");
  goods->set_vat_rate("8%");
  v1::LineItem* discount = invoice.add_lines();
  discount->set_nature(v1::LINE_NATURE_TRADE_DISCOUNT);
  discount->set_name("Chiết khấu");
  discount->set_amount("-150000.5");
  discount->set_vat_rate("8%");
  v1::Totals* totals = invoice.mutable_totals();
  totals->set_total_before_tax("1849999.5");
  totals->set_total_tax("147999.96");
  totals->set_total_trade_discount("150000.5");
  totals->set_total_payable("1997999.46");
  return invoice;
}

v1::AuthenticatedInvoice Authenticated(const std::string& code, const v1::Invoice& invoice) {
  v1::AuthenticationRecord record;
  record.set_authority_code(code);
  *record.mutable_invoice() = invoice;
  v1::AuthenticatedInvoice authenticated;
  authenticated.set_authority_code(code);
  authenticated.mutable_issued_at()->set_seconds(kIssuedAt);
  authenticated.set_signed_record(record.SerializeAsString());
  return authenticated;
}

v1::AuthenticatedInvoice WithWarnings() {
  v1::AuthenticatedInvoice invoice = Authenticated(kCode, AwkwardInvoice());
  for (const char* rule : {"totals.total_payable_mismatch", "line.amount_mismatch",
                           "totals.total_payable_mismatch"}) {
    invoice.add_warnings()->set_rule(rule);
  }
  return invoice;
}

v1::Seller MakeSeller(const std::string& tax_code, const std::string& name,
                      v1::SellerStatus status) {
  v1::Seller seller;
  seller.set_tax_code(tax_code);
  seller.set_name(name);
  seller.set_status(status);
  seller.mutable_registered_at()->set_seconds(kIssuedAt);
  seller.mutable_updated_at()->set_seconds(kIssuedAt + 60);
  return seller;
}

// TaxOfficer with canned answers; records the requests.
class FakeOfficer final : public v1::TaxOfficer::Service {
 public:
  grpc::Status SearchInvoices(grpc::ServerContext*, const v1::SearchInvoicesRequest* request,
                              v1::SearchInvoicesResponse* response) override {
    absl::MutexLock lock(&mu_);
    searches.push_back(*request);
    // Two pages: the invoice with warnings, then one whose record does not parse.
    if (request->page_token().empty()) {
      *response->add_invoices() = WithWarnings();
      response->set_next_page_token("page2");
    } else {
      v1::AuthenticatedInvoice broken;
      broken.set_authority_code(kOtherCode);
      broken.mutable_issued_at()->set_seconds(kIssuedAt);
      broken.set_signed_record("\xff\xff");
      *response->add_invoices() = broken;
    }
    return grpc::Status::OK;
  }

  grpc::Status GetStats(grpc::ServerContext*, const v1::GetStatsRequest*,
                        v1::GetStatsResponse* response) override {
    v1::DayStats* first = response->add_days();
    first->set_day("2026-11-20");
    first->set_issued(5);
    first->set_cash_register(7);
    first->set_rejected(2);
    (*first->mutable_rejected_by_rule())["format.pattern"] = 2;
    (*first->mutable_warned_by_rule())["totals.total_payable_mismatch"] = 1;
    v1::DayStats* second = response->add_days();
    second->set_day("2026-11-21");
    second->set_issued(0);
    second->set_rejected(1);
    (*second->mutable_rejected_by_rule())["format.pattern"] = 1;
    (*second->mutable_warned_by_rule())["totals.total_payable_mismatch"] = 3;
    response->set_total_issued(5);
    response->set_total_cash_register(7);
    response->set_total_rejected(3);
    return grpc::Status::OK;
  }

  grpc::Status ListSellers(grpc::ServerContext*, const v1::ListSellersRequest* request,
                           v1::ListSellersResponse* response) override {
    absl::MutexLock lock(&mu_);
    listings.push_back(*request);
    // Three pages, the second one empty (a listing by status may return such pages).
    if (request->page_token().empty()) {
      v1::Seller first = MakeSeller("0100047516", "Công ty A, B và \"C\"", v1::SELLER_STATUS_ACTIVE);
      first.add_certificates_der("der1");
      first.add_certificates_der("der2");
      first.set_tvan_tax_code("0101243150");
      *response->add_sellers() = first;
      response->set_next_page_token("p2");
    } else if (request->page_token() == "p2") {
      if (fail_second_page) return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no");
      response->set_next_page_token(repeat_second_page ? "p2" : "p3");
    } else {
      v1::Seller second = MakeSeller("0100109106", "-Cửa hàng số 1", v1::SELLER_STATUS_SUSPENDED);
      second.add_revoked_certificates()->set_fingerprint("ab");
      second.clear_updated_at();
      *response->add_sellers() = second;
    }
    return grpc::Status::OK;
  }

  absl::Mutex mu_;
  std::vector<v1::SearchInvoicesRequest> searches;
  std::vector<v1::ListSellersRequest> listings;
  bool fail_second_page = false;
  bool repeat_second_page = false;  // a broken server: page "p2" points to itself
};

// InvoiceAuthority answering GetInvoice only: the awkward invoice, or for code kOtherCode
// one whose record does not parse.
class FakeAuthority final : public v1::InvoiceAuthority::Service {
 public:
  grpc::Status GetInvoice(grpc::ServerContext*, const v1::GetInvoiceRequest* request,
                          v1::AuthenticatedInvoice* response) override {
    if (request->authority_code() == kOtherCode) {
      response->set_authority_code(kOtherCode);
      response->set_signed_record("\xff");
      return grpc::Status::OK;
    }
    *response = WithWarnings();
    return grpc::Status::OK;
  }
};

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

class OutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(&officer_);
    builder.RegisterService(&authority_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override { server_->Shutdown(); }

  CliRun Cli(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    CliEnvironment env{out, err, [this](const std::string&, const ClientOptions& options) {
                         return std::make_unique<EinvoiceClient>(
                             server_->InProcessChannel(grpc::ChannelArguments()), options);
                       }};
    const int code = RunCli(args, env);
    return {code, out.str(), err.str()};
  }

  FakeOfficer officer_;
  FakeAuthority authority_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(OutputTest, SearchCsvHasOneRowPerInvoiceWithExactTotals) {
  const CliRun run = Cli({"search", "--seller", "0100109106", "--output", "csv"});
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out,
            "authority_code,issued_at,issue_date,seller_tax_code,seller_name,buyer_tax_code,"
            "buyer_name,template_code,symbol,number,currency,exchange_rate,total_before_tax,"
            "total_tax,total_trade_discount,total_payable,warnings\r\n"
            "00FE2FCA280CF74806BE839368A7C4AE25,2026-11-22 17:03:01,2026-11-20,0100109106,"
            "\"Công ty TNHH \"\"Ánh Dương\"\", chi nhánh Hà Nội\",0100047516,"
            "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"bấm\"\")\",1,C26TAA,42,VND,,"
            "1849999.5,147999.96,150000.5,1997999.46,"
            "totals.total_payable_mismatch;line.amount_mismatch\r\n"
            // A record that does not parse: its code, its time, "?" for the rest.
            "00FE2FCA280CF74806BE839368A7C4AE26,2026-11-22 17:03:01,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
            "\r\n");
  EXPECT_THAT(run.err, IsEmpty());
  // Both pages were fetched, and no "N invoices" line follows the data.
  absl::MutexLock lock(&officer_.mu_);
  ASSERT_EQ(officer_.searches.size(), 2u);
  EXPECT_EQ(officer_.searches[0].seller_tax_code(), "0100109106");
  EXPECT_EQ(officer_.searches[1].page_token(), "page2");
}

TEST_F(OutputTest, SearchTableIsUnchanged) {
  const CliRun run = Cli({"search", "--seller", "0100109106"});
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_THAT(run.out, StartsWith("code  "));
  EXPECT_THAT(run.out, HasSubstr("1C26TAA/42"));
  EXPECT_THAT(run.out, HasSubstr("1997999.46 VND"));
  EXPECT_THAT(run.out, HasSubstr("2 invoices\n"));
}

TEST_F(OutputTest, GetCsvHasOneRowPerLine) {
  const CliRun run = Cli({"get", kCode, "--output=csv"});
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out,
            "authority_code,line_no,nature,item_code,name,unit,quantity,unit_price,"
            "discount_rate,discount_amount,amount,vat_rate,currency\r\n"
            "00FE2FCA280CF74806BE839368A7C4AE25,1,goods,SP-01,\"Bàn gỗ\ncó ngăn kéo\",cái,1.5,"
            "1333333.3333,,,2000000,8%,VND\r\n"
            "00FE2FCA280CF74806BE839368A7C4AE25,,discount,,Chiết khấu,,,,,,-150000.5,8%,VND\r\n");
}

TEST_F(OutputTest, GetCsvOfARecordThatDoesNotParseFailsWithNothingOnStdout) {
  const CliRun run = Cli({"--output", "csv", "get", kOtherCode});
  EXPECT_EQ(run.code, kExitOther);
  EXPECT_THAT(run.out, IsEmpty());
  EXPECT_THAT(run.err, HasSubstr("the signed record does not parse"));
}

TEST_F(OutputTest, JsonIsTheSameWithEitherSpelling) {
  const CliRun json = Cli({"get", kCode, "--json"});
  const CliRun output = Cli({"get", kCode, "--output", "json"});
  ASSERT_EQ(json.code, kExitOk) << json.err;
  EXPECT_EQ(json.out, output.out);
  EXPECT_THAT(json.out, HasSubstr("\"authorityCode\": \"00FE2FCA280CF74806BE839368A7C4AE25\""));
}

TEST_F(OutputTest, StatsCsvIsOneTableWithoutATotalRow) {
  const CliRun by_day = Cli({"stats", "--output", "csv"});
  ASSERT_EQ(by_day.code, kExitOk) << by_day.err;
  EXPECT_EQ(by_day.out,
            "day,issued,cash_register,rejected\r\n"
            "2026-11-20,5,7,2\r\n"
            "2026-11-21,0,0,1\r\n");
  EXPECT_EQ(Cli({"stats", "--output", "csv", "--by", "day"}).out, by_day.out);

  const CliRun by_rule = Cli({"stats", "--output", "csv", "--by", "rule"});
  ASSERT_EQ(by_rule.code, kExitOk) << by_rule.err;
  EXPECT_EQ(by_rule.out,
            "rule,rejected,warned\r\n"
            "format.pattern,3,0\r\n"
            "totals.total_payable_mismatch,0,4\r\n");
}

TEST_F(OutputTest, StatsTablesAllOrOneOfThem) {
  const std::string days =
      "day         issued  cash_register  rejected\n"
      "----------  ------  -------------  --------\n"
      "2026-11-20       5              7         2\n"
      "2026-11-21       0              0         1\n"
      "total            5              7         3\n";
  const std::string rules =
      "rule                           rejected  warned\n"
      "-----------------------------  --------  ------\n"
      "format.pattern                        3       0\n"
      "totals.total_payable_mismatch         0       4\n";
  EXPECT_EQ(Cli({"stats"}).out, days + "\n" + rules);
  EXPECT_EQ(Cli({"stats", "--by", "day"}).out, days);
  EXPECT_EQ(Cli({"stats", "--by", "rule"}).out, rules);
}

TEST_F(OutputTest, SellerListFollowsEveryPageInEachFormat) {
  const CliRun csv = Cli({"seller", "list", "--status", "suspended", "--page-size", "7",
                          "--output", "csv"});
  ASSERT_EQ(csv.code, kExitOk) << csv.err;
  EXPECT_EQ(csv.out,
            "tax_code,name,status,tvan_tax_code,certificates,revoked_certificates,"
            "registered_at,updated_at\r\n"
            "0100047516,\"Công ty A, B và \"\"C\"\"\",active,0101243150,2,0,"
            "2026-11-22 17:03:01,2026-11-22 17:04:01\r\n"
            "0100109106,'-Cửa hàng số 1,suspended,,0,1,2026-11-22 17:03:01,\r\n");
  {
    absl::MutexLock lock(&officer_.mu_);
    ASSERT_EQ(officer_.listings.size(), 3u);  // through the empty page to the last
    for (const v1::ListSellersRequest& request : officer_.listings) {
      EXPECT_EQ(request.status(), v1::SELLER_STATUS_SUSPENDED);
      EXPECT_EQ(request.page_size(), 7u);
    }
    EXPECT_EQ(officer_.listings[1].page_token(), "p2");
    EXPECT_EQ(officer_.listings[2].page_token(), "p3");
  }

  const CliRun table = Cli({"seller", "list"});
  ASSERT_EQ(table.code, kExitOk) << table.err;
  EXPECT_EQ(table.out,
            "tax code    name                 status     T-VAN       certificates  "
            "registered at\n"
            "----------  -------------------  ---------  ----------  ------------  "
            "-----------------------\n"
            "0100047516  Công ty A, B và \"C\"  active     0101243150             2  "
            "2026-11-22 17:03:01 +07\n"
            "0100109106  -Cửa hàng số 1       suspended  -                      0  "
            "2026-11-22 17:03:01 +07\n"
            "2 sellers\n");

  const CliRun json = Cli({"seller", "list", "--json"});
  ASSERT_EQ(json.code, kExitOk) << json.err;
  EXPECT_THAT(json.out, StartsWith("["));
  EXPECT_THAT(json.out, HasSubstr("\"taxCode\": \"0100047516\""));
  EXPECT_THAT(json.out, HasSubstr("\"status\": \"SELLER_STATUS_SUSPENDED\""));
}

TEST_F(OutputTest, SellerListPrintsNothingWhenAPageFails) {
  officer_.fail_second_page = true;
  for (const char* format : {"table", "json", "csv"}) {
    const CliRun run = Cli({"seller", "list", "--output", format});
    EXPECT_EQ(run.code, kExitDenied) << format;
    EXPECT_THAT(run.out, IsEmpty()) << format;
    EXPECT_THAT(run.err, HasSubstr("einvoice: seller list: no")) << format;
  }
}

TEST_F(OutputTest, SellerListStopsWhenTheServerRepeatsAPageToken) {
  officer_.repeat_second_page = true;
  const CliRun run = Cli({"seller", "list", "--output", "csv"});
  EXPECT_EQ(run.code, kExitOther);
  EXPECT_THAT(run.out, IsEmpty());
  EXPECT_THAT(run.err, HasSubstr("server repeated page token \"p2\""));
}

}  // namespace
}  // namespace einvoice::cli
