import Scoring
import Testing

@Suite struct PIIIPAddressTests {
    @Test func ipv4InRussianAndEnglishText() {
        expectPII("Сервер 1️⃣10.0.0.1:8080 недоступен", entities: [.ip], [("1️⃣", "pii.ip", "10.0.0.1")])
        expectPII(
            "IPs: 1️⃣192.168.1.1, 2️⃣10.0.0.1 and 3️⃣172.16.0.1.", entities: [.ip],
            [("1️⃣", "pii.ip", "192.168.1.1"), ("2️⃣", "pii.ip", "10.0.0.1"), ("3️⃣", "pii.ip", "172.16.0.1")])
        expectPII("(1️⃣192.168.1.1)", entities: [.ip], [("1️⃣", "pii.ip", "192.168.1.1")])
        expectPII("1️⃣192.168.2.1@eth0", entities: [.ip], [("1️⃣", "pii.ip", "192.168.2.1")])
        expectPII(
            "range 1️⃣10.0.0.1-2️⃣10.0.0.255", entities: [.ip],
            [("1️⃣", "pii.ip", "10.0.0.1"), ("2️⃣", "pii.ip", "10.0.0.255")])
    }

    /// Four one-digit numbers are a clause or an outline number unless a word names an address.
    @Test func oneDigitQuadsNeedAWordForAnAddress() {
        expectNoPII("Пункт 3.2.4.2 договора оферты", entities: [.ip])
        expectNoPII("See section 1.2.3.4 of the terms", entities: [.ip])
        expectPII("DNS server 1️⃣1.1.1.1 is down", entities: [.ip], [("1️⃣", "pii.ip", "1.1.1.1")])
        expectPII("IP-адрес: 1️⃣8.8.4.4", entities: [.ip], [("1️⃣", "pii.ip", "8.8.4.4")])
    }

    @Test func cidrPrefixesBelongToTheAddress() {
        expectPII("Subnet: 1️⃣192.168.1.0/24", entities: [.ip], [("1️⃣", "pii.ip", "192.168.1.0/24")])
        expectPII("1️⃣10.0.0.0/123", entities: [.ip], [("1️⃣", "pii.ip", "10.0.0.0")])
        expectPII("Prefix: 1️⃣2001:db8::/32.", entities: [.ip], [("1️⃣", "pii.ip", "2001:db8::/32")])
        expectPII("1️⃣::/0", entities: [.ip], [("1️⃣", "pii.ip", "::/0")])
    }

    @Test(arguments: [
        "2001:db8::1", "fe80::1", "::1", "2400:c401::5054:ff:fe1b:b031", "684D:1111:222:3333:4444:5555:6:77",
        "2345:0425:2CA1:0000:0000:0567:5673:23b5", "::ffff:192.0.2.1", "64:ff9b::192.0.2.1", "fe80::1%eth0",
        "0:0:0:0:0:FFFF:129.144.52.38",
    ])
    func ipv6(address: String) {
        expectPII("адрес 1️⃣\(address) в логах", entities: [.ip], [("1️⃣", "pii.ip", address)])
    }

    @Test func ipv6InBracketsAndAtSentenceEnd() {
        expectPII("Connect to [1️⃣2001:db8::1]:8080", entities: [.ip], [("1️⃣", "pii.ip", "2001:db8::1")])
        expectPII("Server IP: 1️⃣2001:db8::1.", entities: [.ip], [("1️⃣", "pii.ip", "2001:db8::1")])
        expectPII("text::ffff:1️⃣192.0.2.1", entities: [.ip], [("1️⃣", "pii.ip", "192.0.2.1")])
    }

    @Test(arguments: [
        "version 1.2.3.4", "Версия 1.2.3.4", "build: 10.0.19041.1", "v1.2.3.4", "1.2.3.4.5", "256.1.1.1",
        "192.168.01.1",
        "192.168.1", "IP192.168.1.1text", "Time 12:34:56", "std::cout", "MyClass::toString", "foo :: Int -> Int",
        "dead::beef", "MAC address aa:bb:cc:dd:ee:ff", "Ratio 1:2:3:4", "Port 80:443", ":::", "2001::db8::1",
        "12345:db8::1", "fe80::1text", "text2001:db8::1", "::ffff:256.0.0.1", "gggg:hhhh::1234", "Use local ipv6 ::",
    ])
    func rejects(text: String) {
        expectNoPII(text, entities: [.ip])
    }
}
