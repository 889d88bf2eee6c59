#!/usr/bin/env python3
"""Generate Tests/ScoringTests/Fixtures/pii-holdout2.jsonl — an independent labelled PII test set.

Usage:  python3 scripts/pii-holdout2.py   (writes Tests/ScoringTests/Fixtures/pii-dev2.jsonl and pii-holdout2.jsonl)
Seeded and deterministic (random.Random(SEED) + Faker.seed_instance); two runs give byte-identical output.

Sources and licences
  * Faker 40.63.0 (MIT) — names, addresses and national phone formats of ru_RU, uk_UA, en_US, en_GB, en_CA,
    en_AU, de_DE, fr_FR (kk_KZ and be_BY are not shipped by this Faker version; Kazakh/Belarusian phones and
    Kazakh names are written by hand below).
  * python-stdnum (LGPL-2.1+) — used ONLY as a validator (ru.inn, ru.ogrn, iban, luhn, us.ssn); every id is
    generated here and kept only if stdnum accepts it. SNILS and the account/BIC key are checked by code below.
  * Secret shapes follow the regexes and test cases of Yelp/detect-secrets (Apache-2.0,
    https://github.com/Yelp/detect-secrets, detect_secrets/plugins/*.py). No literal test string is copied:
    every token is freshly random in the plugin's shape.

Format: one JSON object per line: id, lang (ru|en), text, labels[{kind,start,end,text}], start/end are UTF-8
BYTE offsets. Scoring is per line and kind, so spans only need to be sensible; labels must be correct.

Conventions (decided for this set)
  * person_name: a real-looking private person's name referring to a specific individual: full name, ФИО in any
    grammatical case, surname + initials, first name + surname, surname after a title ("Dear Ms. Alvarez" ->
    "Alvarez"), a bare first name when it points to a concrete person ("ask for Sarah in billing"). Titles
    (Mr/Ms/Dr, г-н) are outside the span. The name of an individual entrepreneur («ИП Соколов А. В.») IS a person
    name. NOT names: companies named after people («ООО "Иван Петрович"», Johnson & Johnson, Wells Fargo), products
    («Лада Калина», «Мистер Пропер»), streets/metro stations/prizes named after famous people («улица Льва
    Толстого», «метро Пушкинская», «премия Нобеля»), historical figures in non-personal use, month/weekday names.
  * address: a postal address with at least a street (or PO Box / a/я) and a house/box number, or
    city + street + number. The span covers everything from the first to the last component (index, region, city,
    street, house, flat/office). Public company/store addresses are labelled too (any full postal address counts).
    NOT addresses: bare city/region/country names, a street name without a number («кафе на Арбате», "Baker Street
    station", «улица Льва Толстого»), stations, landmarks.
  * phone: any dialable telephone number of a person or business (mobile, landline, toll-free 8-800 / 1-800,
    with extensions «доб. 123» / x123 / ext. 12 inside the span). A local 7-digit number only with a phone word
    nearby. NOT phones: emergency/short numbers (112, 911, *100#), masked numbers (+7 (XXX) XXX-XX-XX), order or
    tracking numbers, dates, prices, ISBNs.
  * ids: INN (10/12 digits, valid checksum) with or without the word ИНН; SNILS with or without dashes/spaces;
    OGRN (13) and OGRNIP (15) valid per stdnum; passport_ru = series + number («45 06 123456», «серия 4506
    номер 123456» — span from series to number); ssn = valid US SSN (stdnum.us.ssn). A number that passes a
    checksum but is called an order/invoice/tracking/contract number is NOT labelled (hard negative).
    BIC (БИК), KPP (КПП), OKPO, EIN and correspondent accounts (к/с 30101…) alone are not labelled.
  * bank_account_ru: a 20-digit Russian settlement/personal account (40702/40802/40817/40820/42301/…). When a BIC
    is given the account satisfies the Bank of Russia control key: take the last 3 BIC digits + the 20 account
    digits (23 digits), multiply by weights 7,1,3,7,1,3,…, sum the last digits of the products; the sum must be
    ≡ 0 mod 10 (the 9th account digit is the key). For accounts without a BIC the same key is applied with a
    random BIC anyway.
  * card: full PAN that passes Luhn with a real brand prefix (Visa 4, MC 51-55 / 2221-2720, Amex 34/37, Discover
    6011/65, JCB 3528-3589, UnionPay 62, Mir 2200-2204, Maestro 50/56-58/6759). Masked cards (**** 1234) are not.
  * iban: valid mod-97 IBAN (national check digits too where stdnum knows them), any case, spaced or compact.
  * ip: a concrete IPv4/IPv6 host address (public, private 10/172.16/192.168, and documentation ranges
    192.0.2/198.51.100/203.0.113 and 2001:db8::). Loopback and unspecified addresses (127.0.0.1, ::1, 0.0.0.0) and
    CIDR ranges (10.0.0.0/8, 203.0.113.0/24) ARE ip, as in Presidio's test vectors (../shared/conformance/pii); they
    are labelled by `ip_convention` after generation. NOT ip: subnet masks, version strings (1.2.3.4), OIDs, section
    numbers.
  * email: every concrete mailbox address incl. role addresses (support@…), plus-addressing, subdomains, IDN
    (почта@пример.рф). NOT email: file names with @ (icon@2x.png), @mentions, npm specs (react@18.2.0), ssh
    remotes (git@github.com:org/repo.git), placeholders (<your email>).
  * secret: a credential value: provider tokens (shapes of detect-secrets plugins), private key blocks, the
    value of a keyword assignment (password=…, api_key: …, «пароль: …»), the password of basic-auth URLs. The span
    is the value only. NOT secrets: placeholders (<API_KEY>, sk-..., xxxxxxxx, YOUR_TOKEN, ********), env lookups
    (os.environ["X"]), UUIDs, git hashes, request ids, checksums, base64 image data, password policy text.
"""
import os
import re
import base64
import json
import random
import string
import sys

import faker
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.ru import inn as std_inn
from stdnum.ru import ogrn as std_ogrn
from stdnum.us import ssn as std_ssn

SEED = 20261205
R = random.Random(SEED)
LOCS = ["ru_RU", "uk_UA", "en_US", "en_GB", "en_CA", "en_AU", "de_DE", "fr_FR"]
FK = {}
for _i, _l in enumerate(LOCS):
    FK[_l] = faker.Faker(_l)
    FK[_l].seed_instance(SEED + _i)

OUT = []  # (lang, text, labels)


class L:  # a labelled fragment
    def __init__(self, kind, value):
        self.kind, self.value = kind, value


def mk(lang, *parts):
    text, labels = "", []
    for p in parts:
        if isinstance(p, L):
            s = len(text.encode())
            text += p.value
            labels.append({"kind": p.kind, "start": s, "end": len(text.encode()), "text": p.value})
        else:
            text += p
    b = text.encode()
    for lab in labels:
        assert b[lab["start"]:lab["end"]].decode() == lab["text"], lab
    OUT.append((lang, text, labels))


def prefix_last(prefix, suffix=""):
    """wrap the last generated line in chat text, shifting byte offsets"""
    lang, text, labels = OUT[-1]
    d = len(prefix.encode())
    for lab in labels:
        lab["start"] += d; lab["end"] += d
    OUT[-1] = (lang, prefix + text + suffix, labels)
    b = OUT[-1][1].encode()
    for lab in labels:
        assert b[lab["start"]:lab["end"]].decode() == lab["text"], lab


def tpl(lang, template, **vals):
    """template with {name} slots; vals are str (unlabelled) or L (labelled)."""
    parts, i = [], 0
    while i < len(template):
        j = template.find("{", i)
        if j < 0:
            parts.append(template[i:]); break
        k = template.find("}", j)
        parts.append(template[i:j]); parts.append(vals[template[j + 1:k]]); i = k + 1
    mk(lang, *parts)


def ch(seq):
    return R.choice(seq)


def dg(n):
    return "".join(R.choice(string.digits) for _ in range(n))


def rs(alpha, n):
    return "".join(R.choice(alpha) for _ in range(n))


AN = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = AN + "+/"
B64U = AN + "-_"

# ---------------------------------------------------------------- names
RU_M_FIRST = ["Иван", "Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Николай", "Павел", "Артём", "Максим",
              "Владимир", "Игорь", "Евгений", "Роман", "Олег", "Константин", "Юрий", "Виталий", "Денис", "Кирилл",
              "Никита", "Илья", "Григорий", "Василий", "Тимур", "Степан", "Глеб", "Антон", "Егор", "Фёдор"]
RU_F_FIRST = ["Мария", "Анна", "Елена", "Ольга", "Наталья", "Ирина", "Татьяна", "Светлана", "Екатерина", "Юлия",
              "Дарья", "Ксения", "Алина", "Полина", "Вероника", "Людмила", "Галина", "Марина", "Виктория", "Софья",
              "Надежда", "Валентина", "Оксана", "Кристина", "Анастасия", "Евгения", "Яна", "Лариса"]
PATR_BASE = ["Иванович", "Сергеевич", "Александрович", "Петрович", "Николаевич", "Владимирович", "Андреевич",
             "Михайлович", "Олегович", "Юрьевич", "Викторович", "Геннадьевич", "Дмитриевич", "Павлович",
             "Алексеевич", "Игоревич", "Евгеньевич", "Анатольевич", "Борисович", "Романович"]
UA_LAST = ["Коваленко", "Бондаренко", "Ткаченко", "Кравчук", "Мельник", "Шевчук", "Бойко", "Олейник", "Лысенко",
           "Марченко", "Гончаренко", "Савченко", "Руденко", "Петренко", "Левченко", "Кравец", "Ковальчук"]
KZ_NAMES = [("Ержан", "Сейткали", "m"), ("Айгерим", "Жумабаева", "f"), ("Алия", "Нурланова", "f"),
            ("Даурен", "Абенов", "m"), ("Бауыржан", "Сапаров", "m"), ("Мадина", "Касымова", "f"),
            ("Алмас", "Тулегенов", "m"), ("Жанар", "Ахметова", "f"), ("Ерлан", "Омаров", "m"),
            ("Динара", "Искакова", "f"), ("Арман", "Бекмуханов", "m"), ("Гульнара", "Сарсенбаева", "f"),
            ("Айдос", "Муратов", "m"), ("Жансая", "Оспанова", "f"), ("Нурлан", "Есенов", "m"),
            ("Камила", "Байжанова", "f"), ("Санжар", "Кайратов", "m")]
CASES = ["nom", "gen", "dat", "acc", "ins", "pre"]


def ru_last_pair():
    f = FK["ru_RU"]
    while True:
        m = f.last_name_male()
        if m.endswith(("ов", "ев", "ёв", "ин", "ын", "ский", "цкий")):
            if m.endswith("ий"):
                return m, m[:-2] + "ая"
            return m, m + "а"


def decl_first_m(n, c):
    if c == "nom":
        return n
    stem = {"Павел": "Павл", "Лев": "Льв", "Пётр": "Петр"}.get(n, n)
    if n.endswith("ий"):
        return n[:-2] + {"gen": "ия", "dat": "ию", "acc": "ия", "ins": "ием", "pre": "ии"}[c]
    if n.endswith(("й", "ь")):
        return n[:-1] + {"gen": "я", "dat": "ю", "acc": "я", "ins": "ем", "pre": "е"}[c]
    if n.endswith("я"):  # Илья
        return n[:-1] + {"gen": "и", "dat": "е", "acc": "ю", "ins": "ёй", "pre": "е"}[c]
    if n.endswith("а"):  # Никита
        return n[:-1] + {"gen": "ы", "dat": "е", "acc": "у", "ins": "ой", "pre": "е"}[c]
    return stem + {"gen": "а", "dat": "у", "acc": "а", "ins": "ом", "pre": "е"}[c]


def decl_first_f(n, c):
    if c == "nom" or not n.endswith(("а", "я")):
        return n  # Айгерим, Жанар: indeclinable
    if n.endswith("ия"):
        return n[:-1] + {"gen": "и", "dat": "и", "acc": "ю", "ins": "ей", "pre": "и"}[c]
    if n.endswith("я"):
        return n[:-1] + {"gen": "и", "dat": "е", "acc": "ю", "ins": "ей", "pre": "е"}[c]
    gen = "и" if n[-2] in "гкхжшчщ" else "ы"
    ins = "ей" if n[-2] in "жшчщц" else "ой"
    return n[:-1] + {"gen": gen, "dat": "е", "acc": "у", "ins": ins, "pre": "е"}[c]


def decl_last(n, c, g):
    if c == "nom" or n.endswith(("ко", "ых", "их", "и", "о", "е", "у", "ы", "э", "ю")):
        return n
    if g == "m":
        if n.endswith("ий"):
            return n[:-2] + {"gen": "ого", "dat": "ому", "acc": "ого", "ins": "им", "pre": "ом"}[c]
        if n.endswith(("ов", "ев", "ёв", "ин", "ын")):
            return n + {"gen": "а", "dat": "у", "acc": "а", "ins": "ым", "pre": "е"}[c]
        if n.endswith("ец"):
            n = n[:-2] + "ц"
        return n + {"gen": "а", "dat": "у", "acc": "а", "ins": "ом", "pre": "е"}[c]
    if n.endswith("ая"):
        return n[:-2] + {"gen": "ой", "dat": "ой", "acc": "ую", "ins": "ой", "pre": "ой"}[c]
    if n.endswith("а"):
        return n[:-1] + {"gen": "ой", "dat": "ой", "acc": "у", "ins": "ой", "pre": "ой"}[c]
    return n  # female consonant-final surnames do not decline


def decl_patr(p, c, g):
    if c == "nom":
        return p
    if g == "m":
        return p + {"gen": "а", "dat": "у", "acc": "а", "ins": "ем", "pre": "е"}[c]
    return p[:-1] + {"gen": "ы", "dat": "е", "acc": "у", "ins": "ой", "pre": "е"}[c]


def patr(base, g):
    if g == "m":
        return base
    return base[:-2] + "на" if not base.endswith("ьич") else base[:-2] + "на"


def ru_person(g=None, origin=None):
    g = g or ch("mf")
    origin = origin or ch(["ru"] * 7 + ["ua", "kz"])
    if origin == "kz":
        first, last, g = ch(KZ_NAMES)
        return dict(g=g, first=first, last=last, patr=None)
    first = ch(RU_M_FIRST if g == "m" else RU_F_FIRST)
    if origin == "ua":
        last = ch(UA_LAST)
        if g == "f" and last.endswith(("ук", "ик", "ец", "нь")):
            pass
    else:
        lm, lf = ru_last_pair()
        last = lm if g == "m" else lf
    return dict(g=g, first=first, last=last, patr=patr(ch(PATR_BASE), g))


def ru_name_form(p, case="nom", style=None):
    g = p["g"]
    F = (decl_first_m if g == "m" else decl_first_f)(p["first"], case)
    S = decl_last(p["last"], case, g)
    P = decl_patr(p["patr"], case, g) if p["patr"] else None
    i1, i2 = p["first"][0] + ".", (p["patr"][0] + "." if p["patr"] else "")
    styles = ["FIO", "IO F", "F I.O.", "I.O. F", "I F", "F I", "FIO"] if P else ["I F", "F I", "F I."]
    style = style or ch(styles)
    if style == "FIO":
        return f"{S} {F} {P}"
    if style == "IO F":
        return f"{F} {P} {S}"
    if style == "F I.O.":
        return f"{S} {i1} {i2}" if R.random() < 0.5 else f"{S} {i1}{i2}"
    if style == "I.O. F":
        return f"{i1}{i2} {S}" if R.random() < 0.5 else f"{i1} {i2} {S}"
    if style == "I F":
        return f"{F} {S}"
    if style == "F I":
        return f"{S} {F}"
    if style == "F I.":
        return f"{S} {i1}"
    return f"{F} {S}"


def en_person(loc=None):
    loc = loc or ch(["en_US"] * 3 + ["en_GB", "en_CA", "en_AU", "de_DE", "fr_FR"])
    f = FK[loc]
    return f.first_name(), f.last_name()


# ---------------------------------------------------------------- phones
def ru_mobile_digits():
    return ch(["9"]) + ch("0123456789") + dg(1)


def ru_phone():
    code = ch(["9" + dg(2)] * 6 + ["495", "499", "812", "343", "383", "846", "863", "4012", "8422"])
    if len(code) == 4:
        rest = dg(6); body = f"{rest[:2]}-{rest[2:4]}-{rest[4:]}"
    else:
        rest = dg(7); body = f"{rest[:3]}-{rest[3:5]}-{rest[5:]}"
    raw = code + rest
    st = R.randrange(12)
    if st == 0: return f"+7 ({code}) {body}"
    if st == 1: return f"8 ({code}) {body}"
    if st == 2: return f"+7{raw}"
    if st == 3: return f"8{raw}"
    if st == 4: return f"+7 {code} {body.replace('-', ' ')}"
    if st == 5: return f"8-{code}-{body}"
    if st == 6: return f"+7-{code}-{body}"
    if st == 7: return f"8({code}){body}"
    if st == 8: return f"+7 ({code}) {body} доб. {dg(ch([2, 3, 4]))}"
    if st == 9: return f"8 {code} {raw[len(code):]}"
    if st == 10: return f"8 800 {dg(3)}-{dg(2)}-{dg(2)}"
    return FK["ru_RU"].phone_number()


def kz_phone():
    op = ch(["701", "702", "705", "707", "747", "771", "775", "778", "727", "7172"])
    n = dg(10 - len(op))
    if len(op) == 4: body = f"{n[:2]}-{n[2:4]}-{n[4:]}"
    else: body = f"{n[:3]}-{n[3:5]}-{n[5:]}"
    return ch([f"+7 ({op}) {body}", f"+7 {op} {n}", f"8 ({op}) {body}", f"+7{op}{n}"])


def by_phone():
    op = ch(["29", "33", "44", "25", "17"]); n = dg(7)
    return ch([f"+375 {op} {n[:3]}-{n[3:5]}-{n[5:]}", f"+375 ({op}) {n[:3]}-{n[3:5]}-{n[5:]}",
               f"8 0{op} {n[:3]} {n[3:5]} {n[5:]}", f"80{op}{n}", f"+375{op}{n}"])


def ua_phone():
    op = ch(["50", "63", "66", "67", "68", "73", "93", "95", "97", "44"]); n = dg(7)
    if R.random() < 0.3:
        return FK["uk_UA"].phone_number() if R.random() < 0.5 else f"+380 {op} {n[:3]} {n[3:5]} {n[5:]}"
    return ch([f"+380 ({op}) {n[:3]}-{n[3:5]}-{n[5:]}", f"+380{op}{n}", f"0{op} {n[:3]} {n[3:5]} {n[5:]}",
               f"0{op}{n}", f"+38 0{op} {n[:3]}-{n[3:]}"])


US_AREAS = ["212", "415", "646", "312", "617", "206", "213", "305", "512", "718", "303", "404", "702", "503", "919"]


def us_phone():
    a = ch(US_AREAS); e = ch(["555"] + [str(R.randint(201, 989))] * 3); n = ch(["01" + dg(2), dg(4)])
    st = R.randrange(14)
    if st == 0: return f"({a}) {e}-{n}"
    if st == 1: return f"{a}-{e}-{n}"
    if st == 2: return f"{a}.{e}.{n}"
    if st == 3: return f"+1 ({a}) {e}-{n}"
    if st == 4: return f"+1 {a} {e} {n}"
    if st == 5: return f"1-{ch(['800', '888', '877', '866'])}-{e}-{n}"
    if st == 6: return f"{a}-{e}-{n} x{dg(ch([2, 3, 4]))}"
    if st == 7: return f"({a}) {e}-{n} ext. {dg(ch([2, 3]))}"
    if st == 8: return f"+1{a}{e}{n}"
    if st == 9: return f"1 ({ch(['800', '888'])}) {e}-{n}"
    if st == 10: return f"+1-{a}-{e}-{n}"
    if st == 11: return f"{a} {e} {n}"
    while True:
        p = FK[ch(["en_US", "en_CA"])].phone_number()
        if sum(c.isdigit() for c in p) >= 10:
            return p


def gb_phone():
    st = R.randrange(6)
    if st == 0: return f"+44 (0)20 {dg(4)} {dg(4)}"
    if st == 1: return f"020 {dg(4)} {dg(4)}"
    if st == 2: return f"07{dg(3)} {dg(6)}"
    if st == 3: return f"+44 7{dg(3)} {dg(6)}"
    if st == 4: return f"0161 {dg(3)} {dg(4)}"
    while True:
        p = FK["en_GB"].phone_number()
        if sum(c.isdigit() for c in p) >= 10:
            return p


def de_phone():
    st = R.randrange(5)
    if st == 0: return f"+49 30 {dg(8)}"
    if st == 1: return f"030 {dg(4)} {dg(4)}"
    if st == 2: return f"+49 (0)89 {dg(4)} {dg(4)}"
    if st == 3: return f"0171 {dg(7)}"
    while True:
        p = FK["de_DE"].phone_number()
        if sum(c.isdigit() for c in p) >= 10 and not p.startswith("000"):
            return p


def fr_phone():
    n = [dg(2) for _ in range(4)]
    st = R.randrange(5)
    if st == 0: return f"01 {' '.join(n)}"
    if st == 1: return f"+33 6 {' '.join(n)}"
    if st == 2: return f"06.{'.'.join(n)}"
    if st == 3: return f"+33 (0)1 {' '.join(n)}"
    return FK["fr_FR"].phone_number()


def au_phone():
    return ch([f"+61 2 {dg(4)} {dg(4)}", f"04{dg(2)} {dg(3)} {dg(3)}", f"(02) {dg(4)} {dg(4)}",
               f"+61 4{dg(2)} {dg(3)} {dg(3)}"])


def intl_phone():
    return ch([f"8-10-49-30-{dg(7)}", f"00 49 30 {dg(8)}", f"0049 89 {dg(7)}", f"001-{ch(US_AREAS)}-555-01{dg(2)}",
               f"00 44 20 {dg(4)} {dg(4)}", f"8 10 375 29 {dg(7)}", f"00 33 1 {dg(2)} {dg(2)} {dg(2)} {dg(2)}",
               f"011 44 20 {dg(4)} {dg(4)}"])


def local7(lang="ru"):
    n = dg(7)
    while n[0] in "01":
        n = dg(7)
    if lang == "en":
        return f"{n[:3]}-{n[3:]}"
    return ch([f"{n[:3]}-{n[3:5]}-{n[5:]}", f"{n[:3]}-{n[3:]}", f"{n[:3]} {n[3:5]} {n[5:]}"])


# ---------------------------------------------------------------- emails
RU_DOM = ["mail.ru", "yandex.ru", "ya.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru", "rambler.ru"]
EN_DOM = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.co.uk", "icloud.com", "proton.me", "aol.com"]
TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                     "t", "u", "f", "kh", "ts", "ch", "sh", "sch", "", "y", "", "e", "yu", "ya"]))


def tr(s):
    return "".join(TRANSLIT.get(c, c) for c in s.lower())


def email(lang="en", first=None, last=None):
    if first is None:
        if lang == "ru":
            p = ru_person(origin="ru"); first, last = tr(p["first"]), tr(p["last"])
        else:
            first, last = en_person(); first, last = first.lower(), last.lower()
    first = "".join(c for c in first if c.isalnum()) or "anna"
    last = "".join(c for c in last if c.isalnum()) or "smith"
    local = ch([f"{first}.{last}", f"{first[0]}{last}", f"{first}{R.randint(1970, 2005)}", f"{last}_{first[0]}",
                f"{first}.{last}+{ch(['orders', 'shop', 'spam', 'news'])}", f"{first}{last}{dg(2)}"])
    st = R.random()
    if st < 0.6:
        dom = ch(RU_DOM if lang == "ru" else EN_DOM)
    elif st < 0.85:
        dom = FK[ch(["en_US", "en_GB", "de_DE", "fr_FR", "ru_RU"])].domain_name()
    else:
        dom = ch(["corp.", "mail.", "eu.", "students."]) + FK["en_US"].domain_name()
    return f"{local}@{dom}"


# ---------------------------------------------------------------- ids
def inn10():
    while True:
        d = [int(c) for c in f"{R.randint(1, 89):02d}"] + [R.randint(0, 9) for _ in range(7)]
        w = [2, 4, 10, 3, 5, 9, 4, 6, 8]
        c = sum(a * b for a, b in zip(d, w)) % 11 % 10
        s = "".join(map(str, d + [c]))
        if std_inn.is_valid(s): return s


def inn12():
    while True:
        d = [int(c) for c in f"{R.randint(1, 89):02d}"] + [R.randint(0, 9) for _ in range(8)]
        w1 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
        c1 = sum(a * b for a, b in zip(d, w1)) % 11 % 10
        w2 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
        c2 = sum(a * b for a, b in zip(d + [c1], w2)) % 11 % 10
        s = "".join(map(str, d + [c1, c2]))
        if std_inn.is_valid(s): return s


def snils_raw():
    while True:
        d = dg(9)
        if int(d) <= 1001998: continue
        t = sum(int(c) * (9 - i) for i, c in enumerate(d))
        c = t % 101
        if c == 100: c = 0
        s = d + f"{c:02d}"
        if snils_ok(s): return s


def snils_ok(s):
    d, c = s[:9], int(s[9:])
    t = sum(int(x) * (9 - i) for i, x in enumerate(d)) % 101
    return (0 if t == 100 else t) == c


def snils_fmt(s):
    return ch([f"{s[:3]}-{s[3:6]}-{s[6:9]} {s[9:]}", f"{s[:3]}-{s[3:6]}-{s[6:9]}-{s[9:]}", s,
               f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"])


def ogrn13():
    while True:
        b = ch("15") + f"{R.randint(2, 25):02d}" + f"{R.randint(1, 89):02d}" + dg(7)
        s = b + str(int(b) % 11 % 10)
        if std_ogrn.is_valid(s): return s


def ogrn15():
    while True:
        b = "3" + f"{R.randint(4, 25):02d}" + f"{R.randint(1, 89):02d}" + dg(9)
        s = b + str(int(b) % 13 % 10)
        if std_ogrn.is_valid(s): return s


def passport():
    ser = f"{R.randint(1, 99):02d}{R.choice(['0' + str(R.randint(0, 9)), str(R.randint(10, 24))])}"
    num = str(R.randint(100000, 999999))
    return ser, num


def bic():
    return "04" + ch(["4525", "4030", "6577", "0001", "5004", "3601", "4706"]) + f"{R.randint(50, 999):03d}"


def account(bic_=None, prefix=None):
    bic_ = bic_ or bic()
    prefix = prefix or ch(["40702810", "40817810", "40802810", "40820810", "42301810", "40817978", "40702840"])
    body = prefix + "0" + dg(11)
    for k in range(10):
        acc = body[:8] + str(k) + body[9:]
        s = bic_[-3:] + acc
        w = [7, 1, 3] * 8
        if sum((int(a) * b) % 10 for a, b in zip(s, w)) % 10 == 0:
            return acc, bic_
    raise AssertionError


def card():
    brand = ch(["visa", "visa", "mc", "mc2", "amex", "disc", "jcb", "up", "mir", "maestro"])
    if brand == "visa": pre, n = "4" + dg(5), 16
    elif brand == "mc": pre, n = str(R.randint(51, 55)) + dg(4), 16
    elif brand == "mc2": pre, n = str(R.randint(2221, 2720)) + dg(2), 16
    elif brand == "amex": pre, n = ch(["34", "37"]) + dg(4), 15
    elif brand == "disc": pre, n = ch(["6011", "65" + dg(2)]) + dg(2), 16
    elif brand == "jcb": pre, n = str(R.randint(3528, 3589)) + dg(2), 16
    elif brand == "up": pre, n = "62" + dg(4), ch([16, 19])
    elif brand == "mir": pre, n = str(R.randint(2200, 2204)) + dg(2), 16
    else: pre, n = ch(["5018", "5020", "5038", "6759", "6761"]) + dg(2), ch([16, 19])
    body = pre + dg(n - len(pre) - 1)
    s = body + luhn.calc_check_digit(body)
    assert luhn.is_valid(s)
    st = R.randrange(3)
    if n == 15:
        return [f"{s[:4]} {s[4:10]} {s[10:]}", f"{s[:4]}-{s[4:10]}-{s[10:]}", s][st], brand
    g = [s[i:i + 4] for i in range(0, n, 4)]
    return [" ".join(g), "-".join(g), s][st], brand


IBAN_SPEC = {"DE": "8n10n", "GB": "4a14n", "FR": "5n5n11c2n", "KZ": "3n13c", "UA": "6n19c", "ES": "4n4n2n10n",
             "IT": "1a5n5n12c", "NL": "4a10n", "PL": "8n16n", "CH": "5n12c", "AT": "5n11n", "BE": "3n7n2n",
             "LT": "5n11n", "EE": "2n2n11n1n", "LV": "4a13c", "CZ": "4n6n10n", "SE": "3n16n1n"}


def iban(cc=None):
    cc = cc or ch(list(IBAN_SPEC))
    import re
    for _ in range(20000):
        bban = ""
        for cnt, t in re.findall(r"(\d+)([anc])", IBAN_SPEC[cc]):
            al = {"a": string.ascii_uppercase, "n": string.digits, "c": string.ascii_uppercase + string.digits}[t]
            if cc in ("KZ", "UA"):  # real-world accounts are digits
                al = string.digits
            bban += rs(al, int(cnt))
        num = "".join(str(int(c, 36)) for c in bban + cc + "00")
        chk = 98 - int(num) % 97
        s = f"{cc}{chk:02d}{bban}"
        if std_iban.is_valid(s):
            return s
    raise AssertionError(cc)


def iban_fmt(s):
    st = R.randrange(5)
    sp = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    return [s, sp, sp, s.lower(), sp.lower()][st]


def ssn():
    while True:
        s = f"{R.randint(1, 899):03d}-{R.randint(1, 99):02d}-{R.randint(1, 9999):04d}"
        if std_ssn.is_valid(s) and not s.startswith("666"):
            return s


def ipv4():
    st = R.randrange(6)
    if st == 0: return f"203.0.113.{R.randint(1, 254)}"
    if st == 1: return f"198.51.100.{R.randint(1, 254)}"
    if st == 2: return f"192.168.{R.randint(0, 20)}.{R.randint(2, 254)}"
    if st == 3: return f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
    return FK["en_US"].ipv4_public()


def ipv6():
    return ch([f"2001:db8:{R.randint(0, 0xffff):x}::{R.randint(1, 0xffff):x}", FK["en_US"].ipv6(),
               f"2a02:6b8:{R.randint(0, 0xffff):x}:{R.randint(0, 0xffff):x}::{R.randint(1, 0xfff):x}",
               f"fe80::{R.randint(0, 0xffff):x}:{R.randint(0, 0xffff):x}:{R.randint(0, 0xffff):x}:{R.randint(1, 0xffff):x}"])


# ---------------------------------------------------------------- addresses
RU_STREETS = ["Ленина", "Садовая", "Гагарина", "Мира", "Лесная", "Советская", "Школьная", "Заречная", "Центральная",
              "Молодёжная", "Строителей", "8 Марта", "Космонавтов", "Профсоюзная", "Вавилова", "Тверская",
              "Большая Покровская", "Красноармейская", "Пушкина", "Льва Толстого", "Чкалова", "Комсомольская",
              "Некрасова", "Маршала Жукова", "Первомайская", "Октябрьская", "Кирова", "Береговая"]
RU_CITIES = [("Москва", None), ("Санкт-Петербург", None), ("Казань", "Респ. Татарстан"),
             ("Екатеринбург", "Свердловская обл."), ("Новосибирск", "Новосибирская область"),
             ("Нижний Новгород", "Нижегородская обл."), ("Самара", "Самарская обл."), ("Пермь", "Пермский край"),
             ("Краснодар", "Краснодарский край"), ("Воронеж", "Воронежская обл."), ("Тула", "Тульская область"),
             ("Калининград", "Калининградская обл."), ("Ярославль", "Ярославская обл."), ("Омск", "Омская обл."),
             ("Уфа", "Респ. Башкортостан"), ("Алматы", None), ("Минск", None)]
ST_TYPES = [("ул.", "pre"), ("улица", "pre"), ("пр-т", "post"), ("просп.", "pre"), ("проспект", "post"),
            ("пер.", "post"), ("ш.", "post"), ("наб.", "post"), ("б-р", "post"), ("бульвар", "post"),
            ("пл.", "post"), ("проезд", "post"), ("ул", "pre")]
ST_ADJ = {"пр-т": ["Ленинский", "Комсомольский", "Московский", "Кутузовский"],
          "проспект": ["Ленинский", "Вернадского", "Мира", "Победы"],
          "пер.": ["Кривоколенный", "Садовый", "Школьный", "Гончарный"], "ш.": ["Варшавское", "Ярославское", "Шоссейное"],
          "наб.": ["Фонтанки", "Кремлёвская", "Волжская", "Береговая"], "б-р": ["Цветной", "Яна Райниса", "Приморский"],
          "бульвар": ["Гоголевский", "Тверской", "Строителей"], "пл.": ["Победы", "Театральная", "Восстания"],
          "проезд": ["Соломенной Сторожки", "2-й Кабельный", "Дежнёва"]}


def ru_street():
    t, pos = ch(ST_TYPES)
    name = ch(ST_ADJ[t]) if t in ST_ADJ else ch(RU_STREETS)
    if t == "просп.":
        name = ch(["Мира", "Вернадского", "Ленина", "Победы"])
    return f"{t} {name}" if pos == "pre" else f"{name} {t}"


def ru_house():
    h = str(R.randint(1, 180)) + ch([""] * 6 + ["А", "Б", "/2", "/14"])
    hs = ch([f"д. {h}", f"д.{h}", f"дом {h}", h, f"д. {h}"])
    extra = ""
    if R.random() < 0.35: extra += ch([f", корп. {R.randint(1, 5)}", f", к. {R.randint(1, 4)}", f" к{R.randint(1, 4)}", f", стр. {R.randint(1, 9)}"])
    if R.random() < 0.6: extra += ch([f", кв. {R.randint(1, 400)}", f", кв {R.randint(1, 300)}", f" кв.{R.randint(1, 300)}",
                                       f", офис {R.randint(1, 900)}", f", оф. {R.randint(100, 520)}", f", пом. {R.randint(1, 40)}"])
    return hs + extra


def ru_address():
    city, reg = ch(RU_CITIES)
    idx = f"{R.randint(101, 692)}{dg(3)}"
    cit = ch([f"г. {city}", f"г.{city}", city, f"город {city}"])
    st, hs = ru_street(), ru_house()
    o = R.randrange(9)
    if o == 0: return f"{idx}, {cit}, {st}, {hs}"
    if o == 1: return f"{cit}, {st}, {hs}, {idx}"
    if o == 2: return f"{(reg + ', ') if reg else ''}{cit}, {st}, {hs}"
    if o == 3:
        reg2, dist = ch([("Московская обл.", "Одинцовский р-н"), ("Ленинградская область", "Всеволожский р-н"), ("Тверская обл.", "Конаковский район"), ("Московская область", "Раменский р-н"), ("Свердловская обл.", "Белоярский р-н")])
        return f"{idx}, {reg2}, {dist}, {ch(['пос.', 'с.', 'пгт', 'д.'])} {ch(['Лесной', 'Сосновка', 'Берёзовка', 'Новая Жизнь', 'Ильинское'])}, {ch(['ул.', 'улица'])} {ch(RU_STREETS)}, {ch(['д.', 'дом'])} {R.randint(1, 60)}"
    if o == 4:
        return f"{city}, {ch(RU_STREETS)} {R.randint(1, 120)}-{R.randint(1, 250)}"
    if o == 5:
        return f"{st}, {hs}, {cit}"
    if o == 6:
        f = FK["ru_RU"]; return f.address()
    if o == 7:
        f = FK["ru_RU"]; return f"{f.postcode()}, {cit}, {f.street_address()}"
    return f"{ch(['г. Москва', 'Москва'])}, {ch(['Зеленоград', 'г. Зеленоград'])}, корп. {R.randint(100, 2030)}, кв. {R.randint(1, 300)}"


def en_address(flat=False):
    st = R.randrange(12)
    if st <= 2:
        a = FK["en_US"].address()
    elif st == 3:
        a = f"{R.randint(10, 9999)} {ch(['Main St', 'Oak Ave', 'Maple Street', 'Elm St.', 'Washington Blvd', 'Pine Rd', 'Cedar Lane', 'Sunset Blvd', '5th Ave'])}, {ch(['Apt 4B', 'Suite 210', 'Unit 12', '#7', 'Apt. 3C'])}, {ch(['Springfield, IL 62704', 'Austin, TX 78701', 'Portland, OR 97205', 'Denver, CO 80202', 'Brooklyn, NY 11201', 'Columbus, OH 43215'])}"
    elif st == 4:
        a = f"{ch(['PO Box', 'P.O. Box'])} {R.randint(10, 9999)}, {FK['en_US'].city()}, {FK['en_US'].state_abbr()} {FK['en_US'].zipcode()}"
    elif st <= 6:
        a = FK["en_GB"].address()
    elif st == 7:
        a = f"Flat {R.randint(1, 40)}, {R.randint(1, 200)} {ch(['High Street', 'Church Road', 'Victoria Road', 'Park Lane', 'Station Road'])}, {ch(['Leeds LS1 4DY', 'Manchester M1 2AB', 'Bristol BS1 5TR', 'London SW1A 1AA', 'Cardiff CF10 1EP', 'Edinburgh EH1 1YZ'])}"
    elif st == 8:
        a = FK["de_DE"].address()
    elif st == 9:
        a = FK["fr_FR"].address()
    elif st == 10:
        a = FK["en_CA"].address()
    else:
        a = FK["en_AU"].address()
    if "\n" in a and R.random() < 0.6:
        a = a.replace("\n", ", ")
    return a


# ---------------------------------------------------------------- secrets
def jwt(two_part=False):
    def b(o):
        return base64.urlsafe_b64encode(json.dumps(o, separators=(",", ":")).encode()).decode().rstrip("=")
    if two_part:
        return b({"alg": "none", "typ": "JWT"}) + "." + b({"sub": dg(6), "role": ch(["admin", "user"])}) + "."
    h = b({"alg": ch(["HS256", "RS256"]), "typ": "JWT"})
    p = b({"sub": dg(8), "name": " ".join(en_person()), "iat": R.randint(1600000000, 1760000000)})
    return f"{h}.{p}.{rs(B64U, ch([43, 86]))}"


def pem(kind):
    hdr = {"RSA": "RSA PRIVATE KEY", "EC": "EC PRIVATE KEY", "OPENSSH": "OPENSSH PRIVATE KEY", "PK": "PRIVATE KEY"}[kind]
    start = {"RSA": "MIIEpAIBAAKCAQEA", "EC": "MHcCAQEEI", "OPENSSH": "b3BlbnNzaC1rZXktdjEAAAAA", "PK": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"}[kind]
    lines = [start + rs(B64, 64 - len(start))] + [rs(B64, 64) for _ in range(R.randint(2, 4))] + [rs(B64, R.randint(20, 60)) + "=="]
    return f"-----BEGIN {hdr}-----\n" + "\n".join(lines) + f"\n-----END {hdr}-----"


def secret_token():
    """returns (kind_tag, token)"""
    t = R.randrange(36)
    LU = string.ascii_lowercase + string.digits
    if t == 0: return "aws", ch(["AKIA", "ASIA", "ABIA", "ACCA"]) + rs(string.ascii_uppercase + string.digits, 16)
    if t == 1: return "awssecret", rs(AN + "/+", 40)
    if t == 2: return "artifactory", "AKCp" + rs(AN, 69)
    if t == 3: return "azure", rs(B64, 86) + "=="
    if t == 4: return "discord", ch("MNO") + rs(B64U, R.randint(23, 25)) + "." + rs(B64U, 6) + "." + rs(B64U, 27)
    if t == 5: return "gh", ch(["ghp", "gho", "ghu", "ghs", "ghr"]) + "_" + rs(AN, 36)
    if t == 6: return "gh", "github_pat_" + rs(AN, 22) + "_" + rs(AN, 59)
    if t == 7: return "gl", ch(["glpat", "gldt", "glft", "glsoat", "glrt"]) + "-" + rs(AN + "_-", R.randint(20, 26))
    if t == 8: return "gl", ch(["glptt-" + rs(AN + "_", 40), "glimt-" + rs(AN, 25), "glagent-" + rs(AN + "_-", 50),
                                "GR1348941" + rs(AN + "_-", 20), "glcbt-" + ch(["", "64_"]) + rs(AN, 20)])
    if t == 9: return "jwt", jwt()
    if t == 10: return "jwt", jwt(two_part=True)
    if t == 11: return "mailchimp", rs(HEX, 32) + "-us" + str(R.randint(1, 21))
    if t == 12: return "openai", "sk-" + rs(AN, 20) + "T3BlbkFJ" + rs(AN, 20)
    if t == 13: return "openai", "sk-proj-" + rs(B64U, 48) + "T3BlbkFJ" + rs(B64U, 48)
    if t == 14: return "pypi", "pypi-AgEIcHlwaS5vcmc" + rs(B64U, R.randint(70, 140))
    if t == 15: return "sendgrid", "SG." + rs(B64U, 22) + "." + rs(B64U, 43)
    if t == 16: return "slack", ch(["xoxb", "xoxp", "xoxa", "xoxs"]) + f"-{dg(11)}-{dg(12)}-" + rs(LU, 24)
    if t == 17: return "slackhook", f"https://hooks.slack.com/services/T{rs(string.ascii_uppercase + string.digits, 8)}/B{rs(string.ascii_uppercase + string.digits, 10)}/{rs(AN, 24)}"
    if t == 18: return "square", ch(["sq0csp-" + rs(B64U, 43), "sq0atp-" + rs(B64U, 22)])
    if t == 19: return "stripe", ch(["sk_live_", "rk_live_"]) + rs(AN, ch([24, 99]))
    if t == 20: return "telegram", f"{R.randint(10000000, 9999999999)}:AA{rs(B64U, 33)}"
    if t == 21: return "twilio", ch(["AC", "SK"]) + rs(HEX, 32)
    if t == 22: return "ibm", rs(B64U, 44)
    if t == 23: return "ibmcos", rs(HEX, 48)
    if t == 24: return "cloudant", rs(HEX, 64)
    if t == 25: return "npm", "npm_" + rs(AN, 36)
    if t == 26: return "artifactory", "AP" + ch("0123456789ABCDEF") + rs(AN, R.randint(8, 40))
    return "generic", None


GENERIC_PW = lambda: ch([rs(AN + "!#%&*", R.randint(10, 18)), rs(AN, 12) + ch(["!", "#", "$"]) + dg(2),
                         ch(["Summer", "Qwerty", "Moscow", "Barsik", "Dragon", "Sunny"]) + dg(ch([2, 4])) + ch(["!", "", "#"]),
                         rs(HEX, 32), rs(AN, 24)])


# ---------------------------------------------------------------- builders: positives
def g_phone(lang):
    if lang == "ru":
        kind = ch(["ru"] * 6 + ["kz", "by", "ua", "intl", "local"])
        num = {"ru": ru_phone, "kz": kz_phone, "by": by_phone, "ua": ua_phone, "intl": intl_phone, "local": local7}[kind]()
        T = ["Мой номер {p}, звоните после 18:00", "тел. {p}", "Перезвоните мне пожалуйста на {p}",
             "Бот: Уточните, пожалуйста, ваш номер {p} — верно?", "моб. {p} (WhatsApp/Telegram)",
             "Контактный телефон: {p}", "Т.: {p}", "ТЕЛЕФОН {p}", "номер поменялся, теперь {p}",
             "Курьер не дозвонился на {p}, просьба связаться", "Для связи: {p}\nспасибо!",
             "наберите {p} если что", "Клиент оставил номер {p} для обратного звонка.",
             "тел {p}, спросить бухгалтерию", "**Телефон:** {p}", "> звоните по номеру {p}",
             "Отец: {p}, мама: {p2}"]
        t = ch(T)
        if kind == "local":
            t = ch(["гор. тел. {p}", "домашний телефон {p}", "звоните на рабочий {p}, спросить Ирину"])
            if "Ирину" in t:
                tpl("ru", "звоните на рабочий {p}, спросить {n}", p=L("phone", num), n=L("person_name", "Ирину")); return
        if kind == "kz": t = ch(["Алматы, тел. {p}", "я из Казахстана, номер {p}", "Астана: {p}"])
        if kind == "by": t = ch(["Минск, мой номер {p}", "белорусский номер {p}", "тел. в Беларуси: {p}"])
        if kind == "ua": t = ch(["Киев, номер {p}", "мой украинский номер {p}", "Одесса, тел. {p}"])
        if kind == "intl": t = ch(["Я сейчас в Германии, звоните через {p}", "международный: {p}", "с мобильного набирайте {p}"])
        if "{p2}" in t:
            tpl("ru", t, p=L("phone", num), p2=L("phone", ru_phone()))
        else:
            tpl("ru", t, p=L("phone", num))
    else:
        kind = ch(["us"] * 5 + ["gb", "gb", "de", "fr", "au", "intl", "local"])
        num = {"us": us_phone, "gb": gb_phone, "de": de_phone, "fr": fr_phone, "au": au_phone, "intl": intl_phone, "local": lambda: local7("en")}[kind]()
        T = ["You can reach me at {p}.", "Call me back on {p} please", "Phone: {p}", "PHONE: {p}", "ph. {p}",
             "Bot: I have your number as {p}, is that still correct?", "my cell is {p}, text is fine",
             "Tel {p} (office)", "mobile: {p}", "Customer requested a callback at {p} tomorrow morning.",
             "- **Phone:** {p}", "Please update my number to {p}", "call {p} and ask for {n}",
             "Our hotline {p} is open 24/7", "Fax/phone: {p}", "number's {p} btw"]
        t = ch(T)
        if kind == "local": t = ch(["my home phone is {p}", "call the front desk at {p}", "phone: {p} (local)"])
        if kind in ("de", "fr") and R.random() < 0.5:
            t = ch(["I live in {c} now, my number there is {p}", "Reach our {c} office at {p}"])
            tpl("en", t, c={"de": "Berlin", "fr": "Paris"}[kind], p=L("phone", num)); return
        if "{n}" in t:
            tpl("en", t, p=L("phone", num), n=L("person_name", en_person()[0]))
        else:
            tpl("en", t, p=L("phone", num))


def g_name(lang):
    if lang == "ru":
        p = ru_person()
        case = ch(CASES)
        frames = {
            "nom": ["Меня зовут {n}, номер заказа 58213", "С уважением,\n{n}", "Заявитель: {n}", "Получатель — {n}",
                    "{n} оставил(а) жалобу на курьера", "Бот: Здравствуйте, {n}! Чем могу помочь?", "подпись: {n}",
                    "ФИО: {n}", "ИП {n}", "Ответственный менеджер — {n}"],
            "gen": ["Письмо от {n} получено", "Заявление от {n} передано в отдел", "нет ответа от {n} уже неделю",
                    "Доверенность на имя {n} прикреплена", "жду звонка от {n}"],
            "dat": ["Передайте, пожалуйста, {n}, что заказ готов", "Отправьте документы {n} на подпись",
                    "Выдать посылку {n} по доверенности", "Позвоните {n} завтра", "Напомните {n} про оплату"],
            "acc": ["Прошу пригласить {n} к телефону", "Вызовите {n} на встречу в 15:00", "Внесите {n} в список гостей",
                    "Я представляю {n} по доверенности", "Оформите возврат на {n}"],
            "ins": ["Договор подписан {n}", "Я уже общался с {n}, он обещал перезвонить", "Встреча с {n} перенесена",
                    "Заказ согласован с {n}"],
            "pre": ["Речь идёт {o} {n}", "В заявке указаны данные {o} {n}", "Вопрос {o} {n} закрыт", "Напишите {o} {n} в отчёте"],
        }
        style = None
        if case != "nom" and R.random() < 0.7:
            style = ch(["FIO", "IO F", "I F", "F I"] if p["patr"] else ["I F", "F I"])
        n = ru_name_form(p, case, style)
        if case == "ins" and "он обещал" in (t := ch(frames[case])) and p["g"] == "f":
            t = t.replace("он обещал", "она обещала")
        elif case != "ins":
            t = ch(frames[case])
        if t.startswith("ИП") and not p["patr"]:
            t = "ФИО: {n}"
        tpl("ru", t, n=L("person_name", n), o="об" if n[0] in "АИОУЭЫ" else "о")
    else:
        first, last = en_person()
        st = R.randrange(14)
        if st == 0: tpl("en", "Hi, my name is {n} and my order never arrived.", n=L("person_name", f"{first} {last}"))
        elif st == 1: tpl("en", "Best regards,\n{n}", n=L("person_name", f"{first} {last}"))
        elif st == 2: tpl("en", "Contact: {n}", n=L("person_name", f"{first} {last}"))
        elif st == 3: tpl("en", "Please ask for {n} in billing.", n=L("person_name", first))
        elif st == 4: tpl("en", "Dear {t} {n},\nthank you for your patience.", t=ch(["Ms.", "Mr.", "Dr.", "Mrs", "Ms"]), n=L("person_name", last))
        elif st == 5:
            a, b = en_person(), en_person()
            tpl("en", "Attendees: {a}, {b}, and me", a=L("person_name", " ".join(a)), b=L("person_name", " ".join(b)))
        elif st == 6: tpl("en", "Bot: Thanks, {n}. I've escalated the ticket.", n=L("person_name", first))
        elif st == 7: tpl("en", "The parcel was signed for by {n} at 2:14 PM.", n=L("person_name", f"{first[0]}. {last}"))
        elif st == 8: tpl("en", "{t} {n} will call you back today", t=ch(["Dr.", "Mr", "Ms."]), n=L("person_name", f"{first} {last}"))
        elif st == 9: tpl("en", "Account holder: {n}", n=L("person_name", f"{last.upper()}, {first}"))
        elif st == 10: tpl("en", "I spoke with {n} from your team yesterday, she/he promised a refund.", n=L("person_name", f"{first} {last}"))
        elif st == 11: tpl("en", "Cheers,\n{n}\nSent from my iPhone", n=L("person_name", first))
        elif st == 12:
            de = FK["de_DE"]; fr = FK["fr_FR"]
            tpl("en", "Our contacts in Europe are {a} (Munich) and {b} (Lyon).",
                a=L("person_name", f"{de.first_name()} {de.last_name()}"), b=L("person_name", f"{fr.first_name()} {fr.last_name()}"))
        else: tpl("en", "Recipient: {n}", n=L("person_name", f"{first} {last}"))


def g_address(lang):
    if lang == "ru":
        a = ru_address()
        T = ["Адрес доставки: {a}", "Доставьте на {a}, домофон не работает", "я живу по адресу {a}",
             "Бот: Проверьте адрес: {a}. Всё верно?", "Прописка: {a}", "адрес: {a}\nкурьер звонит за час",
             "Магазин находится по адресу {a}", "Юр. адрес: {a}", "Поменяйте адрес на {a} пожалуйста",
             "Отправьте письмо на {a}", "**Адрес:** {a}"]
        tpl("ru", ch(T), a=L("address", a))
    else:
        a = en_address()
        T = ["Ship to: {a}", "My address is {a}", "Please send the replacement to {a}.",
             "Bot: I have your delivery address as {a}. Is that right?", "Billing address:\n{a}",
             "New address - {a}", "Our store is at {a}.", "Return the item to {a}", "Address: {a}",
             "deliver to {a} and leave it with the concierge"]
        tpl("en", ch(T), a=L("address", a))


def g_email(lang):
    e = email(lang)
    if lang == "ru":
        T = ["Моя почта {e}", "e-mail: {e}", "Пришлите чек на {e}", "пишите на {e}, отвечу вечером",
             "Бот: Мы отправили ссылку на {e}", "Почта изменилась: {e}", "E-MAIL {e}"]
        if R.random() < 0.12:
            e = ch(["почта", "иван.петров", "заказы", "мария"]) + "@" + ch(["пример.рф", "магазин.рф", "почта.рф"])
        tpl("ru", ch(T), e=L("email", e))
    else:
        T = ["Email me at {e}", "my email is {e}", "Send the invoice to {e}, thanks", "Bot: A reset link was sent to {e}.",
             "contact: <{e}>", "cc {e} on the reply", "EMAIL: {e}", "{e}"]
        tpl("en", ch(T), e=L("email", e))


def g_card(lang):
    c, b = card()
    T = {"ru": ["Номер карты {c}, списали дважды", "оплатил картой {c}", "Карта: {c}\nсрок 08/27",
                "Верните деньги на карту {c}", "МИР {c}", "вот карта {c} cvv не скажу"],
         "en": ["My card number is {c}", "charged twice on {c}", "Card: {c} exp 11/28", "refund to card {c} please",
                "{c}", "card ending... actually full number {c}"]}
    t = ch(T[lang])
    if t.startswith("МИР") and b != "mir":
        t = "Номер карты {c}, списали дважды"
    tpl(lang, t, c=L("card", c))


def g_iban(lang):
    i = iban_fmt(iban())
    T = {"ru": ["IBAN: {i}", "Реквизиты для возврата: {i}", "переведите на счёт {i}", "мой IBAN {i} (Казахстан)" if i[:2].upper() == "KZ" else "мой IBAN {i}"],
         "en": ["IBAN: {i}", "Please refund to {i}", "bank details - IBAN {i}, BIC DEUTDEFF", "{i}", "iban {i}"]}
    tpl(lang, ch(T[lang]), i=L("iban", i))


def g_ip(lang):
    ip = ipv4() if R.random() < 0.75 else ipv6()
    T = {"ru": ["Сервер по адресу {i} не отвечает", "мой IP {i}, меня заблокировали", "Вход с нового устройства: IP {i}",
                "пинг до {i} 300 мс"],
         "en": ["the server at {i} is down", "{d} sshd[2213]: Failed password for root from {i} port 52144 ssh2",
                "Login from IP {i} (Chrome on Windows)", "whitelist my IP {i} please", "host={i} status=503",
                '{i} - - [12/Mar/2025:10:14:07 +0000] "GET /api/orders HTTP/1.1" 200 512']}
    tpl(lang, ch(T[lang]), i=L("ip", ip), d="Mar 12 10:14:07 web-01")


def g_passport(lang):
    s, n = passport()
    st = R.randrange(6)
    if st == 0: v = f"{s[:2]} {s[2:]} {n}"
    elif st == 1: v = f"{s} {n}"
    elif st == 2: v = f"{s}{n}"
    elif st == 3: v = f"{s} № {n}"
    elif st == 4: v = f"{s} номер {n}"
    else: v = f"{s[:2]} {s[2:]} №{n}"
    T = {"ru": ["паспорт {v}", "Паспорт РФ: {v}, выдан ГУ МВД", "серия {v}" if "номер" in v else "Паспортные данные: {v}",
                "данные паспорта {v}, прописка в профиле", "Бот: Для получения укажите паспорт ({v}) на кассе"],
         "en": ["Russian passport {v}", "passport no. {v} (RU internal)"]}
    if "номер" in v:
        tpl(lang, "серия {v}" if lang == "ru" else "passport series {v}", v=L("passport_ru", v))
    else:
        tpl(lang, ch(T[lang]), v=L("passport_ru", v))


def g_inn(lang):
    v = inn10() if R.random() < 0.5 else inn12()
    T = {"ru": ["ИНН {v}", "инн: {v}", "мой ИНН {v}, нужен чек для налоговой", "ИНН организации {v}", "Укажите ИНН {v} в счёте"],
         "en": ["INN {v}", "Russian tax id (INN): {v}", "company INN is {v}"]}
    tpl(lang, ch(T[lang]), v=L("inn", v))


def g_snils(lang):
    v = snils_fmt(snils_raw())
    T = {"ru": ["СНИЛС {v}", "снилс: {v}", "Мой СНИЛС {v}, для налогового вычета", "страховой номер {v} (СНИЛС)"],
         "en": ["SNILS {v}", "my SNILS number is {v}"]}
    tpl(lang, ch(T[lang]), v=L("snils", v))


def g_ogrn(lang):
    v = ogrn13()
    T = {"ru": ["ОГРН {v}", "ООО «Ромашка», ОГРН {v}", "огрн: {v}", "Реквизиты: ОГРН {v}, КПП 770101001"],
         "en": ["OGRN {v}", "registration number (OGRN) {v}"]}
    tpl(lang, ch(T[lang]), v=L("ogrn", v))


def g_ogrnip(lang):
    v = ogrn15()
    if lang == "ru" and R.random() < 0.4:
        p = ru_person(origin="ru")
        tpl("ru", "ИП {n}, ОГРНИП {v}", n=L("person_name", ru_name_form(p, "nom", "F I.O.")), v=L("ogrnip", v)); return
    T = {"ru": ["ОГРНИП {v}", "огрнип: {v}", "ОГРНИП: {v} от 12.04.2019"], "en": ["OGRNIP {v}", "sole trader reg. no. (OGRNIP) {v}"]}
    tpl(lang, ch(T[lang]), v=L("ogrnip", v))


def g_ssn(lang):
    v = ssn()
    T = {"ru": ["SSN {v}", "мой американский SSN: {v}"],
         "en": ["SSN: {v}", "my social security number is {v}", "Social Security No. {v}", "ssn {v} for the W-9",
                "Bot: I can't store your SSN ({v}) in chat, please use the secure form."]}
    tpl(lang, ch(T[lang]), v=L("ssn", v))


def g_account(lang):
    acc, b = account()
    if R.random() < 0.6:
        T = {"ru": ["р/с {a}, БИК {b}", "Расчётный счёт: {a}\nБИК: {b}", "счёт {a} в банке, БИК {b}", "Лицевой счёт {a}, БИК {b}"],
             "en": ["Russian account {a}, BIC {b}", "acct {a} (BIK {b})"]}
    else:
        T = {"ru": ["р/с {a}", "номер счёта {a}", "Переведите на счёт {a}", "сч. {a}"], "en": ["account no. {a}", "Russian bank account {a}"]}
    tpl(lang, ch(T[lang]), a=L("bank_account_ru", acc), b=b)


def g_secret(lang):
    n = len(OUT)
    g_secret_line(lang)
    if len(OUT) > n and R.random() < 0.35:
        if lang == "ru":
            prefix_last(ch(["Вот конфиг, помогите понять, почему не работает:\n", "у меня в .env лежит\n", "Ошибка при деплое, строка из конфига: ",
                            "Бот: Пожалуйста, не отправляйте ключи в чат! Вы прислали: ", "```\n"]), "")
        else:
            prefix_last(ch(["Here's my config, what's wrong?\n", "from the logs: ", "Bot: Please never share credentials here. You posted: ",
                            "I accidentally committed this:\n", "my .env:\n"]), "")


def g_secret_line(lang):
    tag, tok = secret_token()
    ru = lang == "ru"
    if tag == "generic":
        st = R.randrange(11)
        pw = GENERIC_PW()
        if st == 0: tpl(lang, 'password = "{s}"', s=L("secret", pw))
        elif st == 1: tpl(lang, "api_key: {s}", s=L("secret", rs(AN, 32)))
        elif st == 2: mk(lang, '{"secret": "', L("secret", rs(AN + "-_", 40)), '", "env": "prod"}')
        elif st == 3: tpl(lang, "export DB_PASSWORD={s}", s=L("secret", pw))
        elif st == 4: tpl("ru", ch(["пароль: {s}", "Пароль от личного кабинета {s}", "логин ivanov, пароль {s}", "ПАРОЛЬ - {s}"]), s=L("secret", pw)); return
        elif st == 5: tpl(lang, "DATABASE_URL=postgres://app:{s}@db.internal:5432/orders", s=L("secret", pw))
        elif st == 6: tpl(lang, "curl -u admin:{s} https://jenkins.example.org/api/json", s=L("secret", pw))
        elif st == 7: tpl(lang, "client_secret: '{s}'", s=L("secret", rs(AN, 40)))
        elif st == 8: tpl(lang, "my password is {s}, please reset 2FA" if not ru else "мой пароль {s}, сбросьте двухфакторку", s=L("secret", pw))
        elif st == 9: tpl(lang, "<add key=\"ApiSecret\" value=\"{s}\" />", s=L("secret", rs(AN, 32)))
        else: tpl(lang, "SECRET_KEY = '{s}'", s=L("secret", rs(AN + "!@#%^&*(-_=+)", 50)))
        return
    S = L("secret", tok)
    if tag == "aws":
        if R.random() < 0.5:
            tpl(lang, "[default]\naws_access_key_id = {s}\naws_secret_access_key = {k}", s=S, k=L("secret", rs(AN + "/+", 40)))
        else:
            tpl(lang, "AWS_ACCESS_KEY_ID={s} aws s3 ls s3://backups" if not ru else "ключ доступа AWS: {s}", s=S)
    elif tag == "awssecret": tpl(lang, 'aws_secret_key = "{s}"', s=S)
    elif tag == "artifactory": tpl(lang, "artifactory_token: {s}" if R.random() < 0.5 else "curl -H \"X-JFrog-Art-Api: {s}\" https://repo.local/artifactory/api/repositories", s=S)
    elif tag == "azure": tpl(lang, "DefaultEndpointsProtocol=https;AccountName=shopmedia;AccountKey={s};EndpointSuffix=core.windows.net", s=S)
    elif tag == "discord": tpl(lang, "DISCORD_BOT_TOKEN={s}" if not ru else "токен бота дискорда {s}", s=S)
    elif tag == "gh": tpl(lang, ch(["git clone https://{s}@github.com/acme/shop.git", "GITHUB_TOKEN: {s}", "Here is my token {s}" if not ru else "вот токен гитхаба {s}", "Authorization: token {s}"]), s=S)
    elif tag == "gl": tpl(lang, ch(["CI_TOKEN={s}", "gitlab token: {s}", "curl --header \"PRIVATE-TOKEN: {s}\" https://gitlab.com/api/v4/projects"]), s=S)
    elif tag == "jwt": tpl(lang, ch(["Authorization: Bearer {s}", "token={s}", "вот мой jwt: {s}" if ru else "session cookie: {s}"]), s=S)
    elif tag == "mailchimp": tpl(lang, "MAILCHIMP_API_KEY={s}", s=S)
    elif tag == "openai": tpl(lang, ch(["OPENAI_API_KEY={s}", "openai.api_key = \"{s}\"", "ключ: {s}" if ru else "my key: {s}"]), s=S)
    elif tag == "pypi": tpl(lang, "[pypi]\nusername = __token__\npassword = {s}", s=S)
    elif tag == "sendgrid": tpl(lang, "SENDGRID_API_KEY='{s}'", s=S)
    elif tag == "slack": tpl(lang, ch(["SLACK_BOT_TOKEN={s}", "slack token {s}"]), s=S)
    elif tag == "slackhook": mk(lang, "curl -X POST -d '{\"text\":\"deploy ok\"}' ", S)
    elif tag == "square": tpl(lang, "square_secret: {s}", s=S)
    elif tag == "stripe": tpl(lang, ch(["STRIPE_SECRET_KEY={s}", "stripe.api_key = '{s}'", "ключ страйпа {s}" if ru else "live key {s}"]), s=S)
    elif tag == "telegram": tpl(lang, ch(["TELEGRAM_BOT_TOKEN={s}", "https://api.telegram.org/bot{s}/getUpdates", "токен бота: {s}" if ru else "bot token: {s}"]), s=S)
    elif tag == "twilio": tpl(lang, "TWILIO_ACCOUNT_SID={s}", s=S)
    elif tag == "ibm": tpl(lang, "ibm_cloud_iam_api_key = \"{s}\"", s=S)
    elif tag == "ibmcos": tpl(lang, "cos_hmac_secret_access_key: {s}", s=S)
    elif tag == "cloudant": tpl(lang, "COUCH_URL=https://shop-prod:{s}@shop-prod.cloudant.com", s=S)
    elif tag == "npm": tpl(lang, "# .npmrc\n//registry.npmjs.org/:_authToken={s}", s=S)


def g_pem(lang):
    k = ch(["RSA", "EC", "OPENSSH", "PK"])
    tpl(lang, ch(["{p}", "вот ключ для сервера:\n{p}" if lang == "ru" else "here's the deploy key:\n{p}",
                  "```\n{p}\n```"]), p=L("secret", pem(k)))


def g_multi(lang):
    """realistic multi-entity messages"""
    if lang == "ru":
        p = ru_person(); st = R.randrange(6)
        if st == 0:
            tpl("ru", "С уважением,\n{n}\nтел.: {t}\n{e}", n=L("person_name", ru_name_form(p, "nom", ch(["I F", "IO F", "F I.O."]))),
                t=L("phone", ru_phone()), e=L("email", email("ru", tr(p["first"]), tr(p["last"]))))
        elif st == 1:
            tpl("ru", "Получатель: {n}\nАдрес: {a}\nТелефон: {t}", n=L("person_name", ru_name_form(p, "nom", "FIO")),
                a=L("address", ru_address()), t=L("phone", ru_phone()))
        elif st == 2:
            acc, b = account(prefix="40702810")
            tpl("ru", "ИП {n}, ИНН {i}, ОГРНИП {o}, р/с {a}, БИК {b}", n=L("person_name", ru_name_form(p, "nom", ch(["FIO", "F I.O."]))),
                i=L("inn", inn12()), o=L("ogrnip", ogrn15()), a=L("bank_account_ru", acc), b=b)
        elif st == 3:
            acc, b = account(prefix="40702810")
            tpl("ru", "ООО «Вектор», ИНН {i}, КПП 77{k}01001, ОГРН {o}\nр/с {a} в ПАО Сбербанк, БИК {b}, к/с 30101810400000000225",
                i=L("inn", inn10()), k=dg(2), o=L("ogrn", ogrn13()), a=L("bank_account_ru", acc), b=b)
        elif st == 4:
            s, n = passport()
            tpl("ru", "{n}, паспорт {pp}, СНИЛС {sn}, адрес регистрации: {a}", n=L("person_name", ru_name_form(p, "nom", "FIO")),
                pp=L("passport_ru", f"{s[:2]} {s[2:]} {n}"), sn=L("snils", snils_fmt(snils_raw())), a=L("address", ru_address()))
        else:
            tpl("ru", "Бот: {n}, ваш заказ №{o} доставим {d} по адресу {a}. Курьер позвонит на {t}.",
                n=L("person_name", p["first"] + (" " + p["patr"] if p["patr"] else "")), o=dg(7), d=ch(["завтра", "12 марта", "в пятницу"]),
                a=L("address", ru_address()), t=L("phone", ru_phone()))
    else:
        f, l = en_person(); st = R.randrange(5)
        if st == 0:
            tpl("en", "Best regards,\n{n}\n{t} | {e}", n=L("person_name", f"{f} {l}"), t=L("phone", us_phone()),
                e=L("email", email("en", f.lower(), l.lower())))
        elif st == 1:
            tpl("en", "Name: {n}\nAddress: {a}\nPhone: {t}", n=L("person_name", f"{f} {l}"), a=L("address", en_address()), t=L("phone", ch([us_phone, gb_phone])()))
        elif st == 2:
            tpl("en", "Hi, this is {n}. Card {c} was charged but the order to {a} never shipped.",
                n=L("person_name", f"{f} {l}"), c=L("card", card()[0]), a=L("address", en_address()))
        elif st == 3:
            tpl("en", "Applicant: {n}, DOB 04/12/1987, SSN {s}, email {e}", n=L("person_name", f"{f} {l}"),
                s=L("ssn", ssn()), e=L("email", email("en", f.lower(), l.lower())))
        else:
            tpl("en", "Sehr geehrte Frau {n}, thanks for writing. Our Berlin office: {a}, Tel. {t}",
                n=L("person_name", FK["de_DE"].last_name()), a=L("address", FK["de_DE"].address().replace("\n", ", ")), t=L("phone", de_phone()))


# ---------------------------------------------------------------- hard negatives
def checksum_decoys():
    """numbers that pass INN/SNILS/OGRN/Luhn checks but are order/ticket/tracking numbers"""
    out = []
    out.append(("ru", f"Номер заказа: {inn10()}"))
    out.append(("ru", f"заказ № {inn12()} отменён, деньги вернутся в течение 10 дней"))
    out.append(("ru", f"Номер накладной {snils_raw()}"))
    out.append(("ru", f"трек-номер {ogrn13()}, посылка в пути"))
    out.append(("ru", f"Договор № {ogrn15()} от 01.02.2024"))
    out.append(("en", f"Order #{inn10()} has shipped"))
    out.append(("en", f"ticket {snils_raw()} was closed"))
    out.append(("en", f"Invoice no. {ogrn13()} is overdue"))
    b = "9" + dg(14)
    out.append(("en", f"Tracking number: {b + luhn.calc_check_digit(b)}"))
    b = "4" + dg(14)
    out.append(("ru", f"номер отправления {b + luhn.calc_check_digit(b)} (СДЭК)"))
    b = dg(15)
    out.append(("en", f"Your confirmation code is {b + luhn.calc_check_digit(b)}"))
    out.append(("ru", f"Номер обращения {inn10()}, ожидайте ответа"))
    out.append(("en", f"contract no. {inn12()} signed"))
    out.append(("ru", f"Артикул {snils_raw()}"))
    return out


def negatives_pool(lang):
    f = FK["en_US"]
    if lang == "ru":
        pool = [
            lambda: f"Сумма к оплате: {R.randint(1, 99)} {R.randint(100, 999)} руб.",
            lambda: f"Итого {R.randint(1, 9)} {R.randint(100, 999)} {R.randint(100, 999)} руб. {dg(2)} коп.",
            lambda: f"Доставка {R.randint(1, 28)} {ch(['января', 'марта', 'мая', 'августа', 'декабря'])} с {R.randint(9, 12)}:00 до {R.randint(13, 21)}:00",
            lambda: f"Заказ №{dg(ch([6, 7, 8]))} передан в службу доставки",
            lambda: f"Артикул: {rs(string.ascii_uppercase, 2)}-{dg(5)}, размер {ch(['S', 'M', 'L', 'XL'])}",
            lambda: f"Версия приложения {R.randint(1, 9)}.{R.randint(0, 20)}.{R.randint(0, 9)}.{R.randint(100, 999)}",
            lambda: "Маска подсети 255.255.255.0, шлюз по умолчанию",
            lambda: f"Номер телефона: +7 (XXX) XXX-XX-XX — заполните в профиле",
            lambda: "Карта **** **** **** " + dg(4) + " привязана",
            lambda: f"Оплачено картой •••• {dg(4)}",
            lambda: "Кафе на Арбате закрыто на ремонт",
            lambda: "Мы находимся в Москве, доставка по всей России",
            lambda: "Встретимся у метро Пушкинская",
            lambda: "Музей на улице Льва Толстого работает до 18:00",
            lambda: "Лауреат премии Нобеля выступит в пятницу",
            lambda: "Продаю Лада Калина 2012 года",
            lambda: "Мистер Пропер отлично отмывает плиту",
            lambda: 'ООО "Иван Петрович" — поставщик молочной продукции',
            lambda: 'Кондитерская «Дядя Ваня» открылась в новом ТЦ',
            lambda: "Понедельник и вторник — выходные дни",
            lambda: f"Отчёт за {ch(['январь', 'февраль', 'май', 'сентябрь'])} готов",
            lambda: f"Плановое обновление в {ch(['III', '3', 'IV'])} кв. 2025 г.",
            lambda: f"Скидка {R.randint(5, 50)}% на всё до {R.randint(1, 28)}.{R.randint(1, 12):02d}.2025",
            lambda: "Звоните 112 в экстренных случаях",
            lambda: "Проверить баланс: *100#",
            lambda: f"ISBN 978-5-{dg(2)}-{dg(6)}-{dg(1)}",
            lambda: f"Идентификатор запроса: {FK['en_US'].uuid4()}",
            lambda: f"коммит {rs(HEX, 40)} откатили",
            lambda: "Токен: <API_KEY> — подставьте свой",
            lambda: "пароль должен содержать не менее 8 символов, включая цифры",
            lambda: "Забыли пароль? Нажмите «Восстановить»",
            lambda: "пароль: ********",
            lambda: "Введите ИНН (10 или 12 цифр) в поле ниже",
            lambda: "СНИЛС: ___-___-___ __",
            lambda: f"БИК {bic()}",
            lambda: f"КПП {dg(4)}01001",
            lambda: "Офис 365 не активируется",
            lambda: "Пишите в поддержку через форму на сайте",
            lambda: "@ivan_petrov_88 посмотри тикет",
            lambda: f"Файл logo@2x.png не загружается",
            lambda: f"Координаты: 55.{dg(4)}, 37.{dg(4)}",
            lambda: f"Время ответа сервера {R.randint(100, 900)} мс, ошибка 502",
            lambda: f"Пункт 3.2.{R.randint(1, 9)}.{R.randint(1, 9)} договора оферты",
            lambda: "Указан индекс 000000 — исправьте",
            lambda: f"В наличии {R.randint(2, 80)} шт., склад «Северный»",
            lambda: "Спасибо, вопрос решён!",
            lambda: "Бот: Я не могу показывать персональные данные других клиентов.",
            lambda: "Доставка в Санкт-Петербург занимает 2–3 дня",
            lambda: "Петербург, Казань и Екатеринбург — города с самовывозом",
            lambda: "Улица Садовая перекрыта, курьер задержится",
            lambda: "Пушкин — наше всё, но книги закончились",
            lambda: "Тариф «Максимум» за 990 ₽/мес",
            lambda: f"Телефон модели Redmi Note {R.randint(9, 13)} Pro",
            lambda: "Номер карты лояльности появится в приложении",
            lambda: "ИНН: не указан",
            lambda: "паспорт: серия и номер — см. скан",
            lambda: f"Ключ API: sk-...{rs(AN, 4)} (скрыт)",
            lambda: "TOKEN=YOUR_TOKEN_HERE",
            lambda: f"sha256: {rs(HEX, 64)}",
            lambda: f"Номер сертификата {dg(4)}-{dg(4)}-{dg(4)}",
            lambda: f"Магазин «Баден-Баден» ждёт вас",
            lambda: "Шоколад «Алёнка» снова в продаже",
            lambda: f"Рейс SU {R.randint(1000, 2999)} задерживается на 40 минут",
            lambda: f"Счёт-фактура № {dg(5)} от 15.03.2025",
            lambda: "Горячая линия работает с 9:00 до 21:00 по МСК",
            lambda: f"ставка {R.randint(10, 20)},{R.randint(1, 9)}% годовых",
            lambda: f"Привет! Посылка пришла, всё целое 👍",
            lambda: f"Трек-номер RA{dg(9)}RU, посылка на сортировке",
            lambda: f"Ваш код подтверждения: {dg(4)}. Никому его не сообщайте",
            lambda: f"Перевод на сумму {R.randint(1, 99)} {dg(3)},00 ₽ выполнен",
            lambda: f"Ссылка на заказ: https://shop.example.ru/orders/{dg(7)}?utm_source=email",
            lambda: "Иван-чай в пакетиках закончился, будет в среду",
            lambda: "Конфеты «Мишка на Севере» и «Красный Октябрь» в подарочном наборе",
            lambda: "Дед Мороз приедет на утренник 28 декабря",
            lambda: "Пункт выдачи на проспекте Мира, рядом с метро",
            lambda: "Тверская улица сегодня перекрыта, доставка задержится",
            lambda: "Дом книги на Невском работает до 22:00",
            lambda: "Сбербанк и Тинькофф принимаются, Почта России тоже",
            lambda: "Адрес: не указан",
            lambda: "IP-адрес не определён, попробуйте позже",
            lambda: f"Номер телефона скрыт: +7 (9{dg(2)}) ***-**-{dg(2)}",
            lambda: f"Письмо отправлено на i***{ch('avn')}@mail.ru",
            lambda: f"Период: с 01.{R.randint(1, 9):02d}.2025 по 30.{R.randint(1, 9):02d}.2025",
            lambda: f"Встреча в {R.randint(10, 18)}:30 МСК, ссылка придёт в календарь",
            lambda: "Завод имени Лихачёва выпустил юбилейную серию",
            lambda: "Спектакль «Вишнёвый сад» перенесён на субботу",
            lambda: f"Номер заявки 2025-03-{dg(5)}",
            lambda: "Авторизация: Bearer <токен>",
            lambda: "Промокод ВЕСНА25 действует до конца месяца",
            lambda: "Доставка на Кутузовский проспект возможна только до 20:00",
            lambda: f"Модель ноутбука {rs(string.ascii_uppercase, 2)}{dg(4)}-{rs(string.ascii_uppercase, 3)}, S/N скрыт",
            lambda: "Метро Маяковская, выход №3",
            lambda: "Хотим заказать торт «Наполеон» на 12 персон",
            lambda: f"Пароль не подходит, хотя я ввожу правильный",
        ]
    else:
        pool = [
            lambda: f"Total: ${R.randint(1, 9)},{R.randint(100, 999)}.{dg(2)}",
            lambda: f"Your order #{dg(ch([6, 7, 8]))} is out for delivery",
            lambda: f"Ticket {ch(['INC', 'CS', 'REQ'])}-{dg(6)} has been updated",
            lambda: f"SKU {rs(string.ascii_uppercase, 3)}-{dg(4)}-{rs(string.ascii_uppercase, 2)} is back in stock",
            lambda: f"Invoice INV-{dg(4)}-{dg(5)} is due on {f.date()}",
            lambda: f"Delivery window: {R.randint(8, 11)}:00 AM - {R.randint(1, 6)}:00 PM, {f.day_of_week()}",
            lambda: f"Upgrade to version {R.randint(1, 9)}.{R.randint(0, 20)}.{R.randint(0, 9)}.{R.randint(0, 99)} to fix the crash",
            lambda: "Set the subnet mask to 255.255.0.0",
            lambda: f"Allow traffic from 10.0.0.0/8 and {ch(['203.0.113.0/24', '192.168.0.0/16', '172.16.0.0/12'])}",
            lambda: "bind the dev server to 127.0.0.1 or 0.0.0.0",
            lambda: f"request_id={f.uuid4()}",
            lambda: f"fixed in commit {rs(HEX, 40)}",
            lambda: f"trace id {rs(HEX, 32)} span {rs(HEX, 16)}",
            lambda: f'<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAA{rs(B64, 60)}=">',
            lambda: "api_key = <API_KEY>",
            lambda: "OPENAI_API_KEY=sk-...",
            lambda: "token: xxxxxxxxxxxxxxxx",
            lambda: "export GITHUB_TOKEN=YOUR_TOKEN",
            lambda: 'password = os.environ["DB_PASSWORD"]',
            lambda: "password: ${DB_PASSWORD}",
            lambda: "Forgot your password? Click 'Reset password' on the login page.",
            lambda: "Passwords must be at least 12 characters long.",
            lambda: f"SSN: ***-**-{dg(4)}",
            lambda: "SSN: XXX-XX-XXXX (redacted)",
            lambda: f"card ending in {dg(4)}",
            lambda: f"Visa •••• {dg(4)} expires 09/27",
            lambda: "Phone: (XXX) XXX-XXXX",
            lambda: "Call 911 if this is an emergency.",
            lambda: f"EIN {dg(2)}-{dg(7)} (business tax id)",
            lambda: f"Part no. {dg(3)}-{dg(2)}-{dg(4)} fits models 2019+",
            lambda: f"ISBN 978-0-{dg(3)}-{dg(5)}-{dg(1)}",
            lambda: "the icon@2x.png asset is missing",
            lambda: "npm install react@18.2.0 @types/react",
            lambda: "git clone git@github.com:acme/storefront.git",
            lambda: "thanks @dana_k for the quick fix!",
            lambda: "Meet me at Baker Street station",
            lambda: "We ship to London, Paris and Berlin",
            lambda: "Johnson & Johnson baby shampoo is out of stock",
            lambda: "Wells Fargo declined the transfer",
            lambda: "I bought a Ford Mustang last year",
            lambda: "Ask Alexa to reorder paper towels",
            lambda: "Jack Daniel's gift set ships in December",
            lambda: "The Abbey Road vinyl reissue is sold out",
            lambda: "Wall Street Journal subscription renewal",
            lambda: "Marie Curie won the Nobel Prize twice - great book!",
            lambda: "Our store on Fifth Avenue is closed on Monday",
            lambda: "Meeting moved to Tuesday, March 4",
            lambda: f"Your verification code is {dg(6)}",
            lambda: "Reply STOP to unsubscribe",
            lambda: f"Estimated delivery: {f.date()}",
            lambda: f"temperature reading 36.6, humidity 41%",
            lambda: "Works with iOS 17.4.1 and Android 14",
            lambda: "OID 1.3.6.1.4.1.311 is not recognised",
            lambda: "Sorry, I can't share other customers' details.",
            lambda: "Thanks, that fixed it!",
            lambda: "The Victoria Line is delayed",
            lambda: "Enter your email address in the form below",
            lambda: "email: <your email>",
            lambda: f"checksum sha256:{rs(HEX, 64)}",
            lambda: f"Build {dg(8)}.{dg(4)} passed",
            lambda: f"Flight BA{R.randint(100, 999)} departs at {R.randint(1, 12)}:{R.randint(10, 59)} pm",
            lambda: f"Price dropped from $1,299.00 to ${R.randint(800, 1200)}.{dg(2)}",
            lambda: "Dr Pepper cans are on sale",
            lambda: "We're open Mon-Fri 9am-5pm EST",
            lambda: f"Error 0x{rs('0123456789ABCDEF', 8)} during install",
            lambda: "Route 66 souvenirs collection",
            lambda: "Lincoln Center tickets are non-refundable",
            lambda: "Our phone lines are busy; please use chat",
            lambda: f"UPS tracking 1Z{rs(string.ascii_uppercase + string.digits, 16)}",
            lambda: f"USPS tracking {dg(4)} {dg(4)} {dg(4)} {dg(4)} {dg(4)} {dg(2)}",
            lambda: "The Apple Store on Regent Street has it in stock",
            lambda: "Main Street Bakery is our local partner",
            lambda: "Concert at Madison Square Garden was postponed",
            lambda: "Offices are closed on Martin Luther King Jr. Day",
            lambda: "Ben & Jerry's pints are 2 for $9",
            lambda: "My Dr. Martens boots fell apart after a week",
            lambda: "Ralph Lauren polos are 30% off",
            lambda: "Tim Hortons gift cards can't be refunded",
            lambda: "proxy is on localhost:8080",
            lambda: "firewall rule: allow 0.0.0.0/0 on port 443 (temporary)",
            lambda: "netmask 255.255.255.240",
            lambda: f"Upgraded to v{R.randint(1, 4)}.{R.randint(0, 30)}.{R.randint(0, 9)}",
            lambda: "ping ::1 works but the site doesn't load",
            lambda: "Use code SAVE20 at checkout",
            lambda: "Authorization: Bearer ${TOKEN}",
            lambda: "Your PIN must be 4 digits",
            lambda: "The reset link expired, can you send another?",
            lambda: f"Phone on file: ***-***-{dg(4)}",
            lambda: f"We emailed j****{ch('ks')}@gmail.com",
            lambda: f"Case {dg(8)} escalated to tier 2",
            lambda: "Is the Oxford Street location open on Sundays?",
            lambda: "I watched Sherlock Holmes last night, not related to my order lol",
            lambda: f"Receipt #{dg(4)}-{dg(4)}-{dg(4)}",
            lambda: f"RMA number RMA{dg(7)}",
            lambda: "Wednesday or Thursday works for the install",
            lambda: f"MAC address of the router: {':'.join(rs(HEX, 2) for _ in range(6))}",
        ]
    return pool



NEG_FRAMES = {"ru": ["{x}", "{x}", "{x}", "Здравствуйте! {x}", "{x}. Подскажите, что делать?", "Бот: {x}", "Клиент: {x}",
                     "> {x}", "{x}\nСпасибо.", "Добрый день. {x}", "Оператор: {x}", "- {x}"],
              "en": ["{x}", "{x}", "{x}", "Hi, {x}", "{x} Any update?", "Bot: {x}", "Customer: {x}", "> {x}",
                     "{x}\nThanks", "Hello team. {x}", "Agent: {x}", "- {x}"]}


def g_mixed(lang):
    """real PII next to decoys: only the real PII is labelled"""
    st = R.randrange(5)
    if lang == "ru":
        p = ru_person(origin="ru")
        if st == 0: tpl("ru", "Заказ № {o} оформлен на {n}, сумма 12 490 руб.", o=inn10(), n=L("person_name", ru_name_form(p, "acc", "F I.O.")))
        elif st == 1: tpl("ru", "Обращение {o} от 12.03.2025: клиент просит перезвонить на {t}", o=snils_raw(), t=L("phone", ru_phone()))
        elif st == 2: tpl("ru", "Версия 4.12.0.7 выкатилась на сервер {i}, маска 255.255.255.0", i=L("ip", ipv4()))
        elif st == 3: tpl("ru", "Трек {o}, доставка по адресу {a}", o=ogrn13(), a=L("address", ru_address()))
        else: tpl("ru", "Договор № {o}, контактное лицо — {n}, {e}", o=ogrn15(), n=L("person_name", ru_name_form(p, "nom", "I F")), e=L("email", email("ru", tr(p["first"]), tr(p["last"]))))
    else:
        f, l = en_person()
        b = "7" + dg(14)
        if st == 0: tpl("en", "Order #{o} for {n} ships to {a}", o=b + luhn.calc_check_digit(b), n=L("person_name", f"{f} {l}"), a=L("address", en_address()))
        elif st == 1: tpl("en", "Ticket INC-{o}: customer email {e}, request_id {u}", o=dg(6), e=L("email", email("en", f.lower(), l.lower())), u=FK["en_US"].uuid4())
        elif st == 2: tpl("en", "Deployed build 2.3.1.9 to {i} (subnet 10.20.0.0/16)", i=L("ip", ipv4()))
        elif st == 3: tpl("en", "Invoice INV-{o} sent to {n} on March 3; call {t} if unpaid", o=dg(6), n=L("person_name", f"{f} {l}"), t=L("phone", us_phone()))
        else: tpl("en", "SSN on file ***-**-{x}; new card {c}", x=dg(4), c=L("card", card()[0]))

# ---------------------------------------------------------------- main plan
IP_CONVENTION = re.compile(r"(?<![\w.:])(?:127\.0\.0\.1|0\.0\.0\.0(?:/0)?|\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}|::1)(?![\w.:/])")


def ip_convention(text, labels):
    """Label loopback, unspecified and CIDR addresses as ip (Presidio's convention), unless already labelled."""
    b = text.encode()
    taken = [(l["start"], l["end"]) for l in labels]
    extra = []
    for m in IP_CONVENTION.finditer(text):
        start = len(text[:m.start()].encode())
        end = start + len(m.group().encode())
        if any(s < end and start < e for s, e in taken):
            continue
        extra.append({"kind": "ip", "start": start, "end": end, "text": m.group()})
        assert b[start:end].decode() == m.group()
    return sorted(labels + extra, key=lambda l: l["start"])


def main():
    plan = [(g_phone, 90), (g_name, 88), (g_address, 88), (g_email, 30), (g_card, 24), (g_iban, 20), (g_ip, 20),
            (g_secret, 48), (g_pem, 5), (g_multi, 22), (g_mixed, 15)]
    for lang in ("ru", "en"):
        for fn, n in plan:
            for _ in range(n):
                fn(lang)
    for fn, nr, ne in [(g_passport, 34, 4), (g_inn, 32, 5), (g_snils, 32, 4), (g_ogrn, 30, 4), (g_ogrnip, 30, 4),
                       (g_ssn, 4, 34), (g_account, 32, 4)]:
        for _ in range(nr): fn("ru")
        for _ in range(ne): fn("en")
    pos = len(OUT)
    for lang, t in checksum_decoys():
        mk(lang, t)
    neg_target = int(pos * 0.68)
    seen = set(t for _, t, _ in OUT)
    pools = {lang: negatives_pool(lang) for lang in ("ru", "en")}
    order = {lang: [] for lang in pools}
    i = 0
    while sum(1 for o in OUT if not o[2]) < neg_target:
        lang = "ru" if i % 2 == 0 else "en"
        i += 1
        if not order[lang]:
            order[lang] = list(range(len(pools[lang])))
            R.shuffle(order[lang])
        x = pools[lang][order[lang].pop()]()
        t = ch(NEG_FRAMES[lang]).replace("{x}", x)
        if t in seen:
            continue
        seen.add(t)
        mk(lang, t)
    uniq, seen_t = [], set()
    for o in OUT:
        if o[1] not in seen_t:
            seen_t.add(o[1]); uniq.append(o)
    OUT[:] = uniq
    R.shuffle(OUT)
    for k, (lang, text, labels) in enumerate(OUT):
        OUT[k] = (lang, text, ip_convention(text, labels))
    # 70 % of the lines (pii-dev2.jsonl) may be looked at while tuning, 30 % (pii-holdout2.jsonl) may not
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ScoringTests", "Fixtures")
    with open(os.path.join(root, "pii-dev2.jsonl"), "w", encoding="utf-8") as dev, \
            open(os.path.join(root, "pii-holdout2.jsonl"), "w", encoding="utf-8") as hold:
        for n, (lang, text, labels) in enumerate(OUT, 1):
            line = json.dumps({"id": f"pii2-{n}", "lang": lang, "text": text, "labels": labels}, ensure_ascii=False)
            (hold if n % 10 in (0, 3, 6) else dev).write(line + "\n")


if __name__ == "__main__":
    main()
