#!/usr/bin/env python3
"""Generates the labelled PII hold-out: Tests/ScoringTests/Fixtures/pii-eval.jsonl (tuning part) and
pii-holdout.jsonl (the part never looked at while tuning).

Sources, none of them used by the detectors:
- Faker (MIT, https://github.com/joke2k/faker) providers ru_RU, en_US, en_GB, de_DE, fr_FR, kk_KZ, uk_UA for names,
  addresses, phones, emails, IBANs, cards and Russian ids;
- python-stdnum (LGPL-2.1+, https://github.com/arthurdejong/python-stdnum) validates every id and card number
  (INN, OGRN, IBAN, Luhn); SNILS and OGRNIP checksums are computed here from their published definitions;
- sentences, secrets and hard negatives are written here (random tokens with public prefixes; JWTs built from random
  JSON), numbers that pass checksums are searched for at random.

Each line is the labelled-set format of `evalgate bench-accuracy`: {"id", "lang", "text", "labels"}, where a label
is {"kind": <entity>, "start": <UTF-8 byte offset>, "end": ..., "text": ...}; an empty list is a negative. The kind
is the middle of the rule id (`pii.phone` -> `phone`, `pii.secret.github` -> `secret`).

Usage: python3 scripts/pii-holdout.py  (pip install faker==40.63.0 python-stdnum==2.2; deterministic by seed)
"""

import base64
import json
import os
import random
import string

from faker import Faker
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.ru import inn as std_inn

SEED = 20261204
rng = random.Random(SEED)
Faker.seed(SEED)
fakers = {loc: Faker(loc) for loc in ["ru_RU", "en_US", "en_GB", "de_DE", "fr_FR", "uk_UA"]}
for f in fakers.values():
    f.seed_instance(rng.randrange(1 << 30))
ru = fakers["ru_RU"]
en = fakers["en_US"]


class Line:
    """A sentence assembled from literal text and labelled pieces."""

    def __init__(self, lang):
        self.lang = lang
        self.parts = []  # (text, kind or None)

    def add(self, text, kind=None):
        self.parts.append((text, kind))
        return self

    def build(self):
        text = ""
        labels = []
        for piece, kind in self.parts:
            start = len(text.encode("utf-8"))
            text += piece
            if kind:
                labels.append({"kind": kind, "start": start, "end": len(text.encode("utf-8")), "text": piece})
        return {"lang": self.lang, "text": text, "labels": labels}


def sentence(lang, template, **values):
    """template like 'Call {phone:phone} now'; {name:kind} labelled, {name} plain."""
    line = Line(lang)
    rest = template
    while "{" in rest:
        before, _, after = rest.partition("{")
        field, _, rest = after.partition("}")
        line.add(before)
        name, _, kind = field.partition(":")
        line.add(values[name], kind or None)
    line.add(rest)
    return line.build()


# ---------------------------------------------------------------- ids


def digits(n, first_nonzero=True):
    s = str(rng.randint(1, 9)) if first_nonzero else str(rng.randint(0, 9))
    return s + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def snils_valid(s):
    d = [int(c) for c in s]
    total = sum(d[i] * (9 - i) for i in range(9))
    check = total % 101
    if check == 100:
        check = 0
    return check == int(s[9:])


def ogrnip_valid(s):
    return len(s) == 15 and int(s[:14]) % 13 % 10 == int(s[14])


def ogrn_valid(s):
    return len(s) == 13 and int(s[:12]) % 11 % 10 == int(s[12])


def random_valid(n, check):
    while True:
        s = digits(n)
        if check(s) and len(set(s)) > 1:
            return s


def inn10():
    s = ru.businesses_inn()
    assert std_inn.is_valid(s)
    return s


def inn12():
    s = ru.individuals_inn()
    assert std_inn.is_valid(s)
    return s


def snils():
    s = random_valid(11, snils_valid)
    return rng.choice([s, f"{s[:3]}-{s[3:6]}-{s[6:9]} {s[9:]}"])


def ogrn():
    s = ru.businesses_ogrn()
    assert ogrn_valid(s)
    return s


def ogrnip():
    s = ru.individuals_ogrn()
    assert ogrnip_valid(s), s
    return s


def card():
    kind = rng.choice(["visa16", "mastercard", "amex", "jcb15", "jcb16", "discover", "visa16", "mastercard", "mir"])
    if kind == "mir":
        while True:
            s = "220" + str(rng.randint(0, 4)) + digits(12, False)
            if luhn.is_valid(s):
                break
    elif kind == "jcb15":
        while True:
            s = rng.choice(["2131", "1800"]) + digits(11, False)
            if luhn.is_valid(s):
                break
    else:
        s = en.credit_card_number(card_type=kind)
    assert luhn.is_valid(s)
    style = rng.random()
    if len(s) == 16 and style < 0.5:
        return " ".join(s[i:i + 4] for i in range(0, 16, 4))
    if len(s) == 16 and style < 0.65:
        return "-".join(s[i:i + 4] for i in range(0, 16, 4))
    if len(s) == 15 and style < 0.4:
        return f"{s[:4]} {s[4:10]} {s[10:]}"
    return s


def iban():
    f = fakers[rng.choice(["en_GB", "de_DE", "fr_FR", "ru_RU", "en_US"])]
    s = f.iban()
    assert std_iban.is_valid(s)
    r = rng.random()
    if r < 0.25:
        return s.lower()
    if r < 0.6:
        return " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    return s


def ipv4():
    return rng.choice([en.ipv4_public(), en.ipv4_private(), en.ipv4_public()])


def ipv6():
    return en.ipv6()


def email():
    f = fakers[rng.choice(["ru_RU", "en_US", "en_GB", "de_DE"])]
    s = rng.choice([f.email(), f.free_email(), f.company_email()])
    return s


# ---------------------------------------------------------------- phones


def us_phone():
    area = rng.randint(2, 9) * 100 + rng.randint(0, 99)
    ex = rng.randint(2, 9) * 100 + rng.randint(0, 99)
    sub = rng.randint(0, 9999)
    a, e, s = f"{area:03d}", f"{ex:03d}", f"{sub:04d}"
    forms = [
        f"({a}) {e}-{s}", f"{a}-{e}-{s}", f"{a}.{e}.{s}", f"+1-{a}-{e}-{s}", f"001-{a}-{e}-{s}",
        f"({a}){e}-{s}x{rng.randint(1, 99999)}", f"{a}-{e}-{s} x{rng.randint(1, 9999):03d}",
        f"{a}.{e}.{s} ext. {rng.randint(1, 999)}", f"+1 ({a}) {e}-{s}", f"1-{a}-{e}-{s}",
        f"{a}-{e}-{s}x{rng.randint(100, 99999)}", f"001-{a}-{e}-{s}x{rng.randint(1, 9999)}",
    ]
    return rng.choice(forms)


def ru_phone():
    code = rng.choice(["9" + digits(2, False), "495", "499", "812", "343", "8352"[0:3], "383"])
    n = digits(7, False)
    forms = [
        f"+7 ({code}) {n[:3]}-{n[3:5]}-{n[5:]}", f"8 ({code}) {n[:3]}-{n[3:5]}-{n[5:]}", f"8{code}{n}",
        f"+7{code}{n}", f"8-{code}-{n[:3]}-{n[3:5]}-{n[5:]}", f"+7 {code} {n[:3]} {n[3:5]} {n[5:]}",
        f"8 {code} {n[:3]}-{n[3:5]}-{n[5:]} доб. {rng.randint(1, 9999)}", f"+7 ({code}) {n[:3]}-{n[3:5]}-{n[5:]}, доб. {rng.randint(10, 999)}",
        f"8.{code}.{n[:3]}.{n[3:5]}.{n[5:]}",
    ]
    return rng.choice(forms)


def gb_phone():
    forms = [
        f"+44 (0)20 {digits(4, False)} {digits(4, False)}", f"+44 7{digits(3, False)} {digits(6, False)}",
        f"020 {digits(4, False)} {digits(4, False)}", f"07{digits(3, False)} {digits(6, False)}",
        f"+44 (0) 1{digits(3, False)} {digits(6, False)}", f"01{digits(3, False)} {digits(6, False)}",
    ]
    return rng.choice(forms)


def de_phone():
    forms = [
        f"+49 30 {digits(8, False)}", f"+49 (0)30 {digits(3, False)} {digits(4, False)}",
        f"030 {digits(8, False)}", f"0151 {digits(8, False)}", f"+49 151 {digits(8, False)}",
        f"089 / {digits(6, False)}", f"(089) {digits(7, False)}",
    ]
    return rng.choice(forms)


def fr_phone():
    p = [f"{rng.randint(0, 99):02d}" for _ in range(4)]
    lead = rng.choice("1234567")
    forms = [f"0{lead} {' '.join(p)}", f"+33 {lead} {' '.join(p)}", f"0{lead}.{'.'.join(p)}", f"+33 (0){lead} {' '.join(p)}"]
    return rng.choice(forms)


def kz_phone():
    n = digits(7, False)
    op = rng.choice(["701", "702", "705", "707", "747", "771", "777", "727", "717"])
    return rng.choice([f"+7 {op} {n[:3]} {n[3:5]} {n[5:]}", f"8 ({op}) {n[:3]}-{n[3:5]}-{n[5:]}", f"+7{op}{n}"])


def by_phone():
    n = digits(7, False)
    op = rng.choice(["29", "33", "44", "25", "17"])
    return rng.choice([f"+375 {op} {n[:3]}-{n[3:5]}-{n[5:]}", f"+375 ({op}) {n[:3]}-{n[3:5]}-{n[5:]}",
                       f"8 0{op} {n[:3]}-{n[3:5]}-{n[5:]}", f"8-0{op}-{n}"])


def ua_phone():
    n = digits(7, False)
    op = rng.choice(["50", "67", "63", "93", "44", "97", "66"])
    return rng.choice([f"+380 {op} {n[:3]} {n[3:5]} {n[5:]}", f"+380 ({op}) {n[:3]}-{n[3:5]}-{n[5:]}",
                       f"0{op} {n[:3]} {n[3:5]} {n[5:]}", f"(0{op}) {n[:3]}-{n[3:5]}-{n[5:]}"])


def intl_dial_phone():
    return rng.choice([f"8-10-49-30-{digits(8, False)}", f"8 10 44 20 {digits(4, False)} {digits(4, False)}",
                       f"00 49 30 {digits(8, False)}", f"0049 89 {digits(7, False)}", f"00 33 1 {digits(8, False)}"])


def faker_phone():
    loc = rng.choice(["en_US", "en_GB", "ru_RU", "de_DE", "fr_FR", "en_US"])
    return fakers[loc].phone_number()


def local_phone():
    return rng.choice([f"{digits(3, False)}-{digits(2, False)}-{digits(2, False)}", f"{digits(3, False)}-{digits(4, False)}",
                       f"{digits(2, False)}-{digits(2, False)}-{digits(2, False)}"])


PHONES = [us_phone, ru_phone, gb_phone, de_phone, fr_phone, kz_phone, by_phone, ua_phone, intl_dial_phone, faker_phone]

# ---------------------------------------------------------------- secrets

ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "-_"


def rand(n, alphabet=ALNUM):
    return "".join(rng.choice(alphabet) for _ in range(n))


def b64url(obj):
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def jwt():
    header = {"alg": rng.choice(["HS256", "RS256", "ES256", "none"]), "typ": "JWT"}
    payload = {"sub": str(rng.randint(1, 10**9)), "name": en.first_name(), "iat": rng.randint(1.5e9, 1.8e9)}
    parts = [b64url(header), b64url(payload)]
    if header["alg"] != "none" and rng.random() < 0.6:
        parts.append(rand(43, B64URL))
        return ".".join(parts)
    return ".".join(parts) + rng.choice(["", "."])


def secret():
    maker = rng.choice([
        lambda: "glpat-" + rand(20, B64URL), lambda: "glptt-" + rand(40, "0123456789abcdef"),
        lambda: "gldt-" + rand(20, B64URL), lambda: "GR1348941" + rand(20, B64URL),
        lambda: "glrt-" + rand(20, B64URL), lambda: "ghp_" + rand(36), lambda: "gho_" + rand(36),
        lambda: "github_pat_" + rand(22) + "_" + rand(59), lambda: "sk-proj-" + rand(48, B64URL),
        lambda: "sk-" + rand(48), lambda: "AKIA" + rand(16, string.ascii_uppercase + string.digits),
        lambda: "xoxb-" + digits(11) + "-" + digits(12) + "-" + rand(24), lambda: "AIza" + rand(35, B64URL),
        lambda: "sk_live_" + rand(24), lambda: "rk_live_" + rand(24), lambda: "hf_" + rand(34, string.ascii_letters),
        jwt, jwt, lambda: "npm_" + rand(36), lambda: "pypi-AgEIcHlwaS5vcmc" + rand(60, B64URL),
        lambda: "SG." + rand(22, B64URL) + "." + rand(43, B64URL), lambda: "dop_v1_" + rand(64, "0123456789abcdef"),
        lambda: "shpat_" + rand(32, "0123456789abcdef"), lambda: "glsa_" + rand(32) + "_" + rand(8, "0123456789abcdef"),
    ])
    return maker()


# ---------------------------------------------------------------- names and addresses

RU_CASES = ["nom", "gen", "dat", "acc", "ins", "pre"]


def ru_decline_first(name, male, case):
    if male:
        if name.endswith("й"):
            stem = name[:-1]
            return {"nom": name, "gen": stem + "я", "dat": stem + "ю", "acc": stem + "я", "ins": stem + "ем", "pre": stem + "е"}[case]
        if name.endswith("ь"):
            stem = name[:-1]
            return {"nom": name, "gen": stem + "я", "dat": stem + "ю", "acc": stem + "я", "ins": stem + "ем", "pre": stem + "е"}[case]
        if name.endswith("а") or name.endswith("я"):
            return name
        return {"nom": name, "gen": name + "а", "dat": name + "у", "acc": name + "а", "ins": name + "ом", "pre": name + "е"}[case]
    if name.endswith("ия"):
        stem = name[:-1]
        return {"nom": name, "gen": stem + "и", "dat": stem + "и", "acc": stem + "ю", "ins": stem + "ей", "pre": stem + "и"}[case]
    if name.endswith("а") or name.endswith("я"):
        stem = name[:-1]
        soft = name.endswith("я") or stem[-1] in "гкхжшчщ"
        gen = stem + ("и" if soft else "ы")
        return {"nom": name, "gen": gen, "dat": stem + "е", "acc": stem + ("ю" if name.endswith("я") else "у"),
                "ins": stem + ("ей" if name.endswith("я") or stem[-1] in "жшчщц" else "ой"), "pre": stem + "е"}[case]
    return name


def ru_decline_patronymic(p, male, case):
    if male:
        return {"nom": p, "gen": p + "а", "dat": p + "у", "acc": p + "а", "ins": p + "ем", "pre": p + "е"}[case]
    stem = p[:-1]
    return {"nom": p, "gen": stem + "ы", "dat": stem + "е", "acc": stem + "у", "ins": stem + "ой", "pre": stem + "е"}[case]


def ru_decline_surname(s, male, case):
    if male and (s.endswith("ов") or s.endswith("ев") or s.endswith("ин") or s.endswith("ын")):
        return {"nom": s, "gen": s + "а", "dat": s + "у", "acc": s + "а", "ins": s + "ым", "pre": s + "е"}[case]
    if not male and (s.endswith("ова") or s.endswith("ева") or s.endswith("ина") or s.endswith("ына")):
        stem = s[:-1]
        return {"nom": s, "gen": stem + "ой", "dat": stem + "ой", "acc": stem + "у", "ins": stem + "ой", "pre": stem + "ой"}[case]
    if male and s.endswith("ий"):
        stem = s[:-2]
        return {"nom": s, "gen": stem + "ого", "dat": stem + "ому", "acc": stem + "ого", "ins": stem + "им", "pre": stem + "ом"}[case]
    if not male and s.endswith("ая"):
        stem = s[:-2]
        return {"nom": s, "gen": stem + "ой", "dat": stem + "ой", "acc": stem + "ую", "ins": stem + "ой", "pre": stem + "ой"}[case]
    return s


def ru_person(case="nom"):
    male = rng.random() < 0.5
    if male:
        first, middle, last = ru.first_name_male(), ru.middle_name_male(), ru.last_name_male()
    else:
        first, middle, last = ru.first_name_female(), ru.middle_name_female(), ru.last_name_female()
    f = ru_decline_first(first, male, case)
    m = ru_decline_patronymic(middle, male, case)
    s = ru_decline_surname(last, male, case)
    form = rng.random()
    if form < 0.4:
        return f"{s} {f} {m}"
    if form < 0.7:
        return f"{f} {m} {s}"
    if form < 0.85:
        return f"{first[0]}. {middle[0]}. {s}" if rng.random() < 0.5 else f"{s} {first[0]}.{middle[0]}."
    return f"{f} {m}"


def en_person():
    r = rng.random()
    if r < 0.5:
        return f"{rng.choice(['Mr.', 'Mrs.', 'Ms.', 'Dr.', 'Mr', 'Ms'])} {en.first_name()} {en.last_name()}"
    return f"{en.first_name()} {en.last_name()}"


def ru_address():
    r = rng.random()
    city = ru.city_name()
    street = ru.street_name()
    house = str(rng.randint(1, 150))
    parts = []
    if r < 0.3:
        parts.append(ru.postcode())
    parts.append(rng.choice(["г. ", "город ", "г."]) + city)
    parts.append(rng.choice(["ул. ", "улица ", "пр-т ", "проспект ", "пер. ", "ш. "]) + street)
    parts.append(rng.choice(["д. ", "дом ", "д."]) + house)
    if rng.random() < 0.3:
        parts.append(rng.choice(["корп. ", "к. "]) + str(rng.randint(1, 5)))
    if rng.random() < 0.2:
        parts.append("стр. " + str(rng.randint(1, 9)))
    if rng.random() < 0.6:
        parts.append(rng.choice(["кв. ", "кв."]) + str(rng.randint(1, 400)))
    if rng.random() < 0.3:
        return ru.address()
    return ", ".join(parts)


def en_address():
    loc = rng.choice(["en_US", "en_US", "en_GB", "de_DE"])
    return fakers[loc].address().replace("\n", ", ")


# ---------------------------------------------------------------- sentences

RU_PHONE_T = [
    "Перезвоните мне по номеру {x:phone}, пожалуйста.", "Мой телефон: {x:phone}", "Контактный номер клиента — {x:phone}.",
    "Звоните на {x:phone} в рабочее время.", "Уточнил у клиента телефон {x:phone}, он ждёт звонка.",
    "Номер для связи {x:phone}; удобно после 18:00.",
]
EN_PHONE_T = [
    "You can reach me at {x:phone}.", "Call us on {x:phone} between 9 and 5.", "My number is {x:phone}, thanks!",
    "The customer's phone is {x:phone}.", "Phone: {x:phone}", "Please text {x:phone} when the courier arrives.",
]
LOCAL_T = {
    "ru": ["Позвоните по телефону {x:phone}, это городской.", "Тел. {x:phone}, спросить Ольгу.", "звоните: {x:phone}"],
    "en": ["Call me at {x:phone} after lunch.", "tel. {x:phone} (front desk)", "Phone {x:phone}, ask for Sam."],
}
ID_T = {
    "inn": (["ИНН организации: {x:inn}.", "Мой ИНН {x:inn}, проверьте.", "Укажите ИНН {x:inn} в договоре."],
            ["Company INN: {x:inn}.", "taxpayer number (INN) {x:inn}"]),
    "snils": (["СНИЛС {x:snils} указан в анкете.", "Номер СНИЛС: {x:snils}"], ["SNILS: {x:snils}"]),
    "ogrn": (["ОГРН {x:ogrn}, ООО «Ромашка».", "Наш ОГРН: {x:ogrn}"], ["OGRN {x:ogrn} of the supplier"]),
    "ogrnip": (["ОГРНИП {x:ogrnip}", "ИП зарегистрирован, ОГРНИП: {x:ogrnip}."], ["sole trader OGRNIP {x:ogrnip}"]),
    "card": (["Оплатил картой {x:card}, деньги списались дважды.", "Номер карты {x:card}"],
             ["My card number is {x:card}.", "Charged to card {x:card} twice", "JCB card {x:card} was declined"]),
    "iban": (["Переведите на счёт IBAN {x:iban}.", "Реквизиты: {x:iban}"], ["Please wire to {x:iban}.", "IBAN: {x:iban}", "my iban is {x:iban}"]),
    "ip": (["Вход был с адреса {x:ip}.", "Сервер {x:ip} не отвечает."], ["Login from {x:ip} was blocked.", "The host {x:ip} is down."]),
    "email": (["Пишите на {x:email}.", "Моя почта {x:email}, отправьте чек."], ["Email me at {x:email}.", "Contact: {x:email}"]),
    "secret": (["Вот мой токен: {x:secret}", "Ключ API {x:secret} утёк в чат", "export TOKEN={x:secret}"],
               ["Here is my token {x:secret}", "API_KEY={x:secret}", "Authorization: Bearer {x:secret}", "the key `{x:secret}` is leaked"]),
}
MAKERS = {"inn": lambda: rng.choice([inn10, inn12])(), "snils": snils, "ogrn": ogrn, "ogrnip": ogrnip, "card": card,
          "iban": iban, "ip": lambda: rng.choice([ipv4, ipv4, ipv6])(), "email": email, "secret": secret}

RU_NAME_T = {
    "nom": ["Клиент {x:person_name} просит вернуть деньги.", "Заказ оформлен на {x:person_name}.".replace("на ", "получатель "),
            "Меня зовут {x:person_name}.", "С уважением, {x:person_name}"],
    "gen": ["Заявление от {x:person_name} принято.", "Жалоба {x:person_name} передана в отдел."],
    "dat": ["Передайте посылку {x:person_name}.", "Позвоните {x:person_name} завтра."],
    "acc": ["Я вызвал {x:person_name} на встречу.", "Пригласите {x:person_name} в офис."],
    "ins": ["Я говорил с {x:person_name} вчера.", "Договор подписан с {x:person_name}."],
    "pre": ["Мы знаем о {x:person_name} всё необходимое.", "Речь идёт о {x:person_name}."],
}
EN_NAME_T = ["Hi, this is {x:person_name} from accounting.", "Regards,\n{x:person_name}", "The parcel is for {x:person_name}.",
             "Please contact {x:person_name} about the refund.", "Best,\n{x:person_name}", "Dear {x:person_name}, your order shipped."]
RU_ADDR_T = ["Доставьте по адресу {x:address}.", "Адрес доставки: {x:address}", "Я живу: {x:address}, домофон не работает."]
EN_ADDR_T = ["Ship it to {x:address}.", "My address is {x:address}.", "Delivery address: {x:address}"]

# ---------------------------------------------------------------- hard negatives


def negatives():
    out = []
    for _ in range(30):
        n = random_valid(10, std_inn.is_valid)
        out.append(("ru", rng.choice([f"Номер заказа {n}, он уже в пути.", f"Ваш номер заказа: {n}.", f"Заказ {n} отменён.",
                                      f"Трек-номер {n}, отслеживайте на сайте.", f"Номер тикета {n}"])))
        n = random_valid(10, std_inn.is_valid)
        out.append(("en", rng.choice([f"Your order number is {n}.", f"Order {n} has shipped.", f"Invoice {n} is attached.",
                                      f"Tracking number: {n}", f"ticket {n} was closed"])))
    for _ in range(12):
        n = random_valid(11, snils_valid)
        out.append(("ru", rng.choice([f"Номер заказа {n} подтверждён.", f"Ваш тикет {n} в работе.", f"Трек {n}"])))
        n = random_valid(12, std_inn.is_valid)
        out.append(("en", rng.choice([f"order number {n}", f"Invoice no. {n} paid", f"tracking {n} in transit"])))
    for _ in range(12):
        n = random_valid(13, ogrn_valid)
        out.append(("ru", f"Номер отправления {n}, посылка в пути."))
        n = digits(11)
        out.append(("en", rng.choice([f"Ticket {n} is open.", f"Your ticket number is {n}.", f"Reference {n}"])))
        out.append(("ru", rng.choice([f"Номер обращения {n}.", f"Ваш тикет {n} закрыт."])))
    for _ in range(15):
        v = f"{rng.randint(1, 12)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}.{rng.randint(0, 300)}"
        out.append(("en", rng.choice([f"Update to version {v} to fix it.", f"Build {v} is live.", f"firmware v{v}"])))
        out.append(("ru", rng.choice([f"Обновите приложение до версии {v}.", f"Сборка {v} уже в магазине."])))
        mask = rng.choice(["255.255.255.0", "255.255.0.0", "255.255.255.128", "255.255.252.0", "255.0.0.0"])
        out.append(("en", rng.choice([f"Set the subnet mask to {mask}.", f"netmask {mask}"])))
        out.append(("ru", f"Маска подсети {mask}."))
        img = rng.choice(["icon", "logo", "avatar", "banner", "hero"]) + "@" + rng.choice(["2x", "3x", "1.5x"]) + rng.choice([".png", ".jpg", ".webp"])
        out.append(("en", f"The file {img} is blurry on retina screens."))
        out.append(("ru", f"Замените {img} в макете."))
    brands = ["Apple Store", "Тинькофф", "Сбербанк Онлайн", "Яндекс Маркет", "Coca-Cola", "Пятёрочка", "Lenovo ThinkPad",
              "Samsung Galaxy", "Wildberries", "Ozon", "Microsoft Teams", "Google Pixel", "Аэрофлот", "Mercedes-Benz",
              "Dodo Pizza", "Жигули Барное"]
    products = ["салат «Арбат»", "торт «Пражский»", "пиво «Невское»", "конфеты «Красный Октябрь»", "сырок «Ростагроэкспорт»",
                "Abbey Road vinyl", "Fifth Avenue perfume", "Oxford Street sneakers", "Penny Lane mug", "Park Avenue suit",
                "Ленинградский рассольник", "шоколад «Алёнка»", "Baker Street tea", "Sunset Boulevard poster"]
    cities = ["Москва", "Санкт-Петербург", "Казань", "Новосибирск", "London", "Boston", "Berlin", "Paris", "Екатеринбург",
              "Chicago", "Manchester", "Нижний Новгород"]
    for _ in range(20):
        out.append(("ru", rng.choice([f"Доставляем по всей России, в том числе в {rng.choice(cities)}.",
                                      f"Товар из «{rng.choice(brands)}» приедет завтра.", f"Закажите {rng.choice(products)} со скидкой.",
                                      f"Город {rng.choice(cities)} входит в зону доставки.", f"Спасибо, что выбрали {rng.choice(brands)}!",
                                      f"В наличии {rng.choice(products)}, 3 шт.", f"Офис в {rng.choice(cities)} закрыт на ремонт."])))
        out.append(("en", rng.choice([f"We ship to {rng.choice(cities)} in two days.", f"Try our {rng.choice(products)} today.",
                                      f"{rng.choice(brands)} is a registered trademark.", f"Thanks for shopping at {rng.choice(brands)}.",
                                      f"The {rng.choice(products)} is back in stock.", f"Our {rng.choice(cities)} warehouse is closed.",
                                      f"Dear Customer, your order shipped.", f"Best regards, The Support Team"])))
    for _ in range(15):
        out.append(("en", rng.choice(["Use the placeholder sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx in docs.",
                                      "Set AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE for the tutorial.",
                                      f"The commit {rand(40, '0123456789abcdef')} fixed it.",
                                      f"Your request id is {rand(32, '0123456789abcdef')}.",
                                      "Call the glpat_validate function before saving.", f"uuid {en.uuid4()}"])))
        out.append(("ru", rng.choice([f"Код подтверждения {rng.randint(1000, 999999)}.", f"Скидка {rng.randint(5, 50)}% до {rng.randint(1, 28)}.{rng.randint(1, 12):02d}.2026",
                                      f"Стоимость {rng.randint(1000, 99999)} ₽, оплата до 25.12.2026.", f"Время работы 9:00–18:00, перерыв 13:00–14:00.",
                                      f"Хеш коммита {rand(40, '0123456789abcdef')}.", f"Артикул {digits(9)} в наличии."])))
    return out


def main():
    rows = []
    for _ in range(150):
        maker = rng.choice(PHONES)
        p = maker()
        lang = "ru" if maker in (ru_phone, kz_phone, by_phone, ua_phone, intl_dial_phone) or rng.random() < 0.3 else "en"
        rows.append(sentence(lang, rng.choice(RU_PHONE_T if lang == "ru" else EN_PHONE_T), x=p))
    for _ in range(20):
        lang = rng.choice(["ru", "en"])
        rows.append(sentence(lang, rng.choice(LOCAL_T[lang]), x=local_phone()))
    for kind, (ru_t, en_t) in ID_T.items():
        count = 40 if kind in ("secret", "card", "inn") else 24
        for _ in range(count):
            lang = rng.choice(["ru", "en"])
            rows.append(sentence(lang, rng.choice(ru_t if lang == "ru" else en_t), x=MAKERS[kind]()))
    for _ in range(120):
        case = rng.choice(RU_CASES)
        rows.append(sentence("ru", rng.choice(RU_NAME_T[case]), x=ru_person(case)))
    for _ in range(60):
        rows.append(sentence("en", rng.choice(EN_NAME_T), x=en_person()))
    for _ in range(70):
        rows.append(sentence("ru", rng.choice(RU_ADDR_T), x=ru_address()))
    for _ in range(50):
        rows.append(sentence("en", rng.choice(EN_ADDR_T), x=en_address()))
    # mixed lines: a name, a phone and an email together
    for _ in range(40):
        if rng.random() < 0.5:
            rows.append(sentence("ru", "Получатель: {n:person_name}, тел. {p:phone}, почта {e:email}.",
                                 n=ru_person(), p=ru_phone(), e=email()))
        else:
            rows.append(sentence("en", "Recipient: {n:person_name}, phone {p:phone}, {a:address}.",
                                 n=en_person(), p=us_phone(), a=fakers["en_US"].address().replace("\n", ", ")))
    for lang, text in negatives():
        rows.append({"lang": lang, "text": text, "labels": []})
    rng.shuffle(rows)
    here = os.path.dirname(os.path.abspath(__file__))
    fixtures = os.path.join(here, "..", "Tests", "ScoringTests", "Fixtures")
    cut = len(rows) * 7 // 10
    for name, part in (("pii-eval.jsonl", rows[:cut]), ("pii-holdout.jsonl", rows[cut:])):
        with open(os.path.join(fixtures, name), "w", encoding="utf-8") as out:
            for index, row in enumerate(part):
                row = {"id": f"{name.split('.')[0]}-{index + 1}", **row}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} lines: {cut} tuning, {len(rows) - cut} hold-out")


if __name__ == "__main__":
    main()
