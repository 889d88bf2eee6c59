public import EvalCore

/// The kinds of personal data and secrets the `pii` check finds. The raw value is the name eval sets use in the
/// check's `entities` option and the middle of a finding's rule id (`pii.email`, `pii.passport_ru`).
public enum PIIEntity: String, CaseIterable, Sendable, Hashable, Codable {
    /// An email address: `ivan@example.com`.
    case email
    /// A phone number: international `+…` numbers, Russian `8 …`, US `(212) 555-0199`, trunk-`0` national numbers.
    case phone
    /// A payment card number: 12–19 digits, Luhn-valid, with an issuer prefix of a real network.
    case card
    /// An international bank account number, validated by its country's length and mod-97.
    case iban
    /// An IPv4 or IPv6 address.
    case ip
    /// A Russian internal passport: series (4 digits) and number (6 digits), only near a word such as `паспорт`.
    case passportRU = "passport_ru"
    /// A Russian taxpayer number (ИНН), 10 or 12 digits with check digits.
    case inn
    /// A Russian insurance account number (СНИЛС), 11 digits with a checksum.
    case snils
    /// A Russian company registration number (ОГРН), 13 digits, mod 11.
    case ogrn
    /// A Russian sole-trader registration number (ОГРНИП), 15 digits, mod 13.
    case ogrnip
    /// A US social security number in the `123-45-6789` form.
    case ssn
    /// An API key, token or private key; `PIIMatch.kind` says which (`openai`, `jwt`, `private_key`…).
    case secret
    /// A Russian bank account number: 20 digits, checked against the BIC's control key when a BIC is near, else
    /// only next to a word such as `р/с` or `счёт`.
    case bankAccountRU = "bank_account_ru"
    /// A person's name: Russian full names by their patronymic in any case form (`Иванову Ивану Петровичу`) or
    /// initials (`И. И. Иванов`); English names after a title (`Mr.`, `Dr.`), a field label (`Name:`) or a
    /// greeting or closing (`Dear`, `Regards,`).
    case personName = "person_name"
    /// A postal address: Russian (`г. Москва, ул. Ленина, д. 5, кв. 10`), US (`12 Main St, Springfield, IL 62704`),
    /// UK (`…, London SW1A 1AA`) and German (`Hauptstraße 5, 10115 Berlin`).
    case address

    /// What a finding says the answer discloses: `an email address`.
    public var disclosure: String {
        switch self {
        case .email: "an email address"
        case .phone: "a phone number"
        case .card: "a payment card number"
        case .iban: "an IBAN"
        case .ip: "an IP address"
        case .passportRU: "a Russian passport number"
        case .inn: "a Russian taxpayer number (INN)"
        case .snils: "a Russian insurance number (SNILS)"
        case .ogrn: "a Russian company registration number (OGRN)"
        case .ogrnip: "a Russian sole-trader registration number (OGRNIP)"
        case .ssn: "a US social security number"
        case .secret: "a secret"
        case .bankAccountRU: "a Russian bank account number"
        case .personName: "a person's name"
        case .address: "a postal address"
        }
    }
}

/// One piece of personal data or one secret found in a text, with its exact place.
public struct PIIMatch: Sendable, Hashable {
    public var entity: PIIEntity
    /// For secrets, which kind (one of `PIIDetector.secretKinds`); nil for every other entity.
    public var kind: String?
    /// UTF-8 byte offsets of the match in the scanned text.
    public var span: TextSpan
    /// The matched text: the scanned text's own bytes at `span`.
    public var text: String
    /// Why a number was reported, when its checksum or its label decided: `checksum valid, labelled 'инн'`.
    public var reason: String?

    public init(entity: PIIEntity, kind: String? = nil, span: TextSpan, text: String, reason: String? = nil) {
        self.entity = entity
        self.kind = kind
        self.span = span
        self.text = text
        self.reason = reason
    }

    /// `pii.<entity>`, or `pii.secret.<kind>` for secrets.
    public var ruleID: String {
        if let kind { return "pii.\(entity.rawValue).\(kind)" }
        return "pii.\(entity.rawValue)"
    }
}
