import Scoring
import Testing

/// Russian bank accounts: 20 digits, the BIC's control key when a BIC is near, a context word otherwise.
@Suite struct PIIBankAccountRUTests {
    @Test func anAccountWithItsBICPassesTheControlKey() {
        expectPII(
            "БИК 044525225, р/с 1️⃣40817810899910004312", entities: [.bankAccountRU],
            [("1️⃣", "pii.bank_account_ru", "40817810899910004312")])
        expectPII(
            "Счёт 1️⃣40817810899910004312 в банке с БИК 044525225", entities: [.bankAccountRU],
            [("1️⃣", "pii.bank_account_ru", "40817810899910004312")])
    }

    @Test func aWrongControlKeyNextToABICIsNotAnAccount() {
        expectNoPII("БИК 044525225, р/с 40817810899910004313", entities: [.bankAccountRU])
    }

    @Test func companyAndCorrespondentAccountsAreNotPersonal() {
        // 40702810438000034726 passes the key with BIC 044525225, yet is a company's settlement account.
        expectNoPII("БИК 044525225, р/с 40702810438000034726, к/с 30101810400000000225", entities: [.bankAccountRU])
    }

    @Test func withoutABICAContextWordIsNeeded() {
        expectPII(
            "Лицевой счёт: 1️⃣40817810099910004312", entities: [.bankAccountRU],
            [("1️⃣", "pii.bank_account_ru", "40817810099910004312")])
        expectNoPII("Трек-номер 40817810099910004312", entities: [.bankAccountRU])
        expectNoPII("код 40817810099910004312", entities: [.bankAccountRU])
        expectNoPII("счёт 00000000000000000000", entities: [.bankAccountRU])
        expectNoPII("счёт 4081781009991000431", entities: [.bankAccountRU])  // 19 digits
    }
}
