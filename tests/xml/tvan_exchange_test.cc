// TvanExchange (xml/tvan_exchange.h) over the domain with in-memory stores: the answer is built
// after the write, on the executor it was given; a caller who gave up receives nothing; the
// refusals the exchange decides itself are counted like the authenticator's. (The message
// layouts and xmlsec round trips are in tests/server/xml_submission_test.cc.)
#include "xml/tvan_exchange.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "tests/domain/domain_fixture.h"
#include "tests/xml/support/seller_signing.h"
#include "tests/xml/support/test_pki.h"
#include "xml/tvan_envelope.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::testing::HasSubstr;
using ::testing::SizeIs;

absl::Time Day(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

class TvanExchangeTest : public testing::DomainFixture {
 protected:
  void SetUp() override {
    DomainFixture::SetUp();
    credential_ = ca_.IssueSellerCertificate(tax_code_, Day(2026, 1, 1), Day(2027, 12, 31));
    // The taxpayer's certificate, registered with the (already registered) seller.
    absl::StatusOr<std::optional<v1::Seller>> seller = sellers_.Get(tax_code_);
    ASSERT_OK(seller.status());
    ASSERT_TRUE(seller->has_value());
    v1::Seller with_certificate = **seller;
    with_certificate.add_certificates_der(credential_.certificate_der);
    ASSERT_OK(sellers_.Put(with_certificate));
    exchange_ = std::make_unique<TvanExchange>(
        authenticator_.get(), &sellers_, &access_, keys_.get(), &signer_,
        SellerSignatureOptions{}, [this](std::function<void()> task) {
          queued_.push_back(std::move(task));
        });
  }

  static testing::CashRegisterEntry Entry(uint32_t number) {
    testing::CashRegisterEntry entry;
    entry.invoice = BaselineInvoice();
    entry.invoice.set_symbol("C26MAA");
    entry.invoice.set_number(number);
    entry.code = absl::StrFormat("M1-26-ABCDE-%011u", number);
    return entry;
  }

  std::string Message206(const std::vector<testing::CashRegisterEntry>& entries,
                         const testing::TestCredential& signer, char id) {
    absl::StatusOr<std::string> message = testing::SignedCashRegisterMessage(
        entries, signer, "V0101243150", tax_code_, "V0101243150" + std::string(32, id));
    EXPECT_TRUE(message.ok()) << message.status();
    return message.value_or("");
  }

  // Exchanges `message`; the answer, once the queued continuations have run.
  TvanExchange::Answers Exchange(const std::string& message, Abandoned abandoned = {}) {
    std::optional<TvanExchange::Answers> answers;
    exchange_->ExchangeAsync(
        local_operator_, message, clock_.Now(),
        [&](TvanExchange::Answers result) { answers = std::move(result); }, abandoned);
    while (!answers.has_value() && !queued_.empty()) {
      std::function<void()> task = std::move(queued_.front());
      queued_.erase(queued_.begin());
      task();
    }
    EXPECT_TRUE(answers.has_value());
    return answers.value_or(absl::InternalError("no answer"));
  }

  const std::string tax_code_ = BaselineInvoice().seller().tax_code();
  testing::TestCa ca_;
  testing::TestCredential credential_;
  std::vector<std::function<void()>> queued_;
  std::unique_ptr<TvanExchange> exchange_;
};

TEST_F(TvanExchangeTest, The206sAnswerIsBuiltOnTheExecutorOnceTheInvoicesAreWritten) {
  const std::string message = Message206({Entry(1), Entry(2)}, credential_, 'A');
  std::optional<TvanExchange::Answers> answers;
  exchange_->ExchangeAsync(local_operator_, message, clock_.Now(),
                           [&](TvanExchange::Answers result) { answers = std::move(result); });
  // Written, but the notice (signed by the HSM) waits for the executor.
  EXPECT_EQ(store_.size(), 2u);
  EXPECT_FALSE(answers.has_value());
  ASSERT_THAT(queued_, SizeIs(1));
  const int signatures = InvoiceSignatures();
  queued_.front()();
  ASSERT_TRUE(answers.has_value());
  ASSERT_OK(answers->status());
  ASSERT_THAT(**answers, SizeIs(2));
  EXPECT_THAT((**answers)[1], HasSubstr("<LTBao>2</LTBao>"));
  EXPECT_EQ(InvoiceSignatures(), signatures + 1);  // the notice, signed on the executor
}

TEST_F(TvanExchangeTest, A200sAnswerIsBuiltOnTheExecutorToo) {
  const std::string hdon = testing::SignedInvoiceXml(BaselineInvoice(), credential_).value();
  const std::string message = absl::StrCat(
      "<TDiep><TTChung><PBan>2.1.0</PBan><MNGui>V0101243150</MNGui><MNNhan>TCT</MNNhan>"
      "<MLTDiep>200</MLTDiep><MTDiep>V0101243150",
      std::string(32, 'B'), "</MTDiep><MST>", tax_code_, "</MST><SLuong>1</SLuong></TTChung><DLieu>",
      hdon.substr(hdon.find("?>") + 2), "</DLieu></TDiep>");
  const TvanExchange::Answers answers = Exchange(message);
  ASSERT_OK(answers.status());
  ASSERT_THAT(*answers, SizeIs(2));
  EXPECT_THAT((*answers)[1], HasSubstr("<MLTDiep>202</MLTDiep>"));
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(TvanExchangeTest, A206WhoseCallerGaveUpReceivesNothingAndAsksForAResend) {
  const TvanExchange::Answers answers =
      Exchange(Message206({Entry(1), Entry(2)}, credential_, 'C'), [] { return true; });
  ASSERT_OK(answers.status());
  ASSERT_THAT(*answers, SizeIs(1));  // a 999 only
  EXPECT_THAT((*answers)[0], HasSubstr("<MLoi>10004</MLoi>"));
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(TvanExchangeTest, RefusalsTheExchangeDecidesAreCountedPerRule) {
  // Signed with a certificate the seller never registered: both invoices refused, unseen by
  // the authenticator's rules, and still in the statistics.
  const testing::TestCredential stranger =
      ca_.IssueSellerCertificate(tax_code_, Day(2026, 1, 1), Day(2027, 12, 31));
  const TvanExchange::Answers answers = Exchange(Message206({Entry(1), Entry(2)}, stranger, 'D'));
  ASSERT_OK(answers.status());
  ASSERT_THAT(*answers, SizeIs(2));
  EXPECT_THAT((*answers)[1], HasSubstr("<LTBao>7</LTBao>"));
  EXPECT_EQ(store_.size(), 0u);
  const absl::CivilDay today = VietnamDay(clock_.Now());
  absl::StatusOr<std::vector<DayCount>> counts = store_.CountsByDay(today, today);
  ASSERT_OK(counts.status());
  ASSERT_THAT(*counts, SizeIs(1));
  EXPECT_EQ((*counts)[0].rejected, 2u);
  EXPECT_EQ((*counts)[0].rejected_by_rule.at("seller_certificate.not_registered"), 2u);
}

}  // namespace
}  // namespace einvoice
