import Scoring
import Testing

@Suite struct PIIEmailTests {
    @Test func findsAddressesInRussianAndEnglishText() {
        expectPII(
            "Напишите на 1️⃣ivan.petrov@example.com, и мы ответим.", entities: [.email],
            [("1️⃣", "pii.email", "ivan.petrov@example.com")])
        expectPII(
            "Contact 1️⃣support+billing@mail.bank.co.uk or 2️⃣a_b-c%d@x.io today", entities: [.email],
            [("1️⃣", "pii.email", "support+billing@mail.bank.co.uk"), ("2️⃣", "pii.email", "a_b-c%d@x.io")])
    }

    @Test func cyrillicAndPunycodeDomains() {
        expectPII("почта: 1️⃣info@почта.рф", entities: [.email], [("1️⃣", "pii.email", "info@почта.рф")])
        expectPII("my email is 1️⃣user@xn--80ak6aa92e.com today", [("1️⃣", "pii.email", "user@xn--80ak6aa92e.com")])
        expectPII("1️⃣a@xn--d1acufc.xn--p1ai", [("1️⃣", "pii.email", "a@xn--d1acufc.xn--p1ai")])
    }

    @Test func maskedAddressesRemotesAndCyrillicMailboxes() {
        expectNoPII("Письмо отправлено на i***v@mail.ru", entities: [.email])
        expectNoPII("git clone git@github.com:acme/storefront.git", entities: [.email])
        expectNoPII("scp ./a.txt deploy@example.com:~/inbox", entities: [.email])
        expectPII("e-mail: 1️⃣почта@почта.рф", entities: [.email], [("1️⃣", "pii.email", "почта@почта.рф")])
        expectPII("Reply to 1️⃣ivan@mail.ru: thanks", entities: [.email], [("1️⃣", "pii.email", "ivan@mail.ru")])
    }

    @Test func surroundingPunctuationIsNotPartOfTheAddress() {
        expectPII("(1️⃣ivan@example.com).", [("1️⃣", "pii.email", "ivan@example.com")])
        expectPII("**1️⃣ivan@example.com**", [("1️⃣", "pii.email", "ivan@example.com")])
        expectPII("mailto:1️⃣ivan@example.com", [("1️⃣", "pii.email", "ivan@example.com")])
        expectPII("«1️⃣Ivan@Example.COM»", [("1️⃣", "pii.email", "Ivan@Example.COM")])
        expectPII("...1️⃣ivan@example.com...", [("1️⃣", "pii.email", "ivan@example.com")])
    }

    @Test func rejectsWhatIsNotAnAddress() {
        for text in [
            "пишите @username в телеграм", "user@localhost", "my email is info@presidio.", "a@b.c", "ivan@@example.com",
            "npm i @scope/pkg", "ivan..petrov@example.com", "user@123.456", "this is not an email: hello-world here",
            "user@-bad.com", "user@bad-.com", "@", "x@y",
        ] {
            expectNoPII(text, entities: [.email])
        }
    }

    @Test func aLocalPartLongerThanTheLimitIsNotCutToFit() {
        expectNoPII(String(repeating: "a", count: 70) + "@example.com", entities: [.email])
        let local = String(repeating: "b", count: 64)
        expectPII("1️⃣\(local)@example.com", entities: [.email], [("1️⃣", "pii.email", "\(local)@example.com")])
    }

    @Test func anAddressMadeOfDigitsIsAnAddressNotAPhone() {
        expectPII("1️⃣79123456789@mail.ru", [("1️⃣", "pii.email", "79123456789@mail.ru")])
    }
}
