#include "rules/totals_calculator.h"

#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"

namespace einvoice {
namespace {

absl::Status Annotate(const absl::Status& status, absl::string_view field) {
  return absl::Status(status.code(), absl::StrCat(field, ": ", status.message()));
}

// ---- Vietnamese number words -----------------------------------------------------------------

constexpr absl::string_view kDigitWords[] = {"không", "một", "hai", "ba",  "bốn",
                                             "năm",   "sáu", "bảy", "tám", "chín"};

// Reads 0 < n < 1000. `full`: something precedes it, so zero hundreds are read ("không
// trăm") and a lone unit takes "linh" ("không trăm linh năm").
void ReadTriple(int n, bool full, std::vector<absl::string_view>* words) {
  const int h = n / 100, t = n / 10 % 10, u = n % 10;
  if (full || h > 0) {
    words->push_back(kDigitWords[h]);
    words->push_back("trăm");
  }
  if (t == 0) {
    if (u == 0) return;
    if (full || h > 0) words->push_back("linh");
    words->push_back(kDigitWords[u]);
  } else if (t == 1) {
    words->push_back("mười");
    if (u == 5) {
      words->push_back("lăm");
    } else if (u > 0) {
      words->push_back(kDigitWords[u]);
    }
  } else {
    words->push_back(kDigitWords[t]);
    words->push_back("mươi");
    if (u == 1) {
      words->push_back("mốt");
    } else if (u == 4) {
      words->push_back("tư");
    } else if (u == 5) {
      words->push_back("lăm");
    } else if (u > 0) {
      words->push_back(kDigitWords[u]);
    }
  }
}

// Reads 0 < n < 10^9.
void ReadBelowBillion(uint64_t n, bool full, std::vector<absl::string_view>* words) {
  const int millions = static_cast<int>(n / 1000000), thousands = static_cast<int>(n / 1000 % 1000),
            units = static_cast<int>(n % 1000);
  bool started = full;
  if (millions > 0) {
    ReadTriple(millions, started, words);
    words->push_back("triệu");
    started = true;
  }
  if (thousands > 0) {
    ReadTriple(thousands, started, words);
    words->push_back("nghìn");
    started = true;
  }
  if (units > 0) ReadTriple(units, started, words);
}

// Reads n > 0; groups of 10^9 are "tỷ", recursively ("một nghìn tỷ", "hai tỷ tỷ").
void ReadNumber(absl::uint128 n, bool full, std::vector<absl::string_view>* words) {
  const absl::uint128 billion = 1000000000;
  const absl::uint128 hi = n / billion;
  const uint64_t lo = absl::Uint128Low64(n % billion);
  if (hi > 0) {
    ReadNumber(hi, full, words);
    words->push_back("tỷ");
  }
  if (lo > 0) ReadBelowBillion(lo, full || hi > 0, words);
}

}  // namespace

int CurrencyDecimals(absl::string_view currency) { return currency == "VND" ? 0 : 2; }

Decimal CurrencyUnit(absl::string_view currency) {
  return currency == "VND" ? Decimal::FromInt(1) : *Decimal::Parse("0.01");
}

absl::StatusOr<Decimal> ComputeLineAmount(const Decimal& quantity, const Decimal& unit_price,
                                          const Decimal& discount_amount, int decimals) {
  ASSIGN_OR_RETURN(Decimal gross, Decimal::Multiply(quantity, unit_price));
  ASSIGN_OR_RETURN(Decimal net, Decimal::Subtract(gross, discount_amount));
  return net.RoundHalfAwayFromZero(decimals);
}

absl::StatusOr<ComputedTotals> ComputeTotals(const v1::Invoice& invoice) {
  const int decimals = CurrencyDecimals(invoice.currency());
  ComputedTotals out;
  for (int i = 0; i < invoice.lines_size(); ++i) {
    const v1::LineItem& line = invoice.lines(i);
    const std::string where = absl::StrCat("lines[", i, "]");
    switch (line.nature()) {
      case v1::LINE_NATURE_NOTE:
        continue;
      case v1::LINE_NATURE_GOODS_OR_SERVICE:
      case v1::LINE_NATURE_PROMOTION:
      case v1::LINE_NATURE_TRADE_DISCOUNT:
      case v1::LINE_NATURE_SPECIAL:
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat(where, ".nature: unknown nature"));
    }
    absl::StatusOr<Decimal> amount = Decimal::Parse(line.amount());
    if (!amount.ok()) return Annotate(amount.status(), absl::StrCat(where, ".amount"));
    absl::StatusOr<VatRate> rate = ParseVatRate(line.vat_rate());
    if (!rate.ok()) return Annotate(rate.status(), absl::StrCat(where, ".vat_rate"));
    RateTotal* total = nullptr;
    for (RateTotal& r : out.rates) {
      if (r.rate == *rate) total = &r;
    }
    if (total == nullptr) {
      out.rates.emplace_back();
      total = &out.rates.back();
      total->rate = *std::move(rate);
    }
    ++total->line_count;
    if (line.nature() == v1::LINE_NATURE_TRADE_DISCOUNT) {
      ASSIGN_OR_RETURN(total->taxable, Decimal::Subtract(total->taxable, *amount));
      ASSIGN_OR_RETURN(out.total_trade_discount,
                       Decimal::Add(out.total_trade_discount, *amount));
    } else {
      ASSIGN_OR_RETURN(total->taxable, Decimal::Add(total->taxable, *amount));
    }
  }
  for (RateTotal& r : out.rates) {
    ASSIGN_OR_RETURN(r.tax, Decimal::Percent(r.taxable, r.rate.percent, decimals));
    ASSIGN_OR_RETURN(out.total_before_tax, Decimal::Add(out.total_before_tax, r.taxable));
    ASSIGN_OR_RETURN(out.total_tax, Decimal::Add(out.total_tax, r.tax));
  }
  for (int k = 0; k < invoice.totals().fees_size(); ++k) {
    absl::StatusOr<Decimal> fee = Decimal::Parse(invoice.totals().fees(k).amount());
    if (!fee.ok()) return Annotate(fee.status(), absl::StrCat("totals.fees[", k, "].amount"));
    ASSIGN_OR_RETURN(out.total_fees, Decimal::Add(out.total_fees, *fee));
  }
  ASSIGN_OR_RETURN(Decimal taxed, Decimal::Add(out.total_before_tax, out.total_tax));
  ASSIGN_OR_RETURN(out.total_payable, Decimal::Add(taxed, out.total_fees));
  return out;
}

absl::Status FillTotals(v1::Invoice* invoice) {
  const int decimals = CurrencyDecimals(invoice->currency());
  for (int i = 0; i < invoice->lines_size(); ++i) {
    v1::LineItem* line = invoice->mutable_lines(i);
    if (line->nature() == v1::LINE_NATURE_NOTE || line->quantity().empty() ||
        line->unit_price().empty()) {
      continue;
    }
    const std::string where = absl::StrCat("lines[", i, "]");
    absl::StatusOr<Decimal> quantity = Decimal::Parse(line->quantity());
    if (!quantity.ok()) return Annotate(quantity.status(), absl::StrCat(where, ".quantity"));
    absl::StatusOr<Decimal> price = Decimal::Parse(line->unit_price());
    if (!price.ok()) return Annotate(price.status(), absl::StrCat(where, ".unit_price"));
    Decimal discount;
    if (!line->discount_amount().empty()) {
      absl::StatusOr<Decimal> d = Decimal::Parse(line->discount_amount());
      if (!d.ok()) return Annotate(d.status(), absl::StrCat(where, ".discount_amount"));
      discount = *d;
    }
    ASSIGN_OR_RETURN(Decimal amount, ComputeLineAmount(*quantity, *price, discount, decimals));
    line->set_amount(amount.ToString());
  }
  ASSIGN_OR_RETURN(ComputedTotals computed, ComputeTotals(*invoice));
  v1::Totals* totals = invoice->mutable_totals();
  // The fees are inputs of the computation, not results: they stay.
  google::protobuf::RepeatedPtrField<v1::Fee> fees = std::move(*totals->mutable_fees());
  totals->Clear();
  *totals->mutable_fees() = std::move(fees);
  for (const RateTotal& r : computed.rates) {
    v1::RateSummary* summary = totals->add_rate_summaries();
    summary->set_vat_rate(r.rate.text);
    summary->set_taxable_amount(r.taxable.ToString());
    summary->set_tax_amount(r.tax.ToString());
  }
  totals->set_total_before_tax(computed.total_before_tax.ToString());
  totals->set_total_tax(computed.total_tax.ToString());
  totals->set_total_trade_discount(computed.total_trade_discount.ToString());
  totals->set_total_payable(computed.total_payable.ToString());
  totals->set_total_payable_in_words(AmountInWords(computed.total_payable, invoice->currency()));
  return absl::OkStatus();
}

std::string AmountInWords(const Decimal& amount, absl::string_view currency) {
  const Decimal magnitude = amount.Abs();
  const std::string text = magnitude.ToString();
  const size_t point = text.find('.');
  const absl::string_view integer_text = absl::string_view(text).substr(0, point);
  absl::uint128 integer = 0;
  for (char c : integer_text) integer = integer * 10 + static_cast<uint64_t>(c - '0');

  std::vector<absl::string_view> words;
  if (amount.is_negative()) words.push_back("âm");
  if (integer == 0) {
    words.push_back("không");
  } else {
    ReadNumber(integer, false, &words);
  }
  std::string fraction_digits;
  if (point != std::string::npos) {
    fraction_digits = text.substr(point + 1);
    words.push_back("phẩy");
    size_t zeros = 0;
    while (zeros < fraction_digits.size() && fraction_digits[zeros] == '0') {
      words.push_back("không");
      ++zeros;
    }
    absl::uint128 rest = 0;
    for (size_t i = zeros; i < fraction_digits.size(); ++i) {
      rest = rest * 10 + static_cast<uint64_t>(fraction_digits[i] - '0');
    }
    if (rest > 0) ReadNumber(rest, false, &words);
  }
  words.push_back(currency == "VND" ? absl::string_view("đồng") : currency);
  std::string out = absl::StrJoin(words, " ");
  if (amount.is_negative()) {
    out.replace(0, std::string("â").size(), "Â");
  } else {
    out[0] = absl::ascii_toupper(static_cast<unsigned char>(out[0]));
  }
  return out;
}

}  // namespace einvoice
